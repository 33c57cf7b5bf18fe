import { compareIds } from './ids';

/**
 * Judges' rubric scores and residents' votes, combined into one ranking (decision 008).
 * Everything here is pure: the results service loads sheets and the tally, calls these, and
 * stores what they return.
 */

export const SCALE_MIN = 1;
export const SCALE_MAX = 10;
/** Scores are rounded to this many decimals before comparing, so ties do not hang on float noise. */
const DECIMALS = 9;

export interface Criterion {
  key: string;
  /** Any positive number; weights are relative (need 3, cost 1 = 75% / 25%). */
  weight: number;
}

export interface SheetInput {
  judge: string;
  proposal: string;
  /** Criterion key → 1..10. Every criterion must be present. */
  scores: Readonly<Record<string, number>>;
}

/** The weighted mean of one sheet's criterion scores, on the 1–10 scale. */
export function sheetScore(criteria: readonly Criterion[], scores: Readonly<Record<string, number>>): number {
  if (criteria.length === 0) throw new Error('the rubric has no criteria');
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    if (!(c.weight > 0)) throw new RangeError(`criterion ${c.key} needs a positive weight`);
    const s = scores[c.key];
    if (s === undefined || !Number.isFinite(s) || s < SCALE_MIN || s > SCALE_MAX) {
      throw new RangeError(`criterion ${c.key} needs a score from ${SCALE_MIN} to ${SCALE_MAX}`);
    }
    total += c.weight * s;
    weights += c.weight;
  }
  return total / weights;
}

export interface ScoredSheet {
  judge: string;
  proposal: string;
  /** The sheet's weighted score, 1–10. */
  raw: number;
  /** After per-judge normalisation (equal to raw when normalisation is off), 1–10. */
  normalised: number;
}

/**
 * Per-judge z-score normalisation, mapped back onto the pooled scale: a sheet's score becomes
 * pooledMean + pooledSd × (raw − judgeMean) / judgeSd, clamped to 1–10. A lenient judge's 9
 * and a harsh judge's 6 then count alike when each is that judge's usual mark.
 * A judge with one sheet, or whose sheets are all equal (sd 0), expressed no preference
 * between proposals: z = 0, so their sheets count as the pooled mean.
 * Standard deviations are population ones (divide by n).
 */
export function normaliseByJudge(sheets: readonly { judge: string; proposal: string; raw: number }[]): ScoredSheet[] {
  if (sheets.length === 0) return [];
  const pooled = meanSd(sheets.map((s) => s.raw));
  const byJudge = new Map<string, number[]>();
  for (const s of sheets) byJudge.set(s.judge, [...(byJudge.get(s.judge) ?? []), s.raw]);
  const stats = new Map([...byJudge].map(([judge, raws]) => [judge, meanSd(raws)]));
  return sheets.map((s) => {
    const { mean, sd } = stats.get(s.judge)!;
    const z = sd > 0 ? (s.raw - mean) / sd : 0;
    const normalised = clamp(pooled.mean + pooled.sd * z, SCALE_MIN, SCALE_MAX);
    return { judge: s.judge, proposal: s.proposal, raw: s.raw, normalised };
  });
}

export interface ProposalInput {
  id: string;
  /** Proposal number, the last tie-break. */
  number: number;
  /** Integer fen. */
  cost: number;
  /** Ballots approving it (the voting tally). */
  votes: number;
  street?: string;
}

export interface ScoringOptions {
  criteria: readonly Criterion[];
  /** Resident share of the combined score, 0..1 (0.3 = 30% residents, 70% judges). */
  residentWeight: number;
  /** Per-judge z-score normalisation; on unless turned off. */
  normalise?: boolean;
}

export interface ScoredProposal extends ProposalInput {
  /** 1-based rank after the tie-break. */
  rank: number;
  /** Mean of the (normalised) sheets of its non-recused judges, 1–10; null without sheets. */
  judgeMean: number | null;
  judges: number;
  /** (judgeMean − 1) / 9: 0..1; 0 without sheets. */
  judgeScore: number;
  /** votes / most votes of any proposal: 0..1; 0 when nobody voted. */
  voteScore: number;
  /** residentWeight × voteScore + (1 − residentWeight) × judgeScore, 0..1. */
  combined: number;
}

/**
 * Scores and ranks the proposals. Sheets of recused judges must not be passed in (the service
 * filters them); a sheet for an unknown proposal is an error.
 * Tie-break, in order: higher combined score, higher judge score, more votes, lower cost,
 * lower proposal number.
 */
export function scoreProposals(
  proposals: readonly ProposalInput[],
  sheets: readonly SheetInput[],
  options: ScoringOptions,
): ScoredProposal[] {
  const w = options.residentWeight;
  if (!(w >= 0 && w <= 1)) throw new RangeError('residentWeight must be between 0 and 1');
  const known = new Set(proposals.map((p) => p.id));
  const raw = sheets.map((s) => {
    if (!known.has(s.proposal)) throw new Error(`sheet for unknown proposal ${s.proposal}`);
    return { judge: s.judge, proposal: s.proposal, raw: sheetScore(options.criteria, s.scores) };
  });
  const scored =
    options.normalise === false ? raw.map((s) => ({ ...s, normalised: s.raw })) : normaliseByJudge(raw);
  const perProposal = new Map<string, number[]>();
  for (const s of scored) perProposal.set(s.proposal, [...(perProposal.get(s.proposal) ?? []), s.normalised]);
  const maxVotes = Math.max(0, ...proposals.map((p) => p.votes));

  const rows = proposals.map((p) => {
    const marks = perProposal.get(p.id) ?? [];
    const judgeMean = marks.length ? round(marks.reduce((a, b) => a + b, 0) / marks.length) : null;
    const judgeScore = judgeMean === null ? 0 : round((judgeMean - SCALE_MIN) / (SCALE_MAX - SCALE_MIN));
    const voteScore = maxVotes > 0 ? round(p.votes / maxVotes) : 0;
    const combined = round(w * voteScore + (1 - w) * judgeScore);
    return { ...p, rank: 0, judgeMean, judges: marks.length, judgeScore, voteScore, combined };
  });
  rows.sort(compareScored);
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

export function compareScored(a: ScoredProposal, b: ScoredProposal): number {
  return (
    b.combined - a.combined ||
    b.judgeScore - a.judgeScore ||
    b.votes - a.votes ||
    a.cost - b.cost ||
    a.number - b.number ||
    compareIds(a.id, b.id)
  );
}

function meanSd(xs: readonly number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  // Float noise on equal values must read as "no spread".
  const sd = Math.sqrt(variance) < 1e-12 ? 0 : Math.sqrt(variance);
  return { mean, sd };
}

function clamp(x: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number) {
  return Number(x.toFixed(DECIMALS));
}
