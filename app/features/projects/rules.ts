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
