import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { INCUBATION_STAGES, ORGANIZATION_MEMBER_ROLES, ORGANIZATION_TYPES } from '~/features/organizations/organizations';

const memberSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    role: { type: String, enum: ORGANIZATION_MEMBER_ROLES, required: true, default: 'member' },
    // The member's own choice to be named on the public profile (off until they turn it on).
    showName: { type: Boolean, default: false },
  },
  { _id: false },
);

const stageChangeSchema = new Schema(
  {
    stage: { type: String, enum: INCUBATION_STAGES, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: 1000 },
    // Added with incubation (decision 025): the stage moved from, and whether the committee
    // moved it past an incomplete checklist (then `reason` says why and `missing` lists the
    // items not confirmed at the time).
    from: { type: String, enum: INCUBATION_STAGES },
    override: { type: Boolean },
    missing: { type: [String], default: undefined },
  },
  { _id: false },
);

/**
 * One checklist item confirmed for this organization, by its template key (so a template edited
 * later keeps the confirmations of the items it still has). Evidence is a note and/or a private
 * document image (upload kind `evidence`), for the organization's mentors and managers only.
 */
const confirmationSchema = new Schema(
  {
    key: { type: String, required: true, maxlength: 40 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    note: { type: String, trim: true, maxlength: 1000, default: '' },
    evidenceFileId: { type: String },
  },
  { _id: false },
);

/**
 * An implementer of projects (a community social organization, a social-work agency, a
 * volunteer team, a community enterprise or a charity). Its contact person and phone are for
 * the committee only: `select: false`, so no query returns them unless it names them
 * (`.select('+contact.name +contact.phone')`), which only a guarded service may do.
 * Incubation moves `stage` along INCUBATION_STAGES, each move kept in `stageHistory`
 * (docs/decisions/025-incubation.md).
 */
const organizationSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 80 },
    type: { type: String, enum: ORGANIZATION_TYPES, required: true },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    community: { type: Schema.Types.ObjectId, ref: 'Community' },
    contact: {
      name: { type: String, trim: true, maxlength: 50, select: false },
      phone: { type: String, trim: true, maxlength: 20, select: false },
    },
    members: { type: [memberSchema], default: [] },
    stage: { type: String, enum: INCUBATION_STAGES, required: true, default: 'idea' },
    stageHistory: { type: [stageChangeSchema], default: [] },
    // Private (select: false, like the contact): read only by the incubation services, which
    // check who asks. Every confirmation, withdrawal and template change bumps the revision,
    // and a stage move is one update conditional on the stage and revision it checked.
    checklist: { type: [confirmationSchema], default: [], select: false },
    checklistRevision: { type: Number, default: 0, min: 0 },
    // Who registered it (a committee member or an admin): they may keep editing it
    // (docs/decisions/022-organization-registry.md).
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, strict: true },
);
// One registry entry per name in a street (two streets may each have a 夕阳红志愿队).
// It also serves the registry's list (by street, then name) and its street filter.
organizationSchema.index({ street: 1, name: 1 }, { unique: true });
// The registry's list filtered by type (and street), in the same order.
organizationSchema.index({ type: 1, street: 1, name: 1 });
// "My organizations" for a member.
organizationSchema.index({ 'members.user': 1 });
// The directory filtered by stage (and street), and by type and stage (and street).
organizationSchema.index({ stage: 1, street: 1, name: 1 });
organizationSchema.index({ type: 1, stage: 1, street: 1, name: 1 });
// Who may see an evidence image: the organization it is attached to (app/routes/uploads.$fileId).
organizationSchema.index({ 'checklist.evidenceFileId': 1 });

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;
export const Organization =
  (mongoose.models.Organization as Model<OrganizationDoc>) ?? mongoose.model('Organization', organizationSchema);
