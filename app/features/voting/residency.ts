import { shanghaiDay } from '~/utils/dates';

/**
 * Pure rules of residency verifications (docs/decisions/011-residency-scopes.md): what a
 * verification is for (one competition, or a street or community for a stated period), how it
 * was made, and which one lets a resident vote in a given competition.
 */

/** A verification counts for one competition, or for an area (a street or community) for a period. */
export const RESIDENCY_SCOPES = ['competition', 'area'] as const;
export type ResidencyScope = (typeof RESIDENCY_SCOPES)[number];

export const AREA_KINDS = ['street', 'community'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** In person (three ways) or with a one-time code the committee printed. */
export const RESIDENCY_METHODS = ['idCard', 'householdRegister', 'knownInPerson', 'code'] as const;
export type ResidencyMethod = (typeof RESIDENCY_METHODS)[number];
export const IN_PERSON_METHODS = ['idCard', 'householdRegister', 'knownInPerson'] as const;
export type InPersonMethod = (typeof IN_PERSON_METHODS)[number];

/** The kind of document the verifier saw; its number is never recorded. */
export const EVIDENCE_DOCUMENTS = ['idCard', 'householdRegister', 'residencePermit', 'tenancyContract', 'utilityBill', 'none'] as const;
export type EvidenceDocument = (typeof EVIDENCE_DOCUMENTS)[number];

/** Methods that name their document; "known in person" may name another one, or none. */
export function documentSeen(method: InPersonMethod, other: EvidenceDocument | undefined): EvidenceDocument {
  if (method === 'idCard') return 'idCard';
  if (method === 'householdRegister') return 'householdRegister';
  return other && other !== 'idCard' && other !== 'householdRegister' ? other : 'none';
}

/** An area verification lasts at most this many months. */
export const MAX_AREA_MONTHS = 12;
export const NOTE_MAX = 200;

/** The unique key of a scope: one current verification per (resident, key). */
export function scopeKey(scope: { kind: 'competition' | AreaKind; id: string }): string {
  return `${scope.kind}:${scope.id}`;
}

/** The same Shanghai day `months` later (the 31st becomes the last day of a shorter month). */
export function addMonthsToDay(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The grid worker's default: to the end of the current year, Shanghai time. */
export function defaultAreaUntil(now: Date): string {
  return `${shanghaiDay(now).slice(0, 4)}-12-31`;
}

/** The last day an area verification given at `now` may run to. */
export function latestAreaUntil(now: Date): string {
  return addMonthsToDay(shanghaiDay(now), MAX_AREA_MONTHS);
}

export type PeriodProblem = 'untilInPast' | 'periodTooLong';

/** An area period from today to `until` (a Shanghai day, inclusive): not past, at most 12 months. */
export function areaPeriodProblem(now: Date, until: string): PeriodProblem | null {
  if (until < shanghaiDay(now)) return 'untilInPast';
  if (until > latestAreaUntil(now)) return 'periodTooLong';
  return null;
}

/**
 * Free text (a note, a revocation reason) must not carry a document number: a run of 15 or more
 * digits (old 15-digit and new 18-digit ID cards, household register numbers), also when typed
 * with spaces or hyphens, or an 18-character ID-card pattern ending in X.
 */
export function looksLikeDocumentNumber(text: string): boolean {
  // Full-width digits and letters (３７０２…Ｘ) count as their ASCII forms; any run of separators
  // between digits (spaces, hyphens, dots, slashes, commas, their full-width forms) is ignored.
  const ascii = text.normalize('NFKC');
  const joined = ascii.replace(/(?<=\d)[\s\-.,/\\_·、。，．－]+(?=\d|[xX])/g, '');
  return /\d{15,}/.test(joined) || /\d{17}[xX]/.test(joined);
}

/** A stored verification as the voting rules read it. */
export interface VerificationLike {
  scope: ResidencyScope;
  competition?: unknown;
  street: unknown;
  community: unknown;
  validFrom?: Date | null;
  validUntil?: Date | null;
  verifiedAt: Date;
  revokedAt?: Date | null;
}

export type CountingResult<T> = { ok: true; verification: T } | { ok: false; reason: 'notVerified' | 'streetNotEligible' };

/**
 * The verification that lets a resident vote in a competition at `at`: given by then, not revoked
 * by then, and either for this competition or for an area whose period covers `at`; its street
 * must be eligible. A verification for this competition is preferred, then the latest.
 */
export function countingVerification<T extends VerificationLike>(
  verifications: readonly T[],
  competition: { id: string; eligibleStreets: readonly string[] },
  at: Date,
): CountingResult<T> {
  const valid = verifications.filter((v) => {
    if (v.verifiedAt > at || (v.revokedAt && v.revokedAt <= at)) return false;
    if (v.scope === 'competition') return String(v.competition) === competition.id;
    return Boolean(v.validFrom && v.validUntil && v.validFrom <= at && at < v.validUntil);
  });
  if (!valid.length) return { ok: false, reason: 'notVerified' };
  const eligible = valid.filter((v) => competition.eligibleStreets.length === 0 || competition.eligibleStreets.includes(String(v.street)));
  if (!eligible.length) return { ok: false, reason: 'streetNotEligible' };
  const rank = (v: T) => (v.scope === 'competition' ? 1 : 0);
  const best = [...eligible].sort((a, b) => rank(b) - rank(a) || b.verifiedAt.getTime() - a.verifiedAt.getTime())[0]!;
  return { ok: true, verification: best };
}
