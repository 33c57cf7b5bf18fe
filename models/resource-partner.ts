import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { PARTNER_KINDS, PARTNER_NAME_MAX } from '~/features/resources/rules';

/**
 * A resource partner (资源伙伴) of the five-society linkage: the 崂善行 public-welfare fund, a
 * caring enterprise, an organization or an individual who pledges money or goods to a project
 * or a need (docs/decisions/031-resources-and-pledges.md). It may be linked to a registered
 * organization, a certified helper of the needs whistle or the account that offered a pledge
 * itself; a team may also record a named outside party with no link.
 *
 * `key` makes a partner unique where it has an identity: the fund (`fund:laoshanxing`), an
 * account (`account:<id>`), a helper or organization (`helper:<id>`, `organization:<id>`), or a
 * kind and name a team typed (`enterprise:<name>`), so parallel recordings of one enterprise
 * share one partner.
 */
const resourcePartnerSchema = new Schema(
  {
    kind: { type: String, enum: PARTNER_KINDS, required: true },
    name: { type: String, required: true, trim: true, maxlength: PARTNER_NAME_MAX },
    key: { type: String, required: true },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    helper: { type: Schema.Types.ObjectId, ref: 'Helper' },
    account: { type: Schema.Types.ObjectId, ref: 'User' },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, strict: true },
);
resourcePartnerSchema.index({ key: 1 }, { unique: true });

export type ResourcePartnerDoc = InferSchemaType<typeof resourcePartnerSchema>;
export const ResourcePartner =
  (mongoose.models.ResourcePartner as Model<ResourcePartnerDoc>) ?? mongoose.model('ResourcePartner', resourcePartnerSchema);
