import { createHash, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, User } from '#models';
import { normalizeIdentifier } from './auth.schema';
import { escapeRegex } from '~/utils/regex';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import type { LocalizedText } from '~/core/locales';
import { hashPassword } from '~/core/password.server';
import { hasPermission } from '~/core/permissions.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { maskIdentifier } from '~/core/messages.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';

/**
 * Grid workers help residents who have no phone or do not use the site: they register them,
 * submit proposals for them with recorded consent, and hand them a one-time code with which the
 * resident can later take the account over. A worker acts only within their street or community.
 */

async function placeOf(communityId: string) {
  if (!Types.ObjectId.isValid(communityId)) return null;
  const community = await Community.findById(communityId).select('street').lean();
  return community ? { communityId: String(community._id), streetId: String(community.street) } : null;
}

export function mayAssistIn(worker: SessionUser, place: { streetId: string | null; communityId: string | null }): boolean {
  return hasPermission(worker.roles, 'resident:assist', place);
}

export type RegisterOfflineResult = { ok: true; userId: string } | { ok: false; reason: 'outsideArea' | 'phoneTaken' | 'communityInvalid' };

export async function registerOfflineResident(input: {
  worker: SessionUser;
  name: string;
  communityId: string;
  phone?: string;
  ip?: string;
}): Promise<RegisterOfflineResult> {
  const place = await placeOf(input.communityId);
  if (!place) return { ok: false, reason: 'communityInvalid' };
  if (!mayAssistIn(input.worker, place)) return { ok: false, reason: 'outsideArea' };
  const phone = input.phone ? normalizeIdentifier(input.phone)?.value : undefined;
  try {
    const user = await User.create({
      name: input.name,
      phone,
      street: place.streetId,
      community: place.communityId,
      roles: [{ role: 'resident', scopeType: 'platform' }],
      assistedBy: input.worker.id,
    });
    await audit({
      actor: input.worker.id,
      action: 'resident.registeredOffline',
      targetType: 'User',
      targetId: String(user._id),
      after: { community: place.communityId },
      ip: input.ip,
    });
    return { ok: true, userId: String(user._id) };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'phoneTaken' };
    throw error;
  }
}

/** Residents per page of the assist list. */
export const RESIDENTS_PER_PAGE = 20;

/**
 * What the assist list's search box matches: a name (any part), or exactly four digits, the end
 * of a phone number, which the list shows anyway (139****0001). Any other run of digits is taken
 * as a name and finds nobody, so the search never confirms more of a number than the list shows.
 */
function searchCondition(query: string): Record<string, unknown> | null {
  const q = query.trim();
  if (!q) return null;
  if (/^\d{4}$/.test(q)) return { phone: mongoose.trusted({ $regex: `${q}$` }) };
  return { name: mongoose.trusted({ $regex: escapeRegex(q) }) };
}

export interface AssistableResident {
  id: string;
  name: string;
  community: LocalizedText | null;
  phone: string | null;
  registeredByMe: boolean;
  hasPassword: boolean;
  claimPending: boolean;
}

/**
 * One page of the residents a worker may act for: those living in the worker's area, found by
 * name or the last four digits of their number. The area is part of the query itself, so a
 * resident elsewhere is never read, whatever is searched. Three round trips whatever the area's
 * size: the page, the count, the page's community names.
 */
export async function listAssistableResidents(
  worker: SessionUser,
  input: { query: string; page: number },
): Promise<{ residents: AssistableResident[]; page: number; pages: number; total: number }> {
  const streets = worker.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'street').map((g) => new Types.ObjectId(g.scopeId!));
  const communities = worker.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'community').map((g) => new Types.ObjectId(g.scopeId!));
  if (!streets.length && !communities.length) return { residents: [], page: 1, pages: 1, total: 0 };
  const filter: Record<string, unknown> = {
    $or: [{ street: mongoose.trusted({ $in: streets }) }, { community: mongoose.trusted({ $in: communities }) }],
    'roles.role': 'resident',
    ...searchCondition(input.query),
  };
  const total = await User.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / RESIDENTS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(input.page) || 1), pages);
  const users = total
    ? await User.find(filter)
        .select('name phone email community assistedBy passwordHash claim createdAt')
        .select('+passwordHash')
        // Residents registered by grid workers (who most need help) first, then the newest; _id
        // keeps the order total, so no one appears on two pages or on none.
        .sort({ assistedBy: -1, createdAt: -1, _id: -1 })
        .skip((page - 1) * RESIDENTS_PER_PAGE)
        .limit(RESIDENTS_PER_PAGE)
        .lean()
    : [];
  const communityIds = users.map((u) => u.community).filter(Boolean);
  const names = new Map(
    communityIds.length
      ? (await Community.find({ _id: mongoose.trusted({ $in: communityIds }) }).select('name').lean()).map((c) => [String(c._id), c.name])
      : [],
  );
  const residents = users.map((u) => {
    const mine = String(u.assistedBy ?? '') === worker.id;
    return {
      id: String(u._id),
      name: u.name,
      community: u.community ? (names.get(String(u.community)) ?? null) : null,
      // A resident's phone number is shown only to the worker who registered them.
      phone: u.phone ? (mine ? u.phone : maskIdentifier(u.phone)) : null,
      registeredByMe: mine,
      hasPassword: Boolean(u.passwordHash),
      claimPending: Boolean(u.claim?.codeHash && u.claim.expiresAt && u.claim.expiresAt > new Date()),
    };
  });
  return { residents, page, pages, total };
}

