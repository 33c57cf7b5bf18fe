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
  /**
   * Where `add1` starts raising the per-voter budget from (decision 008):
   * - `integral` (default): equalshares.net's published code, which starts from the whole-number
   *   per-voter budget floor(B / n) and raises the total by n per step, so the reruns use
   *   floor(B / n) + 1, + 2, … (in units of `add1Step`: the largest multiple of the step that is
   *   at most B / n, plus k steps);
   * - `share`: pabutools' `voter_budget_increment`, which starts from the exact share B / n, so
   *   the reruns use B / n + k steps.
   * The two agree whenever B / n is a whole number of steps.
   */
  add1Start?: Add1Start;
  /** Safety stop for `add1` (default 100,000 increments). */
  add1MaxSteps?: number;
}

export type Add1Start = 'integral' | 'share';

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
  /** Per voter, the projects on the ballot: `ballot.subarray(ballotStart[v], ballotStart[v + 1])`. */
  ballotStart: Int32Array;
  ballot: Int32Array;
  /** Per project: every supporter's weight is 1 (approval ballots). */
  unit: boolean[];
  /** Per project, the projects sharing at least one supporter with it (itself included). */
  overlaps: Int32Array[];
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
  const ballotStart = new Int32Array(ballots.length + 1);
  const ballot: number[] = [];
  ballots.forEach((entry, voter) => {
    const entries: [string, number][] = Array.isArray(entry)
      ? (entry as readonly string[]).map((id) => [id, 1])
      : [...(entry as ReadonlyMap<string, number>)];
    const seen = new Set<number>();
    for (const [id, weight] of entries) {
      const p = index.get(id);
      if (p === undefined) throw new Error(`ballot ${voter + 1} names unknown project ${id}`);
      if (seen.has(p) || !(weight > 0)) continue;
      seen.add(p);
      lists[p]!.v.push(voter);
      lists[p]!.w.push(weight);
      ballot.push(p);
    }
    ballotStart[voter + 1] = ballot.length;
  });
  const count = projects.length;
  const shared = new Uint8Array(count * count);
  for (let v = 0; v < ballots.length; v++) {
    for (let i = ballotStart[v]!; i < ballotStart[v + 1]!; i++) {
      for (let j = ballotStart[v]!; j < ballotStart[v + 1]!; j++) shared[ballot[i]! * count + ballot[j]!] = 1;
    }
  }
  const overlaps = projects.map((_, p) => {
    const list: number[] = [];
    for (let q = 0; q < count; q++) if (shared[p * count + q]) list.push(q);
    return Int32Array.from(list);
  });
  return {
    ids: projects.map((p) => p.id),
    costs: projects.map((p) => p.cost),
    voters: lists.map((l) => Int32Array.from(l.v)),
    weights: lists.map((l) => Float64Array.from(l.w)),
    ballotStart,
    ballot: Int32Array.from(ballot),
    unit: lists.map((l) => l.w.every((w) => w === 1)),
    overlaps,
    n: ballots.length,
  };
}

/**
 * The smallest ρ such that Σ min(budget_i, ρ·u_i) over the supporters equals the cost, or null
 * when the supporters cannot afford it.
 *
 * Supporters are considered in order of how soon they run out (budget / utility). The first of
 * them decides whether anyone runs out at all: if the equal-price ρ = cost / Σu leaves them
 * solvent, that ρ is the answer and no sort is needed (the common case, found in one pass);
 * only otherwise are the supporters sorted and walked. Both paths compute the same numbers in
 * the same order as the plain sort-and-walk, so results are identical to it, bit for bit.
 */
