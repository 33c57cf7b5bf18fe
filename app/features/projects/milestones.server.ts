import { Types } from 'mongoose';
import { MilestonePlan, MilestoneReport, Project } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import type { MilestoneInput } from './milestones.schema';
import { planProblem, type PlanProblem, type PlanStatus } from './milestones';
import { withLedgerLock } from './ledger-lock.server';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * The milestone plan (issue 14; docs/decisions/021-milestone-plans.md). The project's team
 * drafts and submits; the committee of the project's competition approves, returns with a
 * comment (back to draft) or rejects a change request. Without transactions: each act is one
 * insert guarded by the (project, version) unique index or one conditional update of one
 * plan document naming the status and revision it read.
 */

export interface PlanProject {
  id: string;
  competitionId: string;
  number: number;
  title: string;
  approvedBudgetFen: number;
  team: string[];
  mentor: string | null;
}

export async function findPlanProject(competitionId: string, number: number): Promise<PlanProject | null> {
  const doc = await Project.findOne({ competition: competitionId, number }).select('number title approvedBudgetFen team mentor').lean();
  if (!doc) return null;
  return planProjectOf(doc, competitionId);
}

function planProjectOf(
  doc: { _id: Types.ObjectId; number: number; title: string; approvedBudgetFen: number; team: Types.ObjectId[]; mentor?: Types.ObjectId | null },
  competitionId: string,
): PlanProject {
  return { id: String(doc._id), competitionId, number: doc.number, title: doc.title, approvedBudgetFen: doc.approvedBudgetFen, team: doc.team.map(String), mentor: doc.mentor ? String(doc.mentor) : null };
}

/**
 * Who the viewer is to this plan: its team (listed on the project or granted `team` on it), its
 * competition's committee, its mentor (assigned on the project, and still holding role `mentor`:
 * reads, never writes), or none of them.
 */
export function planAccess(user: SessionUser, project: PlanProject): { team: boolean; committee: boolean; mentor: boolean } {
  return {
    team: project.team.includes(user.id) || hasPermission(user.roles, 'project:report', { projectId: project.id }),
    committee: hasPermission(user.roles, 'competition:manage', { competitionId: project.competitionId }),
    mentor: project.mentor === user.id && user.roles.some((grant) => grant.role === 'mentor'),
  };
}

export async function listPlanVersions(projectId: string) {
  const docs = await MilestonePlan.find({ project: projectId })
    .select('version status revision submittedAt decidedAt milestones reviews.decision reviews.comment reviews.at updatedAt')
    .sort({ version: -1 })
    .lean();
  return docs.map((d) => ({
    version: d.version,
    status: d.status,
    revision: d.revision,
    submittedAt: d.submittedAt?.toISOString() ?? null,
    decidedAt: d.decidedAt?.toISOString() ?? null,
    milestones: d.milestones.map((m) => ({
      title: m.title,
      dueDate: m.dueDate.toISOString(),
      deliverables: m.deliverables,
      trancheFen: m.trancheFen,
      weight: m.weight,
      key: String(m._id),
    })),
    reviews: d.reviews.map((r) => ({ decision: r.decision, comment: r.comment, at: r.at.toISOString() })),
  }));
}

/** The approved plan now in force (the highest approved version), for the public project page: titles, due dates, weights, completion (an approved report); never tranches, drafts or reviews. */
export async function getApprovedMilestones(competitionId: string, number: number, viewer: SessionUser | null) {
  const project = await Project.findOne({ competition: competitionId, number }).select('number title approvedBudgetFen team mentor').lean();
  if (!project) return null;
  const access = viewer ? planAccess(viewer, planProjectOf(project, competitionId)) : null;
  // Only the team, the committee and the mentor open the plan page; others see the approved milestones here.
  const mayOpenPlan = Boolean(access && (access.team || access.committee || access.mentor));
  const doc = await MilestonePlan.findOne({ project: project._id, status: 'approved' })
    .select('version milestones._id milestones.title milestones.dueDate milestones.weight')
    .sort({ version: -1 })
    .lean();
  if (!doc) return { mayOpenPlan, version: null, milestones: [] };
  // A milestone is complete when its report was approved.
  const approved = await MilestoneReport.find({ project: project._id, status: 'approved' }).select('milestone approvedAt').lean();
  const completed = new Map(approved.map((r) => [String(r.milestone), r.approvedAt?.toISOString() ?? null]));
  return {
    mayOpenPlan,
    version: doc.version,
    milestones: doc.milestones.map((m) => ({
      id: String(m._id),
      title: m.title,
      dueDate: m.dueDate.toISOString(),
      weight: m.weight,
      completedAt: completed.get(String(m._id)) ?? null,
    })),
  };
}

export type PlanFailure = PlanProblem | 'completedRemoved' | 'notEditable' | 'notSubmitted' | 'notChangeRequest' | 'conflict';
export type PlanResult = { ok: true; version: number; revision: number } | { ok: false; reason: PlanFailure };

const DECISION_ACTIONS = { approved: 'milestonePlan.approved', returned: 'milestonePlan.returned', rejected: 'milestonePlan.rejected' } as const;

async function latestPlan(projectId: string) {
  return MilestonePlan.findOne({ project: projectId }).select('version status revision').sort({ version: -1 }).lean();
}

/**
 * The rows to store, each with the id of the milestone it continues when the form named one of
 * this project's milestones (a change request copies rows, and reports refer to milestones by
 * id), else a new id. Null when a milestone whose report was approved is missing: completed
 * work stays in every later version.
 */
