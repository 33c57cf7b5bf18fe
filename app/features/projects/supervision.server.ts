import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import mongoose from 'mongoose';
import { MilestonePlan, MilestoneReport, Project } from '#models';
import { audit } from '~/core/audit.server';
import { notifyMany, type NotificationBatch } from '~/core/notifications.server';
import { shanghaiDay, parseShanghaiDay } from '~/utils/dates';
import { fenToYuanInput, parseYuanToFen } from '~/utils/format';
import { adjustProjectBudget } from './budget.server';
import { daysOverdue } from './reports';
import type { SupervisionSort } from './supervision';
import { PROJECT_STATUSES, setOnlyByClosing, STATUS_REASON_MAX, BUDGET_REASON_MAX, type ProjectStatus } from './rules';
import { changeProjectStatus } from './status.server';

/**
 * Supervision (正道, issue 14): every project of a competition in one table for its committee,
 * sortable by lateness, exported as CSV and updated from the same CSV (docs/decisions/024).
 * The table costs four queries whatever the number of projects (projects, plans in force, open
 * change requests, reports), each served by an index on the competition.
 */

export interface SupervisionRow {
  number: number;
  title: string;
  status: ProjectStatus;
  progressPct: number;
  approvedFen: number;
  spentFen: number;
  heldFen: number;
  awaitingReview: number;
  nextMilestone: { title: string; dueDate: string } | null;
  daysOverdue: number;
  changeRequest: { version: number; status: string } | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  team: string[];
  mentor: string | null;
  id: string;
}

export async function supervisionRows(competitionId: string, now = new Date()): Promise<SupervisionRow[]> {
  const [projects, plans, reports] = await Promise.all([
    Project.find({ competition: competitionId }).select('number title status progressPct approvedBudgetFen plannedStart plannedEnd team mentor').sort({ number: 1 }).lean(),
    MilestonePlan.find({ competition: competitionId }).select('project version status milestones._id milestones.title milestones.dueDate').lean(),
    MilestoneReport.find({ competition: competitionId }).select('project milestone status expenses.amountFen expenses.held').lean(),
  ]);
  const inForce = new Map<string, (typeof plans)[number]>();
  const open = new Map<string, (typeof plans)[number]>();
  for (const plan of plans) {
    const key = String(plan.project);
    if (plan.status === 'approved' && (inForce.get(key)?.version ?? 0) < plan.version) inForce.set(key, plan);
    if ((plan.status === 'draft' || plan.status === 'submitted') && plan.version > 1) open.set(key, plan);
  }
  const byProject = new Map<string, typeof reports>();
  for (const r of reports) byProject.set(String(r.project), [...(byProject.get(String(r.project)) ?? []), r]);
  return projects.map((p) => {
    const key = String(p._id);
    const own = byProject.get(key) ?? [];
    const approved = own.filter((r) => r.status === 'approved');
    const done = new Set(approved.map((r) => String(r.milestone)));
    const pending = (inForce.get(key)?.milestones ?? []).filter((m) => !done.has(String(m._id))).sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime());
    const next = pending[0] ?? null;
    const lines = approved.flatMap((r) => r.expenses);
    const change = open.get(key);
    const active = p.status === 'planning' || p.status === 'inProgress';
    return {
      id: key,
      number: p.number,
      title: p.title,
      status: p.status,
      progressPct: p.progressPct,
      approvedFen: p.approvedBudgetFen,
      spentFen: lines.reduce((s, e) => s + (e.held ? 0 : e.amountFen), 0),
      heldFen: lines.reduce((s, e) => s + (e.held ? e.amountFen : 0), 0),
      awaitingReview: own.filter((r) => r.status === 'submitted').length,
      nextMilestone: next ? { title: next.title, dueDate: next.dueDate.toISOString() } : null,
      // Lateness counts only while the project runs.
      daysOverdue: next && active ? daysOverdue(next.dueDate, now) : 0,
      changeRequest: change ? { version: change.version, status: change.status } : null,
      plannedStart: p.plannedStart?.toISOString() ?? null,
      plannedEnd: p.plannedEnd?.toISOString() ?? null,
      team: p.team.map(String),
      mentor: p.mentor ? String(p.mentor) : null,
    };
  });
}


export function sortRows(rows: SupervisionRow[], sort: SupervisionSort): SupervisionRow[] {
  const by: Record<SupervisionSort, (a: SupervisionRow, b: SupervisionRow) => number> = {
    number: (a, b) => a.number - b.number,
    overdue: (a, b) => b.daysOverdue - a.daysOverdue || a.number - b.number,
    progress: (a, b) => a.progressPct - b.progressPct || a.number - b.number,
    held: (a, b) => b.heldFen - a.heldFen || a.number - b.number,
  };
  return [...rows].sort(by[sort]);
}

// --- CSV ---------------------------------------------------------------------------------------

/**
 * The columns, in order. The first ones identify and describe (read-only on import); the last
 * ones are what an import may change: status (with its reason), planned start and end, and the
 * approved budget (with its reason). Progress is never imported: it is derived from approved
 * milestone reports, so a spreadsheet cannot claim work the committee has not approved.
 */
