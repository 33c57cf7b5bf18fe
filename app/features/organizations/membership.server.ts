import mongoose, { Types } from 'mongoose';
import { Organization } from '#models';

/**
 * Who belongs to which organization, for features that must know (a judge who is a member of a
 * proposal's organization is recused: decision 025). Ids only; one query whatever the number.
 */

/** For each of these organizations, the ids of its members. Unknown ids are left out. */
export async function membersOf(organizationIds: readonly (string | Types.ObjectId)[]): Promise<Map<string, Set<string>>> {
  const ids = [...new Set(organizationIds.map(String))].filter((id) => Types.ObjectId.isValid(id));
  if (!ids.length) return new Map();
  const docs = await Organization.find({ _id: mongoose.trusted({ $in: ids }) }).select('members.user').lean();
  return new Map(docs.map((d) => [String(d._id), new Set(d.members.map((m) => String(m.user)))]));
}

/** The organizations one person is a member of. */
export async function organizationsOfMember(userId: string): Promise<Set<string>> {
  if (!Types.ObjectId.isValid(userId)) return new Set();
  const docs = await Organization.find({ 'members.user': new Types.ObjectId(userId) }).select('_id').limit(200).lean();
  return new Set(docs.map((d) => String(d._id)));
}

/** Whether this person is a member of this organization (one indexed look-up). */
export async function isMemberOf(organizationId: string | Types.ObjectId | null | undefined, userId: string): Promise<boolean> {
  if (!organizationId || !Types.ObjectId.isValid(String(organizationId)) || !Types.ObjectId.isValid(userId)) return false;
  return Boolean(await Organization.exists({ _id: organizationId, 'members.user': new Types.ObjectId(userId) }));
}

/** The registry name of an organization, or null when there is none by this id (a proposal's pick). */
export async function registryName(organizationId: string): Promise<string | null> {
  if (!Types.ObjectId.isValid(organizationId)) return null;
  const doc = await Organization.findById(organizationId).select('name').lean();
  return doc?.name ?? null;
}
