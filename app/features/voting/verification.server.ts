import { createHash, randomBytes, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, Competition, Residency, Street, User, VerificationCode } from '#models';
import { escapeRegex } from '~/utils/regex';
import { endOfShanghaiDay } from '~/utils/dates';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { loadCompetition } from '~/features/competitions/context.server';
import { currentPhase, phasePassed, phaseWindow, type PhaseWindow } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { isDuplicateKeyError } from '~/core/db.server';
import type { LocalizedText } from '~/core/locales';
import { hasPermission, type Grant } from '~/core/permissions.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import {
  areaPeriodProblem,
  documentSeen,
  looksLikeDocumentNumber,
  scopeKey,
  type AreaKind,
  type EvidenceDocument,
  type InPersonMethod,
  type ResidencyMethod,
  type ResidencyScope,
} from './residency';
import { scopeRefValue, type ScopeRef } from './residency.schema';

/**
 * Residency verification, which voting requires (docs/decisions/011-residency-scopes.md). A
 * verification belongs to a scope: one competition, given only by that competition's committee
 * until its voting has ended (or by a code from one of its batches), or an area, given only by a
 * grid worker of that street or community for a period of at most 12 months. Nobody else may
 * give one, admins neither unless they hold such a grant: the grant checks here are strict on
 * purpose (hasPermission lets admins through everything).
 */

async function placeOfCommunity(communityId: string | null | undefined) {
  if (!communityId || !Types.ObjectId.isValid(String(communityId))) return null;
  const community = await Community.findById(communityId).select('street name').lean();
  return community ? { communityId: String(community._id), streetId: String(community.street), name: community.name } : null;
}

type Place = { streetId: string; communityId: string };

function holdsGrant(roles: readonly Grant[], role: Grant['role'], scopeType: Grant['scopeType'], scopeId: string): boolean {
  return roles.some((g) => g.role === role && g.scopeType === scopeType && String(g.scopeId) === scopeId);
}

/** Verifications for a competition are given until its voting has ended, never after. */
function verifyingOpen(phases: readonly PhaseWindow[], now: Date): boolean {
  const voting = phaseWindow(phases, 'voting');
  return Boolean(voting) && now < voting!.endsAt && !phasePassed(currentPhase(phases, now), 'voting');
}

type Resolved =
  | { scope: 'competition'; key: string; competitionId: string; eligibleStreets: string[] }
  | { scope: 'area'; key: string; areaKind: AreaKind; areaId: string };

type ScopeFailure = 'notAllowed' | 'votingOver';

/** The scope the actor names, if the actor may verify in it now. */
async function resolveScope(actor: SessionUser, ref: ScopeRef, now: Date): Promise<{ ok: true; resolved: Resolved } | { ok: false; reason: ScopeFailure }> {
  if (ref.kind === 'competition') {
    const loaded = await loadCompetition(ref.slug, now);
    if (!loaded || !holdsGrant(actor.roles, 'committee', 'competition', loaded.base.id)) return { ok: false, reason: 'notAllowed' };
    if (!verifyingOpen(loaded.doc.phases, now)) return { ok: false, reason: 'votingOver' };
    const competitionId = loaded.base.id;
    return { ok: true, resolved: { scope: 'competition', key: scopeKey({ kind: 'competition', id: competitionId }), competitionId, eligibleStreets: loaded.doc.eligibleStreets.map(String) } };
  }
  if (!Types.ObjectId.isValid(ref.id) || !holdsGrant(actor.roles, 'gridWorker', ref.kind, ref.id)) return { ok: false, reason: 'notAllowed' };
  return { ok: true, resolved: { scope: 'area', key: scopeKey(ref), areaKind: ref.kind, areaId: ref.id } };
}

/** The resident lives where the scope reaches: an eligible street, or that street or community. */
function covers(resolved: Resolved, place: Place): boolean {
  if (resolved.scope === 'competition') return resolved.eligibleStreets.length === 0 || resolved.eligibleStreets.includes(place.streetId);
  return resolved.areaKind === 'street' ? resolved.areaId === place.streetId : resolved.areaId === place.communityId;
}

