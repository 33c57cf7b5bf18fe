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
 * Incubation (docs/decisions/025-incubation.md): the group behind a winning proposal grows from
 * an idea group through incubation to a filed (备案) or registered (登记) organization, then
 * operates independently; at any stage it may fall dormant. Filed and registered are
 * alternatives (filing with the street is the lighter form; registration with civil affairs the
 * full one). Who may move which way is `stageMoveRefusal` in rules.ts.
 */
export const INCUBATION_STAGES = ['idea', 'incubating', 'filed', 'registered', 'independent', 'dormant'] as const;
export type IncubationStage = (typeof INCUBATION_STAGES)[number];

/** The stages a checklist leads into (a checklist says what it takes to enter its stage). */
export const CHECKLIST_STAGES = ['incubating', 'filed', 'registered', 'independent'] as const satisfies readonly IncubationStage[];
export type ChecklistStage = (typeof CHECKLIST_STAGES)[number];

export const isChecklistStage = (stage: string): stage is ChecklistStage => (CHECKLIST_STAGES as readonly string[]).includes(stage);

/** Sessions one page of the incubation page lists. */
export const SESSIONS_PAGE_SIZE = 10;
/** Items one stage's checklist may have. */
export const CHECKLIST_ITEMS_MAX = 15;
export const CHECKLIST_LABEL_MAX = 120;
export const EVIDENCE_NOTE_MAX = 1000;
export const OVERRIDE_REASON_MAX = 1000;
export const SESSION_TOPICS_MAX = 300;
export const SESSION_NOTES_MAX = 3000;
/** A session is typed in half-hour steps, at most a long day. */
export const SESSION_HOURS_MAX = 12;
