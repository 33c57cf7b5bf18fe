import { describe, expect, it } from 'vitest';
import { equalShares, type MesProject } from '~/features/results/allocation/mes';

const unit = (ids: string[]): MesProject[] => ids.map((id) => ({ id, cost: 1 }));
const repeat = <T>(n: number, ballot: T): T[] => Array.from({ length: n }, () => ballot);

describe('Method of Equal Shares on hand-computed instances', () => {
  // 3 voters, budget 300 (100 each). a (100) approved by all: ρ = (100/3)/100 = 1/3.
  // c (150) by v2, v3: ρ = 75/150 = 1/2. b (200) by v1 alone: v1 holds 100 < 200.
  const projects = [
    { id: 'a', cost: 100 },
    { id: 'b', cost: 200 },
    { id: 'c', cost: 150 },
  ];
  const ballots = [['a', 'b'], ['a', 'c'], ['a', 'c']];

  it('buys the lowest ρ first and stops when no project is affordable by its supporters', () => {
    const result = equalShares(projects, ballots, 300);
    expect(result.selected).toEqual(['a']);
    expect(result.rounds[0]!.rho).toBeCloseTo(1 / 3, 12);
    expect(result.spent).toBe(100);
    // After a, v2 and v3 hold 2 × 66.67 = 133.33 < 150 for c.
    result.leftovers.forEach((b) => expect(b).toBeCloseTo(200 / 3, 9));
  });

  it('completion "greedy" fills the leftover by approvals, skipping what does not fit', () => {
    const result = equalShares(projects, ballots, 300, { completion: 'greedy' });
    expect(result.selected).toEqual(['a', 'c']);
    expect(result.rounds.map((r) => r.phase)).toEqual(['mes', 'completion']);
    expect(result.spent).toBe(250);
  });

  it('completion "add1" raises each voter\'s budget by 1 until c becomes affordable (9 steps), then stops: exhaustive', () => {
    // Per voter 100 + k: after a, v2 + v3 hold 2 (66.67 + k) ≥ 150 first at k = 9; then b (200)
    // no longer fits the real budget (250 + 200 > 300), so the outcome is exhaustive.
    const result = equalShares(projects, ballots, 300, { completion: 'add1' });
    expect(result.selected).toEqual(['a', 'c']);
    expect(result.add1Steps).toBe(9);
    expect(result.perVoterBudget).toBe(109);
  });

  it('add1 starts from the whole-number share floor(B/n) by default (equalshares.net), or from B/n when told (pabutools)', () => {
    // Two voters, budget 3: B/n = 1.5. v1 approves b (2) and c (5), v2 approves c; nobody a (5).
    // MES at 1.5 buys nothing: b needs 2 from v1 alone, c needs 5 from 3. b still fits: go on.
    const projects = [
      { id: 'a', cost: 5 },
      { id: 'b', cost: 2 },
      { id: 'c', cost: 5 },
    ];
    const ballots = [['b', 'c'], ['c']];
    // From floor(1.5) = 1, the first rerun gives each voter 2: c is out of reach (4 < 5), v1 buys
    // b at ρ = 1. Spent 2 of 3; c no longer fits and a has no supporters, so that is exhaustive.
    const integral = equalShares(projects, ballots, 3, { completion: 'add1' });
    expect(integral.selected).toEqual(['b']);
    expect(integral.perVoterBudget).toBe(2);
    expect(integral.add1Steps).toBe(1);
    // From 1.5, the first rerun gives 2.5 each: c (ρ = 2.5 / 5 = 0.5) beats b (ρ = 1) and costs 5,
    // more than the budget, so the outcome at B/n is kept: nothing.
    const share = equalShares(projects, ballots, 3, { completion: 'add1', add1Start: 'share' });
    expect(share.selected).toEqual([]);
    expect(share.perVoterBudget).toBe(1.5);
    expect(share.add1Steps).toBe(0);
  });

  it('the integral start counts whole steps of add1Step: in fen with ¥1 steps it starts from whole yuan', () => {
    // 3 voters, ¥10.00 = 1000 fen: B/n = 333.33 fen, whole yuan below it: 300 fen; reruns at 400, 500…
    const result = equalShares([{ id: 'x', cost: 1000 }], [['x'], ['x'], []], 1000, { completion: 'add1', add1Step: 100 });
    // x needs 1000 from two voters: 2 × 500 at the second rerun.
    expect(result.perVoterBudget).toBe(500);
    expect(result.add1Steps).toBe(2);
    expect(result.selected).toEqual(['x']);
  });

  it('is proportional: 4 voters for red and 2 for blue share a budget of 3 as 2 red, 1 blue (greedy would give 3 red)', () => {
    const projects = unit(['r1', 'r2', 'r3', 'b1', 'b2', 'b3']);
    const ballots = [...repeat(4, ['r1', 'r2', 'r3']), ...repeat(2, ['b1', 'b2', 'b3'])];
    expect(equalShares(projects, ballots, 3).selected).toEqual(['r1', 'r2', 'b1']);
  });

  it('uses cardinal utilities ("one unit per approved project") when told: cheap projects no longer win by being cheap', () => {
    // Two voters with 100 each approve x (cost 40) and y (cost 160).
    // Cost utilities: ρx = 20/40 = 0.5, ρy = 80/160 = 0.5 → tie → more supporters (equal) → lower cost: x, then y (80 each left, y costs 160: yes).
    // Cardinal: ρx = 20, ρy = 80 → x first as well; both fit.
    const projects = [
      { id: 'x', cost: 40 },
      { id: 'y', cost: 160 },
    ];
    const ballots = [['x', 'y'], ['x', 'y']];
    expect(equalShares(projects, ballots, 200).selected).toEqual(['x', 'y']);
    expect(equalShares(projects, ballots, 200, { utility: 'cardinal' }).selected).toEqual(['x', 'y']);
    // With one more voter for x only, budget 300: cost utility ρy = 80/160 = 0.5, ρx = (40/3)/40 = 1/3 → x;
    // then y needs 160 from two voters holding 100 − 13.33 each = 173.33: bought.
    const result = equalShares(projects, [...ballots, ['x']], 300, { utility: 'cardinal' });
    expect(result.selected).toEqual(['x', 'y']);
    expect(result.rounds[0]!.rho).toBeCloseTo(40 / 3, 12);
  });

  it('breaks equal ρ by more supporters, then lower cost, then lower id', () => {
    // Cardinal: p costs 100 with 2 supporters (50 each), q costs 200 with 4 (50 each): equal ρ = 50.
    const ballotsPq = [['p', 'q'], ['p', 'q'], ['q'], ['q']];
    const tieBySupporters = equalShares(
      [
        { id: 'p', cost: 100 },
        { id: 'q', cost: 200 },
      ],
      ballotsPq,
      200,
      { utility: 'cardinal' },
    );
    expect(tieBySupporters.selected[0]).toBe('q');
    // Same supporters, same ρ under cost utilities, different cost: lower cost first.
    const byCost = equalShares(
      [
        { id: 'm', cost: 60 },
        { id: 'n', cost: 30 },
      ],
      [['m', 'n'], ['m', 'n']],
      90,
    );
    expect(byCost.selected).toEqual(['n', 'm']);
    // Everything equal: lower id, numerically ("9" before "10").
    const byId = equalShares(
      [
        { id: '10', cost: 50 },
        { id: '9', cost: 50 },
      ],
      [['10', '9'], ['10', '9']],
      50,
    );
    expect(byId.selected).toEqual(['9']);
  });

  it('reads cumulative ballots as weighted utilities: a voter pays in proportion to the points given', () => {
    // Voter 1 gives 3 points to z, voter 2 gives 1; cardinal utilities 3 and 1, each holds 50.
    // ρ·3 + ρ·1 = 80 → ρ = 20 → voter 1 would pay 60 > 50, so pays 50 and voter 2 pays 30.
    const result = equalShares([{ id: 'z', cost: 80 }], [new Map([['z', 3]]), new Map([['z', 1]])], 100, { utility: 'cardinal' });
    expect(result.selected).toEqual(['z']);
    expect(result.rounds[0]!.rho).toBeCloseTo(30, 9);
    expect(result.leftovers[0]).toBe(0);
    expect(result.leftovers[1]).toBeCloseTo(20, 9);
  });
});

