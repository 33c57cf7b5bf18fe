/**
 * Greedy selection within a budget: walk the ranking, fund every project that still fits,
 * skip the ones that do not (decision 008). Money is whatever integer unit the caller uses
 * (fen in the app, the file's currency unit for Pabulib); every line keeps the numbers the
 * results page needs to say why.
 */

export interface GreedyItem {
  id: string;
  cost: number;
  /** Only read when `minimumPerStreet` is set. */
  street?: string;
}

export type GreedyReason =
  /** funded in the first pass that guarantees each street its minimum */
  | 'street-minimum'
  /** funded in rank order: the cost fitted the remaining budget */
  | 'fitted'
  /** not funded: the cost exceeded what remained when its turn came */
  | 'exceeded';

export interface GreedyLine {
  id: string;
  /** 1-based position in the ranking the caller gave. */
  rank: number;
  cost: number;
  funded: boolean;
  reason: GreedyReason;
  /** Remaining budget when the project was (last) considered, and after. Equal when not funded. */
  remainingBefore: number;
  remainingAfter: number;
}

export interface GreedyResult {
  /** Funded ids in the order they were funded. */
  selected: string[];
  /** One line per project, in rank order. */
  lines: GreedyLine[];
  spent: number;
  remaining: number;
}

export interface GreedyOptions {
  /**
   * Each street is first given up to this many of its best-ranked projects that fit, in one
   * pass down the ranking; then the rest of the budget goes by rank as usual.
   */
  minimumPerStreet?: number;
}

export function greedy(ranked: readonly GreedyItem[], budget: number, options: GreedyOptions = {}): GreedyResult {
  assertMoney(budget, 'budget');
  for (const item of ranked) assertMoney(item.cost, `cost of ${item.id}`);
  const lines: GreedyLine[] = ranked.map((item, i) => ({
    id: item.id,
    rank: i + 1,
    cost: item.cost,
    funded: false,
    reason: 'exceeded',
    remainingBefore: budget,
    remainingAfter: budget,
  }));
  const selected: string[] = [];
  let remaining = budget;
  const fund = (line: GreedyLine, reason: GreedyReason) => {
    line.remainingBefore = remaining;
    remaining -= line.cost;
    line.remainingAfter = remaining;
    line.funded = true;
    line.reason = reason;
    selected.push(line.id);
  };

  const minimum = options.minimumPerStreet ?? 0;
  if (minimum > 0) {
    const perStreet = new Map<string, number>();
    ranked.forEach((item, i) => {
      const line = lines[i]!;
      if (item.street === undefined) return;
      const count = perStreet.get(item.street) ?? 0;
      if (count >= minimum || item.cost > remaining) return;
      perStreet.set(item.street, count + 1);
      fund(line, 'street-minimum');
    });
  }

  for (const line of lines) {
    if (line.funded) continue;
    if (line.cost <= remaining) fund(line, 'fitted');
    else {
      line.remainingBefore = remaining;
      line.remainingAfter = remaining;
    }
  }
  return { selected, lines, spent: budget - remaining, remaining };
}

function assertMoney(value: number, what: string) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}
