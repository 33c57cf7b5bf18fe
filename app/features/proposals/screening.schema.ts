import { z } from 'zod';

/** The committee's screening decision on one proposal. Messages are keys under "validation.". */
export const screeningSchema = z
  .object({
    intent: z.literal('screen'),
    number: z.coerce.number().int().min(1),
    decision: z.enum(['eligible', 'ineligible', 'changesRequested'], { error: 'invalidChoice' }),
    reason: z.string().trim().max(1000, 'tooLong').optional().default(''),
    // A date (yyyy-mm-dd) in Asia/Shanghai; changes are due by the end of that day.
    changesDueOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.decision !== 'eligible' && value.reason.length < 5) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reasonRequired' });
    }
    if (value.decision === 'changesRequested' && !value.changesDueOn) {
      ctx.addIssue({ code: 'custom', path: ['changesDueOn'], message: 'dueDateRequired' });
    }
  });

export const mergeSchema = z.object({
  intent: z.literal('merge'),
  keep: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid'),
  merge: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid'),
  reason: z.string().trim().max(1000, 'tooLong').optional().default(''),
});
