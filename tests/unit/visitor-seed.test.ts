import { describe, expect, it } from 'vitest';
import { inVisitorOrder } from '~/features/proposals/random-order.server';
import { cookieSecrets } from '~/core/session.server';
import { listSeed, SHARED_ORDER_MS, sharedOrderWindow, sharedSeed, visitorSeed } from '~/core/visitor.server';

const SECRET = 'a-secret-that-is-at-least-32-characters';
const HOUR = Date.UTC(2026, 11, 2, 14);
// The seed cookie as the app writes it (Remix's base64 of the JSON value).
const seedCookie = (seed: string) => `lsx_seed=${encodeURIComponent(Buffer.from(JSON.stringify(seed)).toString('base64'))}`;
const list = (cookie?: string) => new Request('http://localhost/competitions/c/proposals', { headers: cookie ? { Cookie: cookie } : {} });

describe("anonymous visitors' shared order on the proposal list", () => {
  it('is one seed for the whole hour, a new one the next hour, and a different one under another secret', () => {
    const seed = sharedSeed(SECRET, HOUR);
    expect(seed).toMatch(/^[a-f0-9]{16}$/);
    expect(sharedSeed(SECRET, HOUR + SHARED_ORDER_MS - 1)).toBe(seed);
    expect(sharedOrderWindow(HOUR + SHARED_ORDER_MS - 1)).toBe(sharedOrderWindow(HOUR));
    const next = sharedSeed(SECRET, HOUR + SHARED_ORDER_MS);
    expect(next).not.toBe(seed);
    expect(sharedSeed(SECRET, HOUR - 1)).not.toBe(seed);
    expect(sharedSeed('another-secret-that-is-at-least-32-chars', HOUR)).not.toBe(seed);
    // The order itself turns over with the hour.
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `64b0000000000000000000${String(i).padStart(2, '0')}` }));
    expect(inVisitorOrder(items, next)).not.toEqual(inVisitorOrder(items, seed));
  });

  it('is what an anonymous visitor without a seed gets, with no cookie, changing with the hour', async () => {
    const secret = cookieSecrets()[0]!;
    expect(await listSeed(list(), false, HOUR)).toEqual({ seed: sharedSeed(secret, HOUR), setCookie: null });
    expect((await listSeed(list(), false, HOUR + SHARED_ORDER_MS / 2)).seed).toBe(sharedSeed(secret, HOUR));
    expect((await listSeed(list(), false, HOUR + SHARED_ORDER_MS)).seed).toBe(sharedSeed(secret, HOUR + SHARED_ORDER_MS));
    // A cookie that is not a seed is no seed: the shared one, and still no cookie.
    expect(await listSeed(list('lsx_seed=not-a-seed'), false, HOUR)).toEqual({ seed: sharedSeed(secret, HOUR), setCookie: null });
  });

  it('never replaces a visitor’s own seed, and a signed-in visitor without one gets their own, never the shared one', async () => {
    expect(await listSeed(list(seedCookie('0123456789abcdef')), false, HOUR)).toEqual({ seed: '0123456789abcdef', setCookie: null });
    expect(await listSeed(list(seedCookie('0123456789abcdef')), true, HOUR)).toEqual({ seed: '0123456789abcdef', setCookie: null });
    const signedIn = await listSeed(list(), true, HOUR);
    expect(signedIn.seed).not.toBe(sharedSeed(cookieSecrets()[0]!, HOUR));
    expect(signedIn.setCookie).toMatch(/^lsx_seed=/);
    // The ballot page's seed is the visitor's own too.
    const ballot = await visitorSeed(list());
    expect(ballot.seed).not.toBe(sharedSeed(cookieSecrets()[0]!, Date.now()));
    expect(ballot.setCookie).toMatch(/^lsx_seed=/);
  });
});
