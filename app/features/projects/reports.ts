/**
 * Milestone reports' pure rules (issue 14; docs/decisions/022-milestone-reports.md): what a
 * report holds, which expenses are held for the committee, and the money a project has spent.
 * Money is integer fen throughout, so every sum is exact.
 */

/** A report's life: the team drafts and submits; the committee approves or asks for changes (the team edits and submits again). */
export const REPORT_STATUSES = ['draft', 'submitted', 'changesRequested', 'approved'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The team may edit a report in these states. */
export const EDITABLE_REPORT_STATUSES: readonly ReportStatus[] = ['draft', 'changesRequested'];

/** The parts of a report the committee may comment on one by one. */
export const REPORT_SECTIONS = ['narrative', 'activities', 'people', 'volunteers', 'expenses', 'photos'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

/** Who was served, counted (never named): the beneficiary groups of the district's assistance programmes. */
export const BENEFICIARY_GROUPS = ['elderly', 'disabled', 'children', 'lowIncome', 'patients', 'families', 'other'] as const;
export type BeneficiaryGroup = (typeof BENEFICIARY_GROUPS)[number];

export const EXPENSE_CATEGORIES = ['materials', 'services', 'venue', 'transport', 'training', 'publicity', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

export const NARRATIVE_MAX = 5000;
export const ACTIVITY_TEXT_MAX = 500;
export const PLACE_MAX = 80;
export const PAYEE_MAX = 80;
export const MAX_ACTIVITIES = 30;
export const MAX_EXPENSES = 50;
export const MAX_REPORT_PHOTOS = 8;
export const PEOPLE_MAX = 1_000_000;
export const VOLUNTEER_HOURS_MAX = 100_000;
export const REVIEW_COMMENT_MAX = 1000;
export const RELEASE_REASON_MAX = 500;

export interface ExpenseLine {
  amountFen: number;
  /** Day of the expense, as midnight in Shanghai. */
  date: Date | string;
}

/**
 * Which expense lines are held until the committee approves them explicitly: taken in date
 * order (then as listed), a line is held when, added to the lines not held before it, it would
 * pass the milestone's tranche, or pass the project's approved budget together with what the
 * project's other approved reports already spent. A held line does not count towards the
 * lines after it, so one large receipt does not hold back every small one behind it.
 * Returns one flag per line, in the order given.
 */
export function heldExpenses(lines: readonly ExpenseLine[], limits: { trancheFen: number; budgetFen: number; spentElsewhereFen: number }): boolean[] {
  const order = lines.map((line, index) => ({ index, at: new Date(line.date).getTime(), amountFen: line.amountFen }));
  order.sort((a, b) => a.at - b.at || a.index - b.index);
  const held = lines.map(() => false);
  let counted = 0;
  for (const line of order) {
    const next = counted + line.amountFen;
    if (next > limits.trancheFen || limits.spentElsewhereFen + next > limits.budgetFen) held[line.index] = true;
    else counted = next;
  }
  return held;
}

export interface LedgerExpense {
  amountFen: number;
  category: string;
  held: boolean;
}

/** A project's spending from its approved reports: spent (not held, or released), held, and spent by category. */
export function spending(expenses: readonly LedgerExpense[]): { spentFen: number; heldFen: number; byCategory: Record<string, number> } {
  let spentFen = 0;
  let heldFen = 0;
  const byCategory: Record<string, number> = {};
  for (const e of expenses) {
    if (e.held) {
      heldFen += e.amountFen;
      continue;
    }
    spentFen += e.amountFen;
    byCategory[e.category] = (byCategory[e.category] ?? 0) + e.amountFen;
  }
  return { spentFen, heldFen, byCategory };
}

/** People served per group summed over reports, and the total. */
export function peopleServed(rows: readonly { group: string; count: number }[]): { total: number; byGroup: Record<string, number> } {
  const byGroup: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byGroup[r.group] = (byGroup[r.group] ?? 0) + r.count;
    total += r.count;
  }
  return { total, byGroup };
}

/** Whole days a milestone is past its due date (0 when not yet due), counted from midnight of the due day. */
export function daysOverdue(dueDate: Date | string, now = new Date()): number {
  const late = now.getTime() - new Date(dueDate).getTime();
  return late <= 0 ? 0 : Math.floor(late / 86_400_000);
}
