import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { NEED_DESCRIPTION_MAX, NEED_GRID_MAX, NEED_NOTE_MAX, NEED_STATUSES, NEED_URGENCIES, RAISER_KINDS } from '~/features/needs/needs';

const photoSchema = new Schema(
  {
    fileId: { type: String, required: true },
    thumbId: { type: String, required: true },
    // The helper confirmed that the people shown agreed to be published.
    peopleConsent: { type: Boolean, required: true },
  },
  { _id: false },
);

/** One claim of the need, kept after it ends: who answered, and how it ended. */
const claimSchema = new Schema(
  {
    // Names this claim in the conditional updates that end it, so an old claim's release or
    // report can never touch a later claim of the same helper.
    key: { type: String, required: true },
    helper: { type: Schema.Types.ObjectId, ref: 'Helper', required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    endedAt: { type: Date },
    outcome: { type: String, enum: ['released', 'reopened', 'fulfilled'] },
  },
  { _id: false },
);

/**
 * A need of a person in difficulty, raised by a whistle-blower (红哨子). This document is what
 * may become public: the person's name, address, phone and situation live in NeedDetail, so
 * nothing here identifies them. Every move is one conditional update on `status` (and, for the
 * helper's moves, on the current claim's key), so two claims, or a claim and a withdrawal, can
 * never both apply.
 */
const needSchema = new Schema(
  {
    number: { type: Number, required: true, min: 1 },
    category: { type: String, required: true, trim: true, maxlength: 40 },
    urgency: { type: String, enum: NEED_URGENCIES, required: true },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    grid: { type: String, trim: true, maxlength: NEED_GRID_MAX, default: '' },
    description: { type: String, required: true, trim: true, maxlength: NEED_DESCRIPTION_MAX },
    raisedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    raisedAs: { type: String, enum: RAISER_KINDS, required: true },
    status: { type: String, enum: NEED_STATUSES, required: true, default: 'pending' },
    verification: {
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: { type: Date },
      authentic: { type: Boolean },
      note: { type: String, trim: true, maxlength: NEED_NOTE_MAX },
    },
    publishedAt: { type: Date },
    // The claim that lasts now (null when none); `claims` keeps every claim with its end.
    claim: { type: claimSchema, default: null },
    claims: { type: [claimSchema], default: [] },
    // What the helper reported doing, for the whistle-blower to confirm.
    fulfilment: {
      note: { type: String, trim: true, maxlength: NEED_NOTE_MAX },
      photos: { type: [photoSchema], default: undefined },
      at: { type: Date },
    },
    // The helper who answered it, once confirmed (shown on the board with its certification).
    fulfilledBy: { type: Schema.Types.ObjectId, ref: 'Helper' },
    firstClaimedAt: { type: Date },
    fulfilledAt: { type: Date },
    // Milliseconds from publication to the first claim, and to fulfilment (the dashboard's medians).
    claimMs: { type: Number, min: 0 },
    fulfilMs: { type: Number, min: 0 },
    reopenCount: { type: Number, default: 0, min: 0 },
    // Told to the street's committee once, when the need waited unclaimed too long.
    escalatedAt: { type: Date, default: null },
    // The escalation run that marked it (escalation.server.ts reads back exactly its own marks).
    escalationRun: { type: String },
    withdrawnReason: { type: String, trim: true, maxlength: NEED_NOTE_MAX },
  },
  { timestamps: true, strict: true },
);
needSchema.index({ number: 1 }, { unique: true });
// The board: public statuses, newest first, filtered by street, category, urgency.
needSchema.index({ status: 1, publishedAt: -1 });
needSchema.index({ street: 1, status: 1, publishedAt: -1 });
needSchema.index({ category: 1, status: 1, publishedAt: -1 });
needSchema.index({ urgency: 1, status: 1, publishedAt: -1 });
// A worker's queue: the area's needs waiting for verification.
needSchema.index({ community: 1, status: 1, createdAt: -1 });
// The whistle-blower's own needs; a helper's current claims.
needSchema.index({ raisedBy: 1, createdAt: -1 });
needSchema.index({ 'claim.helper': 1, status: 1 });
// The escalation job: open needs published before the cut-off, not yet escalated.
needSchema.index({ status: 1, escalatedAt: 1, publishedAt: 1 });
needSchema.index({ escalationRun: 1 }, { sparse: true });

export type NeedDoc = InferSchemaType<typeof needSchema>;
export const Need = (mongoose.models.Need as Model<NeedDoc>) ?? mongoose.model('Need', needSchema);
