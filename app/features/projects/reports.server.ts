import { Types } from 'mongoose';
import { Ballot, Follow, MilestonePlan, MilestoneReport, Project, Proposal } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { notifyMany } from '~/core/notifications.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import type { UploadErrorReason } from '~/core/uploads';
import { progressPct } from './milestones';
import { planAccess } from './milestones.server';
import { withLedgerLock } from './ledger-lock.server';
import type { ReportInput } from './reports.schema';
import { EDITABLE_REPORT_STATUSES, MAX_REPORT_PHOTOS, heldExpenses, peopleServed, spending, type ReportSection } from './reports';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * Milestone reports (issue 14; docs/decisions/022-milestone-reports.md). The project's team
 * writes one report per milestone of the plan in force and submits it; the committee of the
 * project's competition approves it (completing the milestone, recording its tranche as
 * released, holding any spending beyond the tranche or the budget) or asks for changes, section
 * by section; held lines wait for the committee's explicit release with a reason. Without
 * transactions: each act is one insert guarded by the (project, milestone) unique index or one
 * conditional update naming the status and revision read; approvals of one project take the
 * project's short ledger lock so two of them never count the same budget twice.
 */

export interface ReportProject {
  id: string;
  competitionId: string;
  number: number;
  title: string;
  status: string;
  approvedBudgetFen: number;
  proposalId: string;
  team: string[];
  mentor: string | null;
}

export async function findReportProject(competitionId: string, number: number): Promise<ReportProject | null> {
  const doc = await Project.findOne({ competition: competitionId, number }).select('number title status approvedBudgetFen proposal team mentor').lean();
  if (!doc) return null;
  return {
    id: String(doc._id),
    competitionId,
    number: doc.number,
    title: doc.title,
    status: doc.status,
    approvedBudgetFen: doc.approvedBudgetFen,
    proposalId: String(doc.proposal),
    team: doc.team.map(String),
    mentor: doc.mentor ? String(doc.mentor) : null,
  };
}

/** Who the viewer is to the project's reports: its team writes, its mentor reads, its competition's committee reviews (the plan's rule, planAccess). */
export function reportAccess(user: SessionUser, project: ReportProject): { team: boolean; mentor: boolean; committee: boolean } {
  return planAccess(user, project);
}

export interface PlannedMilestone {
  id: string;
  title: string;
  dueDate: string;
  deliverables: string;
  trancheFen: number;
  weight: number;
}

/** The milestones of the plan in force (the highest approved version); empty before a plan is approved. */
export async function milestonesInForce(projectId: string): Promise<PlannedMilestone[]> {
  const plan = await MilestonePlan.findOne({ project: projectId, status: 'approved' }).select('milestones').sort({ version: -1 }).lean();
  return (plan?.milestones ?? []).map((m) => ({
    id: String(m._id),
    title: m.title,
    dueDate: m.dueDate.toISOString(),
    deliverables: m.deliverables,
    trancheFen: m.trancheFen,
    weight: m.weight,
  }));
}

/** Each milestone of the plan in force with its report's state (for the team's, mentor's and committee's list). */
export async function reportOverview(projectId: string) {
  const [milestones, reports] = await Promise.all([
    milestonesInForce(projectId),
    MilestoneReport.find({ project: projectId }).select('milestone status submittedAt approvedAt').lean(),
  ]);
  const byMilestone = new Map(reports.map((r) => [String(r.milestone), r]));
  return milestones.map((m) => {
    const r = byMilestone.get(m.id);
    return { ...m, report: r ? { status: r.status, submittedAt: r.submittedAt?.toISOString() ?? null, approvedAt: r.approvedAt?.toISOString() ?? null } : null };
  });
}

