import { z } from 'zod';

/** An empty field from a plain HTML form is "not given", not an invalid value. */
const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const SCREENING_DECISIONS = ['eligible', 'ineligible', 'changesRequested'] as const;

/**
 * The committee's screening decision on one proposal. Messages are keys under "screening:errors."
 * or "validation.". Nothing is pre-selected on the page, so a missing decision is a field error;
 * the date is asked only when the proposal is sent back for changes, and "ineligible" (which
 * takes the proposal out of the competition) needs the confirmation box ticked.
 */
export const screeningSchema = z
  .object({
    intent: z.literal('screen'),
    number: z.coerce.number().int().min(1),
    decision: z.preprocess(blankToUndefined, z.enum(SCREENING_DECISIONS, { error: 'decisionRequired' })),
    reason: z.string().trim().max(1000, 'tooLong').optional().default(''),
    // A date (yyyy-mm-dd) in Asia/Shanghai; changes are due by the end of that day.
    changesDueOn: z.preprocess(blankToUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid').optional()),
    confirm: z.preprocess(blankToUndefined, z.literal('on', { error: 'confirmRequired' }).optional()),
  })
  .superRefine((value, ctx) => {
    if (value.decision !== 'eligible' && value.reason.length < 5) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reasonRequired' });
    }
    if (value.decision === 'changesRequested' && !value.changesDueOn) {
      ctx.addIssue({ code: 'custom', path: ['changesDueOn'], message: 'dueDateRequired' });
    }
    if (value.decision === 'ineligible' && value.confirm !== 'on') {
      ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'confirmRequired' });
    }
  });

/** "Eligible" for the ticked rows at once; the numbers come from checkboxes named "numbers". */
export const bulkEligibleSchema = z.object({
  intent: z.literal('bulkEligible'),
  numbers: z.array(z.coerce.number().int().min(1)).min(1, 'selectionRequired').max(100, 'selectionTooLarge'),
  confirm: z.literal('on', { error: 'confirmRequired' }),
});

/** The list's filters, from the query string; anything odd falls back to "no filter". */
export const screeningFilterSchema = z.object({
  show: z.enum(['pending', 'decided', 'all']).catch('pending'),
  category: z.string().trim().max(40).catch(''),
  street: z
    .string()
    .regex(/^[0-9a-f]{24}$/)
    .or(z.literal(''))
    .catch(''),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type ScreeningFilter = z.infer<typeof screeningFilterSchema>;

export const mergeSchema = z.object({
  intent: z.literal('merge'),
  keep: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid'),
  merge: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid'),
  reason: z.string().trim().max(1000, 'tooLong').optional().default(''),
});
