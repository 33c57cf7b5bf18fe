import { describe, expect, it } from 'vitest';
import { AuditLog, IdentityCode, Session, User } from '#models';
import { createUser, fakePhone } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as loginAction } from '~/routes/login/route';
import { action as logoutAction } from '~/routes/logout/route';
import { action as profileAction, loader as profileLoader } from '~/routes/profile/route';
import { action as registerAction } from '~/routes/register/route';
import { action as recoverAction } from '~/routes/login_.recover/route';
import { ACCOUNT_BACKOFF, PAIR_BACKOFF } from '~/features/accounts/login.server';
import { backoffDelay } from '~/core/rate-limit.server';
import { readOutbox } from '~/core/messages.server';
import { revokeUserSessions, SESSION_COOKIE } from '~/core/session.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { lastCodeSentTo, registerThroughOutbox } from '../support/outbox';

async function login(identifier: string, password: string, jar = new CookieJar(), ip?: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier, password }, { jar, ip }));
  jar.take(outcome.headers);
  return { outcome, jar };
}

describe('registration', () => {
  it('proves the number with a code, then creates a resident account and signs them in', async () => {
    const phone = fakePhone();
    const { outcome, jar, code } = await registerThroughOutbox({ name: '王秀英', identifier: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, password: 'sea-and-mountain' });
    expect(code).toMatch(/^\d{6}$/);
    expect(outcome).toRedirectTo('/profile?welcome=1', 303);
    expect(jar.get(SESSION_COOKIE)).toBeTruthy();

    const user = await User.findOne({ phone }).select('+passwordHash').lean();
    // Signed in: one session, theirs, and the cookie opens their profile.
    expect(await Session.countDocuments({ user: user?._id })).toBe(1);
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(200);
    expect(user?.name).toBe('王秀英');
    expect(user?.phoneProvenAt).toBeInstanceOf(Date);
    expect(user?.roles.map((r) => r.role)).toEqual(['resident']);
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(user?.passwordHash).not.toContain('sea-and-mountain');
    // The stored code is an HMAC, not the code.
    const stored = await IdentityCode.findOne({ identifier: phone }).lean();
    expect(stored?.codeHash).not.toContain(code!);
    expect(stored?.usedAt).toBeInstanceOf(Date);
  });

  it('creates nothing without the right code, and a code works once and for five guesses at most', async () => {
    const phone = fakePhone();
    const jar = new CookieJar();
    jar.take((await call(registerAction, formRequest('/register', { intent: 'send', identifier: phone }, { jar }))).headers);
    const code = (await lastCodeSentTo(phone))!;
    const wrong = code === '000000' ? '000001' : '000000';
    const finish = (c: string) =>
      call<{ result: { error: Record<string, string[]> } }>(
        registerAction,
        formRequest('/register', { intent: 'finish', code: c, name: '赵大爷', password: 'tea-garden-walk', confirmPassword: 'tea-garden-walk' }, { jar }),
      );
    const refused = await finish(wrong);
    expect(refused.status).toBe(400);
    expect(refused.data.result.error.code).toEqual(['codeInvalid']);
    expect(await User.countDocuments({ phone })).toBe(0);
    expect(await finish(code)).toRedirectTo('/profile?welcome=1', 303);
    // Spent: the same code cannot open a second account (after the first is gone).
    await User.deleteOne({ phone });
    expect((await finish(code)).status).toBe(400);
    expect(await User.countDocuments({ phone })).toBe(0);

    // Five wrong guesses burn a fresh code even when the right one follows.
    const other = fakePhone();
    const jar2 = new CookieJar();
    jar2.take((await call(registerAction, formRequest('/register', { intent: 'send', identifier: other }, { jar: jar2 }))).headers);
    const right = (await lastCodeSentTo(other))!;
    for (let i = 0; i < 5; i++) {
      const guess = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
      await call(registerAction, formRequest('/register', { intent: 'finish', code: guess, name: '钱阿姨', password: 'tea-garden-walk', confirmPassword: 'tea-garden-walk' }, { jar: jar2 }));
    }
    const late = await call(registerAction, formRequest('/register', { intent: 'finish', code: right, name: '钱阿姨', password: 'tea-garden-walk', confirmPassword: 'tea-garden-walk' }, { jar: jar2 }));
    expect(late.status).toBe(400);
    expect(await User.countDocuments({ phone: other })).toBe(0);
  });

  it('opens one account when the same code is sent ten times at once', async () => {
    const phone = fakePhone();
    const jar = new CookieJar();
    jar.take((await call(registerAction, formRequest('/register', { intent: 'send', identifier: phone }, { jar }))).headers);
    const code = (await lastCodeSentTo(phone))!;
    const fields = { intent: 'finish', code, name: '李桂兰', password: 'tea-garden-walk', confirmPassword: 'tea-garden-walk' };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => call(registerAction, formRequest('/register', fields, { jar }))));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 400)).toHaveLength(9);
    expect(await User.countDocuments({ phone })).toBe(1);
  });

  it('keeps what was typed (but never the password or code) and explains the problem', async () => {
    const start = await call<{ result: { error: Record<string, string[]> } }>(registerAction, formRequest('/register', { intent: 'send', identifier: 'not-a-number' }));
    expect(start.status).toBe(400);
    expect(start.data.result.error.identifier).toEqual(['identifierInvalid']);
    const outcome = await call<{ result: { initialValue: Record<string, string>; error: Record<string, string[]> } }>(
      registerAction,
      formRequest('/register', { intent: 'finish', code: '12', name: '张建国', password: 'abc', confirmPassword: 'abd' }),
    );
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.initialValue.name).toBe('张建国');
    expect(outcome.data.result.initialValue.password).toBeUndefined();
    expect(outcome.data.result.initialValue.code).toBeUndefined();
    expect(outcome.data.result.error.code).toEqual(['codeFormat']);
    expect(outcome.data.result.error.password).toContain('passwordTooShort');
    expect(await User.countDocuments({ name: '张建国' })).toBe(0);
  });

  it('takes a number from an account that never proved it, once its owner proves it (no squatting)', async () => {
    const phone = fakePhone();
    const squatter = await createUser({ phone, name: '冒名者', proven: false });
    const { outcome } = await registerThroughOutbox({ name: '真正的机主', identifier: phone, password: 'owner-of-number-1' });
    expect(outcome.status).toBe(303);
    const owner = await User.findOne({ phone }).lean();
    expect(owner?.name).toBe('真正的机主');
    const left = await User.findById(squatter._id).lean();
    expect(left?.phone).toBeUndefined();
    expect(left?.searchText).not.toContain(phone);
    expect(await AuditLog.countDocuments({ action: 'user.identifierReleased', targetId: String(squatter._id) })).toBe(1);
  });
});

