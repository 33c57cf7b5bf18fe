import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { parseShanghaiDay } from '~/utils/dates';
import { parseYuanToFen } from '~/utils/format';
import {
  ACTIVITY_TEXT_MAX,
  BENEFICIARY_GROUPS,
  EXPENSE_CATEGORIES,
  MAX_ACTIVITIES,
  MAX_EXPENSES,
  NARRATIVE_MAX,
  PAYEE_MAX,
  PEOPLE_MAX,
  PLACE_MAX,
  RELEASE_REASON_MAX,
  REPORT_SECTIONS,
  REVIEW_COMMENT_MAX,
  VOLUNTEER_HOURS_MAX,
  type BeneficiaryGroup,
  type ExpenseCategory,
  type ReportSection,
} from './reports';

/**
 * The milestone report's forms. Messages are keys under "projects:report.error.". Rows without
 * their main field (an activity without a description, an expense without an amount) are left
 * out, so the empty row at the end of each list adds one only when filled in (no script needed).
 */
const text = (max: number, tooLong: string) => z.string().trim().max(max, tooLong).optional().default('');

const activityRow = z.object({
  date: text(10, 'dateInvalid'),
  place: text(PLACE_MAX, 'placeTooLong'),
  description: text(ACTIVITY_TEXT_MAX, 'descriptionTooLong'),
});

const expenseRow = z.object({
  id: z.string().trim().optional().default(''),
  amount: text(20, 'amountInvalid'),
  category: text(40, 'categoryInvalid'),
  payee: text(PAYEE_MAX, 'payeeTooLong'),
  date: text(10, 'dateInvalid'),
  removeReceipt: z.string().optional(),
});

const countField = text(12, 'countInvalid');

export interface ReportInput {
  narrative: string;
  activities: { date: Date; place: string; description: string }[];
  served: { group: BeneficiaryGroup; count: number }[];
  volunteers: number;
  volunteerHours: number;
  /** `row`: the form row it came from, where its receipt file was chosen (absent when not from the form). */
  expenses: { id?: string; row?: number; amountFen: number; category: ExpenseCategory; payee: string; date: Date; removeReceipt: boolean }[];
  removePhotos: string[];
}