/** One report as its team, mentor and committee see it (receipt ids included: the page is theirs only). */
export async function getReport(projectId: string, milestoneId: string) {
  if (!Types.ObjectId.isValid(milestoneId)) return null;
  const doc = await MilestoneReport.findOne({ project: projectId, milestone: milestoneId }).lean();
  if (!doc) return null;
  return {
    status: doc.status,
    revision: doc.revision,
    narrative: doc.narrative,
    activities: doc.activities.map((a) => ({ date: a.date.toISOString(), place: a.place, description: a.description })),
    served: doc.served.map((s) => ({ group: s.group, count: s.count })),
    volunteers: doc.volunteers ?? 0,
    volunteerHours: doc.volunteerHours ?? 0,
    expenses: doc.expenses.map((e) => ({
      id: String(e._id),
      amountFen: e.amountFen,
      category: e.category,
      payee: e.payee,
      date: e.date.toISOString(),
      receiptFileId: e.receiptFileId ?? null,
      held: e.held,
      release: e.release?.at ? { at: e.release.at.toISOString(), reason: e.release.reason ?? '' } : null,
    })),
    photos: doc.photos.map((p) => ({ fileId: p.fileId, thumbId: p.thumbId })),
    reviews: doc.reviews.map((r) => ({ decision: r.decision, comments: (r.comments ?? {}), at: r.at.toISOString() })),
    submittedAt: doc.submittedAt?.toISOString() ?? null,
    approvedAt: doc.approvedAt?.toISOString() ?? null,
    trancheReleasedFen: doc.trancheReleasedFen ?? null,
  };
}

export type ReportFailure =
  | 'noMilestone'
  | 'projectClosed'
  | 'notEditable'
  | 'notSubmitted'
  | 'notApproved'
  | 'notHeld'
  | 'conflict'
  | 'busy'
  | 'tooManyPhotos'
  | 'photoConsentRequired'
  | 'unknownExpense'
  | UploadErrorReason;
export type ReportResult = { ok: true; revision: number } | { ok: false; reason: ReportFailure };

/** Reports are written while the project runs (planning or in progress), never after it closed or while it is suspended. */
const OPEN_PROJECT = ['planning', 'inProgress'];

export interface ReportFiles {
  /** New photos (all need peopleConsent). */
  photos: { data: Uint8Array; filename: string }[];
  peopleConsent: boolean;
  /** A new receipt image for the expense row at this index of `input.expenses`. */
  receipts: Map<number, { data: Uint8Array; filename: string }>;
}

/**
 * The team saves the report of a milestone of the plan in force (creating it on first save).
 * `revision` is the one the form was opened with (null for a report not yet created): if another
 * team member saved in between, nothing is written and the form comes back as typed. New images
 * are stored first and removed again if the save does not happen; replaced or removed ones are
 * deleted after it did.
 */
