import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { INCUBATION_STAGES, ORGANIZATION_MEMBER_ROLES, ORGANIZATION_TYPES } from '~/features/organizations/organizations';

const memberSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    role: { type: String, enum: ORGANIZATION_MEMBER_ROLES, required: true, default: 'member' },
  },
  { _id: false },
);

const stageChangeSchema = new Schema(
  {
    stage: { type: String, enum: INCUBATION_STAGES, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String, maxlength: 1000 },
  },
  { _id: false },
);

/**
 * An implementer of projects (a community social organization, a social-work agency, a
 * volunteer team, a community enterprise or a charity). Its contact person and phone are for
 * the committee only: `select: false`, so no query returns them unless it names them
 * (`.select('+contact.name +contact.phone')`), which only a guarded service may do.
 * Incubation (the next issue) moves `stage` along INCUBATION_STAGES, each move kept in
 * `stageHistory`; both exist now so that issue needs no migration.
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

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;
export const Organization =
  (mongoose.models.Organization as Model<OrganizationDoc>) ?? mongoose.model('Organization', organizationSchema);
