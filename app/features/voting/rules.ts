/** Pure voting rules shared by the services, the pages and the unit tests (decision 006). */
export const BALLOT_CHANNELS = ['online', 'paper', 'assisted'] as const;
export type BallotChannel = (typeof BALLOT_CHANNELS)[number];

export const VOTING_METHODS = ['approval', 'budget'] as const;
export type VotingMethod = (typeof VOTING_METHODS)[number];

export const VOTING_SCOPES = ['district', 'street'] as const;
export type VotingScope = (typeof VOTING_SCOPES)[number];

export interface VotingRules {
  method: VotingMethod;
  maxChoices: number;
  ballotBudgetFen: number;
  scope: VotingScope;
  publicTotals: boolean;
  residentWeight: number;
  judgesMayVote: boolean;
}

export const DEFAULT_VOTING_RULES: VotingRules = {
  method: 'approval',
  maxChoices: 5,
  ballotBudgetFen: 0,
  scope: 'district',
  publicTotals: false,
  residentWeight: 50,
  judgesMayVote: false,
};

export type ChoiceFailure = 'emptyBallot' | 'duplicateChoice' | 'notOnBallot' | 'tooManyChoices' | 'overBudget';

/**
 * Checks a whole ballot against the rules: every choice is on this voter's ballot, none twice,
 * at most K (approval) or at most B in total cost (budget ballot). A ballot is always written as
 * a complete set, so checking the set before the one write is enough under any concurrency.
 */
export function checkChoices(
  rules: Pick<VotingRules, 'method' | 'maxChoices' | 'ballotBudgetFen'>,
  choices: readonly string[],
  onBallot: ReadonlyMap<string, { totalFen: number }>,
): { ok: true; totalFen: number } | { ok: false; reason: ChoiceFailure } {
  if (choices.length === 0) return { ok: false, reason: 'emptyBallot' };
  if (new Set(choices).size !== choices.length) return { ok: false, reason: 'duplicateChoice' };
  let totalFen = 0;
  for (const id of choices) {
    const proposal = onBallot.get(id);
    if (!proposal) return { ok: false, reason: 'notOnBallot' };
    totalFen += proposal.totalFen;
  }
  if (rules.method === 'approval' && choices.length > rules.maxChoices) return { ok: false, reason: 'tooManyChoices' };
  if (rules.method === 'budget' && totalFen > rules.ballotBudgetFen) return { ok: false, reason: 'overBudget' };
  return { ok: true, totalFen };
}

/** What is left for the voter as they pick: choices (approval) or fen (budget ballot). */
export function remaining(rules: Pick<VotingRules, 'method' | 'maxChoices' | 'ballotBudgetFen'>, picked: { totalFen: number }[]): number {
  if (rules.method === 'approval') return rules.maxChoices - picked.length;
  return rules.ballotBudgetFen - picked.reduce((sum, p) => sum + p.totalFen, 0);
}

export interface Burst {
  key: string;
  count: number;
  from: Date;
  to: Date;
}

/**
 * For each key (an IP, a device, a worker, a community), the largest number of events inside any
 * window of `windowMs`; keys reaching `threshold` are reported, largest first.
 */
export function findBursts(events: readonly { key: string; at: Date }[], windowMs: number, threshold: number): Burst[] {
  const byKey = new Map<string, number[]>();
  for (const event of events) {
    const times = byKey.get(event.key) ?? [];
    times.push(event.at.getTime());
    byKey.set(event.key, times);
  }
  const bursts: Burst[] = [];
  for (const [key, times] of byKey) {
    times.sort((a, b) => a - b);
    let best = { count: 0, from: 0, to: 0 };
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! > windowMs) start++;
      if (end - start + 1 > best.count) best = { count: end - start + 1, from: times[start]!, to: times[end]! };
    }
    if (best.count >= threshold) bursts.push({ key, count: best.count, from: new Date(best.from), to: new Date(best.to) });
  }
  return bursts.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
