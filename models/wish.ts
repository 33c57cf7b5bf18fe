import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import {
  CHILD_AGE_MAX,
  CHILD_AGE_MIN,
  CHILD_TERMS,
  DELIVERY_NOTE_MAX,
  DISPLAY_CHOICES,
  UNIT_NAME_MAX,
  WISH_DESCRIPTION_MAX,
  WISH_KINDS,
  WISH_STATUSES,
  WISH_TITLE_MAX,
  WISH_VALUE_MAX_FEN,
  WISH_VALUE_MIN_FEN,
  WITHDRAW_REASON_MAX,
} from '~/features/wishes/rules';

/**
 * A child's micro-wish (微心愿), registered by a grid or community worker of its area and claimed
 * by one person (docs/decisions/027-micro-wishes.md). The child is stored as one character of
 * the given name, a term (同学 / 小朋友) and an age: never a name, school or address.
 *
 * Every change of status is one conditional update of this document (no transactions on the
 * stand-in). One claimer at a time: the claim's update requires `status: 'open'`. At most
 * MAX_OPEN_CLAIMS open claims per person: a claim takes one of that person's slots,
 * `claimSlot = "<user id>:<0..N-1>"`, under a unique sparse index, and gives it back (unset)
 * when the claim ends (delivered, released, withdrawn); parallel claims by one person collide
 * on the slot, not on a count read beforehand.
 */
const claimSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    displayAs: { type: String, enum: DISPLAY_CHOICES, required: true },
    // What the wall shows: the account's name or a unit's at the time of the claim, '' when anonymous.
    displayName: { type: String, trim: true, maxlength: UNIT_NAME_MAX, default: '' },
    at: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    // Set once the delivery date passed and the claimer and worker were reminded
    // (app/features/wishes/reminders.server.ts), with the run that did it.
    remindedAt: { type: Date },
    reminderRun: { type: String },
  },
  { _id: false },
);

const wishSchema = new Schema(
  {
    number: { type: Number, required: true, min: 1, unique: true },
    kind: { type: String, enum: WISH_KINDS, required: true },
    title: { type: String, required: true, trim: true, maxlength: WISH_TITLE_MAX },
    description: { type: String, trim: true, maxlength: WISH_DESCRIPTION_MAX, default: '' },
    valueFen: { type: Number, required: true, min: WISH_VALUE_MIN_FEN, max: WISH_VALUE_MAX_FEN, validate: Number.isSafeInteger },
    child: {
      type: new Schema(
        {
          initial: { type: String, required: true, minlength: 1, maxlength: 2 },
          term: { type: String, enum: CHILD_TERMS, required: true },
          age: { type: Number, required: true, min: CHILD_AGE_MIN, max: CHILD_AGE_MAX, validate: Number.isSafeInteger },
        },
        { _id: false },
      ),
      required: true,
    },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    registeredBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: WISH_STATUSES, required: true, default: 'open' },
    claim: { type: claimSchema },
    claimSlot: { type: String },
    /** How often a claim was released: the worker sees a wish that keeps coming back. */
    releases: { type: Number, default: 0 },
    deliveredAt: { type: Date },
    deliveryNote: { type: String, trim: true, maxlength: DELIVERY_NOTE_MAX },
    confirmedAt: { type: Date },
    confirmedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    // Public only when the confirming worker ticked that the people shown (if any) agreed.
    photo: { type: new Schema({ fileId: { type: String, required: true }, thumbId: { type: String, required: true } }, { _id: false }) },
    withdrawnAt: { type: Date },
    withdrawnBy: { type: Schema.Types.ObjectId, ref: 'User' },
    withdrawReason: { type: String, trim: true, maxlength: WITHDRAW_REASON_MAX },
  },
  { timestamps: true, strict: true },
);
wishSchema.index({ claimSlot: 1 }, { unique: true, sparse: true });
// The reminder sweep: claimed wishes past their delivery date, then the ones a run marked.
wishSchema.index({ status: 1, 'claim.remindedAt': 1, 'claim.dueAt': 1 });
wishSchema.index({ 'claim.reminderRun': 1 }, { sparse: true });
// The wall: its counts read every wish that is not withdrawn (by status), and its cards the open
// ones (street, community and kind narrow them in the same aggregate).
wishSchema.index({ status: 1, number: 1 });
// A worker's list of the area's wishes: by street or by community, in some statuses, newest first.
wishSchema.index({ street: 1, status: 1, number: -1 });
wishSchema.index({ community: 1, status: 1, number: -1 });
// A claimer's own wishes ("my claimed wishes"), newest claim first; and their open slots.
wishSchema.index({ 'claim.by': 1, status: 1, 'claim.at': -1 });

export type WishDoc = InferSchemaType<typeof wishSchema>;
export const Wish = (mongoose.models.Wish as Model<WishDoc>) ?? mongoose.model('Wish', wishSchema);
