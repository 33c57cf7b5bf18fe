import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { AuditLog, Ballot, Kiosk, Session, User } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, fakePhone, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as kioskAction, loader as kioskLoader } from '~/routes/kiosk._index/route';
import { action as endAction } from '~/routes/kiosk.end/route';
import { action as kiosksAction, loader as kiosksLoader } from '~/routes/kiosks/route';
import { action as loginAction, loader as loginLoader } from '~/routes/login/route';
import { action as voteAction, loader as voteLoader } from '~/routes/competitions.$slug.vote._index/route';
import { loader as anomaliesLoader } from '~/routes/competitions.$slug.voting.anomalies/route';
import { loader as auditLoader } from '~/routes/admin.audit/route';
import { loader as manageLoader } from '~/routes/competitions.$slug.manage/route';
import { loader as judgeLoader } from '~/routes/competitions.$slug.judge._index/route';
import { loader as assistLoader } from '~/routes/assist/route';
import { loader as profileLoader } from '~/routes/profile/route';
import { issueClaimCode } from '~/features/accounts/assist.server';
import { sessionUser } from '../support/sessions';
import { lastCodeSentTo } from '../support/outbox';
import { call, CookieJar, formRequest, getRequest, type Outcome } from '../support/http';

/**
 * Kiosk mode (decision 032): a street's shared tablet, its residents' short sessions, and what
 * such a session may never reach.
 */
const DAY = 86_400_000;
const slug = 'kiosk-vote';
let streetA: Types.ObjectId;
let streetB: Types.ObjectId;
let community: Types.ObjectId;
let competitionId: Types.ObjectId;
const numbers: number[] = [];
const jars: Record<string, CookieJar> = {};
const ids: Record<string, string> = {};
const phones: Record<string, string> = {};

