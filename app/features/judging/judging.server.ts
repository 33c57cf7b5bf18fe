import mongoose, { Types } from 'mongoose';
import { Competition, JudgingSheet, Notification, Proposal, User } from '#models';
import {
  DEFAULT_RUBRIC,
  isScore,
  MIN_JUDGES_PER_PROPOSAL,
  type ConflictKind,
  type Criterion,
  type Rubric,
  type SheetStatus,
} from './rules';
import { currentPhase, PHASES, type Phase, type PhaseWindow } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import { loadCompetition } from '~/features/competitions/competitions.server';
import { requirePermission } from '~/core/auth.server';
import { notify, type NotificationType } from '~/core/notifications.server';
import { isDuplicateKeyError } from '~/core/rate-limit.server';

/**
 * Judging (issue 6): the committee's rubric, judges assigned to eligible proposals, conflicts of
 * interest, score sheets and progress. One JudgingSheet document per (competition, judge,
 * proposal) is both the assignment and the sheet; a unique index keeps it single. Every state
 * change is one conditional update whose match count decides (docs/decisions/001), so a
 * submitted sheet cannot be changed by parallel or repeated requests. The allocation maths
 * lives in app/features/results/allocation/ and reads `loadJudgingInputs`.
 */

// --- Context -----------------------------------------------------------------------------------

export interface JudgingContext {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
  categories: string[];
  rubric: Rubric;
  judgingStart: Date | null;
}

interface StoredText {
  zh: string;
  en?: string | null;
}
interface StoredCriterion {
  key: string;
  name: StoredText;
  weight: number;
  anchors: { low: StoredText; mid: StoredText; high: StoredText };
}

const plainText = (t: StoredText) => ({ zh: t.zh, en: t.en ?? undefined });

function toRubric(stored: { criteria?: StoredCriterion[] | null; normalize?: boolean | null } | null | undefined): Rubric {
  const criteria = stored?.criteria?.length ? stored.criteria : DEFAULT_RUBRIC.criteria;
  return {
    criteria: criteria.map((c) => ({
      key: c.key,
      name: plainText(c.name),
      weight: c.weight,
      anchors: { low: plainText(c.anchors.low), mid: plainText(c.anchors.mid), high: plainText(c.anchors.high) },
    })),
    normalize: stored?.normalize ?? DEFAULT_RUBRIC.normalize,
  };
}

export async function getJudgingContext(slug: string, now = new Date()): Promise<JudgingContext | null> {
  const loaded = await loadCompetition(slug, 'categories judging', now);
  if (!loaded) return null;
  const { doc, base } = loaded;
  const phases = base.phases;
  return {
    ...base,
    categories: doc.categories.map((c) => c.code),
    rubric: toRubric(doc.judging as Parameters<typeof toRubric>[0]),
    judgingStart: phases.find((p) => p.key === 'judging')?.startsAt ?? null,
  };
}

/** The committee of the competition (or an admin); 404 for an unknown competition. */
export async function requireJudgingCommittee(request: Request, slug: string | undefined) {
  const ctx = await getJudgingContext(slug ?? '');
  if (!ctx) throw new Response('Not found', { status: 404 });
  const user = await requirePermission(request, 'competition:manage', { competitionId: ctx.id });
  return { ctx, user };
}

/** A judge of the competition (or an admin); what they may open is checked per sheet. */
export async function requireJudge(request: Request, slug: string | undefined) {
  const ctx = await getJudgingContext(slug ?? '');
  if (!ctx) throw new Response('Not found', { status: 404 });
  const user = await requirePermission(request, 'competition:judge', { competitionId: ctx.id });
  return { ctx, user };
}

/** The rubric is fixed from the moment judging opens (or when the competition has no judging phase). */
export function rubricLocked(ctx: Pick<JudgingContext, 'judgingStart'>, now = new Date()): boolean {
  return !ctx.judgingStart || now >= ctx.judgingStart;
}

/** Score sheets are written only inside the judging window. */
export function sheetsOpen(ctx: Pick<JudgingContext, 'phases'>, now = new Date()): boolean {
  return currentPhase(ctx.phases, now) === 'judging';
}

function judgingOver(phase: Phase | null): boolean {
  return phase !== null && PHASES.indexOf(phase) > PHASES.indexOf('judging');
}

// --- Rubric (committee) ------------------------------------------------------------------------

export type RubricResult = { ok: true } | { ok: false; reason: 'notFound' | 'judgingStarted' | 'changedMeanwhile' };

