import { createHash, randomBytes, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, User, VerificationCode } from '#models';
import { audit } from '~/core/audit.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { scopeKey } from './residency';
import { auditView, placeOfCommunity, writeVerification } from './verification.server';

/**
 * One-time residency codes: a batch the committee prints for one community of its competition;
 * a resident who enters one is verified for that competition (docs/decisions/011-residency-scopes.md).
 */

// 32 symbols without look-alikes (0/O, 1/I); 10 of them are 50 bits.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
export const MAX_BATCH = 500;
export const CODE_USER_LIMIT: Limit = { max: 10, windowMs: 15 * 60 * 1000 };
export const CODE_IP_LIMIT: Limit = { max: 30, windowMs: 15 * 60 * 1000 };

export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}

function newCode(): string {
  const raw = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

export type GenerateResult =
  | { ok: true; batch: string; codes: string[]; expiresAt: Date; community: { zh: string; en?: string | null } }
  | { ok: false; reason: 'communityInvalid' | 'expiryInPast' };

/**
 * A batch of codes for one community of the competition's streets. The plain codes exist only in
 * this answer (for the printed sheet or the CSV); the database keeps their sha256.
 */
export async function generateCodes(input: {
  competitionId: string;
  eligibleStreets: string[];
  communityId: string;
  count: number;
  expiresAt: Date;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<GenerateResult> {
  const now = input.now ?? new Date();
  if (input.expiresAt <= now) return { ok: false, reason: 'expiryInPast' };
  const place = await placeOfCommunity(input.communityId);
  if (!place || (input.eligibleStreets.length && !input.eligibleStreets.includes(place.streetId))) return { ok: false, reason: 'communityInvalid' };
  const count = Math.min(Math.max(1, Math.floor(input.count)), MAX_BATCH);
  const batch = randomBytes(4).toString('hex');
  const codes = Array.from({ length: count }, newCode);
  await VerificationCode.insertMany(
    codes.map((code) => ({
      codeHash: hashCode(code),
      batch,
      competition: input.competitionId,
      street: place.streetId,
      community: place.communityId,
      createdBy: input.actorId,
      expiresAt: input.expiresAt,
    })),
  );
  await audit({
    actor: input.actorId,
    action: 'verificationCodes.generated',
    targetType: 'Competition',
    targetId: input.competitionId,
    after: { batch, community: place.communityId, count, expiresAt: input.expiresAt },
    ip: input.ip,
  });
  return { ok: true, batch, codes, expiresAt: input.expiresAt, community: place.name };
}

export async function listCodeBatches(competitionId: string) {
  const codes = await VerificationCode.find({ competition: competitionId }).select('batch community expiresAt usedAt createdAt').lean();
  const communities = new Map(
    (await Community.find({ _id: mongoose.trusted({ $in: [...new Set(codes.map((c) => String(c.community)))].map((id) => new Types.ObjectId(id)) }) }).select('name').lean()).map((c) => [
      String(c._id),
      c.name,
    ]),
  );
  const batches = new Map<string, { batch: string; community: { zh: string; en?: string | null } | null; count: number; used: number; expiresAt: string; createdAt: string }>();
  for (const code of codes) {
    const entry = batches.get(code.batch) ?? {
      batch: code.batch,
      community: communities.get(String(code.community)) ?? null,
      count: 0,
      used: 0,
      expiresAt: code.expiresAt.toISOString(),
      createdAt: code.createdAt.toISOString(),
    };
    entry.count += 1;
    if (code.usedAt) entry.used += 1;
    batches.set(code.batch, entry);
  }
  return [...batches.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export type RedeemResult =
  | { ok: true; community: { zh: string; en?: string | null } }
  | { ok: false; reason: 'tooManyAttempts' | 'codeInvalid' | 'notResident' };

/**
 * A resident enters a code: if it is unused and unexpired it is spent (a conditional update, so
 * of two simultaneous uses one wins), the resident is verified for the code's competition, and
 * moved to its community. Every guess counts against the account and the IP before the code is
 * looked up.
 */
export async function redeemCode(input: { userId: string; code: string; ip: string; now?: Date }): Promise<RedeemResult> {
  const now = input.now ?? new Date();
  const [byUser, byIp] = await Promise.all([
    consumeAttempt(`verify:user:${input.userId}`, CODE_USER_LIMIT, now),
    consumeAttempt(`verify:ip:${input.ip}`, CODE_IP_LIMIT, now),
  ]);
  if (!byUser.allowed || !byIp.allowed) return { ok: false, reason: 'tooManyAttempts' };
  const user = await User.findById(input.userId).select('roles').lean();
  if (!user || !user.roles.some((r) => r.role === 'resident')) return { ok: false, reason: 'notResident' };
  const codeHash = hashCode(input.code);
  const code = await VerificationCode.findOne({ codeHash }).select('batch competition street community expiresAt usedAt').lean();
  if (!code || code.usedAt || code.expiresAt <= now) return { ok: false, reason: 'codeInvalid' };
  const spent = await VerificationCode.updateOne(
    { _id: code._id, usedAt: mongoose.trusted({ $exists: false }), expiresAt: mongoose.trusted({ $gt: now }) },
    { $set: { usedAt: now, usedBy: new Types.ObjectId(input.userId), usedFromIp: input.ip } },
  );
  if (spent.matchedCount === 0) return { ok: false, reason: 'codeInvalid' };
  const key = scopeKey({ kind: 'competition', id: String(code.competition) });
  const record = {
    scopeKey: key,
    scope: 'competition' as const,
    competition: code.competition,
    street: code.street,
    community: code.community,
    method: 'code' as const,
    evidence: { codeBatch: code.batch },
    verifiedAt: now,
  };
  await writeVerification(user._id, key, record);
  await User.updateOne({ _id: user._id }, { $set: { street: code.street, community: code.community } });
  await audit({
    actor: input.userId,
    action: 'resident.verifiedByCode',
    targetType: 'User',
    targetId: input.userId,
    after: { ...auditView(record), batch: code.batch },
    ip: input.ip,
  });
  const place = await placeOfCommunity(String(code.community));
  return { ok: true, community: place?.name ?? { zh: '' } };
}
