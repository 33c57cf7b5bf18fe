import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { parseYuanToFen } from '~/utils/format';
import { CORRECTION_SETTINGS, parseSetting, type CorrectionSetting } from './corrections';

/** The smallest reason an admin must give for a correction: a few words, not "typo". */
export const CORRECTION_REASON_MIN = 10;

/**
 * An admin's correction of one frozen setting (corrections.server.ts): which setting, its new
 * value (a day in Asia/Shanghai, a sum in yuan or the streets, by the setting), a reason, and
 * the "I understand" box, never ticked for them.
 */
export const correctionSchema = z
  .object({
    intent: z.literal('correct'),
    setting: z.enum(CORRECTION_SETTINGS as [CorrectionSetting, ...CorrectionSetting[]], { error: 'invalidChoice' }),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid').optional(),
    budget: z.string().optional(),
    eligibleStreets: z.array(z.string().regex(OBJECT_ID, 'invalidChoice')).optional().default([]),
    reason: z.string({ error: 'correctionReasonRequired' }).trim().min(CORRECTION_REASON_MIN, 'correctionReasonRequired').max(500, 'tooLong'),
    understood: z.literal('on', { error: 'correctionConfirmRequired' }),
  })
  .superRefine((value, ctx) => {
    const kind = parseSetting(value.setting).kind;
    if ((kind === 'start' || kind === 'end') && !value.day) ctx.addIssue({ code: 'custom', path: ['day'], message: 'required' });
    if (kind === 'budget') {
      const fen = value.budget === undefined ? null : parseYuanToFen(value.budget);
      if (value.budget === undefined || value.budget.trim() === '') ctx.addIssue({ code: 'custom', path: ['budget'], message: 'required' });
      else if (fen === null || fen <= 0) ctx.addIssue({ code: 'custom', path: ['budget'], message: 'moneyInvalid' });
    }
  })
  .transform((value) => {
    const parsed = parseSetting(value.setting);
    const base = { setting: value.setting, reason: value.reason };
    if (parsed.kind === 'budget') return { ...base, kind: 'budget' as const, budgetFen: parseYuanToFen(value.budget!)! };
    if (parsed.kind === 'streets') return { ...base, kind: 'streets' as const, eligibleStreets: [...new Set(value.eligibleStreets)] };
    return { ...base, kind: parsed.kind, phase: parsed.phase, day: value.day! };
  });

export type CorrectionForm = z.output<typeof correctionSchema>;
