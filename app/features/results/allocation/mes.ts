import { compareIds } from './ids';

/**
 * The Method of Equal Shares (Peters, Pierczyński & Skowron, "Proportional participatory
 * budgeting with additive utilities", NeurIPS 2021; https://equalshares.net). The budget is
 * split equally among the voters; a project is bought by its supporters, each paying in
 * proportion to their utility (for approval ballots: equally) but never more than they have
 * left; each round buys the affordable project with the lowest price per unit of utility ρ.
 *
 * Arithmetic is in double-precision floating point on integer money (fen, or the Pabulib
 * currency unit): per-voter budgets are fractions, so exact integers are not possible without
 * rationals whose denominators grow with every round. Two tolerances keep rounding from
 * deciding anything (decision 008):
 * - a project is affordable when its supporters hold at least cost × (1 − 1e-12);
 * - two ρ within a relative 1e-9 of each other are a tie, broken by more supporters, then lower
 *   cost, then lower id.
 * And one hard rule makes the budget inviolable: a project is never selected if the integer
 * sum of selected costs would exceed the budget.
 */

export type Utility = 'cost' | 'cardinal';
export type Completion = 'none' | 'add1' | 'greedy' | 'add1-greedy';
export const COMPLETIONS: readonly Completion[] = ['none', 'add1', 'greedy', 'add1-greedy'];

export interface MesProject {
  id: string;
  /** Integer money, ≥ 0. */
  cost: number;
}

/**
 * One voter's ballot: the approved project ids, or ids with weights (cumulative points, or a
 * score). An approval is weight 1. A voter's utility for a project is weight × cost ("cost")
 * or weight ("cardinal").
 */
export type MesBallot = readonly string[] | ReadonlyMap<string, number>;

export interface MesOptions {
  utility?: Utility;
  completion?: Completion;
  /**
   * Per-voter increment of the virtual budget in the `add1` completion, in the money unit
   * (default 1: one yuan is 100 in fen, one złoty is 1 in a Pabulib file).
   */
  add1Step?: number;
  /** Safety stop for `add1` (default 100,000 increments). */
  add1MaxSteps?: number;
}

export interface MesRound {
  id: string;
  cost: number;
  /** Price per unit of utility paid by the supporters who did not run out of money. */
  rho: number;
  supporters: number;
  /** How the project came in: by equal shares, or by greedy completion. */
  phase: 'mes' | 'completion';
}

export interface MesResult {
  /** Selected ids in selection order. */
  selected: string[];
  rounds: MesRound[];
  spent: number;
  /** The per-voter budget of the run whose outcome was kept (B / n unless add1 raised it). */
  perVoterBudget: number;
  /** How many add1 increments were kept (0 without add1). */
  add1Steps: number;
  /** What each voter (in ballot order) had left of the virtual budget after the MES rounds. */
  leftovers: number[];
}

const AFFORD = 1e-12;
const TIE = 1e-9;

interface Instance {
  ids: string[];
  costs: number[];
  /** Per project: supporter voter indices and their utility weights. */
  voters: Int32Array[];
  weights: Float64Array[];
  n: number;
}

function prepare(projects: readonly MesProject[], ballots: readonly MesBallot[]): Instance {
  const index = new Map<string, number>();
  projects.forEach((p, i) => {
    if (!Number.isSafeInteger(p.cost) || p.cost < 0) throw new RangeError(`cost of ${p.id} must be a non-negative integer`);
    if (index.has(p.id)) throw new Error(`duplicate project id ${p.id}`);
    index.set(p.id, i);
  });
  const lists: { v: number[]; w: number[] }[] = projects.map(() => ({ v: [], w: [] }));
  ballots.forEach((ballot, voter) => {
    const entries: [string, number][] = Array.isArray(ballot)
      ? (ballot as readonly string[]).map((id) => [id, 1])
      : [...(ballot as ReadonlyMap<string, number>)];
    const seen = new Set<number>();
    for (const [id, weight] of entries) {
      const p = index.get(id);
      if (p === undefined) throw new Error(`ballot ${voter + 1} names unknown project ${id}`);
      if (seen.has(p) || !(weight > 0)) continue;
      seen.add(p);
      lists[p]!.v.push(voter);
      lists[p]!.w.push(weight);
    }
  });
  return {
    ids: projects.map((p) => p.id),
    costs: projects.map((p) => p.cost),
    voters: lists.map((l) => Int32Array.from(l.v)),
    weights: lists.map((l) => Float64Array.from(l.w)),
    n: ballots.length,
  };
}

