import { MilestoneReport, ProjectClosing } from '#models';
import { audit } from '~/core/audit.server';
import { notifyMany } from '~/core/notifications.server';
import { EDITABLE_CLOSING, evaluationMean, type EvaluationCriterion, type FinalReportField } from './closing';
import { milestonesInForce, type ReportProject } from './reports.server';
import { changeProjectStatus } from './status.server';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * Closing a project (issue 14; docs/decisions/024). The team writes the final report while the
 * project runs and submits it once every milestone of the plan in force has its report approved;
 * the committee evaluates it on the rubric and closes the project (it becomes completed, its
 * audience is told and residents may rate it) or returns the report with a comment.
 */

export async function getClosing(projectId: string) {
  const doc = await ProjectClosing.findOne({ project: projectId }).lean();
  if (!doc) return null;
  return {
    status: doc.status,
    revision: doc.revision,
    outcomes: doc.outcomes,
    againstPlan: doc.againstPlan,
    sustainability: doc.sustainability,
    lessons: doc.lessons,
    submittedAt: doc.submittedAt?.toISOString() ?? null,
    evaluation: (doc.evaluation ?? null) as Record<EvaluationCriterion, { score: number; comment: string }> | null,
    returnComment: doc.returnComment ?? null,
    decidedAt: doc.decidedAt?.toISOString() ?? null,
  };
}

/** What the public project page shows of a closed project: the final report and the rubric's scores (not the committee's comments). */
export async function publicClosing(projectId: string) {
  const doc = await ProjectClosing.findOne({ project: projectId, status: 'closed' }).select('outcomes againstPlan sustainability evaluation decidedAt').lean();
  if (!doc) return null;
  const evaluation = (doc.evaluation ?? {}) as Partial<Record<EvaluationCriterion, { score: number }>>;
  return {
    outcomes: doc.outcomes,
    againstPlan: doc.againstPlan,
    sustainability: doc.sustainability,
    scores: Object.fromEntries(Object.entries(evaluation).map(([c, v]) => [c, v.score])) as Partial<Record<EvaluationCriterion, number>>,
    mean: evaluationMean(evaluation),
    decidedAt: doc.decidedAt?.toISOString() ?? null,
  };
}

export type ClosingFailure = 'projectClosed' | 'notEditable' | 'conflict' | 'milestonesOpen' | 'outcomesRequired' | 'notSubmitted' | 'statusRefused';
export type ClosingResult = { ok: true; revision: number } | { ok: false; reason: ClosingFailure };

const RUNNING = ['planning', 'inProgress'];

