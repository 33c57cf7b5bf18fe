import mongoose, { Types } from 'mongoose';
import { Community, Organization, Street, User } from '#models';
import { holderOf, type Identifier } from '~/features/accounts/identity-codes.server';
import { audit } from '~/core/audit.server';
import type { LocalizedText } from '~/core/locales';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import type { OrganizationInput } from './organization.schema';
import type { IncubationStage, OrganizationMemberRole, OrganizationType } from './organizations';
import { MAX_MEMBERS, mayCreateOrganization, mayManageOrganization, ORGANIZATIONS_PAGE_SIZE, type Actor } from './rules';

/**
 * The registry of implementers (docs/decisions/022-organization-registry.md). Reads for
 * everyone return the public fields only; the contact (select: false in the model) and the
 * members' names are read by `getManagedOrganization` alone, which checks the rule itself.
 * Every write is one document operation whose filter carries its condition (no transactions
 * in the stand-in database), and is audited. The audit records that the contact changed,
 * never the name or number.
 */

const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** Member look-ups by phone or e-mail one account may make: enough for a team, too few to sweep numbers. */
export const MEMBER_LOOKUP_LIMIT: Limit = { max: 30, windowMs: 15 * 60 * 1000 };

export interface OrganizationCard {
  id: string;
  name: string;
  type: OrganizationType;
  street: LocalizedText | null;
  community: LocalizedText | null;
  memberCount: number;
  stage: IncubationStage;
}

const idsOf = (values: (Types.ObjectId | null | undefined)[]) => [...new Set(values.filter((v): v is Types.ObjectId => Boolean(v)).map(String))];

async function placeNames(streetIds: string[], communityIds: string[]) {
  const [streets, communities] = await Promise.all([
    streetIds.length ? Street.find({ _id: mongoose.trusted({ $in: streetIds }) }).select('name').lean() : [],
    communityIds.length ? Community.find({ _id: mongoose.trusted({ $in: communityIds }) }).select('name').lean() : [],
  ]);
  return { street: new Map(streets.map((s) => [String(s._id), s.name])), community: new Map(communities.map((c) => [String(c._id), c.name])) };
}

/** One page of the registry, grouped by street then by name (the unique index's order). */
export async function listOrganizations(filter: { type?: OrganizationType; stage?: IncubationStage; street?: string; page: number }) {
  const query: Record<string, unknown> = {};
  if (filter.type) query.type = filter.type;
  if (filter.stage) query.stage = filter.stage;
  if (filter.street) query.street = filter.street;
  const [docs, total] = await Promise.all([
    Organization.find(query)
      .select('name type street community members.user stage')
      .sort({ street: 1, name: 1 })
      .skip((filter.page - 1) * ORGANIZATIONS_PAGE_SIZE)
      .limit(ORGANIZATIONS_PAGE_SIZE)
      .lean(),
    Organization.countDocuments(query),
  ]);
  const names = await placeNames(idsOf(docs.map((d) => d.street)), idsOf(docs.map((d) => d.community)));
  const cards: OrganizationCard[] = docs.map((d) => ({
    id: String(d._id),
    name: d.name,
    type: d.type,
    street: (d.street && names.street.get(String(d.street))) || null,
    community: (d.community && names.community.get(String(d.community))) || null,
    memberCount: d.members.length,
    stage: d.stage,
  }));
  return { cards, total, pages: Math.max(1, Math.ceil(total / ORGANIZATIONS_PAGE_SIZE)) };
}

/**
 * What anyone may see of one organization: no contact, no checklist; members counted, and
 * named only when they chose to be (`showName`, set by the member alone).
 */
export async function getOrganization(id: string) {
  if (!OBJECT_ID.test(id)) return null;
  const doc = await Organization.findById(id).select('name type street community members.user members.showName stage stageHistory.stage stageHistory.at createdBy createdAt').lean();
  if (!doc) return null;
  const shown = doc.members.filter((m) => m.showName).map((m) => m.user);
  const [names, shownUsers] = await Promise.all([
    placeNames(idsOf([doc.street]), idsOf([doc.community])),
    shown.length ? User.find({ _id: mongoose.trusted({ $in: shown }) }).select('name').lean() : [],
  ]);
  const nameOf = new Map(shownUsers.map((u) => [String(u._id), u.name]));
  const lastMove = doc.stageHistory.at(-1);
  return {
    id: String(doc._id),
    name: doc.name,
    type: doc.type,
    streetId: doc.street ? String(doc.street) : null,
    communityId: doc.community ? String(doc.community) : null,
    street: (doc.street && names.street.get(String(doc.street))) || null,
    community: (doc.community && names.community.get(String(doc.community))) || null,
    memberCount: doc.members.length,
    /** Members who chose to be named, in the list's order. */
    shownMembers: shown.map((user) => nameOf.get(String(user)) ?? '').filter(Boolean),
    /** Member ids, for the page to know whether the viewer is one (never sent to the browser). */
    memberIds: doc.members.map((m) => String(m.user)),
    shownMemberIds: shown.map(String),
    stage: doc.stage,
    /** Since when it is at this stage (its last move, or its registration). */
    stageSince: (lastMove?.stage === doc.stage ? lastMove.at : doc.createdAt).toISOString(),
    createdBy: doc.createdBy ? String(doc.createdBy) : null,
  };
}
export type OrganizationView = NonNullable<Awaited<ReturnType<typeof getOrganization>>>;

