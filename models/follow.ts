import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/** A person following a proposal; the unique index makes following twice impossible. */
const followSchema = new Schema(
  {
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: true },
);
followSchema.index({ proposal: 1, user: 1 }, { unique: true });
followSchema.index({ user: 1 });

export type FollowDoc = InferSchemaType<typeof followSchema>;
export const Follow = (mongoose.models.Follow as Model<FollowDoc>) ?? mongoose.model('Follow', followSchema);