export const CSV_COLUMNS = [
  'number',
  'title',
  'progress_pct',
  'spent_yuan',
  'held_yuan',
  'next_milestone',
  'next_due',
  'days_overdue',
  'open_change_request',
  'status',
  'status_reason',
  'planned_start',
  'planned_end',
  'approved_budget_yuan',
  'budget_reason',
] as const;

export function supervisionCsvRows(rows: SupervisionRow[]): (string | number)[][] {
  return [
    [...CSV_COLUMNS],
    ...rows.map((r) => [
      r.number,
      r.title,
      r.progressPct,
      fenToYuanInput(r.spentFen),
      fenToYuanInput(r.heldFen),
      r.nextMilestone?.title ?? '',
      r.nextMilestone ? shanghaiDay(new Date(r.nextMilestone.dueDate)) : '',
      r.daysOverdue,
      r.changeRequest ? r.changeRequest.version : '',
      r.status,
      '',
      r.plannedStart ? shanghaiDay(new Date(r.plannedStart)) : '',
      r.plannedEnd ? shanghaiDay(new Date(r.plannedEnd)) : '',
      fenToYuanInput(r.approvedFen),
      '',
    ]),
  ];
}

export const IMPORT_MAX_BYTES = 512 * 1024;
const IMPORT_MAX_ROWS = 1000;

export type ImportChange =
  | { kind: 'status'; from: ProjectStatus; to: ProjectStatus; reason: string }
  | { kind: 'plannedStart' | 'plannedEnd'; from: string | null; to: string | null }
  | { kind: 'budget'; fromFen: number; toFen: number; reason: string };

export interface ImportRowPlan {
  line: number;
  projectId: string | null;
  number: number | null;
  title: string;
  changes: ImportChange[];
  errors: string[];
}

export interface ImportPlan {
  rows: ImportRowPlan[];
  /** A file-level problem (not a CSV, missing columns, too many rows); nothing is applied. */
  fileError: string | null;
  /** Names exactly the changes previewed against the projects as they were: apply refuses if it differs. */
  digest: string;
}

/** A cell the export neutralised (a leading apostrophe before a formula character) reads back as written. */
const cellText = (value: unknown) => (typeof value === 'string' ? value : '').trim().replace(/^'(?=[=+\-@])/, '');

/**
 * What importing `text` would change, row by row, against the projects as they are now.
 * Nothing is written. Unknown numbers, impossible status moves, bad dates or amounts and
 * missing reasons are errors of their row; rows without changes are left out.
 */
export async function planImport(competitionId: string, text: string): Promise<ImportPlan> {
  const fail = (fileError: string): ImportPlan => ({ rows: [], fileError, digest: '' });
  let records: Record<string, unknown>[];
  let header: string[] = [];
  try {
    records = parse<Record<string, unknown>>(text.replace(/^\uFEFF/, ''), {
      columns: (names: string[]) => (header = names.map((n) => n.trim())),
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    });
  } catch {
    return fail('notCsv');
  }
  if (records.length > IMPORT_MAX_ROWS) return fail('tooManyRows');
  if (!['number', 'status', 'planned_start', 'planned_end', 'approved_budget_yuan'].every((c) => header.includes(c))) return fail('columnsMissing');
  const rows = await supervisionRows(competitionId);
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  const seen = new Set<number>();
  const plan: ImportRowPlan[] = [];
  records.forEach((record, index) => {
    const line = index + 2;
    const numberText = cellText(record.number);
    const number = /^\d{1,6}$/.test(numberText) ? Number(numberText) : null;
    const row = number !== null ? byNumber.get(number) : undefined;
    const entry: ImportRowPlan = { line, projectId: row?.id ?? null, number, title: row?.title ?? cellText(record.title), changes: [], errors: [] };
    if (!row || number === null) {
      entry.errors.push('unknownProject');
      plan.push(entry);
      return;
    }
    if (seen.has(number)) entry.errors.push('duplicateRow');
    seen.add(number);
    const status = cellText(record.status);
    const statusReason = cellText(record.status_reason);
    if (status && status !== row.status) {
      if (!(PROJECT_STATUSES as readonly string[]).includes(status)) entry.errors.push('statusInvalid');
      else if (setOnlyByClosing(status)) entry.errors.push('closingRequired');
      else if ((status === 'suspended' || status === 'terminated') && !statusReason) entry.errors.push('statusReasonRequired');
      else if (statusReason.length > STATUS_REASON_MAX) entry.errors.push('reasonTooLong');
      else entry.changes.push({ kind: 'status', from: row.status, to: status as ProjectStatus, reason: statusReason });
    }
    for (const [column, kind] of [['planned_start', 'plannedStart'], ['planned_end', 'plannedEnd']] as const) {
      const value = cellText(record[column]);
      const current = row[kind] ? shanghaiDay(new Date(row[kind])) : null;
      if ((value || null) === current) continue;
      if (value && !parseShanghaiDay(value)) entry.errors.push('dateInvalid');
      else entry.changes.push({ kind, from: current, to: value || null });
    }
    const budgetText = cellText(record.approved_budget_yuan);
    if (budgetText) {
      const toFen = parseYuanToFen(budgetText);
      const reason = cellText(record.budget_reason);
      if (toFen === null) entry.errors.push('amountInvalid');
      else if (toFen !== row.approvedFen) {
        if (!reason) entry.errors.push('budgetReasonRequired');
        else if (reason.length > BUDGET_REASON_MAX) entry.errors.push('reasonTooLong');
        else entry.changes.push({ kind: 'budget', fromFen: row.approvedFen, toFen, reason });
      }
    }
    if (entry.changes.length || entry.errors.length) plan.push(entry);
  });
  const digest = createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 32);
  return { rows: plan, fileError: null, digest };
}

