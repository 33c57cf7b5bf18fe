import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A one-time residency code from a batch the committee printed for one community. Only the
 * sha256 of the code is stored; `usedAt` is set by a conditional update, so a code works once.
 */
const verificationCodeSchema = new Schema(
  {
    codeHash: { type: String, required: true, unique: true },
    batch: { type: String, required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
    usedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    usedFromIp: { type: String },
  },
  { timestamps: true, strict: true },
);
verificationCodeSchema.index({ competition: 1, batch: 1 });

export type VerificationCodeDoc = InferSchemaType<typeof verificationCodeSchema>;
export const VerificationCode =
  (mongoose.models.VerificationCode as Model<VerificationCodeDoc>) ??
  mongoose.model('VerificationCode', verificationCodeSchema);
