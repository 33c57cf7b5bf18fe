import { compareIds } from './ids';
import { greedy } from './greedy';
import { equalShares } from './mes';
import { scoreProposals, type Criterion, type SheetInput } from './scoring';

/**
 * Everything a competition's result is computed from, as plain data. Publishing stores exactly
 * this, with its hash, so anyone can recompute the published outcome from the stored inputs.
 */
export interface ResultInputs {
  budgetFen: number;
  /** Resident share of the combined score, 0..1. */
  residentWeight: number;
  normalise: boolean;
  criteria: Criterion[];
  proposals: { id: string; number: number; title: string; category: string; street: string; cost: number }[];
  /** Judges are letters (A, B, C…) already: the published inputs name no one. */
  sheets: SheetInput[];
  /** One approval set (proposal ids) per counted ballot. */
  ballots: string[][];
}

export type AllocationMethod = 'greedy' | 'mes';

export type OutcomeReason = 'fitted' | 'exceeded' | 'street-minimum' | 'equalShares' | 'completion' | 'notSupported';

export interface OutcomeLine {
  id: string;
  number: number;
  title: string;
  category: string;
  street: string;
  cost: number;
  votes: number;
  /** Mean judge score on the 1–10 scale, null without sheets. */
  judgeMean: number | null;
  /** Per judge letter, the (normalised) sheet score 1–10. */
  judgeScores: Record<string, number>;
  combined: number;
  rank: number;
  funded: boolean;
  reason: OutcomeReason;
  /** Remaining budget when it was considered and after (greedy), or after it was funded (MES). */
  remainingBefore: number;
  remainingAfter: number;
}

export interface Outcome {
  method: AllocationMethod;
  budgetFen: number;
  spent: number;
  remaining: number;
  voters: number;
  lines: OutcomeLine[];
}

export function computeOutcome(inputs: ResultInputs, method: AllocationMethod): Outcome {
  const votes = new Map<string, number>();
  for (const ballot of inputs.ballots) for (const id of new Set(ballot)) votes.set(id, (votes.get(id) ?? 0) + 1);
  const scored = scoreProposals(
    inputs.proposals.map((p) => ({ id: p.id, number: p.number, cost: p.cost, votes: votes.get(p.id) ?? 0, street: p.street })),
    inputs.sheets,
    { criteria: inputs.criteria, residentWeight: inputs.residentWeight, normalise: inputs.normalise },
  );
  const byId = new Map(inputs.proposals.map((p) => [p.id, p]));
  const judgeScores = new Map<string, Record<string, number>>();
  for (const sheet of inputs.sheets) {
    const total = inputs.criteria.reduce((sum, c) => sum + c.weight * (sheet.scores[c.key] ?? 0), 0);
    const weights = inputs.criteria.reduce((sum, c) => sum + c.weight, 0);
    judgeScores.set(sheet.proposal, { ...(judgeScores.get(sheet.proposal) ?? {}), [sheet.judge]: Math.round((total / weights) * 100) / 100 });
  }
  const base = (s: (typeof scored)[number]) => {
    const p = byId.get(s.id)!;
    return {
      id: s.id,
      number: s.number,
      title: p.title,
      category: p.category,
      street: p.street,
      cost: s.cost,
      votes: s.votes,
      judgeMean: s.judgeMean,
      judgeScores: judgeScores.get(s.id) ?? {},
      combined: s.combined,
      rank: s.rank,
    };
  };

  if (method === 'greedy') {
    const result = greedy(scored, inputs.budgetFen);
    const lineOf = new Map(result.lines.map((l) => [l.id, l]));
    return {
      method,
      budgetFen: inputs.budgetFen,
      spent: result.spent,
      remaining: result.remaining,
      voters: inputs.ballots.length,
      lines: scored.map((s) => {
        const l = lineOf.get(s.id)!;
        return { ...base(s), funded: l.funded, reason: l.reason, remainingBefore: l.remainingBefore, remainingAfter: l.remainingAfter };
      }),
    };
  }

  const result = equalShares(
    [...inputs.proposals].sort((a, b) => compareIds(a.id, b.id)).map((p) => ({ id: p.id, cost: p.cost })),
    inputs.ballots,
    inputs.budgetFen,
    { utility: 'cost', completion: 'add1', add1Step: 100 },
  );
  const rounds = new Map(result.rounds.map((r, i) => [r.id, { ...r, order: i }]));
  let remaining = inputs.budgetFen;
  const after = new Map<string, number>();
  for (const r of result.rounds) {
    remaining -= r.cost;
    after.set(r.id, remaining);
  }
  return {
    method,
    budgetFen: inputs.budgetFen,
    spent: result.spent,
    remaining: inputs.budgetFen - result.spent,
    voters: inputs.ballots.length,
    lines: scored.map((s) => {
      const round = rounds.get(s.id);
      const funded = Boolean(round);
      return {
        ...base(s),
        funded,
        reason: funded ? (round!.phase === 'mes' ? 'equalShares' : 'completion') : 'notSupported',
        remainingBefore: funded ? after.get(s.id)! + s.cost : inputs.budgetFen - result.spent,
        remainingAfter: funded ? after.get(s.id)! : inputs.budgetFen - result.spent,
      };
    }),
  };
}