async function signIn(email: string): Promise<CookieJar> {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

/** A worker enrols a fresh "tablet" (a new cookie jar signed in as them); returns the device's jar and the kiosk's id. */
async function enrol(worker: string, street: Types.ObjectId, name: string): Promise<{ device: CookieJar; kioskId: string }> {
  const device = await signIn(`${worker}@kiosk.test`);
  const outcome = await call(kiosksAction, formRequest('/kiosks', { intent: 'enrol', street: String(street), name }, { jar: device }));
  expect(outcome.status).toBe(303);
  expect(outcome.location).toBe('/kiosk');
  device.take(outcome.headers);
  const kiosk = await Kiosk.findOne({ name }).select('_id').lean();
  return { device, kioskId: String(kiosk!._id) };
}

/** A resident signs in on the kiosk with the code texted to their number, as at the tablet. */
async function signInAtKiosk(device: CookieJar, person: string): Promise<Outcome> {
  const sent = await call(kioskAction, formRequest('/kiosk', { intent: 'send', phone: phones[person]! }, { jar: device }));
  expect(sent.status).toBe(200);
  const code = await lastCodeSentTo(phones[person]!);
  const outcome = await call(kioskAction, formRequest('/kiosk', { intent: 'code', phone: phones[person]!, code: code ?? '000000' }, { jar: device }));
  device.take(outcome.headers);
  return outcome;
}

beforeAll(async () => {
  streetA = (await createStreet())._id;
  streetB = (await createStreet())._id;
  community = (await createCommunity({ street: streetA }))._id;
  const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  competitionId = competition._id;
  const author = (await createUser())._id;
  for (let i = 0; i < 2; i++) numbers.push((await insertProposal({ competition: competitionId, author, status: 'eligible', street: streetA })).number);
  const people: Record<string, Parameters<typeof createUser>[0]> = {
    resident: { community },
    neighbour: { community },
    // An account that may do everything elsewhere: on a kiosk it is a resident only.
    powerful: {
      community,
      roles: [grant('resident'), grant('admin'), grant('committee', 'competition', competitionId), grant('judge', 'competition', competitionId), grant('gridWorker', 'street', streetA)],
    },
    workerA: { roles: [grant('resident'), grant('gridWorker', 'street', streetA)] },
    workerB: { roles: [grant('resident'), grant('gridWorker', 'street', streetB)] },
    admin: { roles: [grant('admin')] },
  };
  for (const [name, overrides] of Object.entries(people)) {
    phones[name] = fakePhone();
    const user = await createUser({ email: `${name}@kiosk.test`, phone: phones[name], ...overrides });
    ids[name] = String(user._id);
  }
  for (const name of ['resident', 'neighbour', 'powerful']) await verifyResidentDirectly(new Types.ObjectId(ids[name]), community);
  jars.admin = await signIn('admin@kiosk.test');
  jars.workerB = await signIn('workerB@kiosk.test');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('enrolling a kiosk', () => {
  it('enrols the device it is done on, stores only a hash of its token, and signs the enrolling worker out of it', async () => {
    const { device, kioskId } = await enrol('workerA', streetA, '沙子口红哨子E站');
    const token = device.get('lsx_kiosk');
    expect(token).toBeTruthy();
    const stored = await Kiosk.findById(kioskId).lean();
    expect(stored!.tokenHash).not.toContain(decodeURIComponent(token!).replace(/^"|"$/g, ''));
    expect(device.get('lsx_session')).toBeUndefined();
    // The device now shows the kiosk's start screen, and no password sign-in.
    const start = await call<{ device: string }>(kioskLoader, getRequest('/kiosk', { jar: device }));
    expect(start.data.device).toBe('kiosk');
    const login = await call(loginLoader, getRequest('/login', { jar: device }));
    expect(login.location).toBe('/kiosk');
    expect(await AuditLog.countDocuments({ action: 'kiosk.enrolled', targetId: kioskId })).toBe(1);
  });

  it('a grid worker of another street can neither enrol a kiosk there, nor list or revoke its kiosks', async () => {
    const { kioskId } = await enrol('workerA', streetA, '王哥庄服务站平板');
    const before = await Kiosk.countDocuments();
    const enrolled = await call(kiosksAction, formRequest('/kiosks', { intent: 'enrol', street: String(streetA), name: '越界平板' }, { jar: jars.workerB }));
    expect(enrolled.status).toBe(403);
    expect(await Kiosk.countDocuments()).toBe(before);
    const list = await call<{ kiosks: { id: string }[] }>(kiosksLoader, getRequest('/kiosks', { jar: jars.workerB }));
    expect(list.status).toBe(200);
    expect(list.data.kiosks.map((k) => k.id)).not.toContain(kioskId);
    const revoked = await call(kiosksAction, formRequest('/kiosks', { intent: 'revoke', kiosk: kioskId, confirm: 'yes' }, { jar: jars.workerB }));
    expect(revoked.status).toBe(404);
    expect((await Kiosk.findById(kioskId).lean())!.revokedAt).toBeUndefined();
    // The admin sees it (the list is not simply empty for everyone).
    const adminList = await call<{ kiosks: { id: string }[] }>(kiosksLoader, getRequest('/kiosks', { jar: jars.admin }));
    expect(adminList.data.kiosks.map((k) => k.id)).toContain(kioskId);
  });
});

describe('a revoked or forged kiosk token', () => {
  it('is refused: no sign-in, and the sessions on that kiosk end', async () => {
    const { device, kioskId } = await enrol('workerA', streetA, '北宅服务站平板');
    expect((await signInAtKiosk(device, 'neighbour')).status).toBe(303);
    const residentSession = device.header();
    expect(await Session.countDocuments({ 'data.kiosk': kioskId })).toBe(1);

    const revoked = await call(kiosksAction, formRequest('/kiosks', { intent: 'revoke', kiosk: kioskId, confirm: 'yes' }, { jar: jars.admin }));
    expect(revoked.status).toBe(303);
    expect(await Session.countDocuments({ 'data.kiosk': kioskId })).toBe(0);
    const vote = await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { cookie: residentSession }), { slug });
    expect(vote.location).toMatch(/^\/login/);

    const send = await call(kioskAction, formRequest('/kiosk', { intent: 'send', phone: phones.neighbour! }, { jar: device }));
    expect(send.status).toBe(403);
    const slip = await call(kioskAction, formRequest('/kiosk', { intent: 'slip', slip: 'ABCD-EFGH' }, { jar: device }));
    expect(slip.status).toBe(403);
    const start = await call<{ device: string }>(kioskLoader, getRequest('/kiosk', { jar: device }));
    expect(start.data.device).toBe('revoked');
    // A revoked tablet is an ordinary browser again: staff may sign in on it to enrol it anew.
    expect((await call(loginLoader, getRequest('/login', { jar: device }))).status).toBe(200);
  });

  it('a made-up token is refused like a revoked one', async () => {
    const forged = `lsx_kiosk=${encodeURIComponent(Buffer.from(JSON.stringify('x'.repeat(43))).toString('base64'))}`;
    const send = await call(kioskAction, formRequest('/kiosk', { intent: 'send', phone: phones.resident! }, { cookie: forged }));
    expect(send.status).toBe(403);
  });
});

describe('a resident on a kiosk', () => {
  it('signs in with a code, votes, and is signed out with the ballot and the audit log marked as the kiosk’s', async () => {
    const { device, kioskId } = await enrol('workerA', streetA, '中韩红哨子E站');
    const signedIn = await signInAtKiosk(device, 'resident');
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/kiosk');
    expect(await AuditLog.countDocuments({ action: 'kiosk.signedIn', actor: ids.resident, kiosk: kioskId })).toBe(1);

    const cast = await call(voteAction, formRequest(`/competitions/${slug}/vote`, { choice: String(numbers[0]) }, { jar: device }), { slug });
    expect(cast.status).toBe(303);
    expect(cast.location).toBe('/kiosk/done?act=ballot');
    expect(cast.headers.get('Clear-Site-Data')).toBe('"cache"');
    const residentSession = device.header();
    device.take(cast.headers);
    expect(device.get('lsx_session')).toBeUndefined();
    expect(device.get('lsx_kiosk')).toBeTruthy();

    const ballot = await Ballot.findOne({ competition: competitionId, voter: ids.resident }).lean();
    expect(String(ballot!.kiosk)).toBe(kioskId);
    const act = await AuditLog.findOne({ action: 'kiosk.actCompleted', actor: ids.resident }).lean();
    expect(String(act!.kiosk)).toBe(kioskId);
    expect(act!.targetId).toBe(String(ballot!._id));

    // The session is gone on the server: its old cookie opens nothing of the resident's.
    const after = await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { cookie: residentSession }), { slug });
    expect(after.location).toMatch(/^\/login/);

    // The committee's anomalies page counts the ballot per kiosk and hour.
    const committee = await signIn('powerful@kiosk.test');
    const anomalies = await call<{ kioskHours: { kiosk: string; count: number }[]; byIp: unknown[] }>(anomaliesLoader, getRequest(`/competitions/${slug}/voting/anomalies`, { jar: committee }), { slug });
    expect(anomalies.data.kioskHours).toEqual([expect.objectContaining({ kiosk: '中韩红哨子E站', count: 1 })]);

    // The admin's audit page says where it was done.
    const audit = await call<{ entries: { action: string; kiosk: string | null }[] }>(auditLoader, getRequest('/admin/audit?action=kiosk.actCompleted', { jar: jars.admin }));
    expect(audit.data.entries.map((e) => e.kiosk)).toContain('中韩红哨子E站');
  });

  it('signs in with the slip a grid worker gave them, and the slip still claims the account afterwards', async () => {
    const { device } = await enrol('workerA', streetA, '金家岭服务站平板');
    const offline = await User.create({ name: '无手机居民', community, street: streetA, roles: [{ role: 'resident', scopeType: 'platform' }] });
    const worker = sessionUser((await User.findById(ids.workerA).lean())!);
    const issued = await issueClaimCode({ ...worker, streetId: String(streetA) }, String(offline._id));
    expect(issued.ok).toBe(true);
    if (!issued.ok) return;
    const wrong = await call(kioskAction, formRequest('/kiosk', { intent: 'slip', slip: 'ZZZZ-ZZZZ' }, { jar: device }));
    expect(wrong.status).toBe(400);
    const outcome = await call(kioskAction, formRequest('/kiosk', { intent: 'slip', slip: issued.code }, { jar: device }));
    expect(outcome.status).toBe(303);
    device.take(outcome.headers);
    const menu = await call<{ resident: string | null }>(kioskLoader, getRequest('/kiosk', { jar: device }));
    expect(menu.data.resident).toBe('无手机居民');
    expect((await User.findById(offline._id).lean())!.claim?.codeHash).toBeTruthy();
  });

  it('ends after KIOSK_IDLE_SECONDS without a request, on the server, while each request moves the end on', async () => {
    const { device, kioskId } = await enrol('workerA', streetA, '崂山服务站平板一');
    await signInAtKiosk(device, 'neighbour');
    const session = await Session.findOne({ 'data.kiosk': kioskId }).lean();
    const idleMs = session!.expiresAt.getTime() - Date.now();
    expect(idleMs).toBeGreaterThan(100_000);
    expect(idleMs).toBeLessThanOrEqual(120_000);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 100_000);
    const busy = await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: device }), { slug });
    expect(busy.status).toBe(200);
    vi.setSystemTime(Date.now() + 100_000);
    // 200 s after sign-in, 100 s after the last request: still signed in.
    expect((await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: device }), { slug })).status).toBe(200);
    vi.setSystemTime(Date.now() + 121_000);
    const idle = await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: device }), { slug });
    expect(idle.location).toMatch(/^\/login/);
  });

  it('"start over" ends the session on the server and clears the browser’s cache', async () => {
    const { device, kioskId } = await enrol('workerA', streetA, '崂山服务站平板二');
    await signInAtKiosk(device, 'neighbour');
    const ended = await call(endAction, formRequest('/kiosk/end', { reason: 'startOver' }, { jar: device }));
    expect(ended.status).toBe(303);
    expect(ended.location).toBe('/kiosk');
    expect(ended.headers.get('Clear-Site-Data')).toBe('"cache"');
    expect(await Session.countDocuments({ 'data.kiosk': kioskId })).toBe(0);
  });
});