export async function saveReport(input: {
  project: ReportProject;
  milestoneId: string;
  revision: number | null;
  report: ReportInput;
  files: ReportFiles;
  actorId: string;
  ip?: string;
}): Promise<ReportResult> {
  const { project } = input;
  if (!OPEN_PROJECT.includes(project.status)) return { ok: false, reason: 'projectClosed' };
  const milestones = await milestonesInForce(project.id);
  if (!milestones.some((m) => m.id === input.milestoneId)) return { ok: false, reason: 'noMilestone' };
  const current = await MilestoneReport.findOne({ project: project.id, milestone: input.milestoneId }).select('status revision expenses photos').lean();
  if (current && !EDITABLE_REPORT_STATUSES.includes(current.status)) return { ok: false, reason: 'notEditable' };
  if ((current?.revision ?? null) !== input.revision) return { ok: false, reason: 'conflict' };

  // Photos: the ones kept, then the new ones, within the limit.
  const removed = new Set(input.report.removePhotos);
  const keptPhotos = (current?.photos ?? []).filter((p) => !removed.has(p.fileId));
  if (input.files.photos.length > 0 && !input.files.peopleConsent) return { ok: false, reason: 'photoConsentRequired' };
  if (keptPhotos.length + input.files.photos.length > MAX_REPORT_PHOTOS) return { ok: false, reason: 'tooManyPhotos' };
  // Expenses: a row naming an existing line keeps its receipt unless a new one replaces it or it is removed.
  const existing = new Map((current?.expenses ?? []).map((e) => [String(e._id), e]));
  if (input.report.expenses.some((e) => e.id && !existing.has(e.id))) return { ok: false, reason: 'unknownExpense' };

  const stored: string[] = [];
  const discard = () => Promise.all(stored.map((id) => deleteImage(id)));
  const newPhotos = [];
  for (const file of input.files.photos) {
    const saved = await storeImage({ data: file.data, filename: file.filename, uploaderId: input.actorId, kind: 'photo', visibility: 'public' });
    if (!saved.ok) {
      await discard();
      return { ok: false, reason: saved.reason };
    }
    stored.push(saved.fileId);
    newPhotos.push({ fileId: saved.fileId, thumbId: saved.thumbId, peopleConsent: true });
  }
  const receipts = new Map<number, string>();
  for (const [index, file] of input.files.receipts) {
    if (!input.report.expenses[index]) continue;
    const saved = await storeImage({ data: file.data, filename: file.filename, uploaderId: input.actorId, kind: 'receipt', visibility: 'private' });
    if (!saved.ok) {
      await discard();
      return { ok: false, reason: saved.reason };
    }
    stored.push(saved.fileId);
    receipts.set(index, saved.fileId);
  }

  const expenses = input.report.expenses.map((e, index) => {
    const before = e.id ? existing.get(e.id) : undefined;
    const receiptFileId = receipts.get(index) ?? (e.removeReceipt ? undefined : (before?.receiptFileId ?? undefined));
    return {
      _id: before ? before._id : new Types.ObjectId(),
      amountFen: e.amountFen,
      category: e.category,
      payee: e.payee,
      date: e.date,
      receiptFileId,
      held: false,
    };
  });
  const fields = {
    narrative: input.report.narrative,
    activities: input.report.activities,
    served: input.report.served,
    volunteers: input.report.volunteers,
    volunteerHours: input.report.volunteerHours,
    expenses,
    photos: [...keptPhotos, ...newPhotos],
  };

  let revision: number;
  if (!current) {
    try {
      await MilestoneReport.create({ project: project.id, competition: project.competitionId, milestone: input.milestoneId, status: 'draft', revision: 0, createdBy: input.actorId, ...fields });
    } catch (error) {
      await discard();
      if (isDuplicateKeyError(error)) return { ok: false, reason: 'conflict' };
      throw error;
    }
    revision = 0;
  } else {
    const saved = await MilestoneReport.updateOne(
      { _id: current._id, status: current.status, revision: current.revision },
      { $set: fields, $inc: { revision: 1 } },
    );
    if (saved.modifiedCount !== 1) {
      await discard();
      return { ok: false, reason: 'conflict' };
    }
    revision = current.revision + 1;
    // What the saved report no longer names: removed photos, replaced or removed receipts.
    const stillUsed = new Set([...fields.photos.map((p) => p.fileId), ...expenses.flatMap((e) => (e.receiptFileId ? [e.receiptFileId] : []))]);
    const orphans = [...current.photos.map((p) => p.fileId), ...current.expenses.flatMap((e) => (e.receiptFileId ? [e.receiptFileId] : []))].filter((id) => !stillUsed.has(id));
    await Promise.all(orphans.map((id) => deleteImage(id)));
  }
  await audit({
    actor: input.actorId,
    action: 'milestoneReport.saved',
    targetType: 'Project',
    targetId: project.id,
    after: { milestone: input.milestoneId, revision, expenses: expenses.length, spentFen: expenses.reduce((s, e) => s + e.amountFen, 0), photos: fields.photos.length },
    ip: input.ip,
  });
  return { ok: true, revision };
}

