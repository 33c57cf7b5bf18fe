import type { IncubationStage } from '~/features/organizations/organizations';

/**
 * Volunteers (issue 17; docs/decisions/030-volunteers.md): pure rules shared by the models, the
 * services and the pages. Hours are integer minutes; instants are UTC, days are Shanghai days.
 */

/** Skills a volunteer offers and an activity asks for: a fixed list, so filters and totals agree. */
export const VOLUNTEER_SKILLS = ['companionship', 'elderlyCare', 'tutoring', 'repairs', 'medical', 'psychological', 'cleaning', 'events', 'photography', 'driving', 'digital', 'other'] as const;
export type VolunteerSkill = (typeof VOLUNTEER_SKILLS)[number];

export const AVAILABILITY = ['weekdayDay', 'weekdayEvening', 'weekend'] as const;
export type Availability = (typeof AVAILABILITY)[number];

/** Organizations whose members may publish activities: filed (备案), registered (登记) or independent. */
export const CERTIFIED_STAGES = ['filed', 'registered', 'independent'] as const satisfies readonly IncubationStage[];

export const ACTIVITY_STATUSES = ['published', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const SIGNUP_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

/** Sign-ups that hold a seat or a place in the queue. */
export const ACTIVE_SIGNUPS: SignupStatus[] = ['confirmed', 'waitlisted'];

export const ACTIVITY_TITLE_MAX = 60;
export const ACTIVITY_DESCRIPTION_MAX = 2000;
export const PLACE_MAX = 80;
export const NOTES_MAX = 500;
export const CANCEL_REASON_MAX = 300;
export const SLOTS_MIN = 1;
export const SLOTS_MAX = 200;
export const PEOPLE_SERVED_MAX = 1000;
/** One log is one volunteer's service on one day of one activity: at most a whole day. */
export const LOG_MINUTES_MAX = 24 * 60;
/** Hours are typed in quarter hours. */
export const LOG_MINUTES_STEP = 15;
/** An activity lasts at most a week (a camp); longer work is several activities. */
export const ACTIVITY_LENGTH_MAX_MS = 7 * 24 * 3_600_000;

export const ACTIVITIES_PAGE_SIZE = 10;
export const MANAGE_PAGE_SIZE = 50;
export const LOGS_PAGE_SIZE = 20;

/** The QR check-in opens an hour before the start and closes at the end. */
export const CHECK_IN_EARLY_MS = 3_600_000;
/** The team may still tick someone off for a day after the end (a paper list typed in later). */
export const TEAM_CHECK_IN_LATE_MS = 24 * 3_600_000;

export function isSkill(value: unknown): value is VolunteerSkill {
  return typeof value === 'string' && (VOLUNTEER_SKILLS as readonly string[]).includes(value);
}

export function isAvailability(value: unknown): value is Availability {
  return typeof value === 'string' && (AVAILABILITY as readonly string[]).includes(value);
}

interface Window {
  startsAt: Date;
  endsAt: Date;
}

/** Whether a volunteer's own QR check-in is open at `now`. */
export function checkInOpen(activity: Window, now: Date): boolean {
  return now.getTime() >= activity.startsAt.getTime() - CHECK_IN_EARLY_MS && now.getTime() <= activity.endsAt.getTime();
}

/** Whether the team may tick a volunteer off at `now`. */
export function teamCheckInOpen(activity: Window, now: Date): boolean {
  return now.getTime() >= activity.startsAt.getTime() - CHECK_IN_EARLY_MS && now.getTime() <= activity.endsAt.getTime() + TEAM_CHECK_IN_LATE_MS;
}

/** Sign-ups (and cancellations) are taken until the activity starts. */
export function signupOpen(activity: Window & { status: string }, now: Date): boolean {
  return activity.status === 'published' && now.getTime() < activity.startsAt.getTime();
}

export type LogRefusal = 'dateBeforeActivity' | 'dateAfterActivity' | 'dateInFuture';

/**
 * A service day must lie within the activity's days (Shanghai) and not after today. Days are
 * yyyy-mm-dd strings, compared as text.
 */
export function logDayRefusal(day: string, activity: { startDay: string; endDay: string }, today: string): LogRefusal | null {
  if (day > today) return 'dateInFuture';
  if (day < activity.startDay) return 'dateBeforeActivity';
  if (day > activity.endDay) return 'dateAfterActivity';
  return null;
}

/** Hours typed as "2", "2.5" or "1.25" into minutes, on the quarter hour, or null. */
export function hoursToMinutes(text: string): number | null {
  const cleaned = text.trim().replace(',', '.');
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(cleaned)) return null;
  const minutes = Math.round(Number(cleaned) * 60);
  if (minutes <= 0 || minutes > LOG_MINUTES_MAX || minutes % LOG_MINUTES_STEP !== 0) return null;
  return minutes;
}

/** Minutes as hours with at most two decimals (what a certificate and a total show). */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** What the public verification page shows of a name: its first character and two stars. */
export function maskedName(name: string): string {
  const first = Array.from(name.trim())[0] ?? '';
  return `${first}**`;
}

/** Certificate codes: 16 characters of an alphabet without look-alikes, shown in groups of four. */
export const CERTIFICATE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CERTIFICATE_CODE_LENGTH = 16;
export const CERTIFICATE_CODE_PATTERN = /^[A-HJ-NP-Z2-9]{16}$/;

/** A typed or scanned code in its stored form (upper case, no dashes or spaces), or null. */
export function normalizeCertificateCode(raw: string): string | null {
  const code = raw.replace(/[\s-]/g, '').toUpperCase();
  return CERTIFICATE_CODE_PATTERN.test(code) ? code : null;
}

export function formatCertificateCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** The waitlist position (1-based) of a sign-up among those waiting, by the time they signed up. */
export function waitlistPosition(waiting: { id: string; at: Date }[], id: string): number | null {
  const sorted = [...waiting].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  const index = sorted.findIndex((w) => w.id === id);
  return index < 0 ? null : index + 1;
}
