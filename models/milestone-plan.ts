import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { DELIVERABLES_MAX, MILESTONE_TITLE_MAX, PLAN_COMMENT_MAX, PLAN_STATUSES } from '~/features/projects/milestones';

const milestoneSchema = new Schema({
  title: { type: String, required: true, trim: true, maxlength: MILESTONE_TITLE_MAX },
  dueDate: { type: Date, required: true },
  deliverables: { type: String, trim: true, default: '', maxlength: DELIVERABLES_MAX },
  trancheFen: { type: Number, required: true, min: 0 },
  weight: { type: Number, required: true, min: 1 },
  // The milestone's `_id` is kept by every later version that continues it (a change request),
  // so its report (models/milestone-report.ts) stays attached; completion is that report's approval.
});

const reviewSchema = new Schema(
  {
    decision: { type: String, enum: ['returned', 'approved', 'rejected'], required: true },
    comment: { type: String, trim: true, default: '', maxlength: PLAN_COMMENT_MAX },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * One version of a project's milestone plan (docs/decisions/021-milestone-plans.md). Version 1 is
 * the first plan; each later version is a change request. A version is only ever created as
 * (latest + 1) after the latest is closed (approved or rejected), and (project, version) is a
 * unique index, so two parallel "new change request" posts cannot open two drafts. Every state
 * change is one conditional update of this one document naming the status (and `revision`) it
 * read, so two parallel approvals cannot both apply.
 */
const milestonePlanSchema = new Schema(
  {
    project: { type: Schema.Types.ObjectId, ref: 'Project', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    version: { type: Number, required: true, min: 1 },
    status: { type: String, enum: PLAN_STATUSES, required: true, default: 'draft' },
    milestones: { type: [milestoneSchema], default: [] },
    // Bumped by every save, so a decision names exactly the content it saw.
    revision: { type: Number, required: true, default: 0 },
    submittedAt: { type: Date },
    decidedAt: { type: Date },
    reviews: { type: [reviewSchema], default: [] },
  },
  { timestamps: true, strict: true },
);
milestonePlanSchema.index({ project: 1, version: 1 }, { unique: true });
// The plan in force (the highest approved version) and the open draft: by status, newest version first.
milestonePlanSchema.index({ project: 1, status: 1, version: -1 });
// The committee's supervision table: all plans of a competition.
milestonePlanSchema.index({ competition: 1, status: 1 });

export type MilestonePlanDoc = InferSchemaType<typeof milestonePlanSchema>;
export const MilestonePlan = (mongoose.models.MilestonePlan as Model<MilestonePlanDoc>) ?? mongoose.model('MilestonePlan', milestonePlanSchema);