describe('Method of Equal Shares on published worked examples', () => {
  // Lackner & Skowron, "Multi-Winner Voting with Approval Preferences" (Springer 2023), Example 12,
  // as printed by the abcvoting library's expected test output
  // (martinlackner/abcvoting, tests/expected_output/test_abcbook_example12_py; archived at
  // https://zenodo.org/records/17546372). A committee election of size k = 3 is PB with unit
  // costs and budget 3. Phase 1 (the Method of Equal Shares proper) buys c with q = 1/5, then a
  // with q = 13/40, leaving budgets (7/40, 7/40, 7/40, 1/20, 1/20, 0, 0, 3/8); the book then
  // completes with seq-Phragmén, a completion we do not implement, so only phase 1 is checked.
  it('Lackner & Skowron Example 12: buys c (1/5) then a (13/40) with the published leftover budgets', () => {
    const ballots = [...repeat(3, ['c', 'd']), ...repeat(2, ['a', 'b']), ...repeat(2, ['a', 'c']), ['b', 'd']];
    const result = equalShares(unit(['a', 'b', 'c', 'd']), ballots, 3, { utility: 'cardinal' });
    expect(result.selected).toEqual(['c', 'a']);
    expect(result.rounds[0]!.rho).toBeCloseTo(1 / 5, 12);
    expect(result.rounds[1]!.rho).toBeCloseTo(13 / 40, 12);
    const expected = [7 / 40, 7 / 40, 7 / 40, 1 / 20, 1 / 20, 0, 0, 3 / 8];
    result.leftovers.forEach((b, i) => expect(b).toBeCloseTo(expected[i]!, 12));
  });

  // Same source, Example 11 (instance of Example 1): 12 voters, k = 4, each starts with 1/3;
  // phase 1 buys only a, with q = 1/8, leaving 5/24 to its eight supporters.
  it('Lackner & Skowron Example 11: buys only a (q = 1/8), leaving 5/24 to its supporters', () => {
    const ballots = [
      ...repeat(3, ['a', 'b']),
      ...repeat(3, ['a', 'c']),
      ...repeat(2, ['a', 'd']),
      ['b', 'c', 'f'],
      ['e'],
      ['f'],
      ['g'],
    ];
    const result = equalShares(unit(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']), ballots, 4, { utility: 'cardinal' });
    expect(result.selected).toEqual(['a']);
    expect(result.rounds[0]!.rho).toBeCloseTo(1 / 8, 12);
    const expected = [...repeat(8, 5 / 24), ...repeat(4, 1 / 3)];
    result.leftovers.forEach((b, i) => expect(b).toBeCloseTo(expected[i]!, 12));
  });
});

// An exact reference: the same rule in rational arithmetic (BigInt fractions), written for
// clarity, not speed, to check that floating point and its tolerances never change a result.
type Q = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const q = (n: bigint, d = 1n): Q => {
  const g = gcd(n, d) || 1n;
  return d < 0n ? { n: -n / g, d: -d / g } : { n: n / g, d: d / g };
};
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const add = (a: Q, b: Q) => q(a.n * b.d + b.n * a.d, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const cmp = (a: Q, b: Q) => Number(a.n * b.d - b.n * a.d > 0n) - Number(a.n * b.d - b.n * a.d < 0n);

function exactMes(projects: MesProject[], ballots: string[][], budget: number, utility: 'cost' | 'cardinal') {
  const budgets = ballots.map(() => q(BigInt(budget), BigInt(ballots.length)));
  const selected: string[] = [];
  let spent = 0;
  for (;;) {
    let best: { id: string; rho: Q; supporters: number; cost: number } | null = null;
    for (const p of projects) {
      if (selected.includes(p.id) || spent + p.cost > budget) continue;
      const supporters = ballots.map((b, i) => (b.includes(p.id) ? i : -1)).filter((i) => i >= 0);
      if (supporters.length === 0) continue;
      const u = q(BigInt(utility === 'cost' ? p.cost || 1 : 1));
      const total = supporters.reduce((s, i) => add(s, budgets[i]!), q(0n));
      if (cmp(total, q(BigInt(p.cost))) < 0) continue;
      const order = supporters.filter((i) => budgets[i]!.n > 0n).sort((a, b) => cmp(budgets[a]!, budgets[b]!));
      let paid = q(0n);
      let left = order.length;
      let rho = q(0n);
      for (const i of order) {
        rho = div(sub(q(BigInt(p.cost)), paid), mul(u, q(BigInt(left))));
        if (cmp(mul(rho, u), budgets[i]!) <= 0) break;
        paid = add(paid, budgets[i]!);
        left--;
      }
      const better =
        !best ||
        cmp(rho, best.rho) < 0 ||
        (cmp(rho, best.rho) === 0 &&
          (supporters.length > best.supporters ||
            (supporters.length === best.supporters &&
              (p.cost < best.cost || (p.cost === best.cost && Number(p.id) < Number(best.id))))));
      if (better) best = { id: p.id, rho, supporters: supporters.length, cost: p.cost };
    }
    if (!best) return selected;
    const u = q(BigInt(utility === 'cost' ? best.cost || 1 : 1));
    const price = mul(best.rho, u);
    ballots.forEach((b, i) => {
      if (!b.includes(best.id)) return;
      budgets[i] = cmp(budgets[i]!, price) <= 0 ? q(0n) : sub(budgets[i]!, price);
    });
    selected.push(best.id);
    spent += best.cost;
  }
}

describe('Method of Equal Shares against an exact rational reference', () => {
  it('selects the same projects in the same order on 300 seeded instances, ties included', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let n = 0; n < 300; n++) {
      // Few distinct costs and small electorates make exact ties frequent.
      const projects = Array.from({ length: int(1, 8) }, (_, i) => ({ id: String(i + 1), cost: [0, 30, 60, 90, 120][int(0, 4)]! }));
      const ballots = Array.from({ length: int(1, 12) }, () => projects.filter(() => random() < 0.5).map((p) => p.id));
      const budget = int(0, 400);
      for (const utility of ['cost', 'cardinal'] as const) {
        expect(equalShares(projects, ballots, budget, { utility }).selected, `instance ${n} (${utility})`).toEqual(
          exactMes(projects, ballots, budget, utility),
        );
      }
    }
  });
});
