import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, User, VolunteerActivity, VolunteerProfile, VolunteerSignup } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify } from '~/core/notifications.server';
import { isOrganiserMember, organisersOf } from './organisers.server';
import { fillSeats } from './signups.server';
import { ACTIVE_SIGNUPS, ACTIVITIES_PAGE_SIZE, MANAGE_PAGE_SIZE, type VolunteerSkill } from './rules';
import type { ActivityInput } from './volunteers.schema.server';

/**
 * Activities: published by a team, read by everyone (docs/decisions/030-volunteers.md). The
 * public sees an activity's details, how many seats are left and how long the waitlist is, never
 * who signed up; the team's page adds the names, the check-in QR and the service logs.
 */

const PUBLIC_FIELDS = 'number organiserName title description startsAt endsAt street community place slots skills status cancelReason';

export type CreateResult = { ok: true; number: number } | { ok: false; reason: 'notOrganiser' | 'communityUnknown' | 'inPast' };

export async function createActivity(input: { user: SessionUser; values: ActivityInput; ip?: string; now?: Date }): Promise<CreateResult> {
  const now = input.now ?? new Date();
  const { values } = input;
  const [kind, organiserId] = values.organiser.split(':') as ['project' | 'organization', string];
  const [organisers, community] = await Promise.all([organisersOf(input.user), Community.findById(values.community).select('street').lean()]);
  const organiser = organisers.find((o) => o.kind === kind && o.id === organiserId);
  if (!organiser) return { ok: false, reason: 'notOrganiser' };
  if (!community) return { ok: false, reason: 'communityUnknown' };
  if (values.endsAt.getTime() <= now.getTime()) return { ok: false, reason: 'inPast' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const last = await VolunteerActivity.findOne().sort({ number: -1 }).select('number').lean();
    const number = (last?.number ?? 0) + 1;
    try {
      const created = await VolunteerActivity.create({
        number,
        [kind]: new Types.ObjectId(organiserId),
        organiserName: organiser.name,
        title: values.title,
        description: values.description,
        startsAt: values.startsAt,
        endsAt: values.endsAt,
        street: community.street,
        community: community._id,
        place: values.place,
        slots: values.slots,
        skills: values.skills,
        checkInSecret: randomBytes(18).toString('base64url'),
        createdBy: new Types.ObjectId(input.user.id),
      });
      await audit({
        actor: input.user.id,
        action: 'volunteer.activityPublished',
        targetType: 'VolunteerActivity',
        targetId: String(created._id),
        after: { number, [kind]: organiserId, slots: values.slots, startsAt: values.startsAt.toISOString() },
        ip: input.ip,
      });
      return { ok: true, number };
    } catch (error) {
      // Another activity took this number at the same moment: the next one.
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
  }
  throw new Error('could not allocate an activity number');
}

export interface ActivityFilter {
  street?: string;
  skill?: VolunteerSkill;
  page: number;
}

/**
 * The public list: published activities that have not ended, soonest first, with the seats
 * taken and the waitlist's length (one aggregate over their sign-ups).
 */
export async function listActivities(filter: ActivityFilter, now = new Date()) {
  const query: Record<string, unknown> = { status: 'published', endsAt: mongoose.trusted({ $gte: now }) };
  if (filter.street && Types.ObjectId.isValid(filter.street)) query.street = new Types.ObjectId(filter.street);
  if (filter.skill) query.skills = filter.skill;
  const [docs, total] = await Promise.all([
    VolunteerActivity.find(query).select(PUBLIC_FIELDS).sort({ endsAt: 1, _id: 1 }).skip((filter.page - 1) * ACTIVITIES_PAGE_SIZE).limit(ACTIVITIES_PAGE_SIZE).lean(),
    VolunteerActivity.countDocuments(query),
  ]);
  const counts = await seatCounts(docs.map((d) => d._id));
  return {
    activities: docs.map((d) => publicView(d, counts.get(String(d._id)))),
    total,
    pages: Math.max(1, Math.ceil(total / ACTIVITIES_PAGE_SIZE)),
  };
}

interface Counts {
  confirmed: number;
  waitlisted: number;
}

async function seatCounts(ids: Types.ObjectId[]): Promise<Map<string, Counts>> {
  if (!ids.length) return new Map();
  const rows = await VolunteerSignup.aggregate<{ _id: { activity: Types.ObjectId; status: string }; count: number }>([
    { $match: { activity: { $in: ids }, status: { $in: ['confirmed', 'waitlisted'] } } },
    { $group: { _id: { activity: '$activity', status: '$status' }, count: { $sum: 1 } } },
  ]);
  const counts = new Map<string, Counts>();
  for (const row of rows) {
    const key = String(row._id.activity);
    const entry = counts.get(key) ?? { confirmed: 0, waitlisted: 0 };
    if (row._id.status === 'confirmed') entry.confirmed = row.count;
    else entry.waitlisted = row.count;
    counts.set(key, entry);
  }
  return counts;
}

type PublicDoc = {
  _id: Types.ObjectId;
  number: number;
  organiserName: string;
  title: string;
  description?: string | null;
  startsAt: Date;
  endsAt: Date;
  street: Types.ObjectId;
  community: Types.ObjectId;
  place: string;
  slots: number;
  skills: string[];
  status: string;
  cancelReason?: string | null;
};

function publicView(d: PublicDoc, counts: Counts | undefined) {
  const confirmed = counts?.confirmed ?? 0;
  return {
    number: d.number,
    organiserName: d.organiserName,
    title: d.title,
    description: d.description ?? '',
    startsAt: d.startsAt.toISOString(),
    endsAt: d.endsAt.toISOString(),
    streetId: String(d.street),
    communityId: String(d.community),
    place: d.place,
    slots: d.slots,
    confirmed,
    left: Math.max(0, d.slots - confirmed),
    waitlisted: counts?.waitlisted ?? 0,
    skills: d.skills as VolunteerSkill[],
    status: d.status as 'published' | 'cancelled',
    cancelReason: d.cancelReason ?? '',
  };
}
export type ActivityView = ReturnType<typeof publicView>;

/**
 * An activity's public page and, for a signed-in viewer, their own sign-up and whether they may
 * manage it: three round trips (the activity; its counts, the viewer's sign-up, profile and team
 * membership in parallel; the waitlist position when waiting).
 */
export async function getActivity(number: number, viewer: SessionUser | null) {
  const doc = await VolunteerActivity.findOne({ number }).select(`${PUBLIC_FIELDS} project organization`).lean();
  if (!doc) return null;
  const viewerId = viewer ? new Types.ObjectId(viewer.id) : null;
  const [counts, mine, hasProfile, manages] = await Promise.all([
    seatCounts([doc._id]),
    viewerId ? VolunteerSignup.findOne({ activity: doc._id, volunteer: viewerId }).select('status signedUpAt checkedInAt').lean() : null,
    viewerId ? VolunteerProfile.exists({ user: viewerId }) : null,
    viewer ? isOrganiserMember(doc, viewer.id) : false,
  ]);
  const position =
    mine?.status === 'waitlisted'
      ? (await VolunteerSignup.countDocuments({ activity: doc._id, status: 'waitlisted', signedUpAt: mongoose.trusted({ $lt: mine.signedUpAt }) })) + 1
      : null;
  return {
    activity: publicView(doc, counts.get(String(doc._id))),
    mine: mine ? { status: mine.status, checkedIn: Boolean(mine.checkedInAt), position } : null,
    hasProfile: Boolean(hasProfile),
    manages,
  };
}

/** The activity with its check-in secret, for a member of its team only (anyone else: null, shown as 404). */
export async function findManagedActivity(user: SessionUser, number: number) {
  const doc = await VolunteerActivity.findOne({ number }).select(`+checkInSecret ${PUBLIC_FIELDS} project organization`).lean();
  if (!doc || !(await isOrganiserMember(doc, user.id))) return null;
  return doc;
}
export type ManagedActivity = NonNullable<Awaited<ReturnType<typeof findManagedActivity>>>;

/** The team's list: confirmed first (by seat time), then the waitlist in order; names, and phones only with consent. */
export async function listSignups(activity: ManagedActivity, page: number) {
  const filter = { activity: activity._id, status: mongoose.trusted({ $in: [...ACTIVE_SIGNUPS] }) };
  const [docs, total] = await Promise.all([
    VolunteerSignup.find(filter).select('volunteer status signedUpAt checkedInAt').sort({ status: 1, signedUpAt: 1, _id: 1 }).skip((page - 1) * MANAGE_PAGE_SIZE).limit(MANAGE_PAGE_SIZE).lean(),
    VolunteerSignup.countDocuments(filter),
  ]);
  const ids = docs.map((d) => d.volunteer);
  const [users, profiles] = await Promise.all([
    ids.length ? User.find({ _id: mongoose.trusted({ $in: ids }) }).select('name phone').lean() : [],
    ids.length ? VolunteerProfile.find({ user: mongoose.trusted({ $in: ids }) }).select('user contactConsent skills').lean() : [],
  ]);
  const names = new Map(users.map((u) => [String(u._id), u]));
  const consent = new Map(profiles.map((p) => [String(p.user), p]));
  return {
    signups: docs.map((d) => {
      const user = names.get(String(d.volunteer));
      const profile = consent.get(String(d.volunteer));
      return {
        id: String(d._id),
        volunteerId: String(d.volunteer),
        name: user?.name ?? '',
        phone: profile?.contactConsent ? (user?.phone ?? '') : '',
        skills: (profile?.skills ?? []),
        status: d.status as 'confirmed' | 'waitlisted',
        checkedInAt: d.checkedInAt?.toISOString() ?? null,
      };
    }),
    total,
    pages: Math.max(1, Math.ceil(total / MANAGE_PAGE_SIZE)),
  };
}

export type SlotsRefusal = 'belowConfirmed' | 'cancelled';

/**
 * The team changes the number of slots. More slots seat the first waiting at once. Fewer are
 * refused below the highest seat held (seats are not moved; whoever holds one keeps it): the
 * update names the slots it read, and seats taken meanwhile above the new number put it back.
 */
export async function setSlots(input: { activity: ManagedActivity; slots: number; actorId: string; ip?: string; now?: Date }): Promise<{ ok: true } | { ok: false; reason: SlotsRefusal; min?: number }> {
  const { activity } = input;
  if (activity.status !== 'published') return { ok: false, reason: 'cancelled' };
  const highest = async () => {
    const seats = await VolunteerSignup.find({ activity: activity._id, status: 'confirmed' }).select('seatKey').lean();
    return Math.max(0, ...seats.map((s) => Number(String(s.seatKey).split(':')[1]) + 1));
  };
  const needed = await highest();
  if (input.slots < needed) return { ok: false, reason: 'belowConfirmed', min: needed };
  const result = await VolunteerActivity.updateOne({ _id: activity._id, status: 'published', slots: activity.slots }, { $set: { slots: input.slots } });
  if (result.modifiedCount !== 1) return { ok: false, reason: 'cancelled' };
  if (input.slots < activity.slots) {
    // A sign-up seated between the read and the update may hold a seat past the new number.
    const after = await highest();
    if (after > input.slots) {
      await VolunteerActivity.updateOne({ _id: activity._id, slots: input.slots }, { $set: { slots: after } });
      return { ok: false, reason: 'belowConfirmed', min: after };
    }
  }
  await audit({
    actor: input.actorId,
    action: 'volunteer.slotsChanged',
    targetType: 'VolunteerActivity',
    targetId: String(activity._id),
    before: { slots: activity.slots },
    after: { slots: input.slots, number: activity.number },
    ip: input.ip,
  });
  if (input.slots > activity.slots) {
    const seated = await fillSeats({ _id: activity._id, number: activity.number, slots: input.slots }, input.now);
    if (seated.length) await notify(seated, { type: 'volunteerPromoted', competitionSlug: '', actorId: input.actorId, data: { activityNumber: activity.number } });
  }
  return { ok: true };
}

/**
 * The team cancels the activity (irreversible; a reason is given and shown on its page). Everyone
 * signed up or waiting is told. Logged service stays: hours served before a cancellation count.
 */
export async function cancelActivity(input: { activity: ManagedActivity; reason: string; actorId: string; ip?: string; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  const { activity } = input;
  const result = await VolunteerActivity.updateOne(
    { _id: activity._id, status: 'published' },
    { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: new Types.ObjectId(input.actorId), cancelReason: input.reason } },
  );
  if (result.modifiedCount !== 1) return false;
  await audit({
    actor: input.actorId,
    action: 'volunteer.activityCancelled',
    targetType: 'VolunteerActivity',
    targetId: String(activity._id),
    before: { status: 'published' },
    after: { status: 'cancelled', number: activity.number },
    reason: input.reason,
    ip: input.ip,
  });
  const told = await VolunteerSignup.find({ activity: activity._id, status: mongoose.trusted({ $in: [...ACTIVE_SIGNUPS] }) }).select('volunteer').lean();
  await notify(told.map((s) => String(s.volunteer)), { type: 'volunteerActivityCancelled', competitionSlug: '', actorId: input.actorId, data: { activityNumber: activity.number } });
  return true;
}

/** The activities a team member organises, newest first (their "manage" list on "my volunteering"). */
export async function listOrganisedActivities(user: SessionUser) {
  const organisers = await organisersOf(user);
  const projects = organisers.filter((o) => o.kind === 'project').map((o) => new Types.ObjectId(o.id));
  const organizations = organisers.filter((o) => o.kind === 'organization').map((o) => new Types.ObjectId(o.id));
  if (!organisers.length) return { organisers, activities: [] };
  const [byProject, byOrganization] = await Promise.all([
    projects.length ? VolunteerActivity.find({ project: mongoose.trusted({ $in: projects }) }).select('number title startsAt status').sort({ startsAt: -1 }).limit(20).lean() : [],
    organizations.length ? VolunteerActivity.find({ organization: mongoose.trusted({ $in: organizations }) }).select('number title startsAt status').sort({ startsAt: -1 }).limit(20).lean() : [],
  ]);
  const activities = [...byProject, ...byOrganization]
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime())
    .slice(0, 20)
    .map((a) => ({ number: a.number, title: a.title, startsAt: a.startsAt.toISOString(), status: a.status }));
  return { organisers, activities };
}
