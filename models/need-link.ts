import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { MAX_CITED_NEEDS } from '~/features/needs/needs';

/**
 * A proposal citing a need it answers (issue 16): the need's page shows the proposal (and later
 * its project), the proposal's page shows the need. Owned by the needs feature
 * (app/features/needs/links.server.ts); the proposals feature never writes it.
 *
 * Two unique indexes hold the rules without a transaction: a need is cited once per proposal, and
 * a proposal has MAX_CITED_NEEDS numbered slots, so two authors citing at the same moment can
 * never give it a sixth.
 */
const needLinkSchema = new Schema(
  {
    need: { type: Schema.Types.ObjectId, ref: 'Need', required: true },
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    slot: { type: Number, required: true, min: 0, max: MAX_CITED_NEEDS - 1 },
    citedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, strict: true },
);
needLinkSchema.index({ proposal: 1, need: 1 }, { unique: true });
needLinkSchema.index({ proposal: 1, slot: 1 }, { unique: true });
// A need's page: the proposals citing it.
needLinkSchema.index({ need: 1, createdAt: 1 });

export type NeedLinkDoc = InferSchemaType<typeof needLinkSchema>;
export const NeedLink = (mongoose.models.NeedLink as Model<NeedLinkDoc>) ?? mongoose.model('NeedLink', needLinkSchema);
