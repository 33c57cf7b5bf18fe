/**
 * The implementers of funded projects (五社联动: community social organizations are the
 * carrier, social workers the support, volunteers, enterprises and charities alongside).
 * Pure constants, shared by the model and the pages.
 */
export const ORGANIZATION_TYPES = ['communitySocialOrganization', 'socialWorkAgency', 'volunteerTeam', 'communityEnterprise', 'charity'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

/** A member's part in the organization (not a platform role: roles are grants on the user). */
export const ORGANIZATION_MEMBER_ROLES = ['leader', 'member', 'socialWorker', 'volunteer'] as const;
export type OrganizationMemberRole = (typeof ORGANIZATION_MEMBER_ROLES)[number];

/**
 * Incubation: the group behind a winning proposal grows into a registered community social
 * organization. The stages and their rules are the next issue's; the model already keeps the
 * current stage and its history so they need no migration.
 */
export const INCUBATION_STAGES = ['idea', 'incubating', 'filed', 'registered', 'independent'] as const;
export type IncubationStage = (typeof INCUBATION_STAGES)[number];