function priceOf(inst: Instance, p: number, budgets: Float64Array, utilityOfCost: number, scratch: Scratch): number | null {
  const cost = inst.costs[p]!;
  const voters = inst.voters[p]!;
  const weights = inst.weights[p]!;
  if (voters.length === 0) return null;
  if (cost === 0) return 0;
  let total = 0;
  let utilitySum = 0;
  let first = -1;
  let firstRatio = Infinity;
  // The supporters with money left, in index order, for the walk below if it is needed.
  const order = scratch.order;
  let rest = 0;
  const ratios = scratch.ratios;
  for (let k = 0; k < voters.length; k++) {
    const budget = budgets[voters[k]!]!;
    total += budget;
    if (budget <= 0) continue;
    order[rest++] = k;
    utilitySum += weights[k]! * utilityOfCost;
    const ratio = budget / weights[k]!;
    ratios[k] = ratio;
    // Strictly less: among equal ratios the earliest voter comes first, as in a stable sort.
    if (ratio < firstRatio) {
      firstRatio = ratio;
      first = k;
    }
  }
  if (total < cost * (1 - AFFORD)) return null;
  if (first < 0) return 0;
  const equalPrice = cost / utilitySum;
  if (equalPrice * (weights[first]! * utilityOfCost) <= budgets[voters[first]!]!) return equalPrice;

  // Someone runs out. The walk goes through the supporters in order of ratio, but only as far
  // as it must: in bands of ratio, each band sorted when the walk reaches it. The first band
  // ends just above the equal price, since everyone below it certainly runs out; later ones
  // reach past the price the walk has reached and grow geometrically. So usually only those who
  // run out, and a few more, are ever sorted.
  let lo = 0;
  let paid = 0;
  let left = utilitySum;
  let rho = equalPrice;
  let to = 0;
  for (;;) {
    to = Math.max(rho * utilityOfCost * BAND, to * 1.5);
    let m = partition(order, lo, rest, ratios, to);
    if (m === lo) {
      // Nobody in the band: it reaches just past the lowest ratio left instead.
      let lowest = Infinity;
      for (let i = lo; i < rest; i++) lowest = Math.min(lowest, ratios[order[i]!]!);
      to = lowest * BAND;
      m = partition(order, lo, rest, ratios, to);
    }
    if (inst.unit[p]) {
      // Approvals: every weight is 1, so a ratio is the budget itself and equal ratios are
      // interchangeable; sorting the numbers (natively) gives the walk the same sequence.
      const keys = scratch.keys.subarray(0, m - lo);
      for (let i = lo; i < m; i++) keys[i - lo] = ratios[order[i]!]!;
      keys.sort();
      for (let i = 0; i < keys.length; i++) {
        rho = (cost - paid) / left;
        const budget = keys[i]!;
        if (rho * utilityOfCost <= budget) return rho;
        paid += budget;
        left -= utilityOfCost;
      }
      lo = m;
      if (lo >= rest) return rho;
      rho = (cost - paid) / left;
      continue;
    }
    const band = order.subarray(lo, m);
    sortByRatio(band, ratios, scratch.merge);
    for (let i = 0; i < band.length; i++) {
      const k = band[i]!;
      const u = weights[k]! * utilityOfCost;
      rho = (cost - paid) / left;
      const budget = budgets[voters[k]!]!;
      if (rho * u <= budget) return rho;
      paid += budget;
      left -= u;
    }
    lo = m;
    // Only rounding gets here once everyone is in: everyone pays all they have.
    if (lo >= rest) return rho;
    rho = (cost - paid) / left;
  }
}

/** Moves the entries of a[lo, hi) whose ratio is below `to` to the front; returns where they end. */
function partition(a: Int32Array, lo: number, hi: number, ratios: Float64Array, to: number): number {
  let m = lo;
  for (let i = lo; i < hi; i++) {
    const k = a[i]!;
    if (ratios[k]! < to) {
      a[i] = a[m]!;
      a[m++] = k;
    }
  }
  return m;
}

/** A band reaches a little past the price reached so far (the relative margin is arbitrary). */
const BAND = 1 + 2 ** -20;

/** Per-run buffers sized for the most-supported project, so pricing allocates nothing. */
interface Scratch {
  ratios: Float64Array;
  order: Int32Array;
  merge: Int32Array;
  keys: Float64Array;
}

/**
 * Sorts supporter indices by ratio, equal ratios by index (the order a stable sort of the
 * supporters gives): insertion sort for short bands, a bottom-up merge sort for long ones.
 */
function sortByRatio(a: Int32Array, ratios: Float64Array, tmp: Int32Array) {
  const n = a.length;
  const less = (x: number, y: number) => ratios[x]! < ratios[y]! || (ratios[x] === ratios[y] && x < y);
  const RUN = 16;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = a[i]!;
      let j = i - 1;
      while (j >= lo && less(x, a[j]!)) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = x;
    }
  }
  let src = a;
  let dst = tmp.subarray(0, n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) dst[o++] = less(src[j]!, src[i]!) ? src[j++]! : src[i++]!;
      while (i < mid) dst[o++] = src[i++]!;
      while (j < hi) dst[o++] = src[j++]!;
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  if (src !== a) a.set(src);
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

/** Buffers that every run of one election reuses, so the add1 reruns allocate little. */
interface Workspace {
  budgets: Float64Array;
  stale: Uint8Array;
  /** Candidates in order of their lower bound on ρ, and that bound per project. */
  order: Int32Array;
  bound: Float64Array;
  scratch: Scratch;
}

