import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Notification, Organization, Project, ServiceLog, VolunteerActivity, VolunteerSignup } from '#models';
import { createCommunity, createStreet, createUser } from '#seeds/factories';
import type { SessionUser } from '~/core/auth.server';
import { cancelActivity, createActivity, findManagedActivity, getActivity, setSlots } from '~/features/volunteers/activities.server';
import { issueCertificate } from '~/features/volunteers/certificates.server';
import { saveProfile } from '~/features/volunteers/profiles.server';
import { logService, totalsOf } from '~/features/volunteers/service.server';
import { cancelSignup, checkInWithCode, signUp, tickCheckIn } from '~/features/volunteers/signups.server';
import { activitySchema, manageSchema, profileSchema } from '~/features/volunteers/volunteers.schema.server';
import { loader as verifyLoader } from '~/routes/volunteers.certificates.$code/route';
import { action as manageAction } from '~/routes/volunteers.$number_.manage/route';
import { shanghaiDay } from '~/utils/dates';
import { action as loginAction } from '~/routes/login/route';
import { DEMO_PASSWORD } from '#seeds/data';
import { call, CookieJar, formRequest } from '../support/http';

/**
 * Volunteers through their services against the real database: never overbooked under parallel
 * sign-ups (the rest waitlisted in order), a cancellation promotes the first waiting, only the
 * organiser's team checks in and logs, check-in only in its window, and a certificate's public
 * check shows the logged hours and the name's first character only.
 */
const HOUR = 3_600_000;
let street: Types.ObjectId;
let community: Types.ObjectId;
let team: SessionUser;
let otherTeam: SessionUser;
let organization: Types.ObjectId;

const identifiers = new Map<string, string>();
const session = (user: { _id: Types.ObjectId; name: string; email?: string | null; phone?: string | null }): SessionUser => (identifiers.set(String(user._id), (user.email ?? user.phone)!), { id: String(user._id), name: user.name, language: 'zh', streetId: null, communityId: null, roles: [{ role: 'resident', scopeType: 'platform', scopeId: null }] });

async function volunteer(name?: string) {
  const user = await createUser({ name, phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, street, community });
  const saved = await saveProfile(String(user._id), profileSchema.parse({ community: String(community), skills: ['companionship'], availability: ['weekend'], contactConsent: 'on' }));
  expect(saved.ok).toBe(true);
  return session(user);
}

const local = (date: Date) => new Date(date.getTime() + 8 * HOUR).toISOString().slice(0, 16);

async function publish(overrides: { slots?: number; startsIn?: number; hours?: number; by?: SessionUser; organiser?: string } = {}) {
  const start = new Date(Date.now() + (overrides.startsIn ?? 48 * HOUR));
  start.setUTCSeconds(0, 0);
  const values = activitySchema.parse({
    organiser: overrides.organiser ?? `organization:${String(organization)}`,
    title: '陪伴独居老人聊天',
    description: '上门前在社区集合，两人一组。',
    startsAt: local(start),
    endsAt: local(new Date(start.getTime() + (overrides.hours ?? 3) * HOUR)),
    community: String(community),
    place: '社区党群服务中心',
    slots: String(overrides.slots ?? 10),
    skills: ['companionship'],
  });
  const created = await createActivity({ user: overrides.by ?? team, values });
  if (!created.ok) throw new Error(created.reason);
  return created.number;
}

/** Moves an activity's times so that it is under way now (sign-ups happened before). */
async function startNow(number: number) {
  await VolunteerActivity.updateOne({ number }, { $set: { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + 2 * HOUR) } });
}

beforeAll(async () => {
  street = (await createStreet({ code: 'vol-street' }))._id;
  community = (await createCommunity({ street, code: 'vol-community' }))._id;
  const leader = await createUser({ name: '队长王' });
  const other = await createUser({ name: '别队李' });
  team = session(leader);
  otherTeam = session(other);
  organization = (await Organization.create({ name: '夕阳红志愿队', type: 'volunteerTeam', street, stage: 'registered', members: [{ user: leader._id, role: 'leader' }] }))._id;
  await Organization.create({ name: '别的志愿队', type: 'volunteerTeam', street, stage: 'registered', members: [{ user: other._id, role: 'leader' }] });
  await Project.create({ competition: new Types.ObjectId(), proposal: new Types.ObjectId(), proposalNumber: 1, number: 1, title: '别的项目', fundedFen: 100, approvedBudgetFen: 100, team: [other._id] });
});

