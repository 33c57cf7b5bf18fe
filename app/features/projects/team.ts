/** A project team's limits (docs/decisions/023-project-team.md). */
export const TEAM_MAX = 20;
/** Open (pending, unexpired) invitations a project may have at once. */
export const OPEN_INVITATIONS_MAX = 10;
export const INVITATION_TTL_DAYS = 14;
export const INVITATION_TTL_MS = INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000;
/** The longest reason the committee may give for removing a member. */
export const REMOVAL_REASON_MAX = 500;
