import { describe, expect, it } from 'vitest';
import { greedy } from '~/features/results/allocation/greedy';
import { COMPLETIONS, equalShares, type MesProject } from '~/features/results/allocation/mes';
import { prng } from '../support/prng';


function instance(random: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const projects: MesProject[] = Array.from({ length: int(1, 12) }, (_, i) => ({ id: String(i + 1), cost: int(0, 5000) }));
  const ballots = Array.from({ length: int(1, 40) }, () => projects.filter(() => random() < 0.35).map((p) => p.id));
  const budget = int(0, projects.reduce((a, p) => a + p.cost, 0));
  return { projects, ballots, budget };
}

describe('property: the funded total never exceeds the budget', () => {
  // 3,200 tallies, some with thousands of add1 reruns: seconds of CPU on a shared machine, so
  // more than vitest's default 5 s (a limit against hanging, not a timing assertion).
  it('holds for greedy, and for MES with cost and cardinal utilities under every completion, over 400 seeded instances', () => {
    const random = prng(6);
    for (let n = 0; n < 400; n++) {
      const { projects, ballots, budget } = instance(random);
      const cost = new Map(projects.map((p) => [p.id, p.cost]));
      const total = (ids: string[]) => ids.reduce((a, id) => a + cost.get(id)!, 0);

      const g = greedy(projects, budget);
      expect(total(g.selected)).toBe(g.spent);
      expect(g.spent).toBeLessThanOrEqual(budget);

      for (const utility of ['cost', 'cardinal'] as const) {
        for (const completion of COMPLETIONS) {
          const m = equalShares(projects, ballots, budget, { utility, completion, add1MaxSteps: 2000 });
          expect(new Set(m.selected).size).toBe(m.selected.length);
          expect(total(m.selected)).toBe(m.spent);
          expect(m.spent, `instance ${n}, ${utility}, ${completion}`).toBeLessThanOrEqual(budget);
          // Equal shares never lets a voter pay more than their share.
          for (const left of m.leftovers) expect(left).toBeGreaterThanOrEqual(0);
        }
      }
    }
  }, 60_000);

  it('MES without completion never spends more than the voters were given, and completion never loses a project', () => {
    const random = prng(2026);
    for (let n = 0; n < 200; n++) {
      const { projects, ballots, budget } = instance(random);
      const none = equalShares(projects, ballots, budget);
      const filled = equalShares(projects, ballots, budget, { completion: 'greedy' });
      expect(filled.selected.slice(0, none.selected.length)).toEqual(none.selected);
      expect(filled.spent).toBeGreaterThanOrEqual(none.spent);
    }
  });
});