/** Non-held spending of the project's other approved reports. */
/** What approved reports spent, lines not held, other than `exceptMilestone`'s (null: every milestone's). */
export async function spentElsewhere(projectId: string, exceptMilestone: string | null): Promise<number> {
  const approved = await MilestoneReport.find({ project: projectId, status: 'approved' }).select('milestone expenses.amountFen expenses.held').lean();
  return approved
    .filter((r) => String(r.milestone) !== exceptMilestone)
    .reduce((sum, r) => sum + r.expenses.reduce((s, e) => s + (e.held ? 0 : e.amountFen), 0), 0);
}

/** The expense lines with their held flags against the milestone's tranche and the budget as they are now. */
async function withHolds(project: ReportProject, milestone: PlannedMilestone, expenses: { _id: Types.ObjectId; amountFen: number; date: Date; held: boolean }[]) {
  const [budget, elsewhere] = await Promise.all([Project.findById(project.id).select('approvedBudgetFen').lean(), spentElsewhere(project.id, milestone.id)]);
  const flags = heldExpenses(expenses, { trancheFen: milestone.trancheFen, budgetFen: budget?.approvedBudgetFen ?? 0, spentElsewhereFen: elsewhere });
  return flags;
}

/**
 * The team submits the revision it saved. Lines beyond the tranche or the budget are marked held
 * now, so the team and the committee see them before the decision.
 */