/** The team saves its final report (created on first save); `revision` is the one its form showed (null before the first save). */
export async function saveFinalReport(input: { project: ReportProject; revision: number | null; fields: Record<FinalReportField, string>; actorId: string; ip?: string }): Promise<ClosingResult> {
  if (!RUNNING.includes(input.project.status)) return { ok: false, reason: 'projectClosed' };
  const current = await ProjectClosing.findOne({ project: input.project.id }).select('status revision').lean();
  if (current && !EDITABLE_CLOSING.includes(current.status)) return { ok: false, reason: 'notEditable' };
  if ((current?.revision ?? null) !== input.revision) return { ok: false, reason: 'conflict' };
  let revision = 0;
  if (!current) {
    try {
      await ProjectClosing.create({ project: input.project.id, competition: input.project.competitionId, status: 'draft', revision: 0, ...input.fields });
    } catch (error) {
      if (isDuplicateKeyError(error)) return { ok: false, reason: 'conflict' };
      throw error;
    }
  } else {
    const saved = await ProjectClosing.updateOne({ _id: current._id, status: current.status, revision: current.revision }, { $set: input.fields, $inc: { revision: 1 } });
    if (saved.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
    revision = current.revision + 1;
  }
  await audit({ actor: input.actorId, action: 'projectClosing.saved', targetType: 'Project', targetId: input.project.id, after: { revision }, ip: input.ip });
  return { ok: true, revision };
}

/** The team submits the saved final report: only once every milestone of the plan in force has an approved report. */
export async function submitFinalReport(input: { project: ReportProject; revision: number; actorId: string; ip?: string }): Promise<ClosingResult> {
  if (!RUNNING.includes(input.project.status)) return { ok: false, reason: 'projectClosed' };
  const [milestones, approved, current] = await Promise.all([
    milestonesInForce(input.project.id),
    MilestoneReport.find({ project: input.project.id, status: 'approved' }).select('milestone').lean(),
    ProjectClosing.findOne({ project: input.project.id }).select('status revision outcomes againstPlan').lean(),
  ]);
  const done = new Set(approved.map((r) => String(r.milestone)));
  if (milestones.length === 0 || milestones.some((m) => !done.has(m.id))) return { ok: false, reason: 'milestonesOpen' };
  if (!current || !EDITABLE_CLOSING.includes(current.status)) return { ok: false, reason: 'notEditable' };
  if (current.revision !== input.revision) return { ok: false, reason: 'conflict' };
  if (!current.outcomes || !current.againstPlan) return { ok: false, reason: 'outcomesRequired' };
  const sent = await ProjectClosing.updateOne({ _id: current._id, status: current.status, revision: current.revision }, { $set: { status: 'submitted', submittedAt: new Date() }, $inc: { revision: 1 } });
  if (sent.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({ actor: input.actorId, action: 'projectClosing.submitted', targetType: 'Project', targetId: input.project.id, ip: input.ip });
  return { ok: true, revision: current.revision + 1 };
}

/**
 * The committee closes the project on its evaluation, or returns the final report with a
 * comment. Closing marks the report closed first (one conditional update, so two closes apply
 * once), then moves the project to completed by its status rules (which tells its audience); if
 * that move is refused (the project was suspended meanwhile), the report goes back to submitted.
 */
export async function decideClosing(
  input: { project: ReportProject; competitionSlug: string; revision: number; actorId: string; ip?: string } & (
    | { decision: 'close'; evaluation: Record<EvaluationCriterion, { score: number; comment: string }> }
    | { decision: 'return'; comment: string }
  ),
): Promise<ClosingResult> {
  const at = new Date();
  const filter = { project: input.project.id, status: 'submitted' as const, revision: input.revision };
  if (input.decision === 'return') {
    const returned = await ProjectClosing.updateOne(filter, { $set: { status: 'returned', returnComment: input.comment, decidedBy: input.actorId, decidedAt: at }, $inc: { revision: 1 } });
    if (returned.modifiedCount !== 1) return { ok: false, reason: 'notSubmitted' };
    await audit({ actor: input.actorId, action: 'projectClosing.returned', targetType: 'Project', targetId: input.project.id, reason: input.comment, ip: input.ip });
    await notifyMany([{ recipientIds: input.project.team, event: { type: 'reportReviewed', competitionSlug: input.competitionSlug, proposalId: input.project.proposalId, actorId: input.actorId, data: { projectNumber: input.project.number, decision: 'changesRequested' } } }]);
    return { ok: true, revision: input.revision + 1 };
  }
  const closed = await ProjectClosing.updateOne(filter, { $set: { status: 'closed', evaluation: input.evaluation, decidedBy: input.actorId, decidedAt: at }, $inc: { revision: 1 } });
  if (closed.modifiedCount !== 1) return { ok: false, reason: 'notSubmitted' };
  const moved = await changeProjectStatus({ competitionId: input.project.competitionId, competitionSlug: input.competitionSlug, projectNumber: input.project.number, to: 'completed', actorId: input.actorId, ip: input.ip, reason: 'closing', byClosing: true });
  if (!moved.ok) {
    await ProjectClosing.updateOne({ project: input.project.id, status: 'closed', revision: input.revision + 1 }, { $set: { status: 'submitted' }, $unset: { evaluation: 1, decidedBy: 1, decidedAt: 1 }, $inc: { revision: 1 } });
    return { ok: false, reason: 'statusRefused' };
  }
  await audit({
    actor: input.actorId,
    action: 'projectClosing.closed',
    targetType: 'Project',
    targetId: input.project.id,
    after: Object.fromEntries(Object.entries(input.evaluation).map(([c, v]) => [c, v.score])),
    ip: input.ip,
  });
  return { ok: true, revision: input.revision + 1 };
}