/**
 * The contact and the members by name, for someone who may manage the organization, else null.
 * The only read of the contact fields in the app.
 */
export async function getManagedOrganization(actor: Actor, organization: OrganizationView, implementsIn: readonly string[]) {
  if (!mayManageOrganization(actor, organization, implementsIn)) return null;
  const doc = await Organization.findById(organization.id).select('+contact.name +contact.phone members').lean();
  if (!doc) return null;
  const users = doc.members.length ? await User.find({ _id: mongoose.trusted({ $in: doc.members.map((m) => m.user) }) }).select('name').lean() : [];
  const nameOf = new Map(users.map((u) => [String(u._id), u.name]));
  return {
    contact: { name: doc.contact?.name ?? '', phone: doc.contact?.phone ?? '' },
    members: doc.members.map((m) => ({ user: String(m.user), name: nameOf.get(String(m.user)) ?? '', role: m.role })),
  };
}

/** Every organization by name, for the committee's picker on a project (the registry is a few hundred at most). */
export async function listOrganizationChoices() {
  const docs = await Organization.find({}).select('name type street').sort({ street: 1, name: 1 }).limit(1000).lean();
  const names = await placeNames(idsOf(docs.map((d) => d.street)), []);
  return docs.map((d) => ({ id: String(d._id), name: d.name, type: d.type, street: (d.street && names.street.get(String(d.street))) || null }));
}

export type RegistryFailure = 'forbidden' | 'notFound' | 'duplicateName' | 'placeInvalid' | 'noAccount' | 'alreadyMember' | 'tooManyMembers' | 'memberNotFound' | 'tooManyLookups';
export type RegistryResult<T = object> = ({ ok: true } & T) | { ok: false; reason: RegistryFailure };

/** The street exists and the community, when given, lies in it. */
async function placeFits(input: OrganizationInput): Promise<boolean> {
  const [street, community] = await Promise.all([
    Street.exists({ _id: input.street }),
    input.community ? Community.findById(input.community).select('street').lean() : null,
  ]);
  if (!street) return false;
  return !input.community || (community !== null && String(community.street) === input.street);
}

const isDuplicate = (error: unknown) => error instanceof mongoose.mongo.MongoServerError && error.code === 11000;

const publicFields = (input: OrganizationInput) => ({ name: input.name, type: input.type, street: input.street, community: input.community ?? null });

export async function createOrganization(input: { actor: Actor; values: OrganizationInput; ip?: string }): Promise<RegistryResult<{ id: string }>> {
  if (!mayCreateOrganization(input.actor)) return { ok: false, reason: 'forbidden' };
  if (!(await placeFits(input.values))) return { ok: false, reason: 'placeInvalid' };
  const { values } = input;
  let id: string;
  try {
    const doc = await Organization.create({
      name: values.name,
      type: values.type,
      street: values.street,
      community: values.community,
      contact: { name: values.contactName, phone: values.contactPhone },
      createdBy: input.actor.id,
      stageHistory: [{ stage: 'idea', at: new Date(), by: input.actor.id }],
    });
    id = String(doc._id);
  } catch (error) {
    // One name per street: the unique index decides, also between two parallel creates.
    if (isDuplicate(error)) return { ok: false, reason: 'duplicateName' };
    throw error;
  }
  await audit({ actor: input.actor.id, action: 'organization.created', targetType: 'Organization', targetId: id, after: publicFields(values), ip: input.ip });
  return { ok: true, id };
}

