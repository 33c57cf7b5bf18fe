import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A competition's vote count as of one `ballotVersion` (app/features/voting/tally.server.ts):
 * the ballot-derived figures only (voters by channel, voided, approvals by proposal, channel and
 * street), so proposal titles and street names are always read fresh. Its _id is the
 * competition's. Kept in the database, not in process memory, so every app instance agrees: an
 * instance that sees the competition at a newer version recomputes and replaces it.
 */
const tallyCacheSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    version: { type: Number, required: true, min: 0 },
    counts: { type: Schema.Types.Mixed, required: true },
    computedAt: { type: Date, required: true },
  },
  { timestamps: false, strict: true, minimize: false },
);

export type TallyCacheDoc = InferSchemaType<typeof tallyCacheSchema>;
export const TallyCache = (mongoose.models.TallyCache as Model<TallyCacheDoc>) ?? mongoose.model('TallyCache', tallyCacheSchema);
