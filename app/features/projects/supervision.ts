/** How the committee's supervision table may be sorted (shared by its loader and its page). */
export const SUPERVISION_SORTS = ['number', 'overdue', 'progress', 'held'] as const;
export type SupervisionSort = (typeof SUPERVISION_SORTS)[number];