describe('a kiosk session reaches no staff page', () => {
  it('refuses committee, judge, admin, grid worker and account pages even to an account holding those roles', async () => {
    const pages: [string, Parameters<typeof call>[0], string, Record<string, string>][] = [
      ['admin audit', auditLoader, '/admin/audit', {}],
      ['committee manage', manageLoader, `/competitions/${slug}/manage`, { slug }],
      ['anomalies', anomaliesLoader, `/competitions/${slug}/voting/anomalies`, { slug }],
      ['judge', judgeLoader, `/competitions/${slug}/judge`, { slug }],
      ['grid worker assist', assistLoader, '/assist', {}],
      ['kiosks', kiosksLoader, '/kiosks', {}],
      ['profile', profileLoader, '/profile', {}],
    ];
    // The same account, signed in as usual, opens them (so a 403 below is the kiosk's doing).
    const desk = await signIn('powerful@kiosk.test');
    for (const [name, loader, path, params] of pages) {
      expect((await call(loader, getRequest(path, { jar: desk }), params)).status, name).toBe(200);
    }
    const { device } = await enrol('workerA', streetA, '崂山服务站平板三');
    expect((await signInAtKiosk(device, 'powerful')).status).toBe(303);
    for (const [name, loader, path, params] of pages) {
      expect((await call(loader, getRequest(path, { jar: device }), params)).status, name).toBe(403);
    }
    // Resident acts stay open: the ballot page.
    expect((await call(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: device }), { slug })).status).toBe(200);
  });
});
