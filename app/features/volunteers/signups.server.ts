import { timingSafeEqual } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { VolunteerActivity, VolunteerProfile, VolunteerSignup } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify } from '~/core/notifications.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { checkInOpen, signupOpen, teamCheckInOpen } from './rules';

/**
 * Sign-ups, the waitlist and check-in (docs/decisions/030-volunteers.md). Without transactions
 * the seats are the invariant: a confirmed sign-up holds `seatKey` "<activity>:<n>" for one n in
 * 0..slots-1 under a unique index, so no two sign-ups hold one seat and an activity is never
 * overbooked, whatever runs at once. Every sign-up first joins the waitlist, then `fillSeats`
 * gives the free seats to the earliest waiting: the same code seats a newcomer, promotes the
 * first waiting after a cancellation, and fills new slots.
 */

/** Sign-ups and cancellations one person may make in an hour: enough to change one's mind, too few to churn a waitlist. */
export const SIGNUPS_PER_HOUR: Limit = { max: 20, windowMs: 60 * 60 * 1000 };

const seatKey = (activityId: string, seat: number) => `${activityId}:${seat}`;

interface SeatedActivity {
  _id: Types.ObjectId;
  number: number;
  slots: number;
}

/**
 * Gives the activity's free seats to the earliest waiting sign-ups, in order. A parallel fill
 * taking the same seat makes the update fail on the unique index (read again and retry); one
 * seating the same person makes it match nothing (read again). Returns who was seated here.
 */
export async function fillSeats(activity: SeatedActivity, now = new Date()): Promise<string[]> {
  const seated: string[] = [];
  const id = String(activity._id);
  for (let round = 0; round < activity.slots * 3 + 10; round++) {
    const [confirmed, waiting] = await Promise.all([
      VolunteerSignup.find({ activity: activity._id, status: 'confirmed' }).select('seatKey').lean(),
      VolunteerSignup.find({ activity: activity._id, status: 'waitlisted' }).sort({ signedUpAt: 1, _id: 1 }).limit(activity.slots).select('_id volunteer').lean(),
    ]);
    const taken = new Set(confirmed.map((s) => s.seatKey));
    const free = Array.from({ length: activity.slots }, (_, seat) => seatKey(id, seat)).filter((key) => !taken.has(key));
    if (free.length === 0 || waiting.length === 0) break;
    for (let i = 0; i < Math.min(free.length, waiting.length); i++) {
      const signup = waiting[i]!;
      try {
        const result = await VolunteerSignup.updateOne({ _id: signup._id, status: 'waitlisted' }, { $set: { status: 'confirmed', seatKey: free[i], confirmedAt: now } });
        if (result.modifiedCount === 1) seated.push(String(signup.volunteer));
      } catch (error) {
        // A parallel fill took this seat a moment ago: read the seats again.
        if (isDuplicateKeyError(error)) break;
        throw error;
      }
    }
  }
  return seated;
}

async function tellPromoted(activity: SeatedActivity, volunteerIds: string[], actorId: string | null): Promise<void> {
  if (volunteerIds.length === 0) return;
  await notify(volunteerIds, { type: 'volunteerPromoted', competitionSlug: '', actorId, data: { activityNumber: activity.number } });
}

export type SignupRefusal = 'notFound' | 'closed' | 'already' | 'noProfile' | 'tooManyAttempts';
export type SignupResult = { ok: true; status: 'confirmed' | 'waitlisted'; position: number | null } | { ok: false; reason: SignupRefusal };

/** The place of a waiting sign-up in the queue (1 for the next to be seated). */
async function positionOf(activityId: Types.ObjectId, signedUpAt: Date): Promise<number> {
  return (await VolunteerSignup.countDocuments({ activity: activityId, status: 'waitlisted', signedUpAt: mongoose.trusted({ $lt: signedUpAt }) })) + 1;
}

/**
 * Signs a volunteer (with a profile) up for a published activity that has not started: seated
 * when a seat is free and nobody waits before them, else on the waitlist. Once per activity
 * (unique {activity, volunteer}); a cancelled sign-up may sign up again, at the back of the queue.
 */
