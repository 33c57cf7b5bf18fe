import { beforeAll, describe, expect, it } from 'vitest';
import { RateLimit, Session, User } from '#models';
import { createCompetition, createUser, grant } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as loginAction } from '~/routes/login/route';
import { action as verifyAction } from '~/routes/login_.verify/route';
import { action as recoverAction } from '~/routes/login_.recover/route';
import { action as profileAction, loader as profileLoader } from '~/routes/profile/route';
import { SESSION_COOKIE } from '~/core/session.server';
import { base32Decode, hotp, stepAt } from '~/core/totp.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { lastCodeSentTo } from '../support/outbox';

const codeFor = (secret: string, offset = 0) => hotp(base32Decode(secret), stepAt(Date.now()) + offset);
let userId: string;
let secret: string;

async function passwordStep() {
  const outcome = await call(loginAction, formRequest('/login', { identifier: 'totp@example.test', password: DEMO_PASSWORD }));
  return { outcome, jar: new CookieJar().take(outcome.headers) };
}

beforeAll(async () => {
  const competition = await createCompetition();
  userId = String((await createUser({ email: 'totp@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] }))._id);
  const { jar } = await passwordStep();
  const started = await call<{ secret: string; qr: string }>(profileAction, formRequest('/profile', { intent: 'totpStart' }, { jar }));
  secret = started.data.secret;
  expect(started.data.qr).toMatch(/^data:image\/svg\+xml;base64,/);
  const wrong = await call(profileAction, formRequest('/profile', { intent: 'totpConfirm', code: '000000' }, { jar }));
  expect(wrong.status).toBe(400);
  const confirmed = await call(profileAction, formRequest('/profile', { intent: 'totpConfirm', code: codeFor(secret, -1) }, { jar }));
  expect(confirmed.status).toBe(303);
});

describe('two-step verification', () => {
  it('is offered to committee members, not to plain residents', async () => {
    await createUser({ email: 'plain-totp@example.test' });
    const plain = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: 'plain-totp@example.test', password: DEMO_PASSWORD }))).headers);
    expect((await call<{ totp: unknown }>(profileLoader, getRequest('/profile', { jar: plain }))).data.totp).toBeNull();
    const user = await User.findById(userId).lean();
    expect(user?.totp?.enabledAt).toBeInstanceOf(Date);
    expect(JSON.stringify(user)).not.toContain(secret);
  });

  it('a right password alone starts no session; the code does, once', async () => {
    const sessionsBefore = await Session.countDocuments({ user: userId });
    const { outcome, jar } = await passwordStep();
    expect(outcome).toRedirectTo('/login/verify', 303);
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(await Session.countDocuments({ user: userId })).toBe(sessionsBefore);

    expect((await call(verifyAction, formRequest('/login/verify', { code: '123456' }, { jar }))).status).toBe(400);
    const code = codeFor(secret);
    const verified = await call(verifyAction, formRequest('/login/verify', { code }, { jar }));
    expect(verified).toRedirectTo('/', 303);
    // Now one session more, and the cookie it set opens the profile.
    expect(await Session.countDocuments({ user: userId })).toBe(sessionsBefore + 1);
    const signedIn = new CookieJar().take(verified.headers);
    expect(signedIn.get(SESSION_COOKIE)).toBeTruthy();
    expect((await call(profileLoader, getRequest('/profile', { jar: signedIn }))).status).toBe(200);

    // The same code again (a replay) is refused.
    const second = await passwordStep();
    expect((await call(verifyAction, formRequest('/login/verify', { code }, { jar: second.jar }))).status).toBe(400);
  });

  it('without the password step there is nothing to verify', async () => {
    const outcome = await call(verifyAction, formRequest('/login/verify', { code: codeFor(secret) }));
    expect(outcome).toRedirectTo('/login', 302);
  });

  it('guessing codes is limited to five per 15 minutes', async () => {
    await RateLimit.deleteMany({ key: `totp:${userId}` });
    const { jar } = await passwordStep();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(verifyAction, formRequest('/login/verify', { code: String(100000 + i) }, { jar }))).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const right = await call(verifyAction, formRequest('/login/verify', { code: codeFor(secret, 1) }, { jar }));
    expect(right.status).toBe(429);
  });
});

describe('a password reset by code keeps the second factor', () => {
  it('after a reset with a code to the e-mail, the session starts only after the authenticator code', async () => {
    await RateLimit.deleteMany({ key: `totp:${userId}` });
    // Earlier tests spent the current step's code; allow it once more.
    await User.updateOne({ _id: userId }, { $set: { 'totp.lastStep': 0 } });
    const jar = new CookieJar();
    jar.take((await call(recoverAction, formRequest('/login/recover', { intent: 'send', mode: 'reset', identifier: 'totp@example.test' }, { jar }))).headers);
    const code = (await lastCodeSentTo('totp@example.test'))!;
    const reset = await call(recoverAction, formRequest('/login/recover', { intent: 'code', mode: 'reset', code, password: 'second-factor-stays', confirmPassword: 'second-factor-stays' }, { jar }));
    expect(reset).toRedirectTo('/login/verify', 303);
    jar.take(reset.headers);
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(302);
    const verified = await call(verifyAction, formRequest('/login/verify', { code: codeFor(secret, 0) }, { jar }));
    expect(verified).toRedirectTo('/profile', 303);
    jar.take(verified.headers);
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(200);
  });
});
