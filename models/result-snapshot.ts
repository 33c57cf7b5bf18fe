import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A competition's published result, frozen: the method, the exact inputs (judges as letters,
 * ballots as approval sets) with their sha256, and the outcome. One per competition (unique
 * index): publishing twice is impossible, and the app never updates one.
 */
const resultSnapshotSchema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true, unique: true },
    method: { type: String, enum: ['greedy', 'mes'], required: true },
    inputsHash: { type: String, required: true },
    inputs: { type: Schema.Types.Mixed, required: true },
    outcome: { type: Schema.Types.Mixed, required: true },
    publishedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    publishedAt: { type: Date, required: true },
  },
  { timestamps: false, strict: true, minimize: false },
);

export type ResultSnapshotDoc = InferSchemaType<typeof resultSnapshotSchema>;
export const ResultSnapshot =
  (mongoose.models.ResultSnapshot as Model<ResultSnapshotDoc>) ?? mongoose.model('ResultSnapshot', resultSnapshotSchema);
