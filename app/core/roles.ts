/**
 * Roles are grants with a scope: a person can be a resident everywhere, a judge in one
 * competition and a team member of one project at the same time.
 */
export const ROLES = ['resident', 'gridWorker', 'committee', 'judge', 'team', 'mentor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ['platform', 'street', 'community', 'competition', 'project', 'organization'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/** Which scopes each role may be granted on. */
export const ROLE_SCOPES: Record<Role, readonly ScopeType[]> = {
  resident: ['platform'],
  gridWorker: ['street', 'community'],
  committee: ['competition'],
  judge: ['competition'],
  team: ['project'],
  // Staff social workers: platform-wide (assignable to any project), or for one organization.
  mentor: ['platform', 'organization'],
  admin: ['platform'],
};
