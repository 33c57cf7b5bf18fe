/**
 * Roles are grants with a scope: a person can be a resident everywhere, a judge in one
 * competition and a team member of one project at the same time.
 */
export const ROLES = [
  'resident',
  'gridWorker',
  'committee',
  'judge',
  'team',
  'mentor',
  'admin',
  // The needs whistle (红哨子) and micro-wishes (微心愿): app/features/needs, app/features/wishes.
  'whistleBlower',
  'communityWorker',
  'streetCommittee',
] as const;
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
  // Party and resident representatives and social organizations who raise needs (grid workers may too).
  whistleBlower: ['street', 'community'],
  // Community (居委会) staff: verify raised needs, register and confirm children's wishes.
  communityWorker: ['street', 'community'],
  // The street's committee (街道): receives escalated needs, may confirm in the raiser's place, certifies helpers.
  streetCommittee: ['street'],
};
