import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { parseShanghaiDay as parseDay } from '~/utils/dates';
import { parseYuanToFen } from '~/utils/format';
import { DELIVERABLES_MAX, MAX_MILESTONES, MILESTONE_TITLE_MAX, PLAN_COMMENT_MAX, WEIGHT_MAX } from './milestones';

/**
 * The milestone plan's forms. Messages are keys under "projects:plan.error.". A row without a
 * title is left out, so the empty row at the end of the form adds a milestone only when filled
 * in (no script needed).
 */
const row = z.object({
  title: z.string().trim().max(MILESTONE_TITLE_MAX, 'titleTooLong').optional().default(''),
  dueDate: z.string().trim().optional().default(''),
  deliverables: z.string().trim().max(DELIVERABLES_MAX, 'deliverablesTooLong').optional().default(''),
  tranche: z.string().trim().optional().default(''),
  weight: z.string().trim().optional().default(''),
  // The milestone's id in the plan it was copied from (hidden), so a change request keeps its reports.
  key: z.string().trim().optional().default(''),
});

export interface MilestoneInput {
  title: string;
  dueDate: Date;
  deliverables: string;
  trancheFen: number;
  weight: number;
  /** The id of the milestone this row continues (from an earlier version), if any; the server checks it. */
  key?: string;
}

export const planFormSchema = z
  .object({ milestones: z.array(row).max(MAX_MILESTONES + 1, 'tooMany').optional().default([]) })
  .transform((value, ctx) => {
    const milestones: MilestoneInput[] = [];
    value.milestones.forEach((r, index) => {
      if (!r.title) return;
      const dueDate = parseDay(r.dueDate);
      const trancheFen = parseYuanToFen(r.tranche);
      const weight = Number(r.weight);
      const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['milestones', index, field], message });
      if (!dueDate) issue('dueDate', 'dueDateInvalid');
      if (trancheFen === null) issue('tranche', 'trancheInvalid');
      if (!r.weight || !Number.isSafeInteger(weight) || weight < 1 || weight > WEIGHT_MAX) issue('weight', 'weightInvalid');
      if (dueDate && trancheFen !== null && Number.isSafeInteger(weight) && weight >= 1 && weight <= WEIGHT_MAX) {
        milestones.push({ title: r.title, dueDate, deliverables: r.deliverables, trancheFen, weight, ...(/^[0-9a-f]{24}$/.test(r.key) ? { key: r.key } : {}) });
      }
    });
    if (milestones.length === 0 && value.milestones.every((r) => !r.title)) ctx.addIssue({ code: 'custom', path: ['milestones'], message: 'empty' });
    if (milestones.length > MAX_MILESTONES) ctx.addIssue({ code: 'custom', path: ['milestones'], message: 'tooMany' });
    return milestones;
  });

/** The committee approves (irreversible: confirmed), returns with a comment, or rejects a change request with a comment. */
export const approveSchema = z.object({ revision: z.coerce.number().int().min(0), confirm: confirmedField });
export const commentSchema = z.object({
  revision: z.coerce.number().int().min(0),
  comment: z.string({ error: 'commentRequired' }).trim().min(1, 'commentRequired').max(PLAN_COMMENT_MAX, 'commentTooLong'),
});