/**
 * The smallest ρ such that Σ min(budget_i, ρ·u_i) over the supporters equals the cost, or null
 * when the supporters cannot afford it.
 */
function priceOf(inst: Instance, p: number, budgets: Float64Array, utilityOfCost: number): number | null {
  const cost = inst.costs[p]!;
  const voters = inst.voters[p]!;
  const weights = inst.weights[p]!;
  if (voters.length === 0) return null;
  if (cost === 0) return 0;
  let total = 0;
  for (let k = 0; k < voters.length; k++) total += budgets[voters[k]!]!;
  if (total < cost * (1 - AFFORD)) return null;
  // Supporters ordered by how soon they run out: budget / utility.
  const order: number[] = [];
  for (let k = 0; k < voters.length; k++) if (budgets[voters[k]!]! > 0) order.push(k);
  order.sort((a, b) => budgets[voters[a]!]! / weights[a]! - budgets[voters[b]!]! / weights[b]!);
  let utilitySum = 0;
  for (const k of order) utilitySum += weights[k]! * utilityOfCost;
  let paid = 0;
  let rho = 0;
  for (const k of order) {
    const u = weights[k]! * utilityOfCost;
    rho = (cost - paid) / utilitySum;
    const budget = budgets[voters[k]!]!;
    if (rho * u <= budget) return rho;
    paid += budget;
    utilitySum -= u;
  }
  // Only rounding gets here: everyone pays all they have.
  return rho;
}

function isTie(a: number, b: number): boolean {
  return Math.abs(a - b) <= TIE * Math.max(Math.abs(a), Math.abs(b));
}

function better(inst: Instance, a: number, rhoA: number, b: number, rhoB: number): boolean {
  if (!isTie(rhoA, rhoB)) return rhoA < rhoB;
  const sa = inst.voters[a]!.length;
  const sb = inst.voters[b]!.length;
  if (sa !== sb) return sa > sb;
  if (inst.costs[a] !== inst.costs[b]) return inst.costs[a]! < inst.costs[b]!;
  return compareIds(inst.ids[a]!, inst.ids[b]!) < 0;
}

/** One run of MES with a given per-voter budget; `limit` is the real budget, never exceeded. */
function run(inst: Instance, perVoter: number, limit: number, utility: Utility) {
  const budgets = new Float64Array(inst.n).fill(perVoter);
  const rounds: MesRound[] = [];
  let spent = 0;
  // ρ only rises as budgets fall, so the last ρ is a lower bound: look at projects in that
  // order and stop once the lower bound is clearly worse than the best found.
  let candidates = inst.ids.map((_, p) => ({ p, bound: 0 }));
  for (;;) {
    candidates.sort((x, y) => x.bound - y.bound);
    let best = -1;
    let bestRho = Infinity;
    const keep: typeof candidates = [];
    for (const c of candidates) {
      if (best >= 0 && c.bound > bestRho && !isTie(c.bound, bestRho)) {
        keep.push(c);
        continue;
      }
      if (spent + inst.costs[c.p]! > limit) continue;
      const utilityOfCost = utility === 'cost' ? inst.costs[c.p]! || 1 : 1;
      const rho = priceOf(inst, c.p, budgets, utilityOfCost);
      if (rho === null) continue;
      c.bound = rho;
      keep.push(c);
      if (best < 0 || better(inst, c.p, rho, best, bestRho)) {
        best = c.p;
        bestRho = rho;
      }
    }
    if (best < 0) break;
    const utilityOfCost = utility === 'cost' ? inst.costs[best]! || 1 : 1;
    const voters = inst.voters[best]!;
    const weights = inst.weights[best]!;
    for (let k = 0; k < voters.length; k++) {
      const v = voters[k]!;
      const pay = Math.min(budgets[v]!, bestRho * weights[k]! * utilityOfCost);
      budgets[v] = budgets[v]! - pay <= perVoter * AFFORD ? 0 : budgets[v]! - pay;
    }
    spent += inst.costs[best]!;
    rounds.push({ id: inst.ids[best]!, cost: inst.costs[best]!, rho: bestRho, supporters: voters.length, phase: 'mes' });
    candidates = keep.filter((c) => c.p !== best);
  }
  return { rounds, spent, budgets };
}