/** May the actor withdraw a verification of this scope (its committee, whatever the phase; its area's grid workers)? */
function mayRevoke(actor: SessionUser, v: { scope: string; competition?: unknown; areaKind?: string | null; areaId?: unknown }): boolean {
  if (v.scope === 'competition') return holdsGrant(actor.roles, 'committee', 'competition', String(v.competition));
  return Boolean(v.areaKind) && holdsGrant(actor.roles, 'gridWorker', v.areaKind as AreaKind, String(v.areaId));
}

export interface ScopeOption {
  value: string;
  kind: 'competition' | AreaKind;
  label: LocalizedText;
  /** For a competition: when its voting ends, after which it takes no more verifications. */
  votingEndsAt: string | null;
}

/** The scopes the actor may verify in now: their competitions before the end of voting, their areas. */
export async function verifierScopes(actor: SessionUser, now = new Date()): Promise<ScopeOption[]> {
  const committeeIds = actor.roles.filter((g) => g.role === 'committee' && g.scopeId).map((g) => new Types.ObjectId(g.scopeId!));
  const streetIds = actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'street' && g.scopeId).map((g) => new Types.ObjectId(g.scopeId!));
  const communityIds = actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === 'community' && g.scopeId).map((g) => new Types.ObjectId(g.scopeId!));
  const [competitions, streets, communities] = await Promise.all([
    committeeIds.length ? Competition.find({ _id: mongoose.trusted({ $in: committeeIds }) }).select('slug title phases').sort({ _id: -1 }).lean() : [],
    streetIds.length ? Street.find({ _id: mongoose.trusted({ $in: streetIds }) }).select('name').lean() : [],
    communityIds.length ? Community.find({ _id: mongoose.trusted({ $in: communityIds }) }).select('name').lean() : [],
  ]);
  return [
    ...competitions
      .filter((c) => verifyingOpen(c.phases, now))
      .map((c) => ({
        value: scopeRefValue({ kind: 'competition', slug: c.slug }),
        kind: 'competition' as const,
        label: c.title,
        votingEndsAt: phaseWindow(c.phases, 'voting')!.endsAt.toISOString(),
      })),
    ...streets.map((s) => ({ value: scopeRefValue({ kind: 'street', id: String(s._id) }), kind: 'street' as const, label: s.name, votingEndsAt: null })),
    ...communities.map((c) => ({ value: scopeRefValue({ kind: 'community', id: String(c._id) }), kind: 'community' as const, label: c.name, votingEndsAt: null })),
  ];
}

const OPTIONAL_FIELDS = ['competition', 'areaKind', 'areaId', 'validFrom', 'validUntil', 'note', 'verifiedBy', 'revokedAt', 'revokedBy', 'revokeReason'] as const;

/**
 * Writes the resident's one current verification of a scope: an upsert on the unique
 * (resident, scopeKey), so whatever runs at the same time there is never a second one. A lost
 * insert race (E11000) retries as an update. A new verification clears an earlier revocation.
 */
