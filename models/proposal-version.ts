import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/** One saved edit of a proposal: who, when, and each changed field before and after. */
const proposalVersionSchema = new Schema(
  {
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true },
    revision: { type: Number, required: true },
    editor: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    changes: [
      {
        _id: false,
        field: { type: String, required: true },
        before: { type: Schema.Types.Mixed },
        after: { type: Schema.Types.Mixed },
      },
    ],
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: true },
);
proposalVersionSchema.index({ proposal: 1, revision: 1 }, { unique: true });

export type ProposalVersionDoc = InferSchemaType<typeof proposalVersionSchema>;
export const ProposalVersion =
  (mongoose.models.ProposalVersion as Model<ProposalVersionDoc>) ?? mongoose.model('ProposalVersion', proposalVersionSchema);
