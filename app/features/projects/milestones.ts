/**
 * The milestone plan's pure rules (issue 14): a plan's tranches fit the project's approved
 * budget, weights are positive whole numbers, and progress is derived from the weights of the
 * completed milestones, never typed in.
 */

/** A plan's life: the team drafts and submits; the committee approves, returns (back to draft) or, for a change request, rejects. */
export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const MAX_MILESTONES = 20;
export const MILESTONE_TITLE_MAX = 80;
export const DELIVERABLES_MAX = 1000;
export const PLAN_COMMENT_MAX = 1000;
export const WEIGHT_MAX = 100;

export interface MilestoneMoney {
  trancheFen: number;
  weight: number;
}

export type PlanProblem = 'empty' | 'tooMany' | 'weightInvalid' | 'trancheInvalid' | 'overBudget';

/** Why a plan cannot be saved or approved against `approvedBudgetFen`, or null when it can. */
export function planProblem(milestones: readonly MilestoneMoney[], approvedBudgetFen: number): PlanProblem | null {
  if (milestones.length === 0) return 'empty';
  if (milestones.length > MAX_MILESTONES) return 'tooMany';
  if (milestones.some((m) => !Number.isSafeInteger(m.weight) || m.weight < 1 || m.weight > WEIGHT_MAX)) return 'weightInvalid';
  if (milestones.some((m) => !Number.isSafeInteger(m.trancheFen) || m.trancheFen < 0)) return 'trancheInvalid';
  return tranchesFit(milestones, approvedBudgetFen) ? null : 'overBudget';
}

/** Whether the tranches together stay within the approved budget (integer fen, so the sum is exact). */
export function tranchesFit(milestones: readonly { trancheFen: number }[], approvedBudgetFen: number): boolean {
  return milestones.reduce((sum, m) => sum + m.trancheFen, 0) <= approvedBudgetFen;
}

/**
 * Progress in whole percent: the weights of completed milestones over all weights, rounded
 * down so a project shows 100 only when every milestone is complete. No milestones, no progress.
 */
export function progressPct(milestones: readonly { weight: number; completed: boolean }[]): number {
  const total = milestones.reduce((sum, m) => sum + m.weight, 0);
  if (total <= 0) return 0;
  const done = milestones.reduce((sum, m) => sum + (m.completed ? m.weight : 0), 0);
  return Math.floor((done * 100) / total);
}

export type MilestoneState = 'completed' | 'overdue' | 'upcoming';

/** How the public page labels a milestone of the approved plan. */
export function milestoneState(milestone: { dueDate: Date | string; completedAt?: Date | string | null }, now = new Date()): MilestoneState {
  if (milestone.completedAt) return 'completed';
  return new Date(milestone.dueDate).getTime() < now.getTime() ? 'overdue' : 'upcoming';
}