export async function updateOrganization(input: {
  actor: Actor;
  organization: OrganizationView;
  implementsIn: readonly string[];
  values: OrganizationInput;
  ip?: string;
}): Promise<RegistryResult> {
  const { organization, values } = input;
  if (!mayManageOrganization(input.actor, organization, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  if (!(await placeFits(values))) return { ok: false, reason: 'placeInvalid' };
  const before = await Organization.findById(organization.id).select('name type street community +contact.name +contact.phone').lean();
  if (!before) return { ok: false, reason: 'notFound' };
  const set: Record<string, unknown> = { name: values.name, type: values.type, street: values.street, 'contact.name': values.contactName, 'contact.phone': values.contactPhone };
  const update = values.community ? { $set: { ...set, community: values.community } } : { $set: set, $unset: { community: 1 } };
  try {
    const result = await Organization.updateOne({ _id: organization.id }, update);
    if (result.matchedCount !== 1) return { ok: false, reason: 'notFound' };
  } catch (error) {
    if (isDuplicate(error)) return { ok: false, reason: 'duplicateName' };
    throw error;
  }
  const contactChanged = before.contact?.name !== values.contactName || before.contact?.phone !== values.contactPhone;
  await audit({
    actor: input.actor.id,
    action: 'organization.updated',
    targetType: 'Organization',
    targetId: organization.id,
    before: { name: before.name, type: before.type, street: before.street ? String(before.street) : null, community: before.community ? String(before.community) : null },
    after: { ...publicFields(values), ...(contactChanged ? { contactChanged: true } : {}) },
    ip: input.ip,
  });
  return { ok: true };
}

/**
 * Adds the account that holds (and proved) this phone number or e-mail address. Only someone
 * who may manage the organization gets here, so only they learn whether the number has an
 * account; their look-ups are counted all the same.
 */
export async function addMember(input: {
  actor: Actor;
  organization: OrganizationView;
  implementsIn: readonly string[];
  identifier: Identifier;
  role: OrganizationMemberRole;
  ip?: string;
  now?: Date;
}): Promise<RegistryResult> {
  if (!mayManageOrganization(input.actor, input.organization, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  const attempt = await consumeAttempt(`organization-member:${input.actor.id}`, MEMBER_LOOKUP_LIMIT, input.now);
  if (!attempt.allowed) return { ok: false, reason: 'tooManyLookups' };
  const holder = await holderOf(input.identifier);
  // An unproven number may be someone else's squat: it does not make anyone a member.
  if (!holder?.proven) return { ok: false, reason: 'noAccount' };
  const user = new Types.ObjectId(holder.id);
  // One write decides both limits, also under parallel adds: not yet a member, and room left.
  const result = await Organization.updateOne(
    { _id: input.organization.id, 'members.user': mongoose.trusted({ $ne: user }), [`members.${MAX_MEMBERS - 1}`]: mongoose.trusted({ $exists: false }) },
    { $push: { members: { user, role: input.role } } },
  );
  if (result.modifiedCount !== 1) {
    const current = await Organization.findById(input.organization.id).select('members.user').lean();
    if (!current) return { ok: false, reason: 'notFound' };
    return { ok: false, reason: current.members.some((m) => String(m.user) === holder.id) ? 'alreadyMember' : 'tooManyMembers' };
  }
  await audit({ actor: input.actor.id, action: 'organization.memberAdded', targetType: 'Organization', targetId: input.organization.id, after: { member: holder.id, role: input.role }, ip: input.ip });
  return { ok: true };
}

export async function removeMember(input: { actor: Actor; organization: OrganizationView; implementsIn: readonly string[]; userId: string; ip?: string }): Promise<RegistryResult> {
  if (!mayManageOrganization(input.actor, input.organization, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  if (!OBJECT_ID.test(input.userId)) return { ok: false, reason: 'memberNotFound' };
  const user = new Types.ObjectId(input.userId);
  const result = await Organization.updateOne({ _id: input.organization.id, 'members.user': user }, { $pull: { members: { user } } });
  if (result.modifiedCount !== 1) return { ok: false, reason: 'memberNotFound' };
  await audit({ actor: input.actor.id, action: 'organization.memberRemoved', targetType: 'Organization', targetId: input.organization.id, before: { member: input.userId }, ip: input.ip });
  return { ok: true };
}

/**
 * A member chooses whether the public profile shows their name. Only the member themselves:
 * the update's filter names them at the index it read (the stand-in database has no reliable
 * positional `$`), so a list changed meanwhile changes nothing and is read again.
 */
export async function setShowName(input: { userId: string; organizationId: string; show: boolean; ip?: string }): Promise<RegistryResult> {
  if (!OBJECT_ID.test(input.organizationId) || !OBJECT_ID.test(input.userId)) return { ok: false, reason: 'notFound' };
  const user = new Types.ObjectId(input.userId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const doc = await Organization.findById(input.organizationId).select('members.user members.showName').lean();
    if (!doc) return { ok: false, reason: 'notFound' };
    const index = doc.members.findIndex((m) => String(m.user) === input.userId);
    if (index < 0) return { ok: false, reason: 'memberNotFound' };
    if (Boolean(doc.members[index]!.showName) === input.show) return { ok: true };
    const result = await Organization.updateOne({ _id: doc._id, [`members.${index}.user`]: user }, { $set: { [`members.${index}.showName`]: input.show } });
    if (result.modifiedCount === 1) {
      await audit({ actor: input.userId, action: 'organization.memberNameShown', targetType: 'Organization', targetId: input.organizationId, after: { member: input.userId, showName: input.show }, ip: input.ip });
      return { ok: true };
    }
  }
  return { ok: false, reason: 'memberNotFound' };
}
