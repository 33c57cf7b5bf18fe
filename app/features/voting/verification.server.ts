import { createHash, randomBytes, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, Competition, User, VerificationCode } from '#models';
import { escapeRegex } from '~/utils/regex';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import type { VerifyMethod } from './rules';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';

/**
 * Residency verification, which voting requires: in person by a grid worker of the resident's
 * street or community, or by a committee member of a competition that covers the street; or with
 * a one-time code from a batch the committee printed for one community.
 */

async function placeOfCommunity(communityId: string | null | undefined) {
  if (!communityId || !Types.ObjectId.isValid(String(communityId))) return null;
  const community = await Community.findById(communityId).select('street name').lean();
  return community ? { communityId: String(community._id), streetId: String(community.street), name: community.name } : null;
}

/** A committee member may verify residents of any street one of their competitions covers. */
async function committeeCovers(actor: SessionUser, streetId: string): Promise<boolean> {
  const ids = actor.roles.filter((g) => g.role === 'committee' && g.scopeId).map((g) => new Types.ObjectId(g.scopeId!));
  if (!ids.length) return false;
  const competitions = await Competition.find({ _id: mongoose.trusted({ $in: ids }) }).select('eligibleStreets').lean();
  return competitions.some((c) => c.eligibleStreets.length === 0 || c.eligibleStreets.map(String).includes(streetId));
}

export async function mayVerifyIn(actor: SessionUser, place: { streetId: string; communityId: string }): Promise<boolean> {
  return hasPermission(actor.roles, 'resident:assist', place) || (await committeeCovers(actor, place.streetId));
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'residentNotFound' | 'communityMissing' | 'outsideArea' };

/** Records who verified the resident, when and how. Audited with the residency before and after. */
export async function verifyResident(input: {
  actor: SessionUser;
  residentId: string;
  method: Exclude<VerifyMethod, 'code'>;
  ip?: string;
  now?: Date;
}): Promise<VerifyResult> {
  if (!Types.ObjectId.isValid(input.residentId)) return { ok: false, reason: 'residentNotFound' };
  const resident = await User.findById(input.residentId).select('roles community residency').lean();
  if (!resident || !resident.roles.some((r) => r.role === 'resident')) return { ok: false, reason: 'residentNotFound' };
  const place = await placeOfCommunity(resident.community ? String(resident.community) : null);
  if (!place) return { ok: false, reason: 'communityMissing' };
  if (!(await mayVerifyIn(input.actor, place))) return { ok: false, reason: 'outsideArea' };
  const residency = {
    street: new Types.ObjectId(place.streetId),
    community: new Types.ObjectId(place.communityId),
    method: input.method,
    verifiedBy: new Types.ObjectId(input.actor.id),
    verifiedAt: input.now ?? new Date(),
  };
  await User.updateOne({ _id: resident._id }, { $set: { residency } });
  await audit({
    actor: input.actor.id,
    action: 'resident.verified',
    targetType: 'User',
    targetId: input.residentId,
    before: resident.residency ?? null,
    after: residency,
    ip: input.ip,
  });
  return { ok: true };
}

/**
 * A whole phone number or e-mail address finds its resident at most this often per searcher, and
 * each such look-up is audited; parts of a number find nothing, so a number cannot be rebuilt
 * digit by digit through the search.
 */
export const IDENTIFIER_LOOKUP_LIMIT: Limit = { max: 20, windowMs: 60 * 60 * 1000 };

/**
 * Residents of the actor's area (or, for the committee, found by name), with their status. The
 * search matches names; a phone number or e-mail matches only whole (see IDENTIFIER_LOOKUP_LIMIT).
 */
export async function listVerifiableResidents(actor: SessionUser, query: string, ip?: string) {
  const areaStreets = actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'street').map((g) => new Types.ObjectId(g.scopeId!));
  const areaCommunities = actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'community').map((g) => new Types.ObjectId(g.scopeId!));
  const filter: Record<string, unknown> = { 'roles.role': 'resident', community: mongoose.trusted({ $exists: true }) };
  const q = query.trim();
  const identifier = q ? normalizeIdentifier(q) : null;
  if (identifier) {
    const attempt = await consumeAttempt(`residentLookup:${actor.id}`, IDENTIFIER_LOOKUP_LIMIT);
    if (!attempt.allowed) return [];
    filter[identifier.kind] = identifier.value;
  } else if (q) filter.name = mongoose.trusted({ $regex: escapeRegex(q) });
  else if (areaStreets.length || areaCommunities.length) {
    filter.$or = [{ street: mongoose.trusted({ $in: areaStreets }) }, { community: mongoose.trusted({ $in: areaCommunities }) }];
  } else return [];
  const users = await User.find(filter).select('name community residency').sort({ name: 1 }).limit(100).lean();
  if (identifier) {
    // Who looked up a number and whom it found; the number itself stays out of the log.
    await audit({ actor: actor.id, action: 'resident.lookedUp', targetType: 'User', targetId: users[0] ? String(users[0]._id) : undefined, after: { by: identifier.kind, found: users.length }, ip });
  }
  const communities = await Community.find({ _id: mongoose.trusted({ $in: users.map((u) => u.community) }) }).select('street name').lean();
  const byId = new Map(communities.map((c) => [String(c._id), c]));
  const out = [];
  for (const u of users) {
    const community = byId.get(String(u.community));
    if (!community) continue;
    if (!(await mayVerifyIn(actor, { streetId: String(community.street), communityId: String(community._id) }))) continue;
    out.push({
      id: String(u._id),
      name: u.name,
      community: community.name,
      verifiedAt: u.residency?.verifiedAt ? u.residency.verifiedAt.toISOString() : null,
      method: u.residency?.method ?? null,
    });
  }
  return out;
}

// --- One-time codes -----------------------------------------------------------------------------

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
 * of two simultaneous uses one wins) and the resident is verified in, and moved to, its
 * community. Every guess counts against the account and the IP before the code is looked up.
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
  const code = await VerificationCode.findOne({ codeHash }).select('batch street community expiresAt usedAt').lean();
  if (!code || code.usedAt || code.expiresAt <= now) return { ok: false, reason: 'codeInvalid' };
  const spent = await VerificationCode.updateOne(
    { _id: code._id, usedAt: mongoose.trusted({ $exists: false }), expiresAt: mongoose.trusted({ $gt: now }) },
    { $set: { usedAt: now, usedBy: new Types.ObjectId(input.userId), usedFromIp: input.ip } },
  );
  if (spent.matchedCount === 0) return { ok: false, reason: 'codeInvalid' };
  const residency = { street: code.street, community: code.community, method: 'code', verifiedAt: now, codeBatch: code.batch };
  await User.updateOne({ _id: user._id }, { $set: { street: code.street, community: code.community, residency } });
  await audit({
    actor: input.userId,
    action: 'resident.verifiedByCode',
    targetType: 'User',
    targetId: input.userId,
    after: { community: String(code.community), batch: code.batch },
    ip: input.ip,
  });
  const place = await placeOfCommunity(String(code.community));
  return { ok: true, community: place?.name ?? { zh: '' } };
}

/** The signed-in resident's residency, for the verify page and the ballot. */
export async function myResidency(userId: string) {
  const user = await User.findById(userId).select('residency').lean();
  const residency = user?.residency;
  if (!residency?.verifiedAt || !residency.community) return null;
  const place = await placeOfCommunity(String(residency.community));
  return { verifiedAt: residency.verifiedAt.toISOString(), method: residency.method ?? null, community: place?.name ?? null };
}
