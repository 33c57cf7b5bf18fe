import { z } from 'zod';
import { parseYuanToFen } from '~/utils/format';
import { BUDGET_REASON_MAX } from './rules';

/**
 * The committee's budget change: the new approved budget in yuan (stored as fen) and a reason,
 * which is required because it is shown publicly. Messages are keys under "projects:budget.error.".
 */
export const budgetAdjustmentSchema = z.object({
  amount: z.string({ error: 'amountInvalid' }).transform((value, ctx) => {
    const fen = parseYuanToFen(value);
    if (fen === null) {
      ctx.addIssue({ code: 'custom', message: 'amountInvalid' });
      return z.NEVER;
    }
    return fen;
  }),
  reason: z.string({ error: 'reasonRequired' }).trim().min(1, 'reasonRequired').max(BUDGET_REASON_MAX, 'reasonRequired'),
});
