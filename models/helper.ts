import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { HELPER_KINDS, HELPER_STATUSES } from '~/features/needs/needs';

/**
 * A certified helper of the needs whistle: a community organization, a caring enterprise or an
 * individual. Anyone signed in applies; a street committee member certifies (or revokes, with a
 * reason). Only members of a certified helper claim needs. The contact phone is for the
 * committee only, never public.
 */
const helperSchema = new Schema(
  {
    kind: { type: String, enum: HELPER_KINDS, required: true },
    name: { type: String, required: true, trim: true, maxlength: 60 },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    introduction: { type: String, trim: true, maxlength: 500, default: '' },
    contactPhone: { type: String, trim: true, maxlength: 40, default: '' },
    members: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    appliedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: HELPER_STATUSES, required: true, default: 'pending' },
    certifiedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    certifiedAt: { type: Date },
    revokedReason: { type: String, trim: true, maxlength: 500 },
    // How many needs the helper answers now (claimed or done); capped by one conditional update.
    openClaims: { type: Number, default: 0, min: 0 },
    fulfilledCount: { type: Number, default: 0, min: 0 },
  },
  { timestamps: true, strict: true },
);
// An account applies for, or belongs to, one helper: parallel applications store one.
helperSchema.index({ members: 1 }, { unique: true });
// The street committees' list: by status, newest first.
helperSchema.index({ status: 1, createdAt: -1, _id: -1 });

export type HelperDoc = InferSchemaType<typeof helperSchema>;
export const Helper = (mongoose.models.Helper as Model<HelperDoc>) ?? mongoose.model('Helper', helperSchema);
