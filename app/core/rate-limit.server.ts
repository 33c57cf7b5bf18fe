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
    const existing = await RateLimit.findOne({ key }).select('expiresAt').lean();
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