/**
 * Saves the rubric while judging has not opened. Conditional on the competition's updatedAt, so
 * a phase moved at the same moment makes the save fail instead of slipping in. Audited.
 */
export async function updateRubric(input: { slug: string; rubric: Rubric; actorId: string; ip?: string; now?: Date }): Promise<RubricResult> {
  const now = input.now ?? new Date();
  const doc = await Competition.findOne({ slug: input.slug }).select('phases judging updatedAt').lean();
  if (!doc) return { ok: false, reason: 'notFound' };
  const judgingStart = (doc.phases as PhaseWindow[]).find((p) => p.key === 'judging')?.startsAt ?? null;
  if (rubricLocked({ judgingStart }, now)) return { ok: false, reason: 'judgingStarted' };
  const result = await Competition.updateOne({ _id: doc._id, updatedAt: doc.updatedAt }, { $set: { judging: input.rubric } });
  if (result.matchedCount === 0) return { ok: false, reason: 'changedMeanwhile' };
  await audit({
    actor: input.actorId,
    action: 'judging.rubricChanged',
    targetType: 'Competition',
    targetId: String(doc._id),
    before: toRubric(doc.judging as Parameters<typeof toRubric>[0]),
    after: input.rubric,
    ip: input.ip,
  });
  return { ok: true };
}

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
 * are. A judge who is an author of a proposal is recused from it at once. Audited.
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
  const proposals = await Proposal.find(filter).select('authors').lean();
  const competition = new Types.ObjectId(ctx.id);
  const existing = await JudgingSheet.find({
    competition,
    judge: mongoose.trusted({ $in: chosen.map((id) => new Types.ObjectId(id)) }),
    proposal: mongoose.trusted({ $in: proposals.map((p) => p._id) }),
  })
    .select('judge proposal')
    .lean();
  const have = new Set(existing.map((s) => `${String(s.judge)}:${String(s.proposal)}`));
  const rows = proposals.flatMap((p) =>
    chosen
      .filter((judge) => !have.has(`${judge}:${String(p._id)}`))
      .map((judge) => {
        const isAuthor = p.authors.some((a) => String(a) === judge);
        return {
          competition,
          judge: new Types.ObjectId(judge),
          proposal: p._id,
          assignedBy: new Types.ObjectId(input.actorId),
          status: (isAuthor ? 'recused' : 'assigned') satisfies SheetStatus,
          recusal: isAuthor ? { kind: 'author' satisfies ConflictKind, at: now } : undefined,
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
 * assigned and not recused. A judge who is (now) an author counts as recused whatever the sheet says.
 */
export async function judgingProgress(ctx: JudgingContext): Promise<{ judges: JudgeSummary[]; rows: ProgressRow[] }> {
  const [judges, proposals, sheets] = await Promise.all([
    listJudges(ctx.id),
    Proposal.find({ competition: ctx.id, status: 'eligible' }).select('number title category authors').sort({ number: 1 }).lean(),
    JudgingSheet.find({ competition: ctx.id }).select('judge proposal status').lean(),
  ]);
  const status = new Map(sheets.map((s) => [`${String(s.judge)}:${String(s.proposal)}`, s.status as SheetStatus]));
  const rows = proposals.map((p) => {
    const authors = new Set(p.authors.map(String));
    const cells = judges.map((j): ProgressCell => {
      const cell = status.get(`${j.id}:${String(p._id)}`);
      if (!cell) return 'none';
      return authors.has(j.id) ? 'recused' : cell;
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

/** The notification type a reminder needs; models/notification.ts must list it (see remindJudges). */
const REMINDER_TYPE = 'judgingReminder';

export type RemindResult = { ok: true; reminded: number } | { ok: false; reason: 'reminderUnavailable' | 'judgingClosed' };

/** Judges with at least one sheet not yet submitted (and not recused), as user ids. */
export async function judgesWithUnfinishedSheets(ctx: JudgingContext): Promise<string[]> {
  const { judges, rows } = await judgingProgress(ctx);
  return judges.filter((_, i) => rows.some((row) => row.cells[i] === 'assigned' || row.cells[i] === 'draft')).map((j) => j.id);
}

/**
 * Reminds judges with unfinished sheets in-app, with one insert. Needs the notification type
 * `judgingReminder`, which models/notification.ts does not list yet: until it does, the answer is
 * `reminderUnavailable` and nothing is written.
 */
export async function remindJudges(input: { ctx: JudgingContext; actorId: string; now?: Date }): Promise<RemindResult> {
  if (!sheetsOpen(input.ctx, input.now)) return { ok: false, reason: 'judgingClosed' };
  const known = (Notification.schema.path('type') as unknown as { enumValues: string[] }).enumValues;
  if (!known.includes(REMINDER_TYPE)) return { ok: false, reason: 'reminderUnavailable' };
  const recipients = await judgesWithUnfinishedSheets(input.ctx);
  const reminded = await notify(recipients, { type: REMINDER_TYPE as NotificationType, competitionSlug: input.ctx.slug, actorId: input.actorId });
  return { ok: true, reminded };
}

// --- The judge's own sheets --------------------------------------------------------------------

export interface MyAssignment {
  number: number;
  title: string;
  category: string;
  totalFen: number;
  status: SheetStatus;
}

/** The judge's own assignments with their own statuses; nothing about other judges. */
export async function myAssignments(ctx: JudgingContext, judgeId: string): Promise<MyAssignment[]> {
  const sheets = await JudgingSheet.find({ competition: ctx.id, judge: new Types.ObjectId(judgeId) }).select('proposal status').lean();
  const proposals = await Proposal.find({ _id: mongoose.trusted({ $in: sheets.map((s) => s.proposal) }), status: 'eligible' })
    .select('number title category totalFen authors')
    .sort({ number: 1 })
    .lean();
  const byProposal = new Map(sheets.map((s) => [String(s.proposal), s.status as SheetStatus]));
  return proposals.map((p) => ({
    number: p.number,
    title: p.title,
    category: p.category,
    totalFen: p.totalFen,
    status: p.authors.some((a) => String(a) === judgeId) ? 'recused' : byProposal.get(String(p._id))!,
  }));
}

export interface OwnSheet {
  status: Exclude<SheetStatus, 'recused'>;
  scores: { criterion: string; score: number | null; comment: string }[];
  comment: string;
  submittedAt: string | null;
}

export type SheetAccess =
  | {
      ok: true;
      sheetId: Types.ObjectId;
      proposal: { id: string; number: number; title: string; summary: string; category: string; totalFen: number };
      sheet: OwnSheet;
    }
  | { ok: false; reason: 'notFound' | 'recused' };

/**
 * The judge's own sheet for proposal `number`, if they are assigned to it and not recused.
 * Being an author (co-authors included) recuses at once, even when the authorship came after
 * the assignment: the sheet is then marked recused.
 */
export async function openSheet(ctx: JudgingContext, judgeId: string, number: number, now = new Date()): Promise<SheetAccess> {
  if (!Types.ObjectId.isValid(judgeId)) return { ok: false, reason: 'notFound' };
  const proposal = await Proposal.findOne({ competition: ctx.id, number, status: 'eligible' })
    .select('number title summary category totalFen authors')
    .lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  const judge = new Types.ObjectId(judgeId);
  const sheet = await JudgingSheet.findOne({ competition: ctx.id, judge, proposal: proposal._id }).lean();
  if (!sheet) return { ok: false, reason: 'notFound' };
  if (sheet.status === 'recused') return { ok: false, reason: 'recused' };
  if (proposal.authors.some((a) => String(a) === judgeId)) {
    await JudgingSheet.updateOne(
      { _id: sheet._id, status: mongoose.trusted({ $ne: 'recused' }) },
      { $set: { status: 'recused', recusal: { kind: 'author', at: now } } },
    );
    return { ok: false, reason: 'recused' };
  }
  const saved = new Map(sheet.scores.map((s) => [s.criterion, s]));
  return {
    ok: true,
    sheetId: sheet._id,
    proposal: {
      id: String(proposal._id),
      number: proposal.number,
      title: proposal.title,
      summary: proposal.summary,
      category: proposal.category,
      totalFen: proposal.totalFen,
    },
    sheet: {
      status: sheet.status as OwnSheet['status'],
      scores: ctx.rubric.criteria.map((c) => ({
        criterion: c.key,
        score: saved.get(c.key)?.score ?? null,
        comment: saved.get(c.key)?.comment ?? '',
      })),
      comment: sheet.comment ?? '',
      submittedAt: sheet.submittedAt ? sheet.submittedAt.toISOString() : null,
    },
  };
}

export type SaveFailure = 'judgingClosed' | 'notFound' | 'recused' | 'incomplete' | 'locked';
export type SaveResult = { ok: true } | { ok: false; reason: SaveFailure };

/**
 * Saves the judge's draft, or submits it. Both are one update conditional on the sheet not being
 * submitted or recused: after a submit nothing matches, so repeated and parallel submits or
 * edits change nothing (the first submit wins). Scores are kept only for the rubric's criteria.
 */
export async function saveSheet(input: {
  ctx: JudgingContext;
  judgeId: string;
  number: number;
  intent: 'draft' | 'submit';
  scores: readonly { criterion: string; score?: number | null; comment?: string | null }[];
  comment: string;
  now?: Date;
}): Promise<SaveResult> {
  const { ctx } = input;
  const now = input.now ?? new Date();
  if (!sheetsOpen(ctx, now)) return { ok: false, reason: 'judgingClosed' };
  const access = await openSheet(ctx, input.judgeId, input.number, now);
  if (!access.ok) return access;
  const given = new Map(input.scores.map((s) => [s.criterion, s]));
  const scores = ctx.rubric.criteria.map((c: Criterion) => {
    const s = given.get(c.key);
    return { criterion: c.key, score: isScore(s?.score) ? s.score : undefined, comment: s?.comment?.trim() || undefined };
  });
  const complete = scores.every((s) => s.score !== undefined);
  if (input.intent === 'submit' && !complete) return { ok: false, reason: 'incomplete' };
  const result = await JudgingSheet.updateOne(
    { _id: access.sheetId, judge: new Types.ObjectId(input.judgeId), status: mongoose.trusted({ $in: ['assigned', 'draft'] }) },
    {
      $set: {
        scores,
        comment: input.comment.trim(),
        status: input.intent === 'submit' ? 'submitted' : 'draft',
        ...(input.intent === 'submit' ? { submittedAt: now } : {}),
      },
    },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'locked' };
  return { ok: true };
}

export type RecuseResult = { ok: true } | { ok: false; reason: 'judgingOver' | 'notFound' | 'recused' | 'locked' };

/**
 * A judge declares a conflict of interest with a proposal and is recused from it. Allowed while
 * the sheet is not submitted (after that, the committee reopens it first). Audited.
 */
export async function declareConflict(input: {
  ctx: JudgingContext;
  judgeId: string;
  number: number;
  kind: ConflictKind;
  note: string;
  ip?: string;
  now?: Date;
}): Promise<RecuseResult> {
  const now = input.now ?? new Date();
  if (judgingOver(currentPhase(input.ctx.phases, now))) return { ok: false, reason: 'judgingOver' };
  const access = await openSheet(input.ctx, input.judgeId, input.number, now);
  if (!access.ok) return access;
  const result = await JudgingSheet.updateOne(
    { _id: access.sheetId, status: mongoose.trusted({ $in: ['assigned', 'draft'] }) },
    { $set: { status: 'recused', recusal: { kind: input.kind, note: input.note, at: now } } },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'locked' };
  await audit({
    actor: input.judgeId,
    action: 'judging.recused',
    targetType: 'Proposal',
    targetId: access.proposal.id,
    before: { status: access.sheet.status },
    after: { status: 'recused', kind: input.kind },
    reason: input.note,
    ip: input.ip,
  });
  return { ok: true };
}

export type ReopenResult = { ok: true } | { ok: false; reason: 'judgingClosed' | 'notFound' | 'notSubmitted' };

/**
 * The committee reopens a submitted sheet, with a reason: it becomes a draft again (the scores
 * stay for the judge to revise). Conditional on it being submitted; audited with the scores before.
 */
export async function reopenSheet(input: {
  ctx: JudgingContext;
  judgeId: string;
  number: number;
  reason: string;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<ReopenResult> {
  const now = input.now ?? new Date();
  if (!sheetsOpen(input.ctx, now)) return { ok: false, reason: 'judgingClosed' };
  if (!Types.ObjectId.isValid(input.judgeId)) return { ok: false, reason: 'notFound' };
  const proposal = await Proposal.findOne({ competition: input.ctx.id, number: input.number, status: 'eligible' }).select('_id').lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  const filter = { competition: new Types.ObjectId(input.ctx.id), judge: new Types.ObjectId(input.judgeId), proposal: proposal._id };
  const before = await JudgingSheet.findOne(filter).select('status scores comment submittedAt').lean();
  if (!before) return { ok: false, reason: 'notFound' };
  const result = await JudgingSheet.updateOne(
    { ...filter, status: 'submitted' },
    {
      $set: { status: 'draft' },
      $unset: { submittedAt: 1 },
      $push: { reopenings: { at: now, by: new Types.ObjectId(input.actorId), reason: input.reason } },
    },
  );
  if (result.matchedCount === 0) return { ok: false, reason: 'notSubmitted' };
  await audit({
    actor: input.actorId,
    action: 'judging.sheetReopened',
    targetType: 'JudgingSheet',
    targetId: String(before._id),
    before: { status: before.status, scores: before.scores, comment: before.comment, submittedAt: before.submittedAt ?? null },
    after: { status: 'draft' },
    reason: input.reason,
    ip: input.ip,
  });
  return { ok: true };
}

// --- For the results code ----------------------------------------------------------------------

/** One judge's submitted sheet for one proposal, as the scoring code needs it. */
export interface JudgingInputSheet {
  /** The judge's user id: stable across proposals, so scores can be normalised per judge. */
  judgeId: string;
  /** Criterion key → whole score 1–10; every criterion of the rubric is present. */
  scores: Record<string, number>;
  submittedAt: string;
}

export interface JudgingInputs {
  competitionId: string;
  rubric: {
    /** In the rubric's order; weights are percentages summing to 100. */
    criteria: { key: string; name: { zh: string; en?: string }; weight: number }[];
    /** Per-judge z-score normalisation on (the default) or off. */
    normalize: boolean;
  };
  /** Every eligible proposal, ordered by number, even those without any sheet (sheets: []). */
  proposals: {
    proposalId: string;
    number: number;
    category: string;
    totalFen: number;
    /** Submitted sheets of non-recused judges who are not authors of the proposal, by judge id. */
    sheets: JudgingInputSheet[];
  }[];
}

/**
 * What the results code (app/features/results/allocation/) scores: the rubric, the normalisation flag and,
 * per eligible proposal, the submitted sheets that count. Drafts, recused sheets and sheets of a
 * judge who is an author (co-authors included) are left out, as is a sheet lacking a score for a
 * criterion (impossible while the rubric stays locked through judging). Plain data, no mongoose documents;
 * the order is deterministic (proposals by number, sheets by judge id). Null for an unknown id.
 */
export async function loadJudgingInputs(competitionId: string): Promise<JudgingInputs | null> {
  if (!Types.ObjectId.isValid(competitionId)) return null;
  const competition = await Competition.findById(competitionId).select('judging').lean();
  if (!competition) return null;
  const rubric = toRubric(competition.judging as Parameters<typeof toRubric>[0]);
  const keys = rubric.criteria.map((c) => c.key);
  const [proposals, sheets] = await Promise.all([
    Proposal.find({ competition: competition._id, status: 'eligible' }).select('number category totalFen authors').sort({ number: 1 }).lean(),
    JudgingSheet.find({ competition: competition._id, status: 'submitted' }).select('judge proposal scores submittedAt').lean(),
  ]);
  const byProposal = new Map<string, typeof sheets>();
  for (const sheet of sheets) {
    const list = byProposal.get(String(sheet.proposal)) ?? [];
    list.push(sheet);
    byProposal.set(String(sheet.proposal), list);
  }
  return {
    competitionId: String(competition._id),
    rubric: {
      criteria: rubric.criteria.map((c) => ({ key: c.key, name: { zh: c.name.zh, ...(c.name.en ? { en: c.name.en } : {}) }, weight: c.weight })),
      normalize: rubric.normalize,
    },
    proposals: proposals.map((p) => {
      const authors = new Set(p.authors.map(String));
      const counted = (byProposal.get(String(p._id)) ?? [])
        .filter((s) => !authors.has(String(s.judge)))
        .map((s) => ({ judgeId: String(s.judge), scores: Object.fromEntries(s.scores.map((x) => [x.criterion, x.score])), submittedAt: s.submittedAt }))
        .filter((s) => keys.every((k) => isScore(s.scores[k])))
        .map((s) => ({
          judgeId: s.judgeId,
          scores: Object.fromEntries(keys.map((k) => [k, s.scores[k] as number])),
          submittedAt: s.submittedAt ? s.submittedAt.toISOString() : '',
        }))
        .sort((a, b) => a.judgeId.localeCompare(b.judgeId));
      return { proposalId: String(p._id), number: p.number, category: p.category, totalFen: p.totalFen, sheets: counted };
    }),
  };
}
