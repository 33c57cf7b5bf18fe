import { describe, expect, it } from 'vitest';
import { milestoneState, planProblem, progressPct, tranchesFit } from '~/features/projects/milestones';
import { planFormSchema } from '~/features/projects/milestones.schema';

const m = (trancheFen: number, weight: number) => ({ trancheFen, weight });

describe('milestone plan rules', () => {
  it('accepts tranches that sum exactly to the approved budget and refuses one fen more', () => {
    expect(planProblem([m(5_000_00, 1), m(10_000_00, 2)], 15_000_00)).toBeNull();
    expect(planProblem([m(5_000_00, 1), m(10_000_01, 2)], 15_000_00)).toBe('overBudget');
    expect(tranchesFit([m(1, 1), m(2, 1)], 3)).toBe(true);
  });

  it('refuses an empty plan, zero, negative, fractional or oversized weights, and fractional fen', () => {
    expect(planProblem([], 100)).toBe('empty');
    expect(planProblem([m(0, 0)], 100)).toBe('weightInvalid');
    expect(planProblem([m(0, -1)], 100)).toBe('weightInvalid');
    expect(planProblem([m(0, 1.5)], 100)).toBe('weightInvalid');
    expect(planProblem([m(0, 101)], 100)).toBe('weightInvalid');
    expect(planProblem([m(1.5, 1)], 100)).toBe('trancheInvalid');
    expect(planProblem([m(-1, 1)], 100)).toBe('trancheInvalid');
    expect(planProblem(Array.from({ length: 21 }, () => m(0, 1)), 100)).toBe('tooMany');
  });

  it('derives progress from the weights of completed milestones, rounding down so 100 means all done', () => {
    expect(progressPct([])).toBe(0);
    expect(progressPct([{ weight: 1, completed: true }, { weight: 3, completed: false }])).toBe(25);
    expect(progressPct([{ weight: 1, completed: true }, { weight: 1, completed: true }, { weight: 1, completed: false }])).toBe(66);
    expect(progressPct([{ weight: 99, completed: true }, { weight: 1, completed: false }])).toBe(99);
    expect(progressPct([{ weight: 2, completed: true }, { weight: 5, completed: true }])).toBe(100);
  });

  it('labels a milestone completed, overdue or upcoming', () => {
    const now = new Date('2027-03-01T00:00:00Z');
    expect(milestoneState({ dueDate: '2027-02-01T00:00:00Z', completedAt: '2027-01-20T00:00:00Z' }, now)).toBe('completed');
    expect(milestoneState({ dueDate: '2027-02-01T00:00:00Z' }, now)).toBe('overdue');
    expect(milestoneState({ dueDate: '2027-04-01T00:00:00Z' }, now)).toBe('upcoming');
  });
});

describe('the plan form', () => {
  const parse = (rows: Record<string, string>[]) => planFormSchema.safeParse({ milestones: rows });

  it('leaves out rows without a title and reads yuan as fen and the day as midnight in Shanghai', () => {
    const parsed = parse([{ title: '筹备', dueDate: '2027-03-01', deliverables: '方案', tranche: '1,234.5', weight: '2' }, { title: '', dueDate: '', tranche: '', weight: '' }]);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual([{ title: '筹备', dueDate: new Date('2027-02-28T16:00:00Z'), deliverables: '方案', trancheFen: 1_234_50, weight: 2 }]);
  });

  it('names the field of the row that is wrong', () => {
    const parsed = parse([{ title: '筹备', dueDate: '2027-02-30', tranche: 'abc', weight: '0' }]);
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => `${i.path.join('.')}:${i.message}`).sort();
    expect(paths).toEqual(['milestones.0.dueDate:dueDateInvalid', 'milestones.0.tranche:trancheInvalid', 'milestones.0.weight:weightInvalid']);
  });

  it('refuses a plan with no milestone at all', () => {
    const parsed = parse([{ title: '' }]);
    expect(parsed.error!.issues.map((i) => i.message)).toEqual(['empty']);
  });
});
