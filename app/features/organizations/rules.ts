import { hasPermission, hasRole, type Grant } from '~/core/permissions.server';
import type { IncubationStage } from './organizations';

/**
 * Who may do what in the registry (docs/decisions/022-organization-registry.md). Pure: the
 * caller says which competitions the organization implements a project in (the projects
 * feature knows that; this one never knows projects).
 */

export const ORGANIZATIONS_PAGE_SIZE = 20;
/** Members one organization lists; a registry entry, not a membership system. */
export const MAX_MEMBERS = 100;
export const ORGANIZATION_NAME_MAX = 80;
export const CONTACT_NAME_MAX = 50;

export interface Actor {
  id: string;
  roles: readonly Grant[];
}

/** Admins and committee members (of any competition) register organizations. */
export function mayCreateOrganization(actor: Actor): boolean {
  return hasPermission(actor.roles, 'organization:create');
}

/**
 * Edits, members and the contact: an admin; the committee of a competition in which the
 * organization implements a project; the committee member who registered it, while they still
 * sit on a committee.
 */
export function mayManageOrganization(actor: Actor, organization: { createdBy?: string | null }, implementsIn: readonly string[]): boolean {
  if (actor.roles.some((grant) => grant.role === 'admin')) return true;
  if (organization.createdBy && organization.createdBy === actor.id && hasRole(actor.roles, 'committee')) return true;
  return implementsIn.some((competitionId) => hasPermission(actor.roles, 'competition:manage', { competitionId }));
}

// --- Incubation (docs/decisions/025-incubation.md) ---------------------------------------------

/** A mentor of this organization: the `mentor` grant scoped to it (admins hold every permission). */
export function isOrganizationMentor(actor: Actor, organizationId: string): boolean {
  return hasPermission(actor.roles, 'organization:mentor', { organizationId });
}

/**
 * The incubation page (checklist, evidence, sessions and their notes, history): the
 * organization's mentors and those who manage it (decision 022's rule). Anyone else gets the
 * same 404 as for an organization that does not exist.
 */
export function mayOpenIncubation(actor: Actor, organization: { id: string; createdBy?: string | null }, implementsIn: readonly string[]): boolean {
  return isOrganizationMentor(actor, organization.id) || mayManageOrganization(actor, organization, implementsIn);
}

/** Confirming or withdrawing a checklist item: the same people as open the page. */
export const mayConfirmItems = mayOpenIncubation;

/** Recording a mentoring session: the organization's mentors (and admins). */
export const mayRecordSession = (actor: Actor, organization: { id: string }) => isOrganizationMentor(actor, organization.id);

/** Moving the stage is the committee's: those who manage the organization, not its mentor. */
export const mayMoveStage = (actor: Actor, organization: { createdBy?: string | null }, implementsIn: readonly string[]) => mayManageOrganization(actor, organization, implementsIn);

/** The checklists of a year are the committee's (any committee member) and admins'. */
export const mayEditChecklists = (actor: Actor) => hasPermission(actor.roles, 'organization:create');

/**
 * Where a stage may move: forward along the path (idea → incubating → filed or registered →
 * independent; filing may be followed by registration), or sideways into dormancy from any
 * stage; a dormant organization resumes the stage it left. Never backward: a committee that
 * named a stage by mistake has the audit log, and the history keeps what happened.
 */
const FORWARD: Record<IncubationStage, readonly IncubationStage[]> = {
  idea: ['incubating'],
  incubating: ['filed', 'registered'],
  filed: ['registered', 'independent'],
  registered: ['independent'],
  independent: [],
  dormant: [],
};

/** The stage an organization was in before it fell dormant (its history, newest last). */
export function stageBeforeDormancy(history: readonly { stage: IncubationStage }[]): IncubationStage {
  for (let i = history.length - 1; i >= 0; i--) {
    const stage = history[i]!.stage;
    if (stage !== 'dormant') return stage;
  }
  return 'idea';
}

export function nextStages(current: IncubationStage, history: readonly { stage: IncubationStage }[]): IncubationStage[] {
  if (current === 'dormant') return [stageBeforeDormancy(history)];
  return [...FORWARD[current], 'dormant'];
}

export interface ChecklistProgress {
  done: number;
  total: number;
  /** Keys of the items not confirmed, in the list's order. */
  missing: string[];
  complete: boolean;
}

/** How much of a stage's list is confirmed; confirmations of items no longer listed do not count. */
export function checklistProgress(items: readonly { key: string }[], confirmedKeys: Iterable<string>): ChecklistProgress {
  const confirmed = new Set(confirmedKeys);
  const missing = items.filter((item) => !confirmed.has(item.key)).map((item) => item.key);
  return { done: items.length - missing.length, total: items.length, missing, complete: missing.length === 0 };
}

export type StageMoveRefusal = 'sameStage' | 'notAllowed' | 'incomplete' | 'reasonRequired';

/**
 * Whether a move may apply, given where the organization is, its history, and the target
 * stage's checklist (null for dormancy, which needs none). An incomplete checklist needs the
 * committee's override, and an override needs a reason.
 */
export function stageMoveRefusal(input: {
  from: IncubationStage;
  to: IncubationStage;
  history: readonly { stage: IncubationStage }[];
  progress: ChecklistProgress | null;
  override: boolean;
  reason: string;
}): StageMoveRefusal | null {
  if (input.from === input.to) return 'sameStage';
  if (!nextStages(input.from, input.history).includes(input.to)) return 'notAllowed';
  if (input.override && !input.reason.trim()) return 'reasonRequired';
  if (input.progress && !input.progress.complete && !input.override) return 'incomplete';
  return null;
}

/** The checklist year for a date: the calendar year in China. */
export function checklistYear(now: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
}