function workspace(inst: Instance): Workspace {
  const most = inst.voters.reduce((m, v) => Math.max(m, v.length), 0);
  const count = inst.ids.length;
  return {
    budgets: new Float64Array(inst.n),
    stale: new Uint8Array(count),
    order: new Int32Array(count),
    bound: new Float64Array(count),
    scratch: { ratios: new Float64Array(most), order: new Int32Array(most), merge: new Int32Array(most), keys: new Float64Array(most) },
  };
}

/**
 * One run of MES with a given per-voter budget; `limit` is the real budget, never exceeded.
 * A run whose spending passes `abandonAbove` is stopped there and reported as spending more
 * (spending only grows, so its outcome would be refused anyway).
 */
function run(inst: Instance, ws: Workspace, perVoter: number, limit: number, utility: Utility, abandonAbove = Infinity) {
  const { budgets, stale, order, bound, scratch } = ws;
  budgets.fill(perVoter);
  const rounds: MesRound[] = [];
  let spent = 0;
  // A project's ρ depends only on its supporters' budgets: while none of them has paid since it
  // was last priced (not stale), the price is still exact and is reused, not recomputed.
  stale.fill(1);
  // ρ only rises as budgets fall, so the last ρ is a lower bound: look at projects in that
  // order and stop once the lower bound is clearly worse than the best found.
  let size = inst.ids.length;
  for (let p = 0; p < size; p++) {
    order[p] = p;
    bound[p] = 0;
  }
  for (;;) {
    // Stable insertion sort by bound: the order is nearly sorted from the round before.
    for (let i = 1; i < size; i++) {
      const p = order[i]!;
      const key = bound[p]!;
      let j = i - 1;
      while (j >= 0 && bound[order[j]!]! > key) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = p;
    }
    let best = -1;
    let bestRho = Infinity;
    let kept = 0;
    for (let i = 0; i < size; i++) {
      const p = order[i]!;
      if (best >= 0 && bound[p]! > bestRho && !isTie(bound[p]!, bestRho)) {
        order[kept++] = p;
        continue;
      }
      if (spent + inst.costs[p]! > limit) continue;
      let rho: number | null = bound[p]!;
      if (stale[p]) {
        rho = priceOf(inst, p, budgets, utility === 'cost' ? inst.costs[p]! || 1 : 1, scratch);
        if (rho === null) continue;
        bound[p] = rho;
        stale[p] = 0;
      }
      order[kept++] = p;
      if (best < 0 || better(inst, p, rho, best, bestRho)) {
        best = p;
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
    // Every project sharing a supporter with the one bought may have a new price.
    for (const q of inst.overlaps[best]!) stale[q] = 1;
    spent += inst.costs[best]!;
    rounds.push({ id: inst.ids[best]!, cost: inst.costs[best]!, rho: bestRho, supporters: voters.length, phase: 'mes' });
    // Drop the one bought, keeping the others in order.
    let w = 0;
    for (let i = 0; i < kept; i++) if (order[i] !== best) order[w++] = order[i]!;
    size = w;
    if (spent > abandonAbove) break;
  }
  return { rounds, spent, budgets: budgets.slice() };
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
  let perVoter = budget / inst.n;
  const ws = workspace(inst);
  let outcome = run(inst, ws, perVoter, budget, utility);
  let steps = 0;

  if (completion === 'add1' || completion === 'add1-greedy') {
    // Raise every voter's virtual budget by one step at a time and rerun, keeping the last
    // outcome whose real cost fits, until the outcome is exhaustive (nothing else fits) or the
    // next one would cost more than the budget (equalshares.net, "completion: add1").
    const step = options.add1Step ?? 1;
    if (!(step > 0)) throw new RangeError('add1Step must be positive');
    const maxSteps = options.add1MaxSteps ?? 100_000;
    const base = (options.add1Start ?? 'integral') === 'integral' ? wholeSteps(budget, inst.n, step) : budget / inst.n;
    for (let k = 1; k <= maxSteps; k++) {
      if (isExhaustive(inst, outcome.rounds, outcome.spent, budget)) break;
      const next = run(inst, ws, base + k * step, Infinity, utility, budget);
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

/** The largest multiple of `step` that is at most budget / n, computed without rounding. */
function wholeSteps(budget: number, n: number, step: number): number {
  if (Number.isSafeInteger(step) && Number.isSafeInteger(n * step)) return ((budget - (budget % (n * step))) / (n * step)) * step;
  return Math.floor(budget / n / step) * step;
}

function isExhaustive(inst: Instance, rounds: MesRound[], spent: number, limit: number): boolean {
  const taken = new Set(rounds.map((r) => r.id));
  // A project nobody approved can never be bought by equal shares, so it does not count.
  return inst.ids.every((id, p) => taken.has(id) || inst.voters[p]!.length === 0 || spent + inst.costs[p]! > limit);
}
