import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import {
  ACTIVITY_TEXT_MAX,
  BENEFICIARY_GROUPS,
  EXPENSE_CATEGORIES,
  NARRATIVE_MAX,
  PAYEE_MAX,
  PLACE_MAX,
  RELEASE_REASON_MAX,
  REPORT_STATUSES,
  REVIEW_COMMENT_MAX,
} from '~/features/projects/reports';

const activitySchema = new Schema(
  {
    date: { type: Date, required: true },
    // Community level only ("金家岭社区活动室"), never a home address.
    place: { type: String, trim: true, default: '', maxlength: PLACE_MAX },
    description: { type: String, trim: true, required: true, maxlength: ACTIVITY_TEXT_MAX },
  },
  { _id: false },
);

const servedSchema = new Schema(
  {
    group: { type: String, enum: BENEFICIARY_GROUPS, required: true },
    count: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

const expenseSchema = new Schema({
  amountFen: { type: Number, required: true, min: 1 },
  category: { type: String, enum: EXPENSE_CATEGORIES, required: true },
  payee: { type: String, trim: true, required: true, maxlength: PAYEE_MAX },
  date: { type: Date, required: true },
  // A private upload: only the team, its mentor and the committee ever open it (image-access).
  receiptFileId: { type: String },
  // Set when the report is submitted (and again when approved): beyond the tranche or the budget.
  held: { type: Boolean, required: true, default: false },
  // The committee's explicit approval of a held line.
  release: {
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    at: { type: Date },
    reason: { type: String, trim: true, maxlength: RELEASE_REASON_MAX },
  },
});

const photoSchema = new Schema(
  {
    fileId: { type: String, required: true },
    thumbId: { type: String, required: true },
    // The uploader confirmed that the people shown agreed (the form refuses otherwise).
    peopleConsent: { type: Boolean, required: true },
  },
  { _id: false },
);

const sectionCommentsSchema = new Schema(
  Object.fromEntries(['narrative', 'activities', 'people', 'volunteers', 'expenses', 'photos'].map((s) => [s, { type: String, trim: true, maxlength: REVIEW_COMMENT_MAX }])),
  { _id: false },
);

const reviewSchema = new Schema(
  {
    decision: { type: String, enum: ['changesRequested', 'approved'], required: true },
    comments: { type: sectionCommentsSchema, default: () => ({}) },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * One milestone's report (docs/decisions/022-milestone-reports.md): one document per
 * (project, milestone), the milestone named by its id in the plan (kept across change
 * requests). Every act is one conditional update naming the status and `revision` it read.
 */
const milestoneReportSchema = new Schema(
  {
    project: { type: Schema.Types.ObjectId, ref: 'Project', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    milestone: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: REPORT_STATUSES, required: true, default: 'draft' },
    revision: { type: Number, required: true, default: 0 },
    narrative: { type: String, trim: true, default: '', maxlength: NARRATIVE_MAX },
    activities: { type: [activitySchema], default: [] },
    served: { type: [servedSchema], default: [] },
    volunteers: { type: Number, min: 0, default: 0 },
    volunteerHours: { type: Number, min: 0, default: 0 },
    expenses: { type: [expenseSchema], default: [] },
    photos: { type: [photoSchema], default: [] },
    reviews: { type: [reviewSchema], default: [] },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    submittedAt: { type: Date },
    approvedAt: { type: Date },
    // The milestone's tranche recorded as released when the report was approved (the platform moves no money).
    trancheReleasedFen: { type: Number, min: 0 },
  },
  { timestamps: true, strict: true },
);
milestoneReportSchema.index({ project: 1, milestone: 1 }, { unique: true });
// A project's approved reports (its ledger, progress and public timeline).
milestoneReportSchema.index({ project: 1, status: 1 });
// The committee's queue: a competition's reports by status.
milestoneReportSchema.index({ competition: 1, status: 1, submittedAt: 1 });
// Who may open an upload is decided by what it belongs to (app/features/proposals/image-access.server.ts).
milestoneReportSchema.index({ 'photos.fileId': 1 });
milestoneReportSchema.index({ 'expenses.receiptFileId': 1 }, { sparse: true });

export type MilestoneReportDoc = InferSchemaType<typeof milestoneReportSchema>;
export const MilestoneReport =
  (mongoose.models.MilestoneReport as Model<MilestoneReportDoc>) ?? mongoose.model('MilestoneReport', milestoneReportSchema);
