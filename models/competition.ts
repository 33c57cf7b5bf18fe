import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { localizedText } from './shared';
import { PHASES } from '~/features/competitions/phases';
import { DEFAULT_RUBRIC, MAX_CRITERIA, SCORE_MAX } from '~/features/judging/rules';
import { VOTING_METHODS, VOTING_SCOPES } from '~/features/voting/rules';

const phaseSchema = new Schema(
  {
    key: { type: String, enum: PHASES, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * How residents vote in this competition (docs/decisions/006-voting.md). Editable until voting
 * opens. Money is integer fen; weights are percentages (judges get 100 - residentWeight).
 */
const votingRulesSchema = new Schema(
  {
    method: { type: String, enum: VOTING_METHODS, default: 'approval' },
    // Approval: at most this many proposals per ballot.
    maxChoices: { type: Number, min: 1, max: 100, default: 5 },
    // Budget ballot: the chosen proposals may cost at most this much in total.
    ballotBudgetFen: { type: Number, min: 0, default: 0 },
    scope: { type: String, enum: VOTING_SCOPES, default: 'district' },
    publicTotals: { type: Boolean, default: false },
    residentWeight: { type: Number, min: 0, max: 100, default: 50 },
    judgesMayVote: { type: Boolean, default: false },
  },
  { _id: false },
);

const criterionSchema = new Schema(
  {
    key: { type: String, required: true, trim: true, maxlength: 30 },
    name: { type: localizedText, required: true },
    weight: { type: Number, required: true, min: 0, max: 100 },
    anchors: {
      low: { type: localizedText, required: true },
      mid: { type: localizedText, required: true },
      high: { type: localizedText, required: true },
    },
  },
  { _id: false },
);

/**
 * The judges' rubric (app/features/judging/rules.ts): criteria scored 1–SCORE_MAX with weights summing to
 * 100, and whether each judge's scores are z-normalised. Editable until judging opens.
 */
const judgingSchema = new Schema(
  {
    criteria: {
      type: [criterionSchema],
      default: () => DEFAULT_RUBRIC.criteria,
      validate: { validator: (value: unknown[]) => value.length >= 1 && value.length <= MAX_CRITERIA, message: `1–${MAX_CRITERIA} criteria (scale 1–${SCORE_MAX})` },
    },
    normalize: { type: Boolean, default: true },
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

/**
 * An admin's correction of a frozen setting (app/features/competitions/corrections.server.ts),
 * kept on the competition it corrects, written by the same update: public, like the budget.
 * `before`/`after`: an ISO instant (a phase's start or end), fen (the budget), or the streets
 * as [{ id, name }] (their names as they were then).
 */
const correctionSchema = new Schema(
  {
    at: { type: Date, required: true },
    setting: { type: String, required: true },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    reason: { type: String, required: true, maxlength: 500 },
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
    // A public photo in uploads (its full-size id); shown on the home and competition pages.
    coverFileId: { type: String },
    voting: { type: votingRulesSchema, default: () => ({}) },
    judging: { type: judgingSchema, default: () => ({}) },
    corrections: { type: [correctionSchema], default: [] },
    // When its result was published (the snapshot's publishedAt), so pages link to the result.
    resultsPublishedAt: { type: Date },
    // Bumped after every ballot write of this competition (cast, replace, paper, void), without
    // touching updatedAt: the cached tally (models/tally-cache.ts) is valid while its version is
    // this one. A counter, never read to decide anything about a ballot.
    ballotVersion: { type: Number, default: 0, min: 0 },
    // The running total of its projects' approved budgets against what the result funded, in fen
    // (features/projects/projects.server.ts): a budget increase is one conditional $inc here,
    // so the projects together never exceed the funded total, with no transaction.
    projectBudget: {
      fundedFen: { type: Number, min: 0 },
      approvedFen: { type: Number, min: 0 },
    },
  },
  { timestamps: true, strict: true },
);
competitionSchema.index({ year: -1 });

export type CompetitionDoc = InferSchemaType<typeof competitionSchema>;
export const Competition =
  (mongoose.models.Competition as Model<CompetitionDoc>) ?? mongoose.model('Competition', competitionSchema);
