/**
 * Closing a project (issue 14; docs/decisions/024): the team's final report, the committee's
 * evaluation on a short rubric and its decision. Pure constants and rules.
 */
export const CLOSING_STATUSES = ['draft', 'submitted', 'returned', 'closed'] as const;
export type ClosingStatus = (typeof CLOSING_STATUSES)[number];

/** The team may edit its final report in these states. */
export const EDITABLE_CLOSING: readonly ClosingStatus[] = ['draft', 'returned'];

/** The committee's rubric: how well the project delivered, whom it reached, how it spent, whether it lasts. */
export const EVALUATION_CRITERIA = ['delivery', 'reach', 'spending', 'sustainability'] as const;
export type EvaluationCriterion = (typeof EVALUATION_CRITERIA)[number];

export const CLOSING_TEXT_MAX = 3000;

/** The final report's parts; outcomes and againstPlan are required to submit. */
export const FINAL_REPORT_FIELDS = ['outcomes', 'againstPlan', 'sustainability', 'lessons'] as const;
export type FinalReportField = (typeof FINAL_REPORT_FIELDS)[number];

/** The evaluation's mean in tenths (4.25 shows as 4.3), or null without scores. */
export function evaluationMean(evaluation: Partial<Record<EvaluationCriterion, { score: number }>> | null | undefined): number | null {
  const scores = EVALUATION_CRITERIA.flatMap((c) => (evaluation?.[c] ? [evaluation[c].score] : []));
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 10) / 10;
}
