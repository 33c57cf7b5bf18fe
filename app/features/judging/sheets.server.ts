import mongoose, { Types } from 'mongoose';
import { JudgingSheet, Proposal } from '#models';
import { automaticRecusal, isScore, type ConflictKind, type Criterion, type SheetStatus } from './rules';
import { isMemberOf, organizationsOfMember } from '~/features/organizations/membership.server';
import { currentPhase } from '~/features/competitions/phases';
import { audit } from '~/core/audit.server';
import { type JudgingContext, sheetsOpen, judgingOver } from './context.server';

/** A judge's own score sheets: open, save a draft, submit (locks), declare a conflict; the committee reopens (issue 6). */

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
  const [sheets, mine] = await Promise.all([
    JudgingSheet.find({ competition: ctx.id, judge: new Types.ObjectId(judgeId) }).select('proposal status').lean(),
    organizationsOfMember(judgeId),
  ]);
  const proposals = await Proposal.find({ _id: mongoose.trusted({ $in: sheets.map((s) => s.proposal) }), status: 'eligible' })
    .select('number title category totalFen authors organization.ref')
    .sort({ number: 1 })
    .lean();
  const members = new Map([...mine].map((id) => [id, new Set([judgeId])]));
  const byProposal = new Map(sheets.map((s) => [String(s.proposal), s.status]));
  return proposals.map((p) => ({
    number: p.number,
    title: p.title,
    category: p.category,
    totalFen: p.totalFen,
    status: automaticRecusal(p, judgeId, members) ? 'recused' : byProposal.get(String(p._id))!,
  }));
}

export interface OwnSheet {
  status: Exclude<SheetStatus, 'recused'>;
  scores: { criterion: string; score: number | null; comment: string }[];
  comment: string;
  submittedAt: string | null;
  /** Why the committee last reopened this sheet, while it is open again (the judge is told why). */
  reopened: { reason: string; at: string } | null;
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
 * Being an author (co-authors included) or a member of the registry organization the proposal
 * names recuses at once, even when it came after the assignment: the sheet is then marked
 * recused, with kind `author` or `organization`.
 */
export async function openSheet(ctx: JudgingContext, judgeId: string, number: number, now = new Date()): Promise<SheetAccess> {
  if (!Types.ObjectId.isValid(judgeId)) return { ok: false, reason: 'notFound' };
  const proposal = await Proposal.findOne({ competition: ctx.id, number, status: 'eligible' })
    .select('number title summary category totalFen authors organization.ref')
    .lean();
  if (!proposal) return { ok: false, reason: 'notFound' };
  const judge = new Types.ObjectId(judgeId);
  const sheet = await JudgingSheet.findOne({ competition: ctx.id, judge, proposal: proposal._id }).lean();
  if (!sheet) return { ok: false, reason: 'notFound' };
  if (sheet.status === 'recused') return { ok: false, reason: 'recused' };
  const ref = proposal.organization?.ref;
  const members = ref && (await isMemberOf(ref, judgeId)) ? new Map([[String(ref), new Set([judgeId])]]) : new Map<string, Set<string>>();
  const recusal = automaticRecusal(proposal, judgeId, members);
  if (recusal) {
    await JudgingSheet.updateOne(
      { _id: sheet._id, status: mongoose.trusted({ $ne: 'recused' }) },
      { $set: { status: 'recused', recusal: { kind: recusal, at: now } } },
    );
    return { ok: false, reason: 'recused' };
  }
  const saved = new Map(sheet.scores.map((s) => [s.criterion, s]));
  const lastReopening = sheet.reopenings.at(-1);
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
      status: sheet.status,
      scores: ctx.rubric.criteria.map((c) => ({
        criterion: c.key,
        score: saved.get(c.key)?.score ?? null,
        comment: saved.get(c.key)?.comment ?? '',
      })),
      comment: sheet.comment ?? '',
      submittedAt: sheet.submittedAt ? sheet.submittedAt.toISOString() : null,
      reopened: lastReopening && sheet.status !== 'submitted' ? { reason: lastReopening.reason, at: lastReopening.at.toISOString() } : null,
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