export async function signUp(input: { volunteerId: string; number: number; now?: Date }): Promise<SignupResult> {
  const now = input.now ?? new Date();
  const volunteer = new Types.ObjectId(input.volunteerId);
  const [activity, profile] = await Promise.all([
    VolunteerActivity.findOne({ number: input.number }).select('_id number status startsAt endsAt slots').lean(),
    VolunteerProfile.exists({ user: volunteer }),
  ]);
  if (!activity) return { ok: false, reason: 'notFound' };
  if (!signupOpen(activity, now)) return { ok: false, reason: 'closed' };
  if (!profile) return { ok: false, reason: 'noProfile' };
  if (!(await consumeAttempt(`volunteer-signup:${input.volunteerId}`, SIGNUPS_PER_HOUR, now)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  try {
    await VolunteerSignup.create({ activity: activity._id, volunteer, status: 'waitlisted', signedUpAt: now });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const again = await VolunteerSignup.updateOne(
      { activity: activity._id, volunteer, status: 'cancelled' },
      { $set: { status: 'waitlisted', signedUpAt: now }, $unset: { cancelledAt: 1, confirmedAt: 1 } },
    );
    if (again.modifiedCount !== 1) return { ok: false, reason: 'already' };
  }
  const seated = await fillSeats(activity, now);
  await tellPromoted(activity, seated.filter((id) => id !== input.volunteerId), null);
  const mine = await VolunteerSignup.findOne({ activity: activity._id, volunteer }).select('status signedUpAt').lean();
  if (mine?.status === 'confirmed') return { ok: true, status: 'confirmed', position: null };
  return { ok: true, status: 'waitlisted', position: mine ? await positionOf(activity._id, mine.signedUpAt) : null };
}

export type CancelRefusal = 'notFound' | 'notSignedUp' | 'checkedIn' | 'tooManyAttempts';

/**
 * The volunteer cancels (before the end; not once checked in). A seat given back goes to the
 * first waiting, who is told. One conditional update on the status read, so a parallel cancel or
 * promotion cannot be undone by a stale read.
 */
export async function cancelSignup(input: { volunteerId: string; number: number; now?: Date }): Promise<{ ok: true } | { ok: false; reason: CancelRefusal }> {
  const now = input.now ?? new Date();
  const volunteer = new Types.ObjectId(input.volunteerId);
  const activity = await VolunteerActivity.findOne({ number: input.number }).select('_id number status startsAt endsAt slots').lean();
  if (!activity) return { ok: false, reason: 'notFound' };
  const signup = await VolunteerSignup.findOne({ activity: activity._id, volunteer }).select('status checkedInAt').lean();
  if (!signup || signup.status === 'cancelled' || now.getTime() > activity.endsAt.getTime()) return { ok: false, reason: 'notSignedUp' };
  if (signup.checkedInAt) return { ok: false, reason: 'checkedIn' };
  if (!(await consumeAttempt(`volunteer-signup:${input.volunteerId}`, SIGNUPS_PER_HOUR, now)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  const result = await VolunteerSignup.updateOne(
    { _id: signup._id, status: signup.status, checkedInAt: null },
    { $set: { status: 'cancelled', cancelledAt: now }, $unset: { seatKey: 1 } },
  );
  if (result.modifiedCount !== 1) return { ok: false, reason: 'notSignedUp' };
  if (signup.status === 'confirmed' && signupOpen(activity, now)) await tellPromoted(activity, await fillSeats(activity, now), input.volunteerId);
  return { ok: true };
}

export type CheckInRefusal = 'notFound' | 'badCode' | 'cancelled' | 'outsideWindow' | 'notConfirmed';
export type CheckInResult = { ok: true; already: boolean } | { ok: false; reason: CheckInRefusal };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The activity a check-in code opens, or why not (a wrong code is "not found" to whoever has one). */
export async function activityForCode(number: number, secret: string) {
  const activity = await VolunteerActivity.findOne({ number }).select('+checkInSecret _id number title status startsAt endsAt').lean();
  if (!activity || !sameSecret(activity.checkInSecret, secret)) return null;
  return activity;
}

/** A confirmed volunteer checks themselves in with the activity's QR code, within its window. */
export async function checkInWithCode(input: { volunteerId: string; number: number; secret: string; now?: Date }): Promise<CheckInResult> {
  const now = input.now ?? new Date();
  const activity = await activityForCode(input.number, input.secret);
  if (!activity) return { ok: false, reason: 'badCode' };
  if (activity.status !== 'published') return { ok: false, reason: 'cancelled' };
  if (!checkInOpen(activity, now)) return { ok: false, reason: 'outsideWindow' };
  const volunteer = new Types.ObjectId(input.volunteerId);
  const result = await VolunteerSignup.updateOne({ activity: activity._id, volunteer, status: 'confirmed', checkedInAt: null }, { $set: { checkedInAt: now, checkedInBy: volunteer } });
  if (result.modifiedCount === 1) return { ok: true, already: false };
  const signup = await VolunteerSignup.findOne({ activity: activity._id, volunteer }).select('status checkedInAt').lean();
  if (signup?.status === 'confirmed' && signup.checkedInAt) return { ok: true, already: true };
  return { ok: false, reason: 'notConfirmed' };
}

/**
 * The team ticks a confirmed volunteer off (someone without a phone, or a paper list), from an
 * hour before the start until a day after the end; audited. The caller has checked the team.
 */
export async function tickCheckIn(input: {
  activity: { _id: Types.ObjectId; number: number; status: string; startsAt: Date; endsAt: Date };
  signupId: string;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; reason: 'cancelled' | 'outsideWindow' | 'notConfirmed' }> {
  const now = input.now ?? new Date();
  if (input.activity.status !== 'published') return { ok: false, reason: 'cancelled' };
  if (!teamCheckInOpen(input.activity, now)) return { ok: false, reason: 'outsideWindow' };
  if (!Types.ObjectId.isValid(input.signupId)) return { ok: false, reason: 'notConfirmed' };
  const result = await VolunteerSignup.updateOne(
    { _id: new Types.ObjectId(input.signupId), activity: input.activity._id, status: 'confirmed', checkedInAt: null },
    { $set: { checkedInAt: now, checkedInBy: new Types.ObjectId(input.actorId) } },
  );
  if (result.modifiedCount !== 1) return { ok: false, reason: 'notConfirmed' };
  await audit({
    actor: input.actorId,
    action: 'volunteer.checkedIn',
    targetType: 'VolunteerSignup',
    targetId: input.signupId,
    after: { activityNumber: input.activity.number },
    ip: input.ip,
  });
  return { ok: true };
}