describe('login and sessions', () => {
  it('stores the session in the database; the cookie holds only its id', async () => {
    const user = await createUser({ email: 'li.wei@example.test' });
    const { outcome, jar } = await login('li.wei@example.test', DEMO_PASSWORD);
    expect(outcome.status).toBe(303);
    const sessions = await Session.find({ user: user._id }).lean();
    expect(sessions).toHaveLength(1);
    const cookie = decodeURIComponent(jar.get(SESSION_COOKIE) ?? '');
    expect(cookie).not.toContain(String(user._id));
    expect(Buffer.from(cookie.split('.')[0] ?? '', 'base64').toString()).toContain(sessions[0]!._id);
  });

  it('sets the cookie HttpOnly and SameSite=Lax', async () => {
    await createUser({ email: 'cookie@example.test' });
    const { outcome } = await login('cookie@example.test', DEMO_PASSWORD);
    const setCookie = outcome.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it('issues a new session id at every login, never reusing the one the browser brought', async () => {
    const user = await createUser({ email: 'rotate@example.test' });
    const { jar } = await login('rotate@example.test', DEMO_PASSWORD);
    const first = jar.get(SESSION_COOKIE);
    // The session ends on the server (as after a password change elsewhere); the browser still has the cookie.
    await revokeUserSessions(String(user._id));
    const again = await login('rotate@example.test', DEMO_PASSWORD, jar);
    expect(again.outcome.status).toBe(303);
    expect(jar.get(SESSION_COOKIE)).not.toBe(first);
    expect(await Session.countDocuments({ user: user._id })).toBe(1);
    const other = await login('rotate@example.test', DEMO_PASSWORD);
    expect(other.jar.get(SESSION_COOKIE)).not.toBe(jar.get(SESSION_COOKIE));
  });

  it('a signed-in visitor is sent home from the login page instead of logging in again', async () => {
    await createUser({ email: 'twice@example.test' });
    const { jar } = await login('twice@example.test', DEMO_PASSWORD);
    const { outcome } = await login('twice@example.test', DEMO_PASSWORD, jar);
    expect(outcome).toRedirectTo('/', 302);
  });

  it('after logout, replaying the old session cookie shows the login page', async () => {
    await createUser({ email: 'replay@example.test' });
    const { jar } = await login('replay@example.test', DEMO_PASSWORD);
    const stolen = jar.header();
    expect((await call(profileLoader, getRequest('/profile', { cookie: stolen }))).status).toBe(200);

    const out = await call(logoutAction, formRequest('/logout', {}, { jar }));
    expect(out).toRedirectTo('/', 303);
    await expect(out).toSendToast({ type: 'info', key: 'toast.loggedOut' });

    const replay = await call(profileLoader, getRequest('/profile', { cookie: stolen }));
    expect(replay).toRedirectTo('/login?redirectTo=%2Fprofile', 302);
  });

  it('a wrong password is refused with a general message that does not tell which part was wrong', async () => {
    await createUser({ email: 'wrong@example.test' });
    const wrong = await login('wrong@example.test', 'not-the-password');
    const nobody = await login('nobody@example.test', 'not-the-password');
    expect(wrong.outcome.status).toBe(400);
    expect(nobody.outcome.status).toBe(400);
    const errors = (o: typeof wrong) => (o.outcome.data as { result: { error: unknown } }).result.error;
    expect(errors(wrong)).toEqual({ '': ['invalidCredentials'] });
    expect(errors(nobody)).toEqual(errors(wrong));
  });

  it('five wrong passwords from one address make that address wait, doubling; the owner elsewhere is not locked out', async () => {
    await createUser({ email: 'guessed@example.test' });
    const attacker = '198.51.100.1';
    for (let i = 1; i <= PAIR_BACKOFF.free; i++) {
      expect((await login('guessed@example.test', `guess-${i}`, new CookieJar(), attacker)).outcome.status, `attempt ${i}`).toBe(400);
    }
    // Even the right password is not checked from there now.
    const waiting = await login('guessed@example.test', DEMO_PASSWORD, new CookieJar(), attacker);
    expect(waiting.outcome.status).toBe(429);
    expect(waiting.outcome.data).toMatchObject({ result: { error: { '': ['tooManyAttempts'] } }, values: { minutes: 1 }, unlockable: true });
    // The owner, at home, signs in.
    expect((await login('guessed@example.test', DEMO_PASSWORD, new CookieJar(), '198.51.100.200')).outcome.status).toBe(303);
  });

  it('the wait doubles with each failure after the free ones, up to an hour', () => {
    const waits = [4, 5, 6, 7, 8, 20].map((failures) => backoffDelay(PAIR_BACKOFF, failures));
    expect(waits).toEqual([0, 60_000, 120_000, 240_000, 480_000, 60 * 60_000]);
  });

  it('holds the per-address allowance under 12 parallel guesses', async () => {
    await createUser({ email: 'parallel@example.test' });
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login('parallel@example.test', `guess-${i}`, new CookieJar(), '192.0.2.50')),
    );
    const statuses = outcomes.map((o) => o.outcome.status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(PAIR_BACKOFF.free);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12 - PAIR_BACKOFF.free);
  });

  it('guesses from many addresses lock the account after ACCOUNT_BACKOFF.free; its owner unlocks it with a code to the proven number', async () => {
    const phone = fakePhone();
    await createUser({ phone });
    for (let i = 0; i < ACCOUNT_BACKOFF.free; i++) {
      expect((await login(phone, `guess-${i}`, new CookieJar(), `10.9.${Math.floor(i / 200)}.${i % 200}`)).outcome.status).toBe(400);
    }
    const owner = '198.51.100.201';
    const locked = await login(phone, DEMO_PASSWORD, new CookieJar(), owner);
    expect(locked.outcome.status).toBe(429);
    expect(locked.outcome.data).toMatchObject({ unlockable: true });

    const jar = new CookieJar();
    const asked = await call(recoverAction, formRequest('/login/recover', { intent: 'send', mode: 'unlock', identifier: phone }, { jar, ip: owner }));
    expect(asked).toRedirectTo('/login/recover?mode=unlock&step=code', 303);
    jar.take(asked.headers);
    const code = await lastCodeSentTo(phone);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await call(recoverAction, formRequest('/login/recover', { intent: 'code', mode: 'unlock', code: code === '111111' ? '222222' : '111111' }, { jar, ip: owner }));
    expect(wrong.status).toBe(400);
    expect((await login(phone, DEMO_PASSWORD, new CookieJar(), owner)).outcome.status).toBe(429);
    const unlocked = await call(recoverAction, formRequest('/login/recover', { intent: 'code', mode: 'unlock', code: code! }, { jar, ip: owner }));
    expect(unlocked).toRedirectTo('/login', 303);
    expect((await login(phone, DEMO_PASSWORD, new CookieJar(), owner)).outcome.status).toBe(303);
    expect(await AuditLog.countDocuments({ action: 'user.unlocked' })).toBeGreaterThanOrEqual(1);
  });

  it('asking for an unlock code answers the same for an unknown or unproven account and sends nothing', async () => {
    const unproven = fakePhone();
    await createUser({ phone: unproven, proven: false });
    const unknown = fakePhone();
    const known = fakePhone();
    await createUser({ phone: known });
    const answers = [];
    for (const identifier of [unknown, unproven, known]) {
      answers.push(await call(recoverAction, formRequest('/login/recover', { intent: 'send', mode: 'unlock', identifier }, { ip: '198.51.100.202' })));
    }
    for (const answer of answers) expect(answer).toRedirectTo('/login/recover?mode=unlock&step=code', 303);
    expect(await readOutbox({ to: unknown })).toEqual([]);
    expect(await readOutbox({ to: unproven })).toEqual([]);
    expect(await readOutbox({ to: known })).toHaveLength(1);
  });

  it('limits failed logins per IP address across accounts', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 50; i++) {
      const { outcome } = await login(`spray${i}@example.test`, 'whatever-password', new CookieJar(), ip);
      expect(outcome.status).toBe(400);
    }
    await createUser({ email: 'victim@example.test' });
    const { outcome } = await login('victim@example.test', DEMO_PASSWORD, new CookieJar(), ip);
    expect(outcome.status).toBe(429);
    const elsewhere = await login('victim@example.test', DEMO_PASSWORD, new CookieJar(), '203.0.113.78');
    expect(elsewhere.outcome.status).toBe(303);
  });

  it('a forgotten password is reset with a code to the proven number: sessions end, the old password stops working', async () => {
    const phone = fakePhone();
    const user = await createUser({ phone });
    const other = await login(phone, DEMO_PASSWORD);
    const jar = new CookieJar();
    const asked = await call(recoverAction, formRequest('/login/recover', { intent: 'send', mode: 'reset', identifier: phone }, { jar }));
    expect(asked).toRedirectTo('/login/recover?mode=reset&step=code', 303);
    jar.take(asked.headers);
    const code = (await lastCodeSentTo(phone))!;
    // An unlock code is not a reset code.
    const unlockJar = new CookieJar();
    unlockJar.take((await call(recoverAction, formRequest('/login/recover', { intent: 'send', mode: 'unlock', identifier: phone }, { jar: unlockJar }))).headers);
    const unlockCode = (await lastCodeSentTo(phone))!;
    const fields = (c: string) => ({ intent: 'code', mode: 'reset', code: c, password: 'brand-new-harbour', confirmPassword: 'brand-new-harbour' });
    if (unlockCode !== code) expect((await call(recoverAction, formRequest('/login/recover', fields(unlockCode), { jar }))).status).toBe(400);
    const done = await call(recoverAction, formRequest('/login/recover', fields(code), { jar }));
    expect(done).toRedirectTo('/profile', 303);
    jar.take(done.headers);
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(200);
    expect((await call(profileLoader, getRequest('/profile', { jar: other.jar }))).status).toBe(302);
    expect((await login(phone, DEMO_PASSWORD)).outcome.status).toBe(400);
    expect((await login(phone, 'brand-new-harbour')).outcome.status).toBe(303);
    expect(await AuditLog.countDocuments({ action: 'user.passwordReset', targetId: String(user._id) })).toBe(1);
    // Spent.
    expect((await call(recoverAction, formRequest('/login/recover', fields(code), { jar: new CookieJar().take(asked.headers) }))).status).toBe(400);
  });

  it('a success resets the count', async () => {
    await createUser({ email: 'forgetful@example.test' });
    for (let i = 0; i < PAIR_BACKOFF.free - 1; i++) await login('forgetful@example.test', 'wrong-password', new CookieJar(), '10.0.0.1');
    expect((await login('forgetful@example.test', DEMO_PASSWORD, new CookieJar(), '10.0.0.1')).outcome.status).toBe(303);
    for (let i = 0; i < PAIR_BACKOFF.free; i++) {
      expect((await login('forgetful@example.test', 'wrong-password', new CookieJar(), '10.0.0.1')).outcome.status).toBe(400);
    }
  });
});

