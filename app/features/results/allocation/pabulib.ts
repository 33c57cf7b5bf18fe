/**
 * The Pabulib `.pb` format (https://pabulib.org/format): three sections, META, PROJECTS and
 * VOTES, each a section name line, a header line and `;`-separated rows. Reading is liberal
 * (BOM, Windows or old Mac line endings, blank lines, trailing spaces, quoted fields with `""`
 * escapes, lower-case section names, missing optional columns, no VOTES section); writing is
 * strict (LF, `META` / `PROJECTS` / `VOTES`, `key;value`, `project_id;cost;…`, `voter_id;vote;…`,
 * quotes only where a field needs them).
 */

export type VoteType = 'approval' | 'choose-1' | 'cumulative' | 'scoring' | 'ordinal';

export interface PbProject {
  id: string;
  /** Integer money in the file's unit. */
  cost: number;
  /** Every other column, as text (votes, score, name, category, selected, …). */
  fields: Record<string, string>;
}

export interface PbVote {
  voterId: string;
  /** Project ids in file order (for ordinal ballots, best first). */
  vote: string[];
  /** Cumulative / scoring ballots: points per project in `vote`'s order. */
  points?: number[];
  /** Every other column (age, sex, voting_method, …). */
  fields: Record<string, string>;
}

export interface PbFile {
  /** In file order; keys as written. */
  meta: Record<string, string>;
  projects: PbProject[];
  votes: PbVote[];
  /** Extra column names in file order, so a write keeps them in place. */
  projectColumns: string[];
  voteColumns: string[];
}

export class PabulibError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'PabulibError';
  }
}

/** Splits one `;` line, honouring double quotes. */
export function splitRow(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ';') {
      out.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else if (!(wasQuoted && ch.trim() === '')) field += ch;
  }
  out.push(wasQuoted ? field : field.trim());
  return out;
}

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;
type Section = (typeof SECTIONS)[number];

export function parsePabulib(text: string): PbFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const file: PbFile = { meta: {}, projects: [], votes: [], projectColumns: [], voteColumns: [] };
  let section: Section | null = null;
  let header: string[] | null = null;
  const seenProjects = new Set<string>();

  lines.forEach((rawLine, i) => {
    const lineNo = i + 1;
    const line = rawLine.trim();
    if (line === '') return;
    const name = line.replace(/;+$/, '').toUpperCase();
    if ((SECTIONS as readonly string[]).includes(name)) {
      section = name as Section;
      header = null;
      return;
    }
    if (!section) throw new PabulibError('expected META, PROJECTS or VOTES', lineNo);
    const cells = splitRow(line);
    // The META header line is optional in the wild.
    if (!header && section === 'META' && cells[0]?.toLowerCase() !== 'key') header = ['key', 'value'];
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      if (section === 'PROJECTS') {
        if (!header.includes('project_id') || !header.includes('cost')) {
          throw new PabulibError('PROJECTS needs project_id and cost columns', lineNo);
        }
        file.projectColumns = header.filter((c) => c !== 'project_id' && c !== 'cost');
      }
      if (section === 'VOTES') {
        if (!header.includes('vote')) throw new PabulibError('VOTES needs a vote column', lineNo);
        file.voteColumns = header.filter((c) => c !== 'voter_id' && c !== 'vote' && c !== 'points');
      }
      return;
    }
    const row = (col: string) => {
      const at = header!.indexOf(col);
      return at < 0 ? undefined : (cells[at] ?? '');
    };
    const rest = (skip: string[]) =>
      Object.fromEntries(header!.filter((c) => !skip.includes(c)).map((c) => [c, row(c) ?? '']));

    if (section === 'META') {
      const [key, ...value] = cells;
      if (key) file.meta[key.toLowerCase()] = value.join(';');
      return;
    }
    if (section === 'PROJECTS') {
      const id = row('project_id') ?? '';
      const costText = (row('cost') ?? '').replace(/\s/g, '');
      const cost = Number(costText);
      if (!id) throw new PabulibError('project without project_id', lineNo);
      if (seenProjects.has(id)) throw new PabulibError(`duplicate project ${id}`, lineNo);
      if (!/^\d+(\.0+)?$/.test(costText) || !Number.isSafeInteger(cost)) {
        throw new PabulibError(`cost of ${id} must be a non-negative integer, got "${costText}"`, lineNo);
      }
      seenProjects.add(id);
      file.projects.push({ id, cost, fields: rest(['project_id', 'cost']) });
      return;
    }
    const voteText = row('vote') ?? '';
    const vote = voteText.split(',').map((s) => s.trim()).filter(Boolean);
    const pointsText = row('points');
    const entry: PbVote = {
      voterId: row('voter_id') ?? String(file.votes.length + 1),
      vote,
      fields: rest(['voter_id', 'vote', 'points']),
    };
    if (pointsText !== undefined && pointsText !== '') {
      const points = pointsText.split(',').map((s) => Number(s.trim()));
      if (points.length !== vote.length || points.some((p) => !Number.isFinite(p))) {
        throw new PabulibError(`points of voter ${entry.voterId} do not match the vote`, lineNo);
      }
      entry.points = points;
    }
    file.votes.push(entry);
  });
  for (const v of file.votes) {
    for (const id of v.vote) if (!seenProjects.has(id)) throw new PabulibError(`voter ${v.voterId} voted for unknown project ${id}`);
  }
  return file;
}