describe('sign-ups and the waitlist', () => {
  it('30 parallel sign-ups for 10 slots seat exactly 10 and waitlist the other 20 in order', async () => {
    const number = await publish({ slots: 10 });
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => volunteer(`志愿者${i}`)));
    const results = await Promise.all(people.map((p) => signUp({ volunteerId: p.id, number })));
    expect(results.every((r) => r.ok)).toBe(true);
    const activity = await VolunteerActivity.findOne({ number }).lean();
    const confirmed = await VolunteerSignup.find({ activity: activity!._id, status: 'confirmed' }).lean();
    const waiting = await VolunteerSignup.find({ activity: activity!._id, status: 'waitlisted' }).sort({ signedUpAt: 1, _id: 1 }).lean();
    expect(confirmed).toHaveLength(10);
    expect(new Set(confirmed.map((s) => s.seatKey)).size).toBe(10);
    expect(waiting).toHaveLength(20);
    expect(results.filter((r) => r.ok && r.status === 'confirmed')).toHaveLength(10);
    const positions = results.flatMap((r) => (r.ok && r.status === 'waitlisted' ? [r.position] : []));
    expect(positions).toHaveLength(20);
    const view = await getActivity(number, null);
    expect(view!.activity).toMatchObject({ confirmed: 10, left: 0, waitlisted: 20 });

    // A confirmed volunteer cancels: the first waiting takes the seat and is told.
    const leaver = confirmed[0]!;
    const first = waiting[0]!;
    expect(await cancelSignup({ volunteerId: String(leaver.volunteer), number })).toEqual({ ok: true });
    expect((await VolunteerSignup.findById(first._id).lean())!.status).toBe('confirmed');
    expect(await VolunteerSignup.countDocuments({ activity: activity!._id, status: 'confirmed' })).toBe(10);
    expect(await Notification.countDocuments({ recipient: first.volunteer, type: 'volunteerPromoted' })).toBe(1);

    // Fewer slots than seats held are refused; more seat the next waiting.
    const managed = await findManagedActivity(team, number);
    expect(await setSlots({ activity: managed!, slots: 5, actorId: team.id })).toMatchObject({ ok: false, reason: 'belowConfirmed' });
    expect((await VolunteerActivity.findOne({ number }).lean())!.slots).toBe(10);
    expect(await setSlots({ activity: managed!, slots: 11, actorId: team.id })).toEqual({ ok: true });
    expect((await VolunteerSignup.findById(waiting[1]!._id).lean())!.status).toBe('confirmed');
  });

  it('nobody signs up twice, even in parallel; a cancelled sign-up may come back at the end of the queue', async () => {
    const number = await publish({ slots: 1 });
    const [a, b] = [await volunteer(), await volunteer()];
    const twice = await Promise.all([signUp({ volunteerId: a.id, number }), signUp({ volunteerId: a.id, number }), signUp({ volunteerId: a.id, number })]);
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.filter((r) => !r.ok && r.reason === 'already')).toHaveLength(2);
    expect(await signUp({ volunteerId: b.id, number })).toMatchObject({ ok: true, status: 'waitlisted', position: 1 });
    expect(await cancelSignup({ volunteerId: a.id, number })).toEqual({ ok: true });
    expect(await signUp({ volunteerId: a.id, number })).toMatchObject({ ok: true, status: 'waitlisted', position: 1 });
    const activity = await VolunteerActivity.findOne({ number }).lean();
    expect(await VolunteerSignup.countDocuments({ activity: activity!._id })).toBe(2);
  });

  it('a cancelled activity takes no sign-ups and tells those who had one', async () => {
    const number = await publish({ slots: 2 });
    const a = await volunteer();
    await signUp({ volunteerId: a.id, number });
    const managed = await findManagedActivity(team, number);
    expect(await cancelActivity({ activity: managed!, reason: '天气预警', actorId: team.id })).toBe(true);
    expect(await signUp({ volunteerId: (await volunteer()).id, number })).toEqual({ ok: false, reason: 'closed' });
    expect(await Notification.countDocuments({ recipient: new Types.ObjectId(a.id), type: 'volunteerActivityCancelled' })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'volunteer.activityCancelled', targetId: String(managed!._id) })).toBe(1);
  });
});

