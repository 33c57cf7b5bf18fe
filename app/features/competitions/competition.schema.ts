import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { OBJECT_ID } from '~/utils/object-id';
import { parseYuanToFen } from '~/utils/format';
import { PHASES } from './phases';

/** The committee's competition form. Dates are days in Asia/Shanghai; each phase starts on its date. */
const money = z.string({ error: 'required' }).transform((value, ctx) => {
  const fen = parseYuanToFen(value);
  if (fen === null) {
    ctx.addIssue({ code: 'custom', message: 'moneyInvalid' });
    return z.NEVER;
  }
  return fen;
});

const day = z.string({ error: 'required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid');

export const competitionFormSchema = z
  .object({
    slug: z
      .string({ error: 'required' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slugInvalid')
      .max(60, 'tooLong')
      .optional(),
    year: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(2020, 'numberInvalid').max(2100, 'numberInvalid'),
    titleZh: z.string({ error: 'required' }).trim().min(2, 'required').max(80, 'tooLong'),
    titleEn: z.string().trim().max(120, 'tooLong').optional().default(''),
    summaryZh: z.string({ error: 'required' }).trim().min(2, 'required').max(500, 'tooLong'),
    summaryEn: z.string().trim().max(800, 'tooLong').optional().default(''),
    budget: money,
    minRequest: money,
    maxRequest: money,
    starts: z.object(Object.fromEntries(PHASES.map((p) => [p, day])) as Record<(typeof PHASES)[number], typeof day>),
    categories: z
      .array(
        z.object({
          code: z.string({ error: 'required' }).trim().toLowerCase().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'slugInvalid').max(40, 'tooLong'),
          zh: z.string({ error: 'required' }).trim().min(1, 'required').max(30, 'tooLong'),
          en: z.string().trim().max(60, 'tooLong').optional().default(''),
        }),
      )
      .min(1, 'categoriesRequired')
      .max(20, 'tooMany'),
    eligibleStreets: z.array(z.string().regex(OBJECT_ID, 'invalidChoice')).optional().default([]),
  })
  .superRefine((value, ctx) => {
    if (value.minRequest > value.maxRequest) ctx.addIssue({ code: 'custom', path: ['maxRequest'], message: 'maxBelowMin' });
    if (value.maxRequest > value.budget) ctx.addIssue({ code: 'custom', path: ['maxRequest'], message: 'maxAboveBudget' });
    if (value.budget <= 0) ctx.addIssue({ code: 'custom', path: ['budget'], message: 'numberInvalid' });
    for (let i = 1; i < PHASES.length; i++) {
      const previous = value.starts[PHASES[i - 1]!];
      const current = value.starts[PHASES[i]!];
      if (current <= previous) ctx.addIssue({ code: 'custom', path: ['starts', PHASES[i]!], message: 'phaseOrder' });
    }
    const codes = value.categories.map((c) => c.code);
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'categoryRepeated' });
  });

export type CompetitionForm = z.infer<typeof competitionFormSchema>;

export const advancePhaseSchema = z.object({
  intent: z.literal('advance'),
  reason: z.string({ error: 'required' }).trim().min(5, 'reasonRequired').max(500, 'tooLong'),
  confirm: confirmedField,
});
