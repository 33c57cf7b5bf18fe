import { describe, expect, it } from 'vitest';
import { AuditLog, User } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createUser, fakePhone } from '#seeds/factories';
import { readOutbox } from '~/core/messages.server';
import { action as loginAction } from '~/routes/login/route';
import { action as profileAction, loader as profileLoader } from '~/routes/profile/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { lastCodeSentTo } from '../support/outbox';

/** Proving, adding and changing one's phone number or e-mail on the profile (issue 11, finding 2). */
async function signIn(identifier: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier, password: DEMO_PASSWORD }));
  return new CookieJar().take(outcome.headers);
}

async function startChange(jar: CookieJar, identifier: string, currentPassword = DEMO_PASSWORD) {
  const outcome = await call<{ result: { error: Record<string, string[]> } }>(profileAction, formRequest('/profile', { intent: 'identifierStart', identifier, currentPassword }, { jar }));
  jar.take(outcome.headers);
  return outcome;
}

const finish = (jar: CookieJar, code: string) =>
  call<{ result: { error: Record<string, string[]> } }>(profileAction, formRequest('/profile', { intent: 'identifierCode', code }, { jar }));

describe('proving a phone number or e-mail on the profile', () => {
  it('adds a phone number only after the current password and the code sent to it; audited without the number', async () => {
    const user = await createUser({ email: `add-${Date.now()}@example.test` });
    const jar = await signIn(user.email!);
    const phone = fakePhone();

    const wrongPassword = await startChange(jar, phone, 'not-my-password');
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.data.result.error.currentPassword).toEqual(['wrongPassword']);
    expect(await readOutbox({ to: phone })).toEqual([]);

    expect(await startChange(jar, phone)).toRedirectTo('/profile#identifiers', 303);
    const page = await call<{ pendingIdentifier: string | null }>(profileLoader, getRequest('/profile', { jar }));
    expect(page.data.pendingIdentifier).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    const code = (await lastCodeSentTo(phone))!;
    const wrong = await finish(jar, code === '123456' ? '654321' : '123456');
    expect(wrong.status).toBe(400);
    expect(wrong.data.result.error.code).toEqual(['codeInvalid']);
    expect((await User.findById(user._id).lean())?.phone).toBeUndefined();

    await expect(await finish(jar, code)).toSendToast({ type: 'success', key: 'toast.identifierProven' });
    const after = await User.findById(user._id).lean();
    expect(after?.phone).toBe(phone);
    expect(after?.phoneProvenAt).toBeInstanceOf(Date);
    expect(after?.searchText).toContain(phone);
    const entries = await AuditLog.find({ targetId: String(user._id), action: /identifier/ }).lean();
    expect(entries.map((e) => e.action)).toEqual(['user.identifierChanged']);
    expect(JSON.stringify(entries)).not.toContain(phone);
  });

  it('a number another account proved gets its owner a notice, no code; the answer is the same and nothing changes', async () => {
    const owner = await createUser({ phone: fakePhone() });
    const other = await createUser({ email: `other-${Date.now()}@example.test` });
    const jar = await signIn(other.email!);
    expect(await startChange(jar, owner.phone!)).toRedirectTo('/profile#identifiers', 303);
    const [notice] = await readOutbox({ to: owner.phone!, limit: 1 });
    expect(notice?.purpose).toBe('alreadyRegistered');
    expect(notice?.text).not.toMatch(/\d{6}/);
    for (const guess of ['000000', '123456']) expect((await finish(jar, guess)).status).toBe(400);
    expect((await User.findById(other._id).lean())?.phone).toBeUndefined();
    expect((await User.findById(owner._id).lean())?.phone).toBe(owner.phone);
  });

  it('proves the number an account already has, and a code meant for one account cannot be spent by another', async () => {
    const phone = fakePhone();
    const user = await createUser({ phone, proven: false });
    const jar = await signIn(phone);
    const listed = await call<{ profile: { phoneProven: boolean } }>(profileLoader, getRequest('/profile', { jar }));
    expect(listed.data.profile.phoneProven).toBe(false);
    await startChange(jar, phone);
    const code = (await lastCodeSentTo(phone))!;

    // Someone else signed in, with the same pending cookie copied, cannot spend it.
    const intruder = await createUser();
    const intruderJar = await signIn(intruder.email!);
    const copied = `${intruderJar.header()}; lsx_pending=${jar.get('lsx_pending')}`;
    const refused = await call(profileAction, formRequest('/profile', { intent: 'identifierCode', code }, { cookie: copied }));
    expect(refused.status).toBe(400);
    expect((await User.findById(intruder._id).lean())?.phone).toBeUndefined();

    await expect(await finish(jar, code)).toSendToast({ type: 'success', key: 'toast.identifierProven' });
    expect((await User.findById(user._id).lean())?.phoneProvenAt).toBeInstanceOf(Date);
    expect(await AuditLog.countDocuments({ targetId: String(user._id), action: 'user.identifierProven' })).toBe(1);
  });
});
