import mongoose, { Types } from 'mongoose';
import { Organization, Project, ServiceLog, Street, VolunteerActivity, VolunteerSignup } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { shanghaiDay } from '~/utils/dates';
import type { ManagedActivity } from './activities.server';
import { logDayRefusal, LOGS_PAGE_SIZE, type LogRefusal } from './rules';

/**
 * Service logs and the totals drawn from them (docs/decisions/030-volunteers.md). Only an
 * activity's team logs, and only for a volunteer it checked in; one log per volunteer, activity
 * and Shanghai day (a unique index). A person-time (人次) is one log.
 */

export type LogResult = { ok: true } | { ok: false; reason: LogRefusal | 'notCheckedIn' | 'alreadyLogged' };

export async function logService(input: {
  activity: ManagedActivity;
  signupId: string;
  day: string;
  minutes: number;
  peopleServed: number;
  notes: string;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<LogResult> {
  const now = input.now ?? new Date();
  const { activity } = input;
  const refusal = logDayRefusal(input.day, { startDay: shanghaiDay(activity.startsAt), endDay: shanghaiDay(activity.endsAt) }, shanghaiDay(now));
  if (refusal) return { ok: false, reason: refusal };
  const signup = await VolunteerSignup.findOne({ _id: new Types.ObjectId(input.signupId), activity: activity._id, status: 'confirmed' }).select('volunteer checkedInAt').lean();
  if (!signup?.checkedInAt) return { ok: false, reason: 'notCheckedIn' };
  try {
    const log = await ServiceLog.create({
      volunteer: signup.volunteer,
      activity: activity._id,
      project: activity.project ?? undefined,
      organization: activity.organization ?? undefined,
      street: activity.street,
      day: input.day,
      minutes: input.minutes,
      peopleServed: input.peopleServed,
      notes: input.notes,
      loggedBy: new Types.ObjectId(input.actorId),
    });
    await audit({
      actor: input.actorId,
      action: 'volunteer.serviceLogged',
      targetType: 'ServiceLog',
      targetId: String(log._id),
      after: { activityNumber: activity.number, volunteer: String(signup.volunteer), day: input.day, minutes: input.minutes, peopleServed: input.peopleServed },
      ip: input.ip,
    });
    return { ok: true };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'alreadyLogged' };
    throw error;
  }
}

/** The logs of one activity for its team, newest first, keyed by sign-up's volunteer. */
export async function activityLogs(activityId: Types.ObjectId) {
  const docs = await ServiceLog.find({ activity: activityId }).select('volunteer day minutes peopleServed').sort({ day: -1 }).limit(500).lean();
  return docs.map((d) => ({ volunteerId: String(d.volunteer), day: d.day, minutes: d.minutes, peopleServed: d.peopleServed }));
}

export interface HourTotals {
  minutes: number;
  personTimes: number;
  activities: number;
  peopleServed: number;
  firstDay: string | null;
  lastDay: string | null;
}

/** One volunteer's totals over all their logs (one aggregate). */
export async function totalsOf(volunteerId: string): Promise<HourTotals> {
  const [row] = await ServiceLog.aggregate<{ minutes: number; personTimes: number; activities: Types.ObjectId[]; peopleServed: number; firstDay: string; lastDay: string }>([
    { $match: { volunteer: new Types.ObjectId(volunteerId) } },
    { $group: { _id: null, minutes: { $sum: '$minutes' }, personTimes: { $sum: 1 }, activities: { $addToSet: '$activity' }, peopleServed: { $sum: '$peopleServed' }, firstDay: { $min: '$day' }, lastDay: { $max: '$day' } } },
  ]);
  if (!row) return { minutes: 0, personTimes: 0, activities: 0, peopleServed: 0, firstDay: null, lastDay: null };
  return { minutes: row.minutes, personTimes: row.personTimes, activities: row.activities.length, peopleServed: row.peopleServed, firstDay: row.firstDay, lastDay: row.lastDay };
}

/** "My volunteering": the volunteer's logs, a page at a time, with each activity's title. */
export async function myLogs(volunteerId: string, page: number) {
  const filter = { volunteer: new Types.ObjectId(volunteerId) };
  const [docs, total] = await Promise.all([
    ServiceLog.find(filter).select('activity day minutes peopleServed notes').sort({ day: -1 }).skip((page - 1) * LOGS_PAGE_SIZE).limit(LOGS_PAGE_SIZE).lean(),
    ServiceLog.countDocuments(filter),
  ]);
  return { docs, total, pages: Math.max(1, Math.ceil(total / LOGS_PAGE_SIZE)) };
}

/** The volunteer's sign-ups that are still to come or under way, with their activities. */
export async function mySignups(volunteerId: string, now = new Date()) {
  const signups = await VolunteerSignup.find({ volunteer: new Types.ObjectId(volunteerId) }).select('activity status checkedInAt signedUpAt').sort({ signedUpAt: -1 }).limit(30).lean();
  return { signups, activityIds: signups.map((s) => s.activity), now };
}

/** Activities by id, for the lists on "my volunteering" (one query for both lists). */
export async function activitiesById(ids: Types.ObjectId[]) {
  if (!ids.length) return new Map<string, { number: number; title: string; startsAt: Date; endsAt: Date; status: string; place: string }>();
  const docs = await VolunteerActivity.find({ _id: mongoose.trusted({ $in: ids }) }).select('number title startsAt endsAt status place').lean();
  return new Map(docs.map((d) => [String(d._id), d]));
}

export interface TotalsRow {
  id: string;
  name: string;
  minutes: number;
  personTimes: number;
  volunteers: number;
}

/**
 * The public totals: per street, per project and per organization (aggregates only, no person),
 * in one aggregate with three facets, then the names in parallel.
 */
export async function publicTotals() {
  const group = (key: string) => [
    { $match: { [key]: { $ne: null } } },
    { $group: { _id: `$${key}`, minutes: { $sum: '$minutes' }, personTimes: { $sum: 1 }, people: { $addToSet: '$volunteer' } } },
    { $project: { minutes: 1, personTimes: 1, volunteers: { $size: '$people' } } },
    { $sort: { minutes: -1 as const, _id: 1 as const } },
    { $limit: 50 },
  ];
  const [facets] = await ServiceLog.aggregate<{
    all: { minutes: number; personTimes: number; volunteers: number }[];
    streets: { _id: Types.ObjectId; minutes: number; personTimes: number; volunteers: number }[];
    projects: { _id: Types.ObjectId; minutes: number; personTimes: number; volunteers: number }[];
    organizations: { _id: Types.ObjectId; minutes: number; personTimes: number; volunteers: number }[];
  }>([
    { $project: { volunteer: 1, street: 1, project: { $ifNull: ['$project', null] }, organization: { $ifNull: ['$organization', null] }, minutes: 1 } },
    {
      $facet: {
        all: [{ $group: { _id: null, minutes: { $sum: '$minutes' }, personTimes: { $sum: 1 }, people: { $addToSet: '$volunteer' } } }, { $project: { minutes: 1, personTimes: 1, volunteers: { $size: '$people' } } }],
        streets: group('street'),
        projects: group('project'),
        organizations: group('organization'),
      },
    },
  ]);
  const f = facets ?? { all: [], streets: [], projects: [], organizations: [] };
  const [streets, projects, organizations] = await Promise.all([
    Street.find().select('name order').sort({ order: 1 }).lean(),
    f.projects.length ? Project.find({ _id: mongoose.trusted({ $in: f.projects.map((p) => p._id) }) }).select('title').lean() : [],
    f.organizations.length ? Organization.find({ _id: mongoose.trusted({ $in: f.organizations.map((o) => o._id) }) }).select('name').lean() : [],
  ]);
  const byStreet = new Map(f.streets.map((s) => [String(s._id), s]));
  const projectNames = new Map(projects.map((p) => [String(p._id), p.title]));
  const organizationNames = new Map(organizations.map((o) => [String(o._id), o.name]));
  const row = (r: { _id: Types.ObjectId; minutes: number; personTimes: number; volunteers: number }, name: string): TotalsRow => ({ id: String(r._id), name, minutes: r.minutes, personTimes: r.personTimes, volunteers: r.volunteers });
  return {
    all: f.all[0] ?? { minutes: 0, personTimes: 0, volunteers: 0 },
    streets: streets.map((s) => ({ id: String(s._id), name: s.name, minutes: byStreet.get(String(s._id))?.minutes ?? 0, personTimes: byStreet.get(String(s._id))?.personTimes ?? 0, volunteers: byStreet.get(String(s._id))?.volunteers ?? 0 })),
    projects: f.projects.map((p) => row(p, projectNames.get(String(p._id)) ?? '')),
    organizations: f.organizations.map((o) => row(o, organizationNames.get(String(o._id)) ?? '')),
  };
}
