import { hasPermission, hasRole, type Grant } from '~/core/permissions.server';

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