export interface ApplyOutcome {
  applied: number;
  failed: { number: number; kind: ImportChange['kind']; reason: string }[];
}

/**
 * Applies a previewed import: only when the file has no errors and its plan is still the one
 * previewed (`digest`), each change through the same service as the page's own forms (status
 * moves by their rules, budgets within the ledger), each audited there. A change refused at
 * this point (someone moved the project meanwhile) is reported, the others still apply.
 */
export async function applyImport(input: { competitionId: string; competitionSlug: string; text: string; digest: string; actorId: string; ip?: string }): Promise<{ ok: true; outcome: ApplyOutcome } | { ok: false; reason: string }> {
  const plan = await planImport(input.competitionId, input.text);
  if (plan.fileError) return { ok: false, reason: plan.fileError };
  if (plan.rows.some((r) => r.errors.length)) return { ok: false, reason: 'hasErrors' };
  if (plan.digest !== input.digest) return { ok: false, reason: 'changed' };
  const outcome: ApplyOutcome = { applied: 0, failed: [] };
  for (const row of plan.rows) {
    const number = row.number!;
    for (const change of row.changes) {
      if (change.kind === 'status') {
        const moved = await changeProjectStatus({ competitionId: input.competitionId, competitionSlug: input.competitionSlug, projectNumber: number, to: change.to, reason: change.reason, actorId: input.actorId, ip: input.ip });
        if (moved.ok) outcome.applied++;
        else outcome.failed.push({ number, kind: 'status', reason: moved.reason });
      } else if (change.kind === 'budget') {
        const adjusted = await adjustProjectBudget({ competitionId: input.competitionId, projectNumber: number, toFen: change.toFen, reason: change.reason, actorId: input.actorId, ip: input.ip });
        if (adjusted.ok) outcome.applied++;
        else outcome.failed.push({ number, kind: 'budget', reason: adjusted.reason });
      } else {
        const field = change.kind;
        const value = change.to ? parseShanghaiDay(change.to) : null;
        const current = change.from ? parseShanghaiDay(change.from) : null;
        // Conditional on the value previewed, so a date changed meanwhile is not overwritten.
        const filter = { competition: input.competitionId, number, [field]: current ?? null };
        const updated = await Project.updateOne(filter, value ? { $set: { [field]: value } } : { $unset: { [field]: 1 } });
        if (updated.modifiedCount === 1) {
          outcome.applied++;
          await audit({ actor: input.actorId, action: 'project.datesChanged', targetType: 'Project', targetId: row.projectId!, before: { [field]: change.from }, after: { [field]: change.to }, reason: 'csvImport', ip: input.ip });
        } else outcome.failed.push({ number, kind: field, reason: 'conflict' });
      }
    }
  }
  return { ok: true, outcome };
}

// --- Overdue reminders -------------------------------------------------------------------------

const REMIND_EVERY_MS = 24 * 3_600_000;

/**
 * Tells the team and mentor of every running project with an overdue milestone, at most once a
 * day per project (one conditional update per project claims the day), in one bulk write.
 */
export async function remindOverdue(input: { competitionId: string; competitionSlug: string; actorId: string; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const rows = (await supervisionRows(input.competitionId, now)).filter((r) => r.daysOverdue > 0);
  const batches: NotificationBatch[] = [];
  for (const row of rows) {
    const claimed = await Project.updateOne(
      { _id: row.id, $or: [{ overdueRemindedAt: null }, { overdueRemindedAt: mongoose.trusted({ $lt: new Date(now.getTime() - REMIND_EVERY_MS) }) }] },
      { $set: { overdueRemindedAt: now } },
    );
    if (claimed.modifiedCount !== 1) continue;
    batches.push({
      recipientIds: [...row.team, ...(row.mentor ? [row.mentor] : [])],
      event: { type: 'milestoneOverdue', competitionSlug: input.competitionSlug, actorId: input.actorId, data: { projectNumber: row.number, days: row.daysOverdue } },
    });
  }
  // One insert for all projects; someone on two late projects hears of each.
  return notifyMany(batches, { onceAcrossBatches: false });
}
