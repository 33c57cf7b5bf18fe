import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { BUDGET_REASON_MAX, PROJECT_STATUSES } from '~/features/projects/rules';

const budgetAdjustmentSchema = new Schema(
  {
    fromFen: { type: Number, required: true, min: 0 },
    toFen: { type: Number, required: true, min: 0 },
    reason: { type: String, required: true, trim: true, maxlength: BUDGET_REASON_MAX },
    // Who decided: kept for the record and the audit, never shown on the public page.
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const removedMemberSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    reason: { type: String, required: true, trim: true, maxlength: 500 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const statusChangeSchema = new Schema(
  {
    status: { type: String, enum: PROJECT_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: 1000 },
  },
  { _id: false },
);

/**
 * A funded proposal being carried out (app/features/projects/projects.server.ts creates them
 * from the published result). Title, texts, direction and place are copied from the proposal
 * when the project is created, so later edits to either leave the other as it was.
 * Money is integer fen: `fundedFen` is what the result funded for this proposal (fixed),
 * `approvedBudgetFen` what the committee has approved now (changed only through
 * adjustProjectBudget, each change in `budgetAdjustments`).
 */
const projectSchema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    // One project per proposal (unique index): creating projects twice, or in parallel, cannot duplicate one.
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true, unique: true },
    proposalNumber: { type: Number, required: true, min: 1 },
    // Sequential per competition in the result's order, for stable URLs.
    number: { type: Number, required: true, min: 1 },
    title: { type: String, required: true, trim: true, maxlength: 60 },
    summary: { type: String, trim: true, default: '' },
    description: { type: String, trim: true, default: '' },
    category: { type: String, trim: true, default: '' },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    community: { type: Schema.Types.ObjectId, ref: 'Community' },
    fundedFen: { type: Number, required: true, min: 0 },
    approvedBudgetFen: { type: Number, required: true, min: 0 },
    budgetAdjustments: { type: [budgetAdjustmentSchema], default: [] },
    // The implementer, once the committee names one; until then the group the proposal named.
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    proposedOrganizationName: { type: String, trim: true, default: '' },
    // The proposal's authors when the project was created; invited members join later.
    team: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    // Members the committee removed, with its reason; only the committee's own invitation lets one rejoin.
    removedMembers: { type: [removedMemberSchema], default: [] },
    // A staff social worker (role `mentor`) the committee assigned; reads the plan, writes nothing.
    mentor: { type: Schema.Types.ObjectId, ref: 'User' },
    plannedStart: { type: Date },
    plannedEnd: { type: Date },
    status: { type: String, enum: PROJECT_STATUSES, required: true, default: 'planning' },
    statusHistory: { type: [statusChangeSchema], default: [] },
    // Derived, never typed in: the weighted share of approved milestones, recomputed when a
    // milestone report is approved (milestones come in a later part of issue 14).
    progressPct: { type: Number, min: 0, max: 100, default: 0 },
    // Held for a few seconds while a milestone report's approval counts the budget
    // (app/features/projects/reports.server.ts withLedgerLock); expires by itself.
    // When the committee last reminded the team of an overdue milestone (at most once a day).
    overdueRemindedAt: { type: Date, default: null },
    ledgerLock: {
      token: { type: String, default: null },
      until: { type: Date, default: null },
    },
  },
  { timestamps: true, strict: true },
);
projectSchema.index({ competition: 1, number: 1 }, { unique: true });
projectSchema.index({ team: 1 });
projectSchema.index({ organization: 1 });
// A mentor's projects (their account page).
projectSchema.index({ mentor: 1, competition: 1, number: 1 });
// A street's projects of a competition by number: its notices in one PDF (features/projects/notice.server.ts).
projectSchema.index({ competition: 1, street: 1, number: 1 });

export type ProjectDoc = InferSchemaType<typeof projectSchema>;
export const Project = (mongoose.models.Project as Model<ProjectDoc>) ?? mongoose.model('Project', projectSchema);