describe('check-in and service logs', () => {
  it('the QR check-in works only within its window, with the right key, for a confirmed volunteer', async () => {
    const number = await publish({ slots: 1 });
    const [a, b] = [await volunteer(), await volunteer()];
    await signUp({ volunteerId: a.id, number });
    await signUp({ volunteerId: b.id, number });
    const secret = (await VolunteerActivity.findOne({ number }).select('+checkInSecret').lean())!.checkInSecret;
    expect(await checkInWithCode({ volunteerId: a.id, number, secret })).toEqual({ ok: false, reason: 'outsideWindow' });
    await startNow(number);
    expect(await checkInWithCode({ volunteerId: a.id, number, secret: 'wrong-key-wrong-key-1' })).toEqual({ ok: false, reason: 'badCode' });
    expect(await checkInWithCode({ volunteerId: b.id, number, secret })).toEqual({ ok: false, reason: 'notConfirmed' });
    expect(await checkInWithCode({ volunteerId: a.id, number, secret })).toEqual({ ok: true, already: false });
    // After the end: closed again.
    await VolunteerActivity.updateOne({ number }, { $set: { startsAt: new Date(Date.now() - 5 * HOUR), endsAt: new Date(Date.now() - HOUR) } });
    expect(await checkInWithCode({ volunteerId: b.id, number, secret })).toEqual({ ok: false, reason: 'outsideWindow' });
  });

  it('only the activity’s team ticks off and logs: another project’s member, another organization’s and a volunteer get nothing and change nothing', async () => {
    const number = await publish({ slots: 3 });
    const a = await volunteer();
    await signUp({ volunteerId: a.id, number });
    await startNow(number);
    const signup = await VolunteerSignup.findOne({ volunteer: new Types.ObjectId(a.id) }).sort({ _id: -1 }).lean();
    for (const outsider of [otherTeam, a, await volunteer()]) {
      expect(await findManagedActivity(outsider, number)).toBeNull();
      const request = new Request(`http://localhost/volunteers/${number}/manage`, { method: 'POST', body: new URLSearchParams({ intent: 'checkIn', signup: String(signup!._id) }) });
      expect((await manageActionAs(outsider, request, number)).status).toBe(404);
    }
    expect((await VolunteerSignup.findById(signup!._id).lean())!.checkedInAt).toBeFalsy();
    expect(await ServiceLog.countDocuments({ volunteer: new Types.ObjectId(a.id) })).toBe(0);

    const managed = (await findManagedActivity(team, number))!;
    expect(await logService({ activity: managed, signupId: String(signup!._id), day: shanghaiDay(new Date()), minutes: 120, peopleServed: 3, notes: '', actorId: team.id })).toEqual({ ok: false, reason: 'notCheckedIn' });
    expect(await tickCheckIn({ activity: managed, signupId: String(signup!._id), actorId: team.id })).toEqual({ ok: true });
    expect(await logService({ activity: managed, signupId: String(signup!._id), day: shanghaiDay(new Date(Date.now() + 3 * 24 * HOUR)), minutes: 120, peopleServed: 3, notes: '', actorId: team.id })).toEqual({ ok: false, reason: 'dateInFuture' });
    expect(await logService({ activity: managed, signupId: String(signup!._id), day: '2020-01-01', minutes: 120, peopleServed: 3, notes: '', actorId: team.id })).toEqual({ ok: false, reason: 'dateBeforeActivity' });
    const today = shanghaiDay(new Date());
    const twice = await Promise.all([1, 2].map(() => logService({ activity: managed, signupId: String(signup!._id), day: today, minutes: 120, peopleServed: 3, notes: '陪聊', actorId: team.id })));
    expect(twice.filter((r) => r.ok)).toHaveLength(1);
    expect(twice.filter((r) => !r.ok && r.reason === 'alreadyLogged')).toHaveLength(1);
    expect(await totalsOf(a.id)).toMatchObject({ minutes: 120, personTimes: 1, activities: 1 });
    expect(await AuditLog.countDocuments({ action: 'volunteer.serviceLogged' })).toBeGreaterThanOrEqual(1);
  });

  it('bad input is a translated error and changes nothing', async () => {
    expect(manageSchema.safeParse({ intent: 'log', signup: String(new Types.ObjectId()), day: '2026-02-30', hours: '2', peopleServed: '1' }).error?.issues[0]?.message).toBe('dayInvalid');
    expect(manageSchema.safeParse({ intent: 'log', signup: String(new Types.ObjectId()), day: '2026-02-03', hours: '25', peopleServed: '1' }).error?.issues[0]?.message).toBe('hoursInvalid');
    expect(manageSchema.safeParse({ intent: 'log', signup: String(new Types.ObjectId()), day: '2026-02-03', hours: '0.1', peopleServed: '1' }).error?.issues[0]?.message).toBe('hoursInvalid');
    expect(activitySchema.safeParse({ organiser: `organization:${String(organization)}`, title: '', startsAt: '2027-01-01T10:00', endsAt: '2027-01-01T09:00', community: String(community), place: 'x', slots: '0', skills: [] }).error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(['titleRequired', 'slotsInvalid']),
    );
    const number = await publish({ slots: 2 });
    const before = await VolunteerActivity.findOne({ number }).lean();
    const request = new Request(`http://localhost/volunteers/${number}/manage`, { method: 'POST', body: new URLSearchParams({ intent: 'slots', slots: '0' }) });
    const response = await manageActionAs(team, request, number);
    expect(response.status).toBe(303);
    await expect(response).toSendToast({ type: 'error', key: 'volunteers:error.slotsInvalid' });
    expect((await VolunteerActivity.findOne({ number }).lean())!.slots).toBe(before!.slots);
  });
});

