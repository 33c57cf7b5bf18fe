import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { localizedText } from './shared';
import { PHASES } from '../app/utils/phases';

const phaseSchema = new Schema(
  {
    key: { type: String, enum: PHASES, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
  },
  { _id: false },
);

const categorySchema = new Schema(
  {
    code: { type: String, required: true, trim: true },
    name: { type: localizedText, required: true },
  },
  { _id: false },
);

/** One 崂善行 competition, e.g. 2026; its slug makes the stable URL /competitions/<slug>. */
const competitionSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true, trim: true, lowercase: true },
    year: { type: Number, required: true },
    title: { type: localizedText, required: true },
    summary: { type: localizedText, required: true },
    // Money is integer fen.
    budgetFen: { type: Number, required: true, min: 0 },
    minRequestFen: { type: Number, required: true, min: 0 },
    maxRequestFen: { type: Number, required: true, min: 0 },
    phases: { type: [phaseSchema], default: [] },
    categories: { type: [categorySchema], default: [] },
    eligibleStreets: [{ type: Schema.Types.ObjectId, ref: 'Street' }],
  },
  { timestamps: true, strict: true },
);

export type CompetitionDoc = InferSchemaType<typeof competitionSchema>;
export const Competition =
  (mongoose.models.Competition as Model<CompetitionDoc>) ?? mongoose.model('Competition', competitionSchema);