export async function submitReport(input: { project: ReportProject; milestoneId: string; revision: number; actorId: string; ip?: string; now?: Date }): Promise<ReportResult> {
  const { project } = input;
  if (!OPEN_PROJECT.includes(project.status)) return { ok: false, reason: 'projectClosed' };
  const milestone = (await milestonesInForce(project.id)).find((m) => m.id === input.milestoneId);
  if (!milestone) return { ok: false, reason: 'noMilestone' };
  const report = await MilestoneReport.findOne({ project: project.id, milestone: input.milestoneId }).select('status revision expenses').lean();
  if (!report || !EDITABLE_REPORT_STATUSES.includes(report.status)) return { ok: false, reason: 'notEditable' };
  if (report.revision !== input.revision) return { ok: false, reason: 'conflict' };
  const flags = await withHolds(project, milestone, report.expenses);
  const set: Record<string, unknown> = { status: 'submitted', submittedAt: input.now ?? new Date() };
  flags.forEach((held, i) => (set[`expenses.${i}.held`] = held));
  const submitted = await MilestoneReport.updateOne({ _id: report._id, status: report.status, revision: report.revision }, { $set: set, $inc: { revision: 1 } });
  if (submitted.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({ actor: input.actorId, action: 'milestoneReport.submitted', targetType: 'Project', targetId: project.id, after: { milestone: input.milestoneId, held: flags.filter(Boolean).length }, ip: input.ip });
  return { ok: true, revision: report.revision + 1 };
}

/**
 * The committee decides on the submitted revision it looked at. Asking for changes needs at
 * least one section comment (the form checks it). Approval completes the milestone: holds are
 * computed again against the ledger as it is now, the tranche is recorded as released, the
 * project's progress is recomputed, and the project's audience is told in one bulk write.
 */
export async function reviewReport(input: {
  project: ReportProject;
  competitionSlug: string;
  milestoneId: string;
  decision: 'approved' | 'changesRequested';
  revision: number;
  comments: Partial<Record<ReportSection, string>>;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<ReportResult> {
  const { project } = input;
  const milestones = await milestonesInForce(project.id);
  const milestone = milestones.find((m) => m.id === input.milestoneId);
  if (!milestone) return { ok: false, reason: 'noMilestone' };
  const at = input.now ?? new Date();
  const review = { decision: input.decision, comments: input.comments, by: input.actorId, at };

  if (input.decision === 'changesRequested') {
    const returned = await MilestoneReport.updateOne(
      { project: project.id, milestone: input.milestoneId, status: 'submitted', revision: input.revision },
      { $set: { status: 'changesRequested' }, $push: { reviews: review }, $inc: { revision: 1 } },
    );
    if (returned.modifiedCount !== 1) return { ok: false, reason: 'notSubmitted' };
    await audit({ actor: input.actorId, action: 'milestoneReport.changesRequested', targetType: 'Project', targetId: project.id, after: { milestone: input.milestoneId, sections: Object.keys(input.comments) }, ip: input.ip });
    await notifyMany([{ recipientIds: project.team, event: { type: 'reportReviewed', competitionSlug: input.competitionSlug, proposalId: project.proposalId, actorId: input.actorId, data: { projectNumber: project.number, milestone: input.milestoneId, decision: 'changesRequested' } } }]);
    return { ok: true, revision: input.revision + 1 };
  }

  const outcome = await withLedgerLock(project.id, async () => {
    const report = await MilestoneReport.findOne({ project: project.id, milestone: input.milestoneId }).select('status revision expenses').lean();
    if (!report || report.status !== 'submitted' || report.revision !== input.revision) return { ok: false as const, reason: 'notSubmitted' as const };
    const flags = await withHolds(project, milestone, report.expenses);
    const set: Record<string, unknown> = { status: 'approved', approvedAt: at, trancheReleasedFen: milestone.trancheFen };
    flags.forEach((held, i) => (set[`expenses.${i}.held`] = held));
    const approved = await MilestoneReport.updateOne({ _id: report._id, status: 'submitted', revision: input.revision }, { $set: set, $push: { reviews: review }, $inc: { revision: 1 } });
    if (approved.modifiedCount !== 1) return { ok: false as const, reason: 'notSubmitted' as const };
    return { ok: true as const, held: flags.filter(Boolean).length };
  });
  if (outcome === 'busy') return { ok: false, reason: 'busy' };
  if (!outcome.ok) return outcome;

  const progress = await refreshProgress(project.id, milestones);
  await audit({
    actor: input.actorId,
    action: 'milestoneReport.approved',
    targetType: 'Project',
    targetId: project.id,
    after: { milestone: input.milestoneId, trancheReleasedFen: milestone.trancheFen, held: outcome.held, progressPct: progress },
    ip: input.ip,
  });
  await notifyMany([
    { recipientIds: project.team, event: { type: 'reportReviewed', competitionSlug: input.competitionSlug, proposalId: project.proposalId, actorId: input.actorId, data: { projectNumber: project.number, milestone: input.milestoneId, decision: 'approved' } } },
    ...(await audienceBatch(project, input.competitionSlug, 'projectMilestone', input.actorId)),
  ]);
  return { ok: true, revision: input.revision + 1 };
}

/** Progress derived from the plan in force and its approved reports, stored on the project for lists. */
export async function refreshProgress(projectId: string, milestones?: PlannedMilestone[]): Promise<number> {
  const [plan, approved] = await Promise.all([
    milestones ? Promise.resolve(milestones) : milestonesInForce(projectId),
    MilestoneReport.find({ project: projectId, status: 'approved' }).select('milestone').lean(),
  ]);
  const done = new Set(approved.map((r) => String(r.milestone)));
  const pct = progressPct(plan.map((m) => ({ weight: m.weight, completed: done.has(m.id) })));
  await Project.updateOne({ _id: projectId }, { $set: { progressPct: pct } });
  return pct;
}

/**
 * Everyone the project's progress concerns: the residents who voted for its proposal, its
 * followers and authors, and the team. Read in three queries whatever their number; written by
 * the caller's single notifyMany (one insertMany), deduplicated there.
 */
export async function audienceBatch(project: Pick<ReportProject, 'competitionId' | 'proposalId' | 'number' | 'team'>, competitionSlug: string, type: 'projectMilestone' | 'projectCompleted', actorId: string | null) {
  const [ballots, follows, proposal] = await Promise.all([
    Ballot.find({ competition: project.competitionId, choices: project.proposalId, 'voided.at': null }).select('voter').lean(),
    Follow.find({ proposal: project.proposalId }).select('user').lean(),
    Proposal.findById(project.proposalId).select('authors').lean(),
  ]);
  const recipientIds = [
    ...project.team,
    ...(proposal?.authors ?? []).map(String),
    ...follows.map((f) => String(f.user)),
    ...ballots.map((b) => String(b.voter)),
  ];
  return [{ recipientIds, event: { type, competitionSlug, proposalId: project.proposalId, actorId, data: { projectNumber: project.number } } }];
}

/** The committee releases one held expense line of an approved report, with a reason (audited). */
export async function releaseExpense(input: { project: ReportProject; milestoneId: string; expenseId: string; reason: string; actorId: string; ip?: string }): Promise<ReportResult> {
  if (!Types.ObjectId.isValid(input.expenseId) || !Types.ObjectId.isValid(input.milestoneId)) return { ok: false, reason: 'notHeld' };
  // The line's position, then one update conditional on that position still holding that line, held
  // (by index rather than the positional operator, which the database stand-in mishandles).
  const report = await MilestoneReport.findOne({ project: input.project.id, milestone: input.milestoneId, status: 'approved' }).select('expenses._id expenses.held').lean();
  const index = report ? report.expenses.findIndex((e) => String(e._id) === input.expenseId && e.held) : -1;
  if (!report || index < 0) return { ok: false, reason: 'notHeld' };
  const at = `expenses.${index}`;
  const released = await MilestoneReport.updateOne(
    { _id: report._id, status: 'approved', [`${at}._id`]: new Types.ObjectId(input.expenseId), [`${at}.held`]: true },
    { $set: { [`${at}.held`]: false, [`${at}.release`]: { by: input.actorId, at: new Date(), reason: input.reason } }, $inc: { revision: 1 } },
  );
  if (released.modifiedCount !== 1) return { ok: false, reason: 'notHeld' };
  await audit({ actor: input.actorId, action: 'milestoneReport.expenseReleased', targetType: 'Project', targetId: input.project.id, after: { milestone: input.milestoneId, expense: input.expenseId }, reason: input.reason, ip: input.ip });
  return { ok: true, revision: 0 };
}

/**
 * What the public project page shows of the reports: the approved ones only, as a timeline
 * (narrative, activities, photos), with the money spent by category, what is held, the tranches
 * released, people served and volunteer hours. Never receipts, payees or reviews.
 */
export async function publicReports(projectId: string) {
  const [milestones, docs] = await Promise.all([
    milestonesInForce(projectId),
    MilestoneReport.find({ project: projectId, status: 'approved' })
      .select('milestone approvedAt narrative activities served volunteers volunteerHours expenses.amountFen expenses.category expenses.held photos.fileId photos.thumbId trancheReleasedFen')
      .lean(),
  ]);
  const titles = new Map(milestones.map((m) => [m.id, m.title]));
  const timeline = docs
    .map((d) => ({
      milestone: String(d.milestone),
      milestoneTitle: titles.get(String(d.milestone)) ?? '',
      approvedAt: d.approvedAt?.toISOString() ?? '',
      narrative: d.narrative,
      activities: d.activities.map((a) => ({ date: a.date.toISOString(), place: a.place, description: a.description })),
      photos: d.photos.map((p) => ({ fileId: p.fileId, thumbId: p.thumbId })),
      peopleServed: d.served.reduce((s, r) => s + r.count, 0),
      volunteerHours: d.volunteerHours ?? 0,
    }))
    .sort((a, b) => a.approvedAt.localeCompare(b.approvedAt));
  const money = spending(docs.flatMap((d) => d.expenses));
  const people = peopleServed(docs.flatMap((d) => d.served));
  return {
    timeline,
    money: { ...money, releasedFen: docs.reduce((s, d) => s + (d.trancheReleasedFen ?? 0), 0) },
    people,
    volunteers: docs.reduce((s, d) => s + (d.volunteers ?? 0), 0),
    volunteerHours: docs.reduce((s, d) => s + (d.volunteerHours ?? 0), 0),
    completed: docs.map((d) => String(d.milestone)),
  };
}
