import { writePabulib, type PbFile } from '~/features/results/allocation/pabulib';
import { getCompetitionRules } from '~/features/proposals/proposals.server';
import { getPublishedResults } from './results.server';

/**
 * Downloads of a published result: CSV (one line per proposal), JSON (the snapshot: method,
 * inputs with their hash, outcome) and Pabulib .pb (projects with their votes and whether they
 * were selected, and the approval ballots, so researchers can rerun any rule on them).
 */
function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : text;
}

export async function resultsDownload(slug: string, format: 'csv' | 'json' | 'pb'): Promise<Response> {
  const rules = await getCompetitionRules(slug);
  const published = rules ? await getPublishedResults(rules.id) : null;
  if (!rules || !published) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  const name = `${rules.slug}-results.${format}`;
  const headers = { 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' };
  const { outcome, inputs } = published;
  if (format === 'json') {
    const body = JSON.stringify({ competition: rules.slug, method: published.method, publishedAt: published.publishedAt, inputsHash: published.inputsHash, inputs, outcome }, null, 2);
    return new Response(body, { headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } });
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
        (l.cost / 100).toFixed(2),
        l.votes,
        ...judges.map((j) => l.judgeScores[j] ?? null),
        l.judgeMean === null ? null : l.judgeMean.toFixed(4),
        l.combined.toFixed(6),
        l.funded,
        l.reason,
        (l.remainingBefore / 100).toFixed(2),
      ]),
    ];
    // A byte-order mark so spreadsheet programs read the Chinese titles as UTF-8.
    const body = `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
    return new Response(body, { headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' } });
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
  return new Response(writePabulib(file), { headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}
