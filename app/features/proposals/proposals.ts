import type { Phase } from '~/features/competitions/phases';

/** Vocabulary of proposals, shared by forms, services and pages. */
export const BENEFICIARY_GROUPS = [
  'children',
  'elderlyAlone',
  'disabled',
  'lowIncome',
  'seriousIllness',
  'unemployed',
  'other',
] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

export const PROPOSAL_STATUSES = [
  'draft',
  'submitted',
  'changesRequested',
  'eligible',
  'ineligible',
  'withdrawn',
  'merged',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export function isProposalStatus(value: unknown): value is ProposalStatus {
  return typeof value === 'string' && (PROPOSAL_STATUSES as readonly string[]).includes(value);
}

/**
 * The screening window: the committee screens, and authors may withdraw, while proposals come in
 * and during screening itself.
 */
export function screeningWindowOpen(phase: Phase | null): boolean {
  return phase === 'submission' || phase === 'screening';
}

/** Statuses anyone may see in the public list (drafts and withdrawn ones are the authors' own). */
export const PUBLIC_STATUSES: readonly ProposalStatus[] = ['submitted', 'changesRequested', 'eligible', 'ineligible', 'merged'];

/** Fields whose changes are kept in a proposal's version history. */
export const VERSIONED_FIELDS = [
  'title',
  'summary',
  'category',
  'community',
  'beneficiaries',
  'problem',
  'plan',
  'schedule',
  'outcomes',
  'sustainability',
  'budget',
  'organization',
  'photos',
] as const;

export const PROPOSAL_SORTS = ['random', 'newest', 'mostFollowed'] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

export const MAX_BUDGET_ITEMS = 30;
export const MAX_PHOTOS = 6;

/** Invitations of a proposal, as its authors see them (identifiers masked). */
export function invitationSummaries(invitations: { identifier: string; status: string; at: Date }[]) {
  return invitations.map((i) => ({
    who: i.identifier.includes('@') ? i.identifier.replace(/^(.).*(@.*)$/, '$1***$2') : `${i.identifier.slice(0, 3)}****${i.identifier.slice(-4)}`,
    status: i.status as 'pending' | 'accepted' | 'declined',
    at: i.at.toISOString(),
  }));
}
