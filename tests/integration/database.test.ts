import { describe, expect, it } from 'vitest';
import { Session, User } from '#models';
import { createUser, fakePhone } from '#seeds/factories';
import { consumeAttempt } from '~/core/rate-limit.server';

describe('invariants hold on any of the supported databases', () => {
  it('a unique index keeps one account per phone number under 50 parallel inserts', async () => {
    const phone = fakePhone();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => User.create({ name: `并发${i}`, phone, roles: [] })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failures.every((f) => (f.reason as { code?: number }).code === 11000)).toBe(true);
    expect(await User.countDocuments({ phone })).toBe(1);
  });

  it('accounts without a phone number do not collide on the sparse unique index', async () => {
    await Promise.all(Array.from({ length: 5 }, () => createUser({ phone: undefined })));
    expect(await User.countDocuments({ phone: null })).toBeGreaterThanOrEqual(5);
  });

  it('an attempt counter allows exactly its limit under 50 parallel attempts', async () => {
    const limit = { max: 7, windowMs: 60_000 };
    for (let round = 0; round < 5; round++) {
      // Fifty at once on a counter that does not exist yet: creation races too.
      const attempts = await Promise.all(Array.from({ length: 50 }, () => consumeAttempt(`test:parallel:${round}`, limit)));
      expect(attempts.filter((a) => a.allowed)).toHaveLength(7);
      expect(attempts.filter((a) => !a.allowed).every((a) => a.retryAfterMs > 0)).toBe(true);
    }
  });

  it('an attempt counter starts again after its window', async () => {
    const limit = { max: 1, windowMs: 1_000 };
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect((await consumeAttempt('test:window', limit, t0)).allowed).toBe(true);
    expect((await consumeAttempt('test:window', limit, new Date(t0.getTime() + 500))).allowed).toBe(false);
    expect((await consumeAttempt('test:window', limit, new Date(t0.getTime() + 1_000))).allowed).toBe(true);
  });

  it('the session store refuses expired sessions even where the database does not purge them', async () => {
    await Session.create({ _id: 'expired-session', data: { userId: 'x' }, expiresAt: new Date(Date.now() - 1000) });
    const { getSession } = await import('~/core/session.server');
    const { cookieSecrets } = await import('~/core/session.server');
    const { createCookie } = await import('@remix-run/node');
    const cookie = await createCookie('lsx_session', { secrets: cookieSecrets() }).serialize('expired-session');
    const session = await getSession(new Request('http://localhost/', { headers: { Cookie: cookie } }));
    expect(session.get('userId')).toBeUndefined();
  });
});
