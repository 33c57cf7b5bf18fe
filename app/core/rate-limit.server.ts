import mongoose from 'mongoose';
import { RateLimit } from '#models';
import { isDuplicateKeyError } from './db.server';

export interface Limit {
  /** Attempts allowed within the window. */
  max: number;
  windowMs: number;
}

export interface Attempt {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * Counts an attempt before the work it guards is done. The decision comes from a conditional
 * update ("add one if still under max") matching or not, never from reading the counter back:
 * under any concurrency exactly `max` attempts per window are allowed, and the one after is
 * refused without doing the work. (The stand-in database can return a stale document from
 * findOneAndUpdate under concurrency; see docs/decisions/001-embedded-database.md.)
 */
export async function consumeAttempt(key: string, limit: Limit, now = new Date()): Promise<Attempt> {
  await RateLimit.deleteOne({ key, expiresAt: mongoose.trusted({ $lte: now }) });
  const expiresAt = new Date(now.getTime() + limit.windowMs);
  for (let tries = 0; tries < 5; tries++) {
    const counted = await RateLimit.updateOne(
      { key, count: mongoose.trusted({ $lt: limit.max }) },
      { $inc: { count: 1 } },
    );
    if (counted.matchedCount === 1) return { allowed: true, retryAfterMs: 0 };
    const existing = await RateLimit.findOne({ key }).select('count expiresAt').lean();
    // A counter under max was created by a parallel first attempt after our update looked: count against it.
    if (existing && existing.count < limit.max) continue;
    if (existing) return { allowed: false, retryAfterMs: Math.max(0, existing.expiresAt.getTime() - now.getTime()) };
    try {
      await RateLimit.create({ key, count: 1, expiresAt });
      return { allowed: true, retryAfterMs: 0 };
    } catch (error) {
      // Another first attempt created the counter at the same moment: count against it instead.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`rate limit for ${key} kept changing under us`);
}

export async function resetAttempts(key: string): Promise<void> {
  await RateLimit.deleteOne({ key });
}

export interface Backoff {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure beyond `free`; it doubles with each further one. */
  baseMs: number;
  maxMs: number;
  /** A quiet period after which the failures are forgotten. */
  forgetMs: number;
}

/** The wait after `failures` failures: none within `free`, then base, 2 base, 4 base ... up to max. */
export function backoffDelay(policy: Backoff, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, failures - policy.free));
}

/**
 * Claims one attempt under a back-off: refused while the key is locked; otherwise counted as a
 * failure in advance (a success calls resetAttempts) and the next lock set, all in one
 * conditional update on the counter as read, so parallel attempts are allowed one at a time and
 * none slips past the lock.
 */
export async function claimWithBackoff(key: string, policy: Backoff, now = new Date()): Promise<Attempt> {
  await RateLimit.deleteOne({ key, expiresAt: mongoose.trusted({ $lte: now }) });
  const expiresAt = new Date(now.getTime() + policy.forgetMs);
  for (let tries = 0; tries < 20; tries++) {
    const current = await RateLimit.findOne({ key }).select('count lockedUntil').lean();
    if (!current) {
      try {
        await RateLimit.create({ key, count: 1, expiresAt, lockedUntil: new Date(now.getTime() + backoffDelay(policy, 1)) });
        return { allowed: true, retryAfterMs: 0 };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
    }
    if (current.lockedUntil && current.lockedUntil > now) return { allowed: false, retryAfterMs: current.lockedUntil.getTime() - now.getTime() };
    const failures = current.count + 1;
    const claimed = await RateLimit.updateOne(
      { key, count: current.count },
      { $set: { count: failures, expiresAt, lockedUntil: new Date(now.getTime() + backoffDelay(policy, failures)) } },
    );
    if (claimed.matchedCount === 1) return { allowed: true, retryAfterMs: 0 };
  }
  return { allowed: false, retryAfterMs: policy.baseMs };
}
