import { Project } from '#models';
import { audit } from '~/core/audit.server';
import { notifyMany } from '~/core/notifications.server';
import { audienceBatch } from './reports.server';
import { canChangeProjectStatus, PROJECT_STATUSES, setOnlyByClosing, STATUS_REASON_MAX, statusChangeNeedsReason, type ProjectStatus } from './rules';

export type ChangeStatusResult =
  | { ok: true; from: ProjectStatus; to: ProjectStatus }
  | { ok: false; reason: 'notFound' | 'statusInvalid' | 'transitionNotAllowed' | 'reasonRequired' | 'conflict' | 'closingRequired' };

/**
 * The committee moves a project along its life (rules.ts says which moves exist). The update
 * names the status it read, so of two concurrent changes only one applies; the other gets
 * `conflict` and changes nothing. A project completes only by the committee's closing decision
 * on its final report (closing.server.ts, `byClosing`): a plain status change (the page's form,
 * the supervision CSV) to `completed` is refused with `closingRequired`, so no project is
 * completed, told to its voters and opened to ratings without a final report and an evaluation.
 */
export async function changeProjectStatus(input: {
  competitionId: string;
  /** For the links in the notifications a completion sends. */
  competitionSlug: string;
  projectNumber: number;
  to: string;
  reason?: string;
  actorId: string;
  ip?: string;
  now?: Date;
  /** Set only by the closing decision, the one way to `completed`. */
  byClosing?: boolean;
}): Promise<ChangeStatusResult> {
  if (!(PROJECT_STATUSES as readonly string[]).includes(input.to)) return { ok: false, reason: 'statusInvalid' };
  const to = input.to as ProjectStatus;
  if (setOnlyByClosing(to) && !input.byClosing) return { ok: false, reason: 'closingRequired' };
  const reason = (input.reason ?? '').trim();
  if (reason.length > STATUS_REASON_MAX) return { ok: false, reason: 'reasonRequired' };
  if (statusChangeNeedsReason(to) && !reason) return { ok: false, reason: 'reasonRequired' };
  const project = await Project.findOne({ competition: input.competitionId, number: input.projectNumber }).select('status proposal team').lean();
  if (!project) return { ok: false, reason: 'notFound' };
  const from = project.status;
  if (!canChangeProjectStatus(from, to)) return { ok: false, reason: 'transitionNotAllowed' };
  const at = input.now ?? new Date();
  const moved = await Project.updateOne(
    { _id: project._id, status: from },
    { $set: { status: to }, $push: { statusHistory: { status: to, at, by: input.actorId, ...(reason ? { reason } : {}) } } },
  );
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({
    actor: input.actorId,
    action: 'project.statusChanged',
    targetType: 'Project',
    targetId: String(project._id),
    before: { status: from },
    after: { status: to },
    reason: reason || undefined,
    ip: input.ip,
  });
  // Completion is told to everyone who voted for, follows or wrote the project, in one bulk write (ratings open now).
  if (to === 'completed') {
    const audience = { competitionId: input.competitionId, proposalId: String(project.proposal), number: input.projectNumber, team: project.team.map(String) };
    await notifyMany(await audienceBatch(audience, input.competitionSlug, 'projectCompleted', input.actorId));
  }
  return { ok: true, from, to };
}
