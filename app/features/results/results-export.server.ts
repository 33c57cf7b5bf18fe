import { writePabulib, type PbFile } from '~/features/results/allocation/pabulib';
import { getCompetitionRules } from '~/features/proposals/competition-rules.server';
import { fenToYuanInput } from '~/utils/format';
import { toCsv } from '~/utils/csv.server';
import { getPublishedResults } from './results.server';

/**
 * Downloads of a published result: CSV (one line per proposal), JSON (the snapshot: method,
 * inputs with their hash, outcome) and Pabulib .pb (projects with their votes and whether they
 * were selected, and the approval ballots, so researchers can rerun any rule on them).
 */

export interface Download {
  filename: string;
  contentType: string;
  body: string;
}

/** The published result as a file, or null when the competition or its published result is missing. */
export async function resultsDownload(slug: string, format: 'csv' | 'json' | 'pb'): Promise<Download | null> {
  const rules = await getCompetitionRules(slug);
  const published = rules ? await getPublishedResults(rules.id) : null;
  if (!rules || !published) return null;
  const filename = `${rules.slug}-results.${format}`;
  const { outcome, inputs } = published;
  if (format === 'json') {
    const body = JSON.stringify({ competition: rules.slug, method: published.method, publishedAt: published.publishedAt, inputsHash: published.inputsHash, inputs, outcome }, null, 2);
    return { filename, contentType: 'application/json; charset=utf-8', body };
  }
  if (format === 'csv') {
    const judges = [...new Set(inputs.sheets.map((s) => s.judge))].sort();
    const rows = [
      ['rank', 'number', 'title', 'category', 'cost_yuan', 'votes', ...judges.map((j) => `judge_${j}`), 'judge_mean', 'combined', 'funded', 'reason', 'remaining_before_yuan'],
      ...outcome.lines.map((l) => [
        l.rank,
        l.number,
        l.title,
        l.category,
        fenToYuanInput(l.cost),
        l.votes,
        ...judges.map((j) => l.judgeScores[j] ?? null),
        l.judgeMean === null ? null : l.judgeMean.toFixed(4),
        l.combined.toFixed(6),
        l.funded,
        l.reason,
        fenToYuanInput(l.remainingBefore),
      ]),
    ];
    return { filename, contentType: 'text/csv; charset=utf-8', body: toCsv(rows) };
  }
  const numberOf = new Map(inputs.proposals.map((p) => [p.id, String(p.number)]));
  const votes = new Map(outcome.lines.map((l) => [l.id, l.votes]));
  const funded = new Set(outcome.lines.filter((l) => l.funded).map((l) => l.id));
  const file: PbFile = {
    meta: {
      description: `${rules.slug} (Laoshan District, Qingdao)`,
      country: 'China',
      unit: 'Laoshan District',
      instance: rules.slug,
      num_projects: String(inputs.proposals.length),
      num_votes: String(inputs.ballots.length),
      budget: String(Math.round(inputs.budgetFen / 100)),
      vote_type: 'approval',
      rule: published.method === 'mes' ? 'equalshares/add1' : 'greedy',
      currency: 'CNY',
    },
    projects: inputs.proposals.map((p) => ({
      id: String(p.number),
      cost: Math.round(p.cost / 100),
      fields: { votes: String(votes.get(p.id) ?? 0), name: p.title, category: p.category, selected: funded.has(p.id) ? '1' : '0' },
    })),
    votes: inputs.ballots.map((ballot, i) => ({
      voterId: String(i + 1),
      vote: ballot.map((id) => numberOf.get(id)).filter((n): n is string => Boolean(n)),
      fields: {},
    })),
    projectColumns: ['votes', 'name', 'category', 'selected'],
    voteColumns: [],
  };
  return { filename, contentType: 'text/plain; charset=utf-8', body: writePabulib(file) };
}