/** The resident a worker acts for, if the worker may act for them. */
export async function assistableResident(worker: SessionUser, residentId: string) {
  if (!Types.ObjectId.isValid(residentId)) return null;
  const resident = await User.findById(residentId).select('name phone email street community roles').lean();
  if (!resident || !resident.roles.some((r) => r.role === 'resident')) return null;
  const place = { streetId: resident.street ? String(resident.street) : null, communityId: resident.community ? String(resident.community) : null };
  if (!mayAssistIn(worker, place)) return null;
  const contact = resident.phone ?? resident.email;
  // Tells same-named residents apart without showing the whole number (139****0001).
  return { id: String(resident._id), name: resident.name, hint: contact ? maskIdentifier(contact) : '', communityId: place.communityId };
}

// --- Claiming an account ----------------------------------------------------------------------

const CLAIM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CLAIM_DAYS = 14;
export const CLAIM_IP_LIMIT: Limit = { max: 20, windowMs: 15 * 60 * 1000 };

function hashCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

export type IssueClaimResult = { ok: true; code: string; expiresAt: Date; residentName: string; residentHint: string } | { ok: false; reason: 'notFound' | 'alreadyClaimed' };

/**
 * A fresh one-time code for a resident the worker registered and who has no password yet.
 * 8 characters from 32 symbols (2^40), stored hashed, valid 14 days; a new code replaces the old.
 */
export async function issueClaimCode(worker: SessionUser, residentId: string, ip?: string): Promise<IssueClaimResult> {
  const resident = await assistableResident(worker, residentId);
  if (!resident) return { ok: false, reason: 'notFound' };
  const code = Array.from({ length: 8 }, () => CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)]).join('');
  const expiresAt = new Date(Date.now() + CLAIM_DAYS * 86_400_000);
  const result = await User.updateOne(
    { _id: residentId, passwordHash: mongoose.trusted({ $exists: false }) },
    { $set: { claim: { codeHash: hashCode(code), expiresAt } } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'alreadyClaimed' };
  await audit({ actor: worker.id, action: 'resident.claimCodeIssued', targetType: 'User', targetId: residentId, ip });
  return { ok: true, code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt, residentName: resident.name, residentHint: resident.hint };
}

export type ClaimResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'claimCodeInvalid' | 'tooManyAttempts' | 'identifierRequired' | 'identifierTaken' };

/**
 * The resident whose unexpired claim slip this is, without spending it: a kiosk signs them in
 * with the slip (decision 032) and the slip still claims the account later.
 */
export async function claimSlipHolder(code: string): Promise<string | null> {
  const user = await User.findOne({ 'claim.codeHash': hashCode(code), 'claim.expiresAt': mongoose.trusted({ $gt: new Date() }) })
    .select('_id')
    .lean();
  return user ? String(user._id) : null;
}

/** The resident sets a password (and a login if they had none); the code works once. */
export async function claimAccount(input: { code: string; identifier: string; password: string; ip: string }): Promise<ClaimResult> {
  const attempt = await consumeAttempt(`claim:ip:${input.ip}`, CLAIM_IP_LIMIT);
  if (!attempt.allowed) return { ok: false, reason: 'tooManyAttempts' };
  const codeHash = hashCode(input.code);
  const user = await User.findOne({ 'claim.codeHash': codeHash, 'claim.expiresAt': mongoose.trusted({ $gt: new Date() }) })
    .select('phone email')
    .lean();
  if (!user) return { ok: false, reason: 'claimCodeInvalid' };
  const identifier = input.identifier ? normalizeIdentifier(input.identifier) : null;
  if (!user.phone && !user.email && !identifier) return { ok: false, reason: 'identifierRequired' };
  const set: Record<string, unknown> = { passwordHash: await hashPassword(input.password), passwordChangedAt: new Date() };
  if (identifier) set[identifier.kind] = identifier.value;
  try {
    // Conditional on the same code: of two simultaneous claims, one wins.
    const result = await User.updateOne({ _id: user._id, 'claim.codeHash': codeHash }, { $set: set, $unset: { claim: 1 } });
    if (result.matchedCount === 0) return { ok: false, reason: 'claimCodeInvalid' };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'identifierTaken' };
    throw error;
  }
  await audit({ actor: user._id, action: 'resident.accountClaimed', targetType: 'User', targetId: String(user._id), ip: input.ip });
  return { ok: true, userId: String(user._id) };
}
