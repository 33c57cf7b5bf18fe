import { randomBytes } from 'node:crypto';
import type { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * Volunteers through the built server on the demo data, attacked as a client would: another
 * project's member and a plain resident cannot act on an activity's manage page (404, nothing
 * changes); the check-in secret reaches its own team only; private pages and their Remix data
 * are never cached; the certificate check cannot be walked through, even with a forged
 * X-Forwarded-For, and shows the hours and the first character of the name only; odd bodies are
 * answered 4xx, never 5xx.
 */
let app: HttpApp;
let activity: { _id: ObjectId; number: number; checkInSecret: string; project: ObjectId };
let signupId = '';
let code = '';
const cookies: Record<string, string> = {};
const volunteer: { id: string; name: string; phone: string; street: string; community: string; titles: string[] } = { id: '', name: '', phone: '', street: '', community: '', titles: [] };

const get = (path: string, cookie = '', headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers: { ...headers, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
const post = (path: string, cookie: string, body: string | URLSearchParams, contentType?: string) =>
  fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
const login = async (id: ObjectId) => {
  const user = await app.db.collection('users').findOne({ _id: id });
  return signIn(app.baseUrl, (user!.email ?? user!.phone) as string);
};
const activityDoc = () => app.db.collection('volunteeractivities').findOne({ _id: activity._id });
const signupsOf = () => app.db.collection('volunteersignups').find({ activity: activity._id }).sort({ _id: 1 }).toArray();

beforeAll(async () => {
  app = await startHttpApp('volunteers');
  const projects = await app.db
    .collection<{ _id: ObjectId; team: ObjectId[] }>('projects')
    .find({ 'team.0': { $exists: true } })
    .sort({ competition: 1, number: 1 })
    .toArray();
  // A January 2027 activity with confirmed volunteers, and a member of another project's team only.
  const upcoming = await app.db
    .collection<typeof activity>('volunteeractivities')
    .find({ startsAt: { $gt: new Date() }, project: { $exists: true } })
    .sort({ number: 1 })
    .toArray();
  activity = upcoming[0]!;
  const own = projects.find((p) => String(p._id) === String(activity.project))!;
  const other = projects.find((p) => p.team.every((member) => !own.team.some((m) => String(m) === String(member))))!;
  const signup = await app.db.collection('volunteersignups').findOne({ activity: activity._id, status: 'confirmed' });
  signupId = String(signup!._id);
  cookies.team = await login(own.team[0]!);
  cookies.otherTeam = await login(other.team[0]!);
  cookies.signedUp = await login(signup!.volunteer as ObjectId);
  // A resident on no team and without a sign-up here.
  const teamIds = projects.flatMap((p) => p.team.map(String));
  const signedUp = (await signupsOf()).map((s) => String(s.volunteer));
  const residents = await app.db.collection('users').find({ phone: /^1390000/ }).sort({ phone: -1 }).toArray();
  const resident = residents.find((u) => !teamIds.includes(String(u._id)) && !signedUp.includes(String(u._id)));
  cookies.resident = await signIn(app.baseUrl, resident!.phone as string);

  // A volunteer with logged hours issues a certificate.
  const log = await app.db.collection('servicelogs').findOne({}, { sort: { _id: 1 } });
  const person = await app.db.collection('users').findOne({ _id: log!.volunteer as ObjectId });
  cookies.certified = await signIn(app.baseUrl, person!.phone as string);
  const issued = await post('/volunteers/mine', cookies.certified, new URLSearchParams({}));
  expect(issued.status).toBe(303);
  code = /#certificate-([A-Z0-9]+)$/.exec(issued.headers.get('location') ?? '')![1]!;
  const profile = await app.db.collection('volunteerprofiles').findOne({ user: person!._id });
  const [street, community] = await Promise.all([app.db.collection('streets').findOne({ _id: profile!.street as ObjectId }), app.db.collection('communities').findOne({ _id: profile!.community as ObjectId })]);
  const logs = await app.db.collection('servicelogs').find({ volunteer: person!._id }).toArray();
  const titles = await app.db
    .collection('volunteeractivities')
    .find({ _id: { $in: logs.map((l) => l.activity as ObjectId) } })
    .toArray();
  Object.assign(volunteer, {
    id: String(person!._id),
    name: person!.name as string,
    phone: person!.phone as string,
    street: street!.name as string,
    community: community!.name as string,
    titles: titles.map((a) => a.title as string),
  });
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe('volunteers over HTTP', () => {
  it("another project's member and a plain resident get 404 for every act on an activity's manage page, and nothing changes", async () => {
    const before = { counts: await countAll(app.db), activity: await activityDoc(), signups: await signupsOf() };
    expect(before.signups.some((s) => !s.checkedInAt)).toBe(true);
    const acts: Record<string, string>[] = [
      { intent: 'checkIn', signup: signupId },
      { intent: 'log', signup: signupId, day: '2027-01-16', hours: '3', peopleServed: '5', notes: '' },
      { intent: 'slots', slots: '50' },
      { intent: 'cancel', reason: '越权取消', confirmed: 'yes' },
    ];
    for (const who of ['otherTeam', 'resident', 'signedUp']) {
      expect((await get(`/volunteers/${activity.number}/manage`, cookies[who])).status, `${who} GET`).toBe(404);
      for (const act of acts) {
        const response = await post(`/volunteers/${activity.number}/manage`, cookies[who]!, new URLSearchParams(act));
        expect(response.status, `${who} ${act.intent}`).toBe(404);
      }
    }
    expect(await countAll(app.db)).toEqual(before.counts);
    expect(await activityDoc()).toEqual(before.activity);
    expect(await signupsOf()).toEqual(before.signups);
    // Its own team reaches the page (the 404s above are about who asks, not a broken page).
    expect((await get(`/volunteers/${activity.number}/manage`, cookies.team)).status).toBe(200);
  });

  it('the check-in secret reaches its own team only: not in any public page or its data, for anyone else', async () => {
    const secret = activity.checkInSecret;
    expect(secret.length).toBeGreaterThanOrEqual(16);
    for (const path of [`/volunteers/${activity.number}/manage`, `/volunteers/${activity.number}/manage.data`]) {
      expect(await (await get(path, cookies.team)).text(), path).toContain(secret);
    }
    const pages = ['/volunteers', '/volunteers.data', '/volunteers/totals', '/volunteers/totals.data', `/volunteers/${activity.number}`, `/volunteers/${activity.number}.data`, '/volunteers/mine', '/volunteers/mine.data'];
    for (const who of ['', 'resident', 'signedUp', 'otherTeam', 'team']) {
      for (const path of pages) {
        if (path.startsWith('/volunteers/mine') && !who) continue;
        const response = await get(path, who ? cookies[who] : '');
        expect(response.status, `${who || 'anonymous'} ${path}`).toBe(200);
        expect((await response.text()).includes(secret), `${who || 'anonymous'} ${path}`).toBe(false);
      }
    }
  });

  it('private pages and their Remix data are private, no-store', async () => {
    const cases: [string, string][] = [
      ['/volunteers/mine', cookies.certified!],
      ['/volunteers/mine.data', cookies.certified!],
      ['/volunteers/profile', cookies.certified!],
      ['/volunteers/profile.data', cookies.certified!],
      [`/volunteers/${activity.number}/manage`, cookies.team!],
      [`/volunteers/${activity.number}/manage.data`, cookies.team!],
      [`/volunteers/certificates/${code}`, ''],
      [`/volunteers/certificates/${code}.data`, ''],
    ];
    for (const [path, cookie] of cases) {
      const response = await get(path, cookie);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toMatch(/private/);
      expect(response.headers.get('cache-control'), path).toMatch(/no-store/);
    }
  });

  it("the verification page and its data show the hours and the name's first character, and nothing else about the person", async () => {
    const certificate = await app.db.collection('volunteercertificates').findOne({ code });
    expect(certificate!.minutes).toBeGreaterThan(0);
    const hours = String(Math.round((certificate!.minutes / 60) * 100) / 100);
    const first = Array.from(volunteer.name)[0]!;
    const secrets = [volunteer.name, volunteer.phone, volunteer.id, volunteer.community, ...volunteer.titles];
    expect(volunteer.titles.length).toBeGreaterThan(0);
    for (const path of [`/volunteers/certificates/${code}`, `/volunteers/certificates/${code}.data`]) {
      const body = await (await get(path)).text();
      expect(body, path).toContain(`${first}**`);
      // The page shows hours; its data carries the minutes they are drawn from.
      expect(body, path).toContain(path.endsWith('.data') ? `"minutes",${certificate!.minutes}` : hours);
      for (const secret of secrets) expect(body.includes(secret), `${path} contains ${secret}`).toBe(false);
      // The street's name may appear in the site's chrome; never next to the certificate.
      const card = path.endsWith('.data') ? body : (/data-testid="certificate"[\s\S]*?<\/dl>/.exec(body)?.[0] ?? '');
      expect(card.length, path).toBeGreaterThan(0);
      expect(card.includes(volunteer.street), `${path} names the street`).toBe(false);
    }
  });

  it('JSON and hostile multipart bodies to the activity and manage actions are answered 4xx, never 5xx, and change nothing', async () => {
    const before = { counts: await countAll(app.db), activity: await activityDoc(), signups: await signupsOf() };
    const huge = 'x'.repeat(300_000);
    const attempts: [string, string, string, string][] = [
      [`/volunteers/${activity.number}`, cookies.resident!, JSON.stringify({ intent: 'signup' }), 'application/json'],
      [`/volunteers/${activity.number}`, cookies.signedUp!, JSON.stringify({ intent: 'cancel' }), 'application/json'],
      [`/volunteers/${activity.number}`, cookies.resident!, '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsignup', 'multipart/form-data; boundary=x'],
      [`/volunteers/${activity.number}`, cookies.resident!, '--x\r\nbroken', 'multipart/form-data; boundary=x'],
      [`/volunteers/${activity.number}/manage`, cookies.team!, JSON.stringify({ intent: 'slots', slots: 99 }), 'application/json'],
      [`/volunteers/${activity.number}/manage`, cookies.team!, JSON.stringify({ intent: 'cancel', reason: 'x', confirmed: 'yes' }), 'application/json'],
      [`/volunteers/${activity.number}/manage`, cookies.team!, '--x\r\nbroken', 'multipart/form-data; boundary=x'],
      [`/volunteers/${activity.number}/manage`, cookies.team!, `--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncancel\r\n--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\n${huge}`, 'multipart/form-data; boundary=x'],
      [`/volunteers/${activity.number}/manage`, cookies.team!, 'x', 'multipart/form-data'],
    ];
    for (const [path, cookie, body, type] of attempts) {
      const response = await post(path, cookie, body, type);
      expect(response.status, `${path} ${type} ${body.slice(0, 50)}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${path} ${type} ${body.slice(0, 50)}`).toBeLessThan(500);
    }
    // Well-formed forms with hostile values: refused with a message (a redirect), never a 5xx.
    for (const body of [
      `intent=slots&slots=1e400`,
      `intent=slots&slots[$gt]=0`,
      `intent=log&signup=${signupId}&day=2027-13-45&hours=99999&peopleServed=-1`,
      `intent=checkIn&signup[$ne]=x`,
      `intent=cancel&reason=${huge}&confirmed=yes`,
      `intent=unknown`,
    ]) {
      const response = await post(`/volunteers/${activity.number}/manage`, cookies.team!, body, 'application/x-www-form-urlencoded');
      expect(response.status, body.slice(0, 50)).toBeLessThan(500);
    }
    expect(await countAll(app.db)).toEqual(before.counts);
    expect(await activityDoc()).toEqual(before.activity);
    expect(await signupsOf()).toEqual(before.signups);
  });

  // Last: it spends this address's look-ups.
  it('the verification page cannot be walked through: past 20 look-ups an address is refused, and a forged X-Forwarded-For does not reset it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const random = Array.from(randomBytes(16), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');
      const response = await get(`/volunteers/certificates/${random}`, '', { 'x-forwarded-for': `203.0.113.${i + 1}` });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    // Earlier tests spent a few look-ups of this address: the refusals start by the 21st at the latest.
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
    const firstRefused = statuses.indexOf(429);
    expect(statuses.slice(firstRefused).every((s) => s === 429)).toBe(true);
    // A genuine code is refused too now, as page and as data, with a fresh forged address.
    for (const path of [`/volunteers/certificates/${code}`, `/volunteers/certificates/${code}.data`]) {
      const response = await get(path, '', { 'x-forwarded-for': '198.51.100.7', 'x-real-ip': '198.51.100.7' });
      expect(response.status, path).toBe(429);
      expect(await response.text(), path).not.toContain('**');
    }
  });
});
