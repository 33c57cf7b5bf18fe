import { createHmac, randomBytes } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import { cookieSecrets } from './session.server';

/**
 * The seed of the proposals' random order. A visitor who has one (the `lsx_seed` cookie) sees
 * the same order on every page, the list and the ballot alike; different visitors see different
 * orders. An anonymous visitor on the list without one shares the hour's seed (docs/decisions/020),
 * so that page can come from the anonymous page cache.
 */
const seedCookie = createCookie('lsx_seed', { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 * 24 * 90 });
const SEED = /^[a-f0-9]{16}$/;

/** How long anonymous visitors without a seed share one order. */
export const SHARED_ORDER_MS = 60 * 60 * 1000;

/** The shared order's window that `at` (ms since the epoch) falls in: the page cache keys on it. */
export function sharedOrderWindow(at: number): number {
  return Math.floor(at / SHARED_ORDER_MS);
}

/**
 * The seed anonymous visitors share during the window of `at`: the same in every process that has
 * the secret, a new one each hour, and not computable ahead by anyone without the secret, so no one
 * can arrange to be on top in a coming hour.
 */
export function sharedSeed(secret: string, at: number): string {
  return createHmac('sha256', secret).update(`lsx-order:${sharedOrderWindow(at)}`).digest('hex').slice(0, 16);
}

async function ownSeed(request: Request): Promise<string | null> {
  // What the cookie holds is checked here, not trusted.
  const existing: unknown = await seedCookie.parse(request.headers.get('Cookie'));
  return typeof existing === 'string' && SEED.test(existing) ? existing : null;
}

/** The visitor's own seed, or a new random one with the cookie that keeps it (the ballot page). */
export async function visitorSeed(request: Request): Promise<{ seed: string; setCookie: string | null }> {
  const existing = await ownSeed(request);
  if (existing) return { seed: existing, setCookie: null };
  const seed = randomBytes(8).toString('hex');
  return { seed, setCookie: await seedCookie.serialize(seed) };
}

/**
 * The proposal list's seed: the visitor's own when they have one; for a signed-in visitor without
 * one a new own seed, as on the ballot, so the list they read is the order their ballot shows; for
 * an anonymous one the hour's shared seed and no cookie. The shared seed is never sent to anyone
 * and never becomes a voter's: a ballot's order stays the voter's own.
 */
export async function listSeed(request: Request, signedIn: boolean, now = Date.now()): Promise<{ seed: string; setCookie: string | null }> {
  if (signedIn) return visitorSeed(request);
  return { seed: (await ownSeed(request)) ?? sharedSeed(cookieSecrets()[0]!, now), setCookie: null };
}
