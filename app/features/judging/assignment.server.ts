import mongoose, { Types } from 'mongoose';
import { JudgingSheet, Proposal, User } from '#models';
import { automaticRecusal, MIN_JUDGES_PER_PROPOSAL, namedOrganizations, type SheetStatus } from './rules';
import { membersOf } from '~/features/organizations/membership.server';
import { currentPhase } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import { notify } from '~/core/notifications.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { type JudgingContext, sheetsOpen, judgingOver } from './context.server';

/** Judges assigned to eligible proposals, the committee's progress matrix and reminders (issue 6). */

// --- Judges and assignment (committee) ---------------------------------------------------------

export interface JudgeSummary {
  id: string;
  name: string;
}

/** People holding the judge grant on this competition (granted by admins at /admin/users). */
export async function listJudges(competitionId: string): Promise<JudgeSummary[]> {
  const docs = await User.find({
    roles: mongoose.trusted({ $elemMatch: { role: 'judge', scopeType: 'competition', scopeId: new Types.ObjectId(competitionId) } }),
  })
    .select('name')
    .lean();
  return docs.map((d) => ({ id: String(d._id), name: d.name })).sort((a, b) => a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));
}

export type AssignResult = { ok: true; created: number } | { ok: false; reason: 'judgingOver' | 'notJudge' | 'categoryInvalid' | 'noJudges' };

/**
 * Assigns judges to eligible proposals: every judge to every proposal (`all`), or the chosen
 * judges to the proposals of one category (`panel`). Pairs already assigned are kept as they
 * are. A judge who is an author of a proposal, or a member of the registry organization it
 * names, is recused from it at once. Audited.
 */
export async function assignJudges(input: {
  ctx: JudgingContext;
  actorId: string;
  mode: 'all' | 'panel';
  category?: string;
  judgeIds?: readonly string[];
  ip?: string;
  now?: Date;
}): Promise<AssignResult> {
  const { ctx } = input;
  const now = input.now ?? new Date();
  if (judgingOver(currentPhase(ctx.phases, now))) return { ok: false, reason: 'judgingOver' };
  const judges = await listJudges(ctx.id);
  let chosen = judges.map((j) => j.id);
  const filter: Record<string, unknown> = { competition: ctx.id, status: 'eligible' };
  if (input.mode === 'panel') {
    if (!input.category || !ctx.categories.includes(input.category)) return { ok: false, reason: 'categoryInvalid' };
    const wanted = [...new Set(input.judgeIds ?? [])];
    if (wanted.some((id) => !chosen.includes(id))) return { ok: false, reason: 'notJudge' };
    chosen = wanted;
    filter.category = input.category;
  }
  if (chosen.length === 0) return { ok: false, reason: 'noJudges' };
  const proposals = await Proposal.find(filter).select('authors organization.ref').lean();
  const competition = new Types.ObjectId(ctx.id);
  const [members, existing] = await Promise.all([
    membersOf(namedOrganizations(proposals)),
    JudgingSheet.find({
    competition,
    judge: mongoose.trusted({ $in: chosen.map((id) => new Types.ObjectId(id)) }),
    proposal: mongoose.trusted({ $in: proposals.map((p) => p._id) }),
    })
      .select('judge proposal')
      .lean(),
  ]);
  const have = new Set(existing.map((s) => `${String(s.judge)}:${String(s.proposal)}`));
  const rows = proposals.flatMap((p) =>
    chosen
      .filter((judge) => !have.has(`${judge}:${String(p._id)}`))
      .map((judge) => {
        const recusal = automaticRecusal(p, judge, members);
        return {
          competition,
          judge: new Types.ObjectId(judge),
          proposal: p._id,
          assignedBy: new Types.ObjectId(input.actorId),
          status: (recusal ? 'recused' : 'assigned') satisfies SheetStatus,
          recusal: recusal ? { kind: recusal, at: now } : undefined,
        };
      }),
  );
  let created = rows.length;
  if (rows.length) {
    try {
      await JudgingSheet.insertMany(rows, { ordered: false });
    } catch (error) {
      // A simultaneous assignment inserted some of the same pairs first; the unique index kept one each.
      if (!isDuplicateKeyError(error)) throw error;
      created = (error as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
    }
  }
  await audit({
    actor: input.actorId,
    action: 'judging.assigned',
    targetType: 'Competition',
    targetId: ctx.id,
    after: { mode: input.mode, category: input.category ?? null, judges: chosen, proposals: proposals.length, created },
    ip: input.ip,
  });
  return { ok: true, created };
}

// --- Progress and coverage (committee) ---------------------------------------------------------

/** A cell of the progress matrix: `none` when the judge is not assigned to the proposal. */
export type ProgressCell = SheetStatus | 'none';

export interface ProgressRow {
  number: number;
  title: string;
  category: string;
  cells: ProgressCell[];
  /** Assigned judges who are not recused. */
  activeJudges: number;
  submitted: number;
}

/**
 * The judge × proposal matrix of statuses (never scores) and, per proposal, how many judges are
 * assigned and not recused. A judge who is (now) an author, or a member of the proposal's
 * organization, counts as recused whatever the sheet says.
 */
export async function judgingProgress(ctx: JudgingContext): Promise<{ judges: JudgeSummary[]; rows: ProgressRow[] }> {
  const [judges, proposals, sheets] = await Promise.all([
    listJudges(ctx.id),
    Proposal.find({ competition: ctx.id, status: 'eligible' }).select('number title category authors organization.ref').sort({ number: 1 }).lean(),
    JudgingSheet.find({ competition: ctx.id }).select('judge proposal status').lean(),
  ]);
  const members = await membersOf(namedOrganizations(proposals));
  const status = new Map(sheets.map((s) => [`${String(s.judge)}:${String(s.proposal)}`, s.status]));
  const rows = proposals.map((p) => {
    const cells = judges.map((j): ProgressCell => {
      const cell = status.get(`${j.id}:${String(p._id)}`);
      if (!cell) return 'none';
      return automaticRecusal(p, j.id, members) ? 'recused' : cell;
    });
    return {
      number: p.number,
      title: p.title,
      category: p.category,
      cells,
      activeJudges: cells.filter((c) => c !== 'none' && c !== 'recused').length,
      submitted: cells.filter((c) => c === 'submitted').length,
    };
  });
  return { judges, rows };
}

/** Proposals with fewer than MIN_JUDGES_PER_PROPOSAL judges who are assigned and not recused. */
export function shortCoverage(rows: readonly ProgressRow[], min = MIN_JUDGES_PER_PROPOSAL): ProgressRow[] {
  return rows.filter((row) => row.activeJudges < min);
}

export type RemindResult = { ok: true; reminded: number } | { ok: false; reason: 'judgingClosed' };

/** Judges with at least one sheet not yet submitted (and not recused), as user ids. */
export async function judgesWithUnfinishedSheets(ctx: JudgingContext): Promise<string[]> {
  const { judges, rows } = await judgingProgress(ctx);
  return judges.filter((_, i) => rows.some((row) => row.cells[i] === 'assigned' || row.cells[i] === 'draft')).map((j) => j.id);
}

/** Reminds judges with unfinished sheets in-app, with one insert. */
export async function remindJudges(input: { ctx: JudgingContext; actorId: string; now?: Date }): Promise<RemindResult> {
  if (!sheetsOpen(input.ctx, input.now)) return { ok: false, reason: 'judgingClosed' };
  const recipients = await judgesWithUnfinishedSheets(input.ctx);
  const reminded = await notify(recipients, { type: 'judgingReminder', competitionSlug: input.ctx.slug, actorId: input.actorId });
  return { ok: true, reminded };
}
