import { z } from 'zod';
import { CONFIRM_VALUE } from '~/core/confirm.schema';
import { PROJECT_STATUSES, STATUS_REASON_MAX, statusChangeNeedsReason } from './rules';

/**
 * The committee's status change. Suspending and terminating need a reason; terminating is
 * final and must be confirmed (decision 014). Messages are keys under "projects:statusChange.error."
 * (the confirmation's under "confirmDialog.errors." of common).
 */
export const statusChangeSchema = z
  .object({
    intent: z.literal('status'),
    to: z.enum(PROJECT_STATUSES, { error: 'statusInvalid' }),
    reason: z.string().trim().max(STATUS_REASON_MAX, 'reasonRequired').optional(),
    confirm: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    if (statusChangeNeedsReason(value.to) && !value.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reasonRequired' });
    if (value.to === 'terminated' && value.confirm !== CONFIRM_VALUE) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'confirmRequired' });
  });