function wholeNumber(value: string, max: number): number | null {
  if (value === '') return 0;
  if (!/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= max ? n : null;
}

export const reportFormSchema = z
  .object({
    revision: z.string().trim().optional().default(''),
    narrative: text(NARRATIVE_MAX, 'narrativeTooLong'),
    activities: z.array(activityRow).max(MAX_ACTIVITIES + 1, 'tooManyActivities').optional().default([]),
    served: z.object(Object.fromEntries(BENEFICIARY_GROUPS.map((g) => [g, countField])) as Record<BeneficiaryGroup, typeof countField>).optional(),
    volunteers: countField,
    volunteerHours: text(12, 'hoursInvalid'),
    expenses: z.array(expenseRow).max(MAX_EXPENSES + 1, 'tooManyExpenses').optional().default([]),
    removePhotos: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .transform((value, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const activities: ReportInput['activities'] = [];
    value.activities.forEach((row, index) => {
      if (!row.description) {
        if (row.date || row.place) issue(['activities', index, 'description'], 'descriptionRequired');
        return;
      }
      const date = parseShanghaiDay(row.date);
      if (!date) return issue(['activities', index, 'date'], 'dateInvalid');
      activities.push({ date, place: row.place, description: row.description });
    });
    if (activities.length > MAX_ACTIVITIES) issue(['activities'], 'tooManyActivities');

    const served: ReportInput['served'] = [];
    for (const group of BENEFICIARY_GROUPS) {
      const count = wholeNumber(value.served?.[group] ?? '', PEOPLE_MAX);
      if (count === null) issue(['served', group], 'countInvalid');
      else if (count > 0) served.push({ group, count });
    }
    const volunteers = wholeNumber(value.volunteers, PEOPLE_MAX);
    if (volunteers === null) issue(['volunteers'], 'countInvalid');
    // Hours in halves at most ("2.5"), as service logs count them.
    const hours = value.volunteerHours === '' ? 0 : /^\d{1,6}(\.5|\.0)?$/.test(value.volunteerHours) ? Number(value.volunteerHours) : null;
    if (hours === null || hours > VOLUNTEER_HOURS_MAX) issue(['volunteerHours'], 'hoursInvalid');

    const expenses: ReportInput['expenses'] = [];
    value.expenses.forEach((row, index) => {
      if (!row.amount && !row.payee) return;
      const amountFen = parseYuanToFen(row.amount);
      const date = parseShanghaiDay(row.date);
      const category = (EXPENSE_CATEGORIES as readonly string[]).includes(row.category) ? (row.category as ExpenseCategory) : null;
      if (amountFen === null || amountFen < 1) issue(['expenses', index, 'amount'], 'amountInvalid');
      if (!row.payee) issue(['expenses', index, 'payee'], 'payeeRequired');
      if (!date) issue(['expenses', index, 'date'], 'dateInvalid');
      if (!category) issue(['expenses', index, 'category'], 'categoryInvalid');
      if (amountFen !== null && amountFen >= 1 && row.payee && date && category) {
        expenses.push({ ...(/^[0-9a-f]{24}$/.test(row.id) ? { id: row.id } : {}), row: index, amountFen, category, payee: row.payee, date, removeReceipt: row.removeReceipt === 'on' });
      }
    });
    if (expenses.length > MAX_EXPENSES) issue(['expenses'], 'tooManyExpenses');
    const revision = value.revision === '' ? null : /^\d{1,9}$/.test(value.revision) ? Number(value.revision) : undefined;
    if (revision === undefined) issue(['revision'], 'conflict');
    const removePhotos = (Array.isArray(value.removePhotos) ? value.removePhotos : value.removePhotos ? [value.removePhotos] : []).filter((id) => /^[0-9a-f]{24}$/.test(id));
    const report: ReportInput = { narrative: value.narrative, activities, served, volunteers: volunteers ?? 0, volunteerHours: hours ?? 0, expenses, removePhotos };
    return { revision: revision ?? null, report };
  });

const sectionComment = z.string().trim().max(REVIEW_COMMENT_MAX, 'commentTooLong').optional().default('');

/** The committee's review: a comment per section; asking for changes needs at least one, approving is confirmed (irreversible). */
export const reviewSchema = z
  .object({
    revision: z.coerce.number().int().min(0),
    intent: z.enum(['approve', 'requestChanges'], { error: 'decisionInvalid' }),
    confirm: z.string().optional(),
    ...(Object.fromEntries(REPORT_SECTIONS.map((s) => [`comment_${s}`, sectionComment])) as Record<`comment_${ReportSection}`, typeof sectionComment>),
  })
  .superRefine((value, ctx) => {
    const comments = REPORT_SECTIONS.filter((s) => value[`comment_${s}`]);
    if (value.intent === 'requestChanges' && comments.length === 0) ctx.addIssue({ code: 'custom', path: ['form'], message: 'commentRequired' });
    if (value.intent === 'approve' && !confirmedField.safeParse(value.confirm).success) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'confirmRequired' });
  })
  .transform((value) => ({
    revision: value.revision,
    decision: value.intent === 'approve' ? ('approved' as const) : ('changesRequested' as const),
    comments: Object.fromEntries(REPORT_SECTIONS.flatMap((s) => (value[`comment_${s}`] ? [[s, value[`comment_${s}`]]] : []))),
  }));

export const releaseSchema = z.object({
  expenseId: z.string().regex(/^[0-9a-f]{24}$/, 'notHeld'),
  reason: z.string({ error: 'reasonRequired' }).trim().min(1, 'reasonRequired').max(RELEASE_REASON_MAX, 'reasonTooLong'),
  confirm: confirmedField,
});