async function keepMilestoneIds(projectId: string, milestones: readonly MilestoneInput[]) {
  const [plans, approved] = await Promise.all([
    MilestonePlan.find({ project: projectId }).select('milestones._id').lean(),
    MilestoneReport.find({ project: projectId, status: 'approved' }).select('milestone').lean(),
  ]);
  const known = new Set(plans.flatMap((p) => p.milestones.map((m) => String(m._id))));
  const used = new Set<string>();
  const rows = milestones.map(({ key, ...m }) => {
    const keep = key && known.has(key) && !used.has(key) ? key : null;
    if (keep) used.add(keep);
    return { ...m, _id: keep ? new Types.ObjectId(keep) : new Types.ObjectId() };
  });
  return approved.every((r) => used.has(String(r.milestone))) ? rows : null;
}

/**
 * The team saves the plan it is writing: the open draft, or a new version (version 1, or a
 * change request after an approved or rejected version). A submitted plan cannot be edited
 * until the committee returns it. Nothing is written when the tranches exceed the budget.
 */
export async function savePlanDraft(input: { project: PlanProject; milestones: MilestoneInput[]; actorId: string; ip?: string }): Promise<PlanResult> {
  const { project } = input;
  const budget = await Project.findById(project.id).select('approvedBudgetFen').lean();
  const problem = planProblem(input.milestones, budget?.approvedBudgetFen ?? 0);
  if (problem) return { ok: false, reason: problem };
  const latest = await latestPlan(project.id);
  let version: number;
  let revision: number;
  if (latest?.status === 'submitted') return { ok: false, reason: 'notEditable' };
  const rows = await keepMilestoneIds(project.id, input.milestones);
  if (!rows) return { ok: false, reason: 'completedRemoved' };
  if (latest?.status === 'draft') {
    const saved = await MilestonePlan.findOneAndUpdate(
      { _id: latest._id, status: 'draft' },
      { $set: { milestones: rows }, $inc: { revision: 1 } },
      { returnDocument: 'after', projection: { version: 1, revision: 1 } },
    ).lean();
    if (!saved) return { ok: false, reason: 'notEditable' };
    version = saved.version;
    revision = saved.revision;
  } else {
    version = (latest?.version ?? 0) + 1;
    revision = 0;
    try {
      await MilestonePlan.create({ project: project.id, competition: project.competitionId, version, status: 'draft', milestones: rows, revision });
    } catch (error) {
      if (isDuplicateKeyError(error)) return { ok: false, reason: 'conflict' };
      throw error;
    }
  }
  await audit({
    actor: input.actorId,
    action: 'milestonePlan.saved',
    targetType: 'Project',
    targetId: project.id,
    after: { version, milestones: input.milestones.length, trancheFen: input.milestones.reduce((s, m) => s + m.trancheFen, 0) },
    ip: input.ip,
  });
  return { ok: true, version, revision };
}

/** The team submits the draft it just saved (the revision it saved), for the committee's decision. */
export async function submitPlan(input: { project: PlanProject; version: number; revision: number; actorId: string; ip?: string }): Promise<PlanResult> {
  const submitted = await MilestonePlan.updateOne(
    { project: input.project.id, version: input.version, status: 'draft', revision: input.revision },
    { $set: { status: 'submitted', submittedAt: new Date() } },
  );
  if (submitted.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({ actor: input.actorId, action: 'milestonePlan.submitted', targetType: 'Project', targetId: input.project.id, after: { version: input.version }, ip: input.ip });
  return { ok: true, version: input.version, revision: input.revision };
}

/**
 * The committee decides on the submitted version it looked at (`revision`). Approval checks
 * the tranches against the budget as it is now (it may have been lowered since submission);
 * rejection is for change requests only (a first plan is returned instead, so it can be fixed).
 */
export async function decidePlan(input: {
  project: PlanProject;
  decision: 'approved' | 'returned' | 'rejected';
  revision: number;
  comment?: string;
  actorId: string;
  ip?: string;
}): Promise<PlanResult> {
  const latest = await MilestonePlan.findOne({ project: input.project.id }).select('version status revision milestones.trancheFen milestones.weight').sort({ version: -1 }).lean();
  if (!latest || latest.status !== 'submitted' || latest.revision !== input.revision) return { ok: false, reason: 'notSubmitted' };
  if (input.decision === 'rejected' && latest.version === 1) return { ok: false, reason: 'notChangeRequest' };
  const at = new Date();
  const status: PlanStatus = input.decision === 'returned' ? 'draft' : input.decision;
  const decide = () =>
    MilestonePlan.updateOne(
      { _id: latest._id, status: 'submitted', revision: input.revision },
      {
        $set: { status, decidedAt: at },
        $push: { reviews: { decision: input.decision, comment: input.comment ?? '', by: input.actorId, at } },
      },
    );
  // An approval checks the tranches against the budget as it is now, under the ledger lock, so a
  // budget lowered at the same moment (budget.server.ts) cannot slip beneath the plan.
  const decided =
    input.decision === 'approved'
      ? await withLedgerLock(input.project.id, async () => {
          const budget = await Project.findById(input.project.id).select('approvedBudgetFen').lean();
          const problem = planProblem(latest.milestones, budget?.approvedBudgetFen ?? 0);
          return problem ? { problem } : { problem: null, write: await decide() };
        })
      : { problem: null, write: await decide() };
  if (decided === 'busy') return { ok: false, reason: 'conflict' };
  if (decided.problem) return { ok: false, reason: decided.problem };
  if (decided.write?.modifiedCount !== 1) return { ok: false, reason: 'notSubmitted' };
  await audit({
    actor: input.actorId,
    action: DECISION_ACTIONS[input.decision],
    targetType: 'Project',
    targetId: input.project.id,
    after: { version: latest.version },
    reason: input.comment || undefined,
    ip: input.ip,
  });
  return { ok: true, version: latest.version, revision: input.revision };
}