/** Fill what is left by approvals (more supporters first, then lower cost, then lower id). */
function greedyFill(inst: Instance, rounds: MesRound[], spent: number, limit: number) {
  const taken = new Set(rounds.map((r) => r.id));
  const order = inst.ids
    .map((_, p) => p)
    .filter((p) => !taken.has(inst.ids[p]!))
    .sort(
      (a, b) =>
        inst.voters[b]!.length - inst.voters[a]!.length ||
        inst.costs[a]! - inst.costs[b]! ||
        compareIds(inst.ids[a]!, inst.ids[b]!),
    );
  for (const p of order) {
    if (inst.voters[p]!.length === 0 || spent + inst.costs[p]! > limit) continue;
    spent += inst.costs[p]!;
    rounds.push({ id: inst.ids[p]!, cost: inst.costs[p]!, rho: NaN, supporters: inst.voters[p]!.length, phase: 'completion' });
  }
  return spent;
}

export function equalShares(
  projects: readonly MesProject[],
  ballots: readonly MesBallot[],
  budget: number,
  options: MesOptions = {},
): MesResult {
  if (!Number.isSafeInteger(budget) || budget < 0) throw new RangeError('budget must be a non-negative integer');
  const utility = options.utility ?? 'cost';
  const completion = options.completion ?? 'none';
  const inst = prepare(projects, ballots);
  if (inst.n === 0) return { selected: [], rounds: [], spent: 0, perVoterBudget: 0, add1Steps: 0, leftovers: [] };
  const base = budget / inst.n;
  let perVoter = base;
  let outcome = run(inst, perVoter, budget, utility);
  let steps = 0;

  if (completion === 'add1' || completion === 'add1-greedy') {
    // Raise every voter's virtual budget by one step at a time and rerun, keeping the last
    // outcome whose real cost fits, until the outcome is exhaustive (nothing else fits) or the
    // next one would cost more than the budget (equalshares.net, "completion: add1").
    const step = options.add1Step ?? 1;
    const maxSteps = options.add1MaxSteps ?? 100_000;
    for (let k = 1; k <= maxSteps; k++) {
      if (isExhaustive(inst, outcome.rounds, outcome.spent, budget)) break;
      const next = run(inst, base + k * step, Infinity, utility);
      if (next.spent > budget) break;
      outcome = next;
      perVoter = base + k * step;
      steps = k;
    }
  }
  let spent = outcome.spent;
  const rounds = outcome.rounds;
  if (completion === 'greedy' || completion === 'add1-greedy') spent = greedyFill(inst, rounds, spent, budget);
  return {
    selected: rounds.map((r) => r.id),
    rounds,
    spent,
    perVoterBudget: perVoter,
    add1Steps: steps,
    leftovers: Array.from(outcome.budgets),
  };
}

function isExhaustive(inst: Instance, rounds: MesRound[], spent: number, limit: number): boolean {
  const taken = new Set(rounds.map((r) => r.id));
  // A project nobody approved can never be bought by equal shares, so it does not count.
  return inst.ids.every((id, p) => taken.has(id) || inst.voters[p]!.length === 0 || spent + inst.costs[p]! > limit);
}
