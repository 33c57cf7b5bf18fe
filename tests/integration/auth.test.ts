import { describe, expect, it } from 'vitest';
import { Session, User } from '#models';
import { createUser } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as loginAction } from '~/routes/login/route';
import { action as logoutAction } from '~/routes/logout/route';
import { action as profileAction, loader as profileLoader } from '~/routes/profile/route';
import { action as registerAction } from '~/routes/register/route';
import { revokeUserSessions, SESSION_COOKIE } from '~/core/session.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

async function login(identifier: string, password: string, jar = new CookieJar(), ip?: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier, password }, { jar, ip }));
  jar.take(outcome.headers);
  return { outcome, jar };
}

describe('registration', () => {
  it('creates a resident account and signs them in', async () => {
    const jar = new CookieJar();
    const outcome = await call(
      registerAction,
      formRequest('/register', { name: '王秀英', identifier: '138 0000 1111', password: 'sea-and-mountain', confirmPassword: 'sea-and-mountain' }, { jar }),
    );
    expect(outcome).toRedirectTo('/profile?welcome=1', 303);
    jar.take(outcome.headers);
    expect(jar.get(SESSION_COOKIE)).toBeTruthy();

    const user = await User.findOne({ phone: '13800001111' }).select('+passwordHash').lean();
    // Signed in: one session, theirs, and the cookie opens their profile.
    expect(await Session.countDocuments({ user: user?._id })).toBe(1);
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(200);
    expect(user?.name).toBe('王秀英');
    expect(user?.roles.map((r) => r.role)).toEqual(['resident']);
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(user?.passwordHash).not.toContain('sea-and-mountain');

    const profile = await call(profileLoader, getRequest('/profile', { jar }));
    expect(profile.status).toBe(200);
  });

  it('refuses a second account with the same number, also when both arrive at once', async () => {
    const fields = { name: '李桂兰', identifier: '13800002222', password: 'tea-garden-walk', confirmPassword: 'tea-garden-walk' };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => call(registerAction, formRequest('/register', fields))));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 400)).toHaveLength(9);
    expect(await User.countDocuments({ phone: '13800002222' })).toBe(1);
  });

  it('keeps what was typed (but never the password) and explains the problem', async () => {
    const outcome = await call<{ result: { initialValue: Record<string, string>; error: Record<string, string[]> } }>(
      registerAction,
      formRequest('/register', { name: '张建国', identifier: 'not-a-number', password: 'abc', confirmPassword: 'abd' }),
    );
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.initialValue.name).toBe('张建国');
    expect(outcome.data.result.initialValue.password).toBeUndefined();
    expect(outcome.data.result.error.identifier).toEqual(['identifierInvalid']);
    expect(outcome.data.result.error.password).toContain('passwordTooShort');
    expect(await User.countDocuments({ name: '张建国' })).toBe(0);
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

  it('the eleventh wrong password in a row is refused without being checked', async () => {
    await createUser({ email: 'guessed@example.test' });
    for (let i = 1; i <= 10; i++) {
      const { outcome } = await login('guessed@example.test', `guess-${i}`, new CookieJar(), `198.51.100.${i}`);
      expect(outcome.status, `attempt ${i}`).toBe(400);
    }
    // Even the right password is not checked now: the account is locked for its window.
    const { outcome } = await login('guessed@example.test', DEMO_PASSWORD, new CookieJar(), '198.51.100.99');
    expect(outcome.status).toBe(429);
    expect(outcome.data).toMatchObject({ result: { error: { '': ['tooManyAttempts'] } }, values: { minutes: 15 } });
  });

  it('holds the account limit under 30 parallel guesses', async () => {
    await createUser({ email: 'parallel@example.test' });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login('parallel@example.test', `guess-${i}`, new CookieJar(), `192.0.2.${i}`)),
    );
    const statuses = outcomes.map((o) => o.outcome.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
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

  it('a success resets the account count', async () => {
    await createUser({ email: 'forgetful@example.test' });
    for (let i = 0; i < 9; i++) await login('forgetful@example.test', 'wrong-password', new CookieJar(), `10.0.0.${i}`);
    expect((await login('forgetful@example.test', DEMO_PASSWORD)).outcome.status).toBe(303);
    for (let i = 0; i < 9; i++) {
      expect((await login('forgetful@example.test', 'wrong-password', new CookieJar(), `10.0.1.${i}`)).outcome.status).toBe(400);
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
