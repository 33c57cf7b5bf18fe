import mongoose, { Types } from 'mongoose';
import { Community, Competition, Residency, Street, User } from '#models';
import { endOfShanghaiDay } from '~/utils/dates';
import { loadCompetition } from '~/features/competitions/context.server';
import { currentPhase, phasePassed, phaseWindow, type PhaseWindow } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { isDuplicateKeyError } from '~/core/db.server';
import type { LocalizedText } from '~/core/locales';
import type { Grant } from '~/core/permissions.server';
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

export async function placeOfCommunity(communityId: string | null | undefined) {
  if (!communityId || !Types.ObjectId.isValid(String(communityId))) return null;
  const community = await Community.findById(communityId).select('street name').lean();
  return community ? { communityId: String(community._id), streetId: String(community.street), name: community.name } : null;
}

export type Place = { streetId: string; communityId: string };

function holdsGrant(roles: readonly Grant[], role: Grant['role'], scopeType: Grant['scopeType'], scopeId: string): boolean {
  return roles.some((g) => g.role === role && g.scopeType === scopeType && String(g.scopeId) === scopeId);
}

/** Verifications for a competition are given until its voting has ended, never after. */
function verifyingOpen(phases: readonly PhaseWindow[], now: Date): boolean {
  const voting = phaseWindow(phases, 'voting');
  return Boolean(voting) && now < voting!.endsAt && !phasePassed(currentPhase(phases, now), 'voting');
}

export type Resolved =
  | { scope: 'competition'; key: string; competitionId: string; eligibleStreets: string[] }
  | { scope: 'area'; key: string; areaKind: AreaKind; areaId: string };

type ScopeFailure = 'notAllowed' | 'votingOver';

/** The scope the actor names, if the actor may verify in it now. */
export async function resolveScope(actor: SessionUser, ref: ScopeRef, now: Date): Promise<{ ok: true; resolved: Resolved } | { ok: false; reason: ScopeFailure }> {
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
export function covers(resolved: Resolved, place: Place): boolean {
  if (resolved.scope === 'competition') return resolved.eligibleStreets.length === 0 || resolved.eligibleStreets.includes(place.streetId);
  return resolved.areaKind === 'street' ? resolved.areaId === place.streetId : resolved.areaId === place.communityId;
}

/** May the actor withdraw a verification of this scope (its committee, whatever the phase; its area's grid workers)? */
export function mayRevoke(actor: SessionUser, v: { scope: string; competition?: unknown; areaKind?: string | null; areaId?: unknown }): boolean {
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
export async function writeVerification(resident: Types.ObjectId, key: string, set: Record<string, unknown>): Promise<void> {
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
export function auditView(v: { scopeKey: string; method?: string | null; evidence?: { document?: string | null; codeBatch?: string | null } | null; validFrom?: Date | null; validUntil?: Date | null; street?: Types.ObjectId | null; community?: Types.ObjectId | null; revokedAt?: Date | null }) {
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

export type StoredVerification = {
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
export async function describeScopes(verifications: readonly StoredVerification[], now: Date) {
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

export const VIEW_FIELDS = 'resident scope competition areaKind areaId validUntil method evidence verifiedAt revokedAt';

/** The signed-in resident's own verifications, current ones first (scope, until when, how; not who, no note). */
export async function myVerifications(userId: string, now = new Date()): Promise<VerificationView[]> {
  if (!Types.ObjectId.isValid(userId)) return [];
  const docs = (await Residency.find({ resident: new Types.ObjectId(userId) }).select(VIEW_FIELDS).lean()) as StoredVerification[];
  const view = await describeScopes(docs, now);
  const order: Record<VerificationStatus, number> = { current: 0, expired: 1, revoked: 2 };
  return docs.map(view).sort((a, b) => order[a.status] - order[b.status] || b.verifiedAt.localeCompare(a.verifiedAt));
}