async function writeVerification(resident: Types.ObjectId, key: string, set: Record<string, unknown>): Promise<void> {
  const unset = Object.fromEntries(OPTIONAL_FIELDS.filter((field) => set[field] === undefined).map((field) => [field, 1]));
  const defined = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
  for (let tries = 0; tries < 5; tries++) {
    try {
      await Residency.updateOne({ resident, scopeKey: key }, { $set: defined, $unset: unset }, { upsert: true });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('residency upsert kept colliding');
}

/** What the audit log keeps of a verification: scope, method, period, evidence kind; never a note or number. */
function auditView(v: { scopeKey: string; method?: string | null; evidence?: { document?: string | null; codeBatch?: string | null } | null; validFrom?: Date | null; validUntil?: Date | null; street?: Types.ObjectId | null; community?: Types.ObjectId | null; revokedAt?: Date | null }) {
  return {
    scope: v.scopeKey,
    method: v.method ?? null,
    evidence: v.evidence?.document ?? (v.evidence?.codeBatch ? `code:${v.evidence.codeBatch}` : null),
    validFrom: v.validFrom ?? null,
    validUntil: v.validUntil ?? null,
    street: v.street ? String(v.street) : null,
    community: v.community ? String(v.community) : null,
    revoked: Boolean(v.revokedAt),
  };
}

export type VerifyFailure =
  | 'residentNotFound'
  | 'communityMissing'
  | 'notAllowed'
  | 'votingOver'
  | 'outsideArea'
  | 'untilRequired'
  | 'untilInPast'
  | 'periodTooLong'
  | 'noteHasNumber';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/** Records who verified the resident in which scope, when, how and on what evidence. Audited. */
export async function verifyResident(input: {
  actor: SessionUser;
  residentId: string;
  scope: ScopeRef;
  method: InPersonMethod;
  document?: EvidenceDocument;
  /** Area scopes: the last day (Shanghai, yyyy-mm-dd) the verification counts. */
  until?: string;
  note?: string;
  ip?: string;
  now?: Date;
}): Promise<VerifyResult> {
  const now = input.now ?? new Date();
  const resolvedScope = await resolveScope(input.actor, input.scope, now);
  if (!resolvedScope.ok) return resolvedScope;
  const { resolved } = resolvedScope;
  const note = input.note?.trim() || undefined;
  if (note && looksLikeDocumentNumber(note)) return { ok: false, reason: 'noteHasNumber' };
  let period: { validFrom: Date; validUntil: Date } | null = null;
  if (resolved.scope === 'area') {
    if (!input.until) return { ok: false, reason: 'untilRequired' };
    const problem = areaPeriodProblem(now, input.until);
    if (problem) return { ok: false, reason: problem };
    period = { validFrom: now, validUntil: new Date(endOfShanghaiDay(input.until).getTime() + 1) };
  }
  if (!Types.ObjectId.isValid(input.residentId)) return { ok: false, reason: 'residentNotFound' };
  const resident = await User.findById(input.residentId).select('roles community').lean();
  if (!resident || !resident.roles.some((r) => r.role === 'resident')) return { ok: false, reason: 'residentNotFound' };
  const place = await placeOfCommunity(resident.community ? String(resident.community) : null);
  if (!place) return { ok: false, reason: 'communityMissing' };
  if (!covers(resolved, place)) return { ok: false, reason: 'outsideArea' };

  const before = await Residency.findOne({ resident: resident._id, scopeKey: resolved.key }).lean();
  const record = {
    scopeKey: resolved.key,
    scope: resolved.scope,
    competition: resolved.scope === 'competition' ? new Types.ObjectId(resolved.competitionId) : undefined,
    areaKind: resolved.scope === 'area' ? resolved.areaKind : undefined,
    areaId: resolved.scope === 'area' ? new Types.ObjectId(resolved.areaId) : undefined,
    validFrom: period?.validFrom,
    validUntil: period?.validUntil,
    street: new Types.ObjectId(place.streetId),
    community: new Types.ObjectId(place.communityId),
    method: input.method as ResidencyMethod,
    evidence: { document: documentSeen(input.method, input.document) },
    note,
    verifiedBy: new Types.ObjectId(input.actor.id),
    verifiedAt: now,
  };
  await writeVerification(resident._id, resolved.key, record);
  await audit({
    actor: input.actor.id,
    action: 'resident.verified',
    targetType: 'User',
    targetId: input.residentId,
    before: before ? auditView(before) : null,
    after: auditView(record),
    ip: input.ip,
  });
  return { ok: true };
}

export type RevokeResult = { ok: true } | { ok: false; reason: 'verificationNotFound' | 'notAllowed' | 'changedMeanwhile' | 'noteHasNumber' };

/**
 * Withdraws a verification, with a reason. Conditional on the verification being the one read
 * (same verifiedAt, not yet revoked), so a verification given again at the same moment is never
 * withdrawn by mistake. Ballots already cast stay; the voter cannot cast or change one with it.
 */
export async function revokeVerification(input: { actor: SessionUser; verificationId: string; reason: string; ip?: string; now?: Date }): Promise<RevokeResult> {
  const now = input.now ?? new Date();
  if (looksLikeDocumentNumber(input.reason)) return { ok: false, reason: 'noteHasNumber' };
  if (!Types.ObjectId.isValid(input.verificationId)) return { ok: false, reason: 'verificationNotFound' };
  const found = await Residency.findById(input.verificationId).lean();
  if (!found || found.revokedAt) return { ok: false, reason: 'verificationNotFound' };
  if (!mayRevoke(input.actor, found)) return { ok: false, reason: 'notAllowed' };
  const result = await Residency.updateOne(
    { _id: found._id, verifiedAt: found.verifiedAt, revokedAt: mongoose.trusted({ $exists: false }) },
    { $set: { revokedAt: now, revokedBy: new Types.ObjectId(input.actor.id), revokeReason: input.reason } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'changedMeanwhile' };
  await audit({
    actor: input.actor.id,
    action: 'resident.verificationRevoked',
    targetType: 'User',
    targetId: String(found.resident),
    before: auditView(found),
    after: { ...auditView(found), revoked: true },
    reason: input.reason,
    ip: input.ip,
  });
  return { ok: true };
}

// --- Reading ------------------------------------------------------------------------------------

type StoredVerification = {
  _id: Types.ObjectId;
  resident: Types.ObjectId;
  scope: ResidencyScope;
  competition?: Types.ObjectId | null;
  areaKind?: AreaKind | null;
  areaId?: Types.ObjectId | null;
  validUntil?: Date | null;
  method: ResidencyMethod;
  evidence?: { document?: EvidenceDocument | null; codeBatch?: string | null } | null;
  note?: string | null;
  verifiedBy?: Types.ObjectId | null;
  verifiedAt: Date;
  revokedAt?: Date | null;
};

export type VerificationStatus = 'current' | 'expired' | 'revoked';

/** A verification as pages show it: its scope's name and end, how it was made; not who made it. */
export interface VerificationView {
  id: string;
  scope: ResidencyScope;
  label: LocalizedText | null;
  /** Until when it counts: the area period's end, or the end of the competition's voting. */
  until: string | null;
  method: ResidencyMethod;
  document: EvidenceDocument | null;
  verifiedAt: string;
  status: VerificationStatus;
}

/** Names and voting ends of the scopes of these verifications, read in three queries at most. */
async function describeScopes(verifications: readonly StoredVerification[], now: Date) {
  const ids = (pick: (v: StoredVerification) => unknown) => [...new Set(verifications.map(pick).filter(Boolean).map(String))].map((id) => new Types.ObjectId(id));
  const competitionIds = ids((v) => (v.scope === 'competition' ? v.competition : null));
  const streetIds = ids((v) => (v.areaKind === 'street' ? v.areaId : null));
  const communityIds = ids((v) => (v.areaKind === 'community' ? v.areaId : null));
  const [competitions, streets, communities] = await Promise.all([
    competitionIds.length ? Competition.find({ _id: mongoose.trusted({ $in: competitionIds }) }).select('title phases').lean() : [],
    streetIds.length ? Street.find({ _id: mongoose.trusted({ $in: streetIds }) }).select('name').lean() : [],
    communityIds.length ? Community.find({ _id: mongoose.trusted({ $in: communityIds }) }).select('name').lean() : [],
  ]);
  const competitionById = new Map(competitions.map((c) => [String(c._id), { title: c.title, votingEnds: phaseWindow(c.phases, 'voting')?.endsAt ?? null }]));
  const names = new Map<string, LocalizedText>([...streets, ...communities].map((p) => [String(p._id), p.name]));
  return (v: StoredVerification): VerificationView => {
    const competition = v.scope === 'competition' ? competitionById.get(String(v.competition)) : undefined;
    const until = v.scope === 'competition' ? (competition?.votingEnds ?? null) : (v.validUntil ?? null);
    const status: VerificationStatus = v.revokedAt ? 'revoked' : until && until <= now ? 'expired' : 'current';
    return {
      id: String(v._id),
      scope: v.scope,
      label: v.scope === 'competition' ? (competition?.title ?? null) : (names.get(String(v.areaId)) ?? null),
      // An area's end is exclusive; the last day it counts is the one before.
      until: until ? new Date(until.getTime() - (v.scope === 'area' ? 1 : 0)).toISOString() : null,
      method: v.method,
      document: v.evidence?.document ?? null,
      verifiedAt: v.verifiedAt.toISOString(),
      status,
    };
  };
}

const VIEW_FIELDS = 'resident scope competition areaKind areaId validUntil method evidence verifiedAt revokedAt';

/** The signed-in resident's own verifications, current ones first (scope, until when, how; not who, no note). */
export async function myVerifications(userId: string, now = new Date()): Promise<VerificationView[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const docs = (await Residency.find({ resident: new Types.ObjectId(userId) }).select(VIEW_FIELDS).lean()) as StoredVerification[];
  const view = await describeScopes(docs, now);
  const order: Record<VerificationStatus, number> = { current: 0, expired: 1, revoked: 2 };
  return docs.map(view).sort((a, b) => order[a.status] - order[b.status] || b.verifiedAt.localeCompare(a.verifiedAt));
}

// --- Finding residents --------------------------------------------------------------------------

/**
 * A whole phone number or e-mail address finds its resident at most this often per searcher, and
 * each such look-up is audited; parts of a number find nothing, so a number cannot be rebuilt
 * digit by digit through the search.
 */
export const IDENTIFIER_LOOKUP_LIMIT: Limit = { max: 20, windowMs: 60 * 60 * 1000 };

type Found = { id: string; name: string; community: LocalizedText; place: Place };
type Search = { found: Found[]; reason: 'lookupLimited' | null };

type Areas = { streets: string[]; communities: string[] };

/**
 * Residents with a community, found by name or by a whole phone number or e-mail (limited and
 * audited); with no query, the residents of the given areas when `listAreas`. In name order, at
 * most 100; callers keep those whose community lies where they may act.
 */
async function searchResidents(actor: SessionUser, query: string, areas: Areas | null, listAreas: boolean, ip?: string): Promise<Search> {
  const filter: Record<string, unknown> = { 'roles.role': 'resident', community: mongoose.trusted({ $exists: true }) };
  const q = query.trim();
  const identifier = q ? normalizeIdentifier(q) : null;
  if (!q && !(listAreas && areas)) return { found: [], reason: null };
  if (identifier) {
    const attempt = await consumeAttempt(`residentLookup:${actor.id}`, IDENTIFIER_LOOKUP_LIMIT);
    if (!attempt.allowed) return { found: [], reason: 'lookupLimited' };
    filter[identifier.kind] = identifier.value;
  } else if (q) filter.name = mongoose.trusted({ $regex: escapeRegex(q) });
  else if (areas) {
    const streets = areas.streets.map((id) => new Types.ObjectId(id));
    const communities = areas.communities.map((id) => new Types.ObjectId(id));
    if (streets.length && communities.length) filter.$or = [{ street: mongoose.trusted({ $in: streets }) }, { community: mongoose.trusted({ $in: communities }) }];
    else if (streets.length) filter.street = mongoose.trusted({ $in: streets });
    else filter.community = mongoose.trusted({ $in: communities });
  }
  const users = await User.find(filter).select('name community').sort({ name: 1 }).limit(100).lean();
  if (identifier) {
    // Who looked up a number and whom it found; the number itself stays out of the log.
    await audit({ actor: actor.id, action: 'resident.lookedUp', targetType: 'User', targetId: users[0] ? String(users[0]._id) : undefined, after: { by: identifier.kind, found: users.length }, ip });
  }
  const byId = new Map(
    (await Community.find({ _id: mongoose.trusted({ $in: users.map((u) => u.community) }) }).select('street name').lean()).map((c) => [String(c._id), c]),
  );
  const found: Found[] = [];
  for (const u of users) {
    const community = byId.get(String(u.community));
    if (community) found.push({ id: String(u._id), name: u.name, community: community.name, place: { streetId: String(community.street), communityId: String(community._id) } });
  }
  return { found, reason: null };
}

/** The grid worker's streets and communities; null when they have none. */
function gridAreas(actor: SessionUser): Areas | null {
  const of = (scopeType: 'street' | 'community') => actor.roles.filter((g) => g.role === 'gridWorker' && g.scopeType === scopeType && g.scopeId).map((g) => g.scopeId!);
  const areas = { streets: of('street'), communities: of('community') };
  return areas.streets.length || areas.communities.length ? areas : null;
}

/** Where a scope's residents live: its area, or the competition's eligible streets (null: anywhere). */
function areasOf(resolved: Resolved): Areas | null {
  if (resolved.scope === 'area') return resolved.areaKind === 'street' ? { streets: [resolved.areaId], communities: [] } : { streets: [], communities: [resolved.areaId] };
  return resolved.eligibleStreets.length ? { streets: resolved.eligibleStreets, communities: [] } : null;
}

export interface ResidentToVerify {
  id: string;
  name: string;
  community: LocalizedText;
  /** Verified in the chosen scope, and still counting. */
  verifiedHere: boolean;
  verifications: (VerificationView & { revocable: boolean; note: string | null })[];
}

/**
 * The verify page's residents: those the actor may verify in the chosen scope, found by the
 * search (or, for an area, listed), each with their current verifications. A verification's
 * note is shown only to the verifier who wrote it. When whole-number look-ups are used up the
 * answer says so (`lookupLimited`) instead of looking like "nobody found".
 */
export async function findResidentsToVerify(
  actor: SessionUser,
  input: { query: string; scope: ScopeRef | null },
  ip?: string,
  now = new Date(),
): Promise<{ residents: ResidentToVerify[]; reason: 'lookupLimited' | null }> {
  const scope = input.scope ? await resolveScope(actor, input.scope, now) : null;
  if (!scope?.ok) return { residents: [], reason: null };
  const { resolved } = scope;
  // A committee searches (its streets may hold many thousands of residents); an area is listed.
  const search = await searchResidents(actor, input.query, areasOf(resolved), resolved.scope === 'area', ip);
  const found = search.found.filter((r) => covers(resolved, r.place));
  const docs = found.length
    ? ((await Residency.find({ resident: mongoose.trusted({ $in: found.map((r) => new Types.ObjectId(r.id)) }) })
        .select(`${VIEW_FIELDS} scopeKey note verifiedBy`)
        .lean()) as (StoredVerification & { scopeKey: string })[])
    : [];
  const view = await describeScopes(docs, now);
  const residents = found.map((r) => {
    const mine = docs.filter((d) => String(d.resident) === r.id);
    const verifications = mine
      .map((d) => ({ doc: d, shown: view(d) }))
      .filter(({ shown }) => shown.status === 'current')
      .map(({ doc, shown }) => ({ ...shown, revocable: mayRevoke(actor, doc), note: String(doc.verifiedBy) === actor.id ? (doc.note ?? null) : null }));
    return {
      id: r.id,
      name: r.name,
      community: r.community,
      verifiedHere: mine.some((d) => d.scopeKey === resolved.key && view(d).status === 'current'),
      verifications,
    };
  });
  return { residents, reason: search.reason };
}

/**
 * The paper-ballot page's residents: those of the grid worker's area found by the search, with
 * their latest current verification (whether it counts for the competition is decided on saving).
 */
export async function listVerifiableResidents(actor: SessionUser, query: string, ip?: string, now = new Date()) {
  const search = await searchResidents(actor, query, gridAreas(actor), true, ip);
  const found = search.found.filter((r) => hasPermission(actor.roles, 'resident:assist', r.place));
  const docs = found.length
    ? ((await Residency.find({ resident: mongoose.trusted({ $in: found.map((r) => new Types.ObjectId(r.id)) }) })
        .select(VIEW_FIELDS)
        .lean()) as StoredVerification[])
    : [];
  const view = await describeScopes(docs, now);
  return found.map((r) => {
    const latest = docs
      .filter((d) => String(d.resident) === r.id)
      .map(view)
      .filter((v) => v.status === 'current')
      .sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt))[0];
    return { id: r.id, name: r.name, community: r.community, verifiedAt: latest?.verifiedAt ?? null, method: latest?.method ?? null };
  });
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
