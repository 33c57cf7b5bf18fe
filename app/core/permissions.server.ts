import type { Role, ScopeType } from './roles';

/**
 * One place that answers "may this user do X on Y" (docs/decisions/004-scoped-roles.md).
 * Loaders and actions call requirePermission (auth.server.ts); this module is pure so tests
 * can check every rule without HTTP.
 */
export type Permission =
  | 'admin:access'
  | 'roles:manage'
  | 'audit:read'
  | 'outbox:read'
  | 'proposal:create'
  | 'resident:assist'
  | 'assist:open'
  | 'paperBallot:enter'
  | 'residency:verify'
  | 'totp:enable'
  | 'competition:manage'
  | 'competition:correct'
  | 'competition:judge'
  | 'project:report'
  | 'organization:mentor'
  | 'organization:create'
  | 'need:raise'
  | 'need:verify'
  | 'need:oversee'
  | 'helper:certify'
  | 'need:categories'
  | 'wish:register'
  | 'notices:printStreet'
  | 'kiosk:manage'
  | 'resource:manage';

export interface Grant {
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
}

/** What a permission is asked about. Grid workers' street scopes cover the street's communities. */
export interface Target {
  streetId?: string | null;
  communityId?: string | null;
  competitionId?: string | null;
  projectId?: string | null;
  organizationId?: string | null;
}

/** A street grant covers the street's communities; a community grant covers only its own. */
function inArea(grant: Grant, target: Target): boolean {
  return (
    (grant.scopeType === 'street' && sameId(grant.scopeId, target.streetId)) ||
    (grant.scopeType === 'community' && sameId(grant.scopeId, target.communityId))
  );
}

const RULES: Record<Permission, Partial<Record<Role, (grant: Grant, target: Target) => boolean>>> = {
  'admin:access': {},
  'roles:manage': {},
  'audit:read': {},
  // The development outbox of codes and notices (app/core/messages.server.ts): admins only.
  'outbox:read': {},
  'proposal:create': { resident: () => true },
  'resident:assist': { gridWorker: inArea },
  // Pages a grid worker of any area opens; what they may do there is checked per resident.
  'assist:open': { gridWorker: () => true },
  'paperBallot:enter': { gridWorker: () => true },
  // Opens the verify page. Who may verify whom is checked per scope and resident, against the
  // grants themselves (admins included only through such a grant): features/voting/verification.server.ts.
  'residency:verify': { gridWorker: () => true, committee: () => true },
  // A second factor for the accounts that decide: committee members and judges (admins hold every permission).
  'totp:enable': { committee: () => true, judge: () => true },
  'competition:manage': { committee: (grant, target) => sameId(grant.scopeId, target.competitionId) },
  // Correcting a setting a started phase froze (a phase's dates, the budget, the streets): admins only.
  'competition:correct': {},
  'competition:judge': { judge: (grant, target) => sameId(grant.scopeId, target.competitionId) },
  'project:report': { team: (grant, target) => sameId(grant.scopeId, target.projectId) },
  'organization:mentor': { mentor: (grant, target) => sameId(grant.scopeId, target.organizationId) },
  // Registering an implementer: any committee member (who then edits it: app/features/organizations/rules.ts).
  'organization:create': { committee: () => true },
  // The needs whistle (app/features/needs): who raises a need of an area, who verifies it before
  // it is public, and the street's committee that oversees the street's needs.
  'need:raise': { whistleBlower: inArea, gridWorker: inArea },
  'need:verify': { communityWorker: inArea },
  'need:oversee': { streetCommittee: inArea },
  // Certifying a helper (an organization, enterprise or individual) who may claim needs.
  'helper:certify': { streetCommittee: () => true },
  // The district's service categories of needs (renamed, ordered, retired, added): admins only.
  'need:categories': {},
  // Registering a child's micro-wish of an area, and confirming its delivery (app/features/wishes).
  'wish:register': { gridWorker: inArea, communityWorker: inArea },
  // All of a street's notices of a competition in one PDF (decision 033): the competition's
  // committee, or a grid worker of that street.
  'notices:printStreet': { committee: (grant, target) => sameId(grant.scopeId, target.competitionId), gridWorker: inArea },
  // Enrolling, listing and revoking a street's kiosk tablets (decision 032): its grid workers
  // with a street grant (a community grant does not cover a street-wide device), and admins.
  'kiosk:manage': { gridWorker: inArea },
  // Charity resources (app/features/resources): the fund's allocations, every pledge and the
  // overview of them all are for district staff, who sit on the committees, and admins.
  'resource:manage': { committee: () => true },
};

function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a) && Boolean(b) && String(a) === String(b);
}

export function hasPermission(grants: readonly Grant[], permission: Permission, target: Target = {}): boolean {
  return grants.some((grant) => {
    if (grant.role === 'admin') return true;
    const rule = RULES[permission][grant.role];
    return rule ? rule(grant, target) : false;
  });
}

export function hasRole(grants: readonly Grant[], role: Role): boolean {
  return grants.some((grant) => grant.role === role);
}
