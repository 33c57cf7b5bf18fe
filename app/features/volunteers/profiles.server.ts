import { Types } from 'mongoose';
import { Community, VolunteerProfile } from '#models';
import type { ProfileInput } from './volunteers.schema.server';

/** A resident's volunteer profile: read, or written once and updated in place (unique per account). */
export async function getProfile(userId: string) {
  const doc = await VolunteerProfile.findOne({ user: new Types.ObjectId(userId) }).select('skills availability community contactConsent').lean();
  if (!doc) return null;
  return { skills: doc.skills, availability: doc.availability, communityId: String(doc.community), contactConsent: doc.contactConsent };
}

export async function saveProfile(userId: string, values: ProfileInput): Promise<{ ok: true; created: boolean } | { ok: false; reason: 'communityUnknown' }> {
  const community = await Community.findById(values.community).select('street').lean();
  if (!community) return { ok: false, reason: 'communityUnknown' };
  const result = await VolunteerProfile.updateOne(
    { user: new Types.ObjectId(userId) },
    { $set: { skills: values.skills, availability: values.availability, street: community.street, community: community._id, contactConsent: values.contactConsent } },
    { upsert: true },
  );
  return { ok: true, created: result.upsertedCount === 1 };
}