describe('password change', () => {
  it('revokes every session, keeps this browser signed in with a new id, and the old password stops working', async () => {
    const user = await createUser({ email: 'change@example.test' });
    const phone = await login('change@example.test', DEMO_PASSWORD);
    const laptop = await login('change@example.test', DEMO_PASSWORD);
    const before = laptop.jar.get(SESSION_COOKIE);

    const outcome = await call(
      profileAction,
      formRequest('/profile', { intent: 'password', currentPassword: DEMO_PASSWORD, password: 'new-harbour-pass', confirmPassword: 'new-harbour-pass' }, { jar: laptop.jar }),
    );
    expect(outcome.status).toBe(303);
    laptop.jar.take(outcome.headers);
    expect(laptop.jar.get(SESSION_COOKIE)).not.toBe(before);

    expect((await call(profileLoader, getRequest('/profile', { jar: phone.jar }))).status).toBe(302);
    expect((await call(profileLoader, getRequest('/profile', { jar: laptop.jar }))).status).toBe(200);
    expect(await Session.countDocuments({ user: user._id })).toBe(1);

    expect((await login('change@example.test', DEMO_PASSWORD)).outcome.status).toBe(400);
    expect((await login('change@example.test', 'new-harbour-pass')).outcome.status).toBe(303);
  });

  it('refuses the change when the current password is wrong, and changes nothing', async () => {
    await createUser({ email: 'keep@example.test' });
    const { jar } = await login('keep@example.test', DEMO_PASSWORD);
    const outcome = await call(
      profileAction,
      formRequest('/profile', { intent: 'password', currentPassword: 'wrong-password', password: 'new-harbour-pass', confirmPassword: 'new-harbour-pass' }, { jar }),
    );
    expect(outcome.status).toBe(400);
    expect((await login('keep@example.test', DEMO_PASSWORD)).outcome.status).toBe(303);
  });
});