function quote(field: string): string {
  return /[;"\r\n]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const row = (cells: readonly string[]) => cells.map(quote).join(';');

export function writePabulib(file: PbFile): string {
  const out: string[] = ['META', 'key;value'];
  for (const [key, value] of Object.entries(file.meta)) out.push(row([key, value]));
  out.push('PROJECTS', row(['project_id', 'cost', ...file.projectColumns]));
  for (const p of file.projects) out.push(row([p.id, String(p.cost), ...file.projectColumns.map((c) => p.fields[c] ?? '')]));
  if (file.votes.length > 0) {
    const hasPoints = file.votes.some((v) => v.points);
    out.push('VOTES', row(['voter_id', 'vote', ...(hasPoints ? ['points'] : []), ...file.voteColumns]));
    for (const v of file.votes) {
      out.push(
        row([
          v.voterId,
          v.vote.join(','),
          ...(hasPoints ? [(v.points ?? []).join(',')] : []),
          ...file.voteColumns.map((c) => v.fields[c] ?? ''),
        ]),
      );
    }
  }
  return out.join('\n') + '\n';
}

export function voteType(file: PbFile): VoteType {
  const t = (file.meta.vote_type ?? 'approval').trim().toLowerCase();
  if (t === 'approval' || t === 'choose-1' || t === 'cumulative' || t === 'scoring' || t === 'ordinal') return t;
  throw new PabulibError(`unsupported vote_type ${t}`);
}

export function budgetOf(file: PbFile): number {
  const text = (file.meta.budget ?? '').replace(/\s/g, '');
  const budget = Number(text);
  if (text === '' || !Number.isFinite(budget) || budget < 0) throw new PabulibError(`META budget is missing or not a number: "${text}"`);
  // A few files write the budget with decimals; money never has fractions of the unit here.
  return Math.floor(budget);
}

export interface ApprovalCounts {
  counts: Map<string, number>;
  /** Where the counts came from: the ballots, or the PROJECTS votes column (no VOTES section). */
  source: 'VOTES' | 'PROJECTS.votes';
}

/**
 * How many voters included each project. From the VOTES section when there is one; otherwise
 * the `votes` column of PROJECTS (a project without it counts 0).
 */
export function approvalCounts(file: PbFile): ApprovalCounts {
  const counts = new Map(file.projects.map((p) => [p.id, 0]));
  if (file.votes.length > 0) {
    for (const v of file.votes) {
      for (const [i, id] of v.vote.entries()) {
        if (v.points && !(v.points[i]! > 0)) continue;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    return { counts, source: 'VOTES' };
  }
  for (const p of file.projects) counts.set(p.id, Number(p.fields.votes ?? 0) || 0);
  return { counts, source: 'PROJECTS.votes' };
}

/**
 * Ballots for the Method of Equal Shares: approval and choose-1 (and ordinal, whose ranking is
 * read as approval of the listed projects) as id lists; cumulative and scoring as id → points.
 */
export function ballotsOf(file: PbFile): (string[] | Map<string, number>)[] {
  return file.votes.map((v) => (v.points ? new Map(v.vote.map((id, i) => [id, v.points![i]!])) : v.vote));
}
