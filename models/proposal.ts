import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { BENEFICIARY_GROUPS, PROPOSAL_STATUSES } from '~/features/proposals/proposals';

const budgetLineSchema = new Schema(
  {
    item: { type: String, required: true, trim: true, maxlength: 100 },
    quantity: { type: Number, required: true, min: 1, max: 100_000 },
    // Integer fen; the total is computed on the server (app/features/proposals/budget.ts).
    unitPriceFen: { type: Number, required: true, min: 0, max: 100_000_000_00 },
  },
  { _id: false },
);

const beneficiarySchema = new Schema(
  {
    group: { type: String, enum: BENEFICIARY_GROUPS, required: true },
    count: { type: Number, required: true, min: 1, max: 100_000 },
  },
  { _id: false },
);

const statusChangeSchema = new Schema(
  {
    status: { type: String, enum: PROPOSAL_STATUSES, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: 1000 },
  },
  { _id: false },
);

const photoSchema = new Schema(
  {
    fileId: { type: String, required: true },
    thumbId: { type: String, required: true },
    caption: { type: String, maxlength: 100 },
    // The uploader confirmed that the people shown agreed to be published.
    peopleConsent: { type: Boolean, default: false },
  },
  { _id: false },
);

/**
 * A resident's proposal in a competition. Public pages show beneficiary groups and counts only:
 * there is deliberately no field for a beneficiary's name, address, phone or health details.
 */
const proposalSchema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    // Sequential per competition, for stable URLs and paper ballots.
    number: { type: Number, required: true, min: 1 },
    status: { type: String, enum: PROPOSAL_STATUSES, required: true, default: 'draft' },
    statusHistory: { type: [statusChangeSchema], default: [] },
    title: { type: String, required: true, trim: true, maxlength: 60 },
    summary: { type: String, trim: true, maxlength: 300, default: '' },
    category: { type: String, trim: true, default: '' },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    community: { type: Schema.Types.ObjectId, ref: 'Community' },
    beneficiaries: { type: [beneficiarySchema], default: [] },
    problem: { type: String, trim: true, maxlength: 3000, default: '' },
    plan: { type: String, trim: true, maxlength: 5000, default: '' },
    schedule: { type: String, trim: true, maxlength: 2000, default: '' },
    outcomes: { type: String, trim: true, maxlength: 2000, default: '' },
    sustainability: { type: String, trim: true, maxlength: 2000, default: '' },
    budget: { type: [budgetLineSchema], default: [] },
    totalFen: { type: Number, required: true, min: 0, default: 0 },
    organization: {
      kind: { type: String, enum: ['existing', 'new'], default: 'new' },
      name: { type: String, trim: true, maxlength: 80, default: '' },
      // For kind 'existing': the registry entry the author picked (its name is copied into
      // `name`). A judge who is a member of it is recused automatically (decision 025).
      ref: { type: Schema.Types.ObjectId, ref: 'Organization' },
    },
    // authors[0] created it; co-authors join when they accept an invitation.
    authors: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], required: true },
    // Invitations to co-author, by normalised phone number or e-mail (the invitee may not be registered yet).
    invitations: {
      type: [
        {
          identifier: { type: String, required: true },
          invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          at: { type: Date, required: true },
          status: { type: String, enum: ['pending', 'accepted', 'declined'], default: 'pending' },
          // sha256 of the code the inviter hands over in person (for an invitee whose number is
          // not proven); spent with the invitation.
          handoverHash: { type: String },
          answeredBy: { type: Schema.Types.ObjectId, ref: 'User' },
        },
      ],
      default: [],
    },
    photos: { type: [photoSchema], default: [] },
    screening: {
      reason: { type: String, maxlength: 1000 },
      changesDueAt: { type: Date },
    },
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Proposal' },
    // Submitted by a grid worker for a resident, with the resident's recorded consent.
    assisted: {
      worker: { type: Schema.Types.ObjectId, ref: 'User' },
      consent: {
        method: { type: String, enum: ['signedForm', 'verbalWitnessed'] },
        at: { type: Date },
        witness: { type: String, trim: true, maxlength: 50 },
        // A private photo of the signed form (uploads, visibility private).
        formFileId: { type: String },
      },
    },
    submittedAt: { type: Date },
    // Set when the competition's published result funds it (the snapshot stays the record; this
    // lets every page that shows the proposal say so without reading the snapshot).
    fundedAt: { type: Date },
    // Set when the funded proposal's project is created (features/projects/projects.server.ts),
    // so the proposal page links to it without another query.
    project: {
      number: { type: Number, min: 1 },
    },
    followerCount: { type: Number, default: 0, min: 0 },
    commentCount: { type: Number, default: 0, min: 0 },
    // Bumped by every edit; an edit names the revision it started from (optimistic concurrency).
    revision: { type: Number, default: 0 },
    // Search terms (app/features/proposals/search.ts) and the normalised text they came from.
    searchTerms: { type: [String], default: [] },
    searchText: { type: String, default: '' },
  },
  { timestamps: true, strict: true },
);
proposalSchema.index({ competition: 1, number: 1 }, { unique: true });
// Who may see an upload depends on the proposal it belongs to (features/proposals/image-access.server.ts).
proposalSchema.index({ 'photos.fileId': 1 });
proposalSchema.index({ 'assisted.consent.formFileId': 1 }, { sparse: true });
// A competition's proposals in some statuses: by number (screening, judging, ballots, results),
// newest or most followed (the public list's sorts; number breaks ties).
proposalSchema.index({ competition: 1, status: 1, number: 1 });
proposalSchema.index({ competition: 1, status: 1, submittedAt: -1, number: -1 });
proposalSchema.index({ competition: 1, status: 1, followerCount: -1, number: 1 });
proposalSchema.index({ authors: 1, updatedAt: -1 });
proposalSchema.index({ 'invitations.identifier': 1, 'invitations.status': 1, 'invitations._id': 1 });
proposalSchema.index({ 'assisted.worker': 1 });
proposalSchema.index({ 'invitations.handoverHash': 1, 'invitations.status': 1 }, { sparse: true });
proposalSchema.index({ searchTerms: 1, competition: 1, status: 1 });

export type ProposalDoc = InferSchemaType<typeof proposalSchema>;
export const Proposal = (mongoose.models.Proposal as Model<ProposalDoc>) ?? mongoose.model('Proposal', proposalSchema);
