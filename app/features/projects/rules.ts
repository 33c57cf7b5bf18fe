/** A project's life: planning -> inProgress -> completed, or suspended / terminated with a reason. */
export const PROJECT_STATUSES = ['planning', 'inProgress', 'completed', 'suspended', 'terminated'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Projects per page of the public list. */
export const PROJECTS_PAGE_SIZE = 20;

/** The longest reason a budget change may give (it is shown publicly). */
export const BUDGET_REASON_MAX = 500;

/**
 * Whether the competition's approved project budgets may move by `deltaFen`: a decrease always
 * may; an increase only while the total stays within what the result funded.
 */
export function budgetChangeFits(ledger: { fundedFen: number; approvedFen: number }, deltaFen: number): boolean {
  return deltaFen <= 0 || ledger.approvedFen + deltaFen <= ledger.fundedFen;
}

/** A rating's stars, and the longest comment a resident may add to it (shown publicly, without a name). */
export const RATING_STARS = [1, 2, 3, 4, 5] as const;
export const RATING_COMMENT_MAX = 500;
/** Rating comments shown on the project page (the newest). */
export const RATING_COMMENTS_SHOWN = 10;

/**
 * Which status may follow which. Completed and terminated are final; a suspended project may
 * resume (back to planning or in progress) or be terminated.
 */
export const PROJECT_STATUS_TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planning: ['inProgress', 'suspended', 'terminated'],
  inProgress: ['completed', 'suspended', 'terminated'],
  suspended: ['planning', 'inProgress', 'terminated'],
  completed: [],
  terminated: [],
};

/** The longest reason a status change may give. */
export const STATUS_REASON_MAX = 1000;

/**
 * Whether only the closing decision on a project's final report sets this status (closing.server.ts):
 * `completed` tells the voters and opens ratings, so no form or file sets it by hand (decision 024).
 */
export function setOnlyByClosing(status: string): boolean {
  return status === 'completed';
}

export function canChangeProjectStatus(from: ProjectStatus, to: ProjectStatus): boolean {
  return PROJECT_STATUS_TRANSITIONS[from].includes(to);
}

/** Suspending or terminating a project must say why (it is kept in the status history). */
export function statusChangeNeedsReason(to: ProjectStatus): boolean {
  return to === 'suspended' || to === 'terminated';
}