describe('certificates', () => {
  it('the verification page shows the same hours as the logs and nothing personal beyond the name’s first character', async () => {
    const number = await publish({ slots: 2 });
    const person = await volunteer('欧阳明华');
    await signUp({ volunteerId: person.id, number });
    await startNow(number);
    const managed = (await findManagedActivity(team, number))!;
    const signup = await VolunteerSignup.findOne({ activity: managed._id, volunteer: new Types.ObjectId(person.id) }).lean();
    await tickCheckIn({ activity: managed, signupId: String(signup!._id), actorId: team.id });
    expect(await logService({ activity: managed, signupId: String(signup!._id), day: shanghaiDay(new Date()), minutes: 165, peopleServed: 4, notes: '', actorId: team.id })).toEqual({ ok: true });
    const logged = await ServiceLog.find({ volunteer: new Types.ObjectId(person.id) }).lean();
    const issued = await issueCertificate({ volunteer: { id: person.id, name: person.name } });
    if (!issued.ok) throw new Error(issued.reason);
    expect(issued.code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);

    const response = (await verifyLoader({ request: new Request(`http://localhost/volunteers/certificates/${issued.code}`), params: { code: issued.code }, context: {} })) as unknown as { data: Record<string, unknown>; init: ResponseInit | null };
    const body = JSON.stringify(response.data);
    const certificate = response.data.certificate as { minutes: number; personTimes: number; name: string };
    expect(certificate.minutes).toBe(logged.reduce((sum, l) => sum + l.minutes, 0));
    expect(certificate.personTimes).toBe(logged.length);
    expect(certificate.name).toBe('欧**');
    const account = await (await import('#models')).User.findById(person.id).lean();
    for (const secret of ['欧阳明华', '阳明华', account!.phone!, String(street), String(community), '社区党群服务中心', '陪伴独居老人聊天', person.id]) expect(body).not.toContain(secret);

    // A code with a letter changed is not found.
    const wrong = `${issued.code.slice(0, 15)}${issued.code.endsWith('A') ? 'B' : 'A'}`;
    const miss = (await verifyLoader({ request: new Request(`http://localhost/volunteers/certificates/${wrong}`), params: { code: wrong }, context: {} })) as unknown as { data: { certificate: unknown } };
    expect(miss.data.certificate).toBeNull();
  });

  it('no hours, no certificate', async () => {
    const person = await volunteer();
    expect(await issueCertificate({ volunteer: { id: person.id, name: person.name } })).toEqual({ ok: false, reason: 'noHours' });
  });
});

/** Calls the manage action as this user, signed in through the login page. */
async function manageActionAs(user: SessionUser, request: Request, number: number) {
  const login = await call(loginAction, formRequest('/login', { identifier: identifiers.get(user.id)!, password: DEMO_PASSWORD }));
  expect(login.status).toBe(303);
  const jar = new CookieJar().take(login.headers);
  const signed = formRequest(new URL(request.url).pathname, Object.fromEntries(new URLSearchParams(await request.text())), { jar });
  const outcome = await call(manageAction, signed, { number: String(number) });
  return outcome;
}
