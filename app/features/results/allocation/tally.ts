/**
 * Tallies a Pabulib file with the app's own allocation code (decision 008), for `npm run tally`
 * and the tests. The allocation folder is pure: no database, no request.
 */
import { greedy, type GreedyResult } from './greedy';
import { compareIds } from './ids';
import { equalShares, type Add1Start, type Completion, type MesResult, type Utility } from './mes';
import { approvalCounts, ballotsOf, budgetOf, type ApprovalCounts, type PbFile } from './pabulib';

export interface TallyOptions {
  method?: 'greedy' | 'mes';
  utility?: Utility;
  completion?: Completion;
  /** Where add1 starts (equalShares' `add1Start`; default `integral`, equalshares.net's). */
  add1Start?: Add1Start;
}

export interface PabulibTally {
  method: 'greedy' | 'mes';
  /** Selected project ids: greedy in rank order, MES in selection order. */
  selected: string[];
  budget: number;
  spent: number;
  countsFrom: ApprovalCounts['source'];
  /** Projects left out because META min_project_score_threshold says they had too few votes. */
  belowThreshold: string[];
  greedy?: GreedyResult;
  mes?: MesResult;
}

/**
 * Tallies a Pabulib election the way the app tallies its own. Greedy orders projects by
 * approval count (more first), then lower cost, then lower id, and skips any that no longer
 * fits. A META `min_project_score_threshold` (a rule of some cities: fewer votes, not eligible)
 * is applied to greedy. MES uses the ballots, cost utilities and no completion unless told.
 */
export function tallyPabulib(file: PbFile, options: TallyOptions = {}): PabulibTally {
  const method = options.method ?? 'greedy';
  const budget = budgetOf(file);
  const { counts, source } = approvalCounts(file);
  if (method === 'mes') {
    if (file.votes.length === 0) throw new Error('the Method of Equal Shares needs the VOTES section');
    const mes = equalShares(file.projects, ballotsOf(file), budget, {
      utility: options.utility ?? 'cost',
      completion: options.completion ?? 'none',
      add1Start: options.add1Start,
    });
    return { method, selected: mes.selected, budget, spent: mes.spent, countsFrom: source, belowThreshold: [], mes };
  }
  const threshold = Number(file.meta.min_project_score_threshold ?? 0) || 0;
  const count = (id: string) => counts.get(id) ?? 0;
  const belowThreshold = file.projects.filter((p) => count(p.id) < threshold).map((p) => p.id);
  const ranked = file.projects
    .filter((p) => count(p.id) >= threshold)
    .sort((a, b) => count(b.id) - count(a.id) || a.cost - b.cost || compareIds(a.id, b.id));
  const result = greedy(ranked, budget);
  return { method, selected: result.selected, budget, spent: result.spent, countsFrom: source, belowThreshold, greedy: result };
}
