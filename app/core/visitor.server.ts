import { randomBytes } from 'node:crypto';
import { createCookie } from '@remix-run/node';

/**
 * A random per-visitor seed for the proposals' random order: the same visitor sees the same
 * order on every page; different visitors see different orders.
 */
const seedCookie = createCookie('lsx_seed', { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 * 24 * 90 });

export async function visitorSeed(request: Request): Promise<{ seed: string; setCookie: string | null }> {
  // What the cookie holds is checked below, not trusted.
  const existing: unknown = await seedCookie.parse(request.headers.get('Cookie'));
  if (typeof existing === 'string' && /^[a-f0-9]{16}$/.test(existing)) return { seed: existing, setCookie: null };
  const seed = randomBytes(8).toString('hex');
  return { seed, setCookie: await seedCookie.serialize(seed) };
}
