import { z } from 'zod';
import { parseYuanToFen } from '~/utils/format';
import {
  DUE_AHEAD_MAX_DAYS,
  PARTNER_KINDS,
  PARTNER_NAME_MAX,
  PLEDGE_ITEM_MAX,
  PLEDGE_KINDS,
  PLEDGE_NOTE_MAX,
  PLEDGE_QUANTITY_MAX,
  PLEDGE_UNIT_MAX,
  PLEDGE_VALUE_MAX_FEN,
  parseDueDate,
} from './rules';

/**
 * The pledge forms, shared by the browser and the server (the only check that counts).
 * Messages are keys under "resources:error.". Yuan as typed ("5000", "¥1,200.50") is kept as
 * integer fen; a date as YYYY-MM-DD is the end of that day in Asia/Shanghai.
 */
const text = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .refine((value) => value.length <= max, tooLong);

const yuan = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return null;
    const fen = parseYuanToFen(value.slice(0, 20));
    if (fen === null || fen < 1 || fen > PLEDGE_VALUE_MAX_FEN) {
      ctx.addIssue({ code: 'custom', message: 'amountInvalid' });
      return z.NEVER;
    }
    return fen;
  });

const date = (message: string) =>
  z.string({ error: message }).transform((value, ctx) => {
    const parsed = parseDueDate(value.slice(0, 20));
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return parsed;
  });

/** Who the pledge is from: a partner the team names, the 崂善行 fund (staff only), or the signed-in person themselves. */
export const PARTNER_CHOICES = [...PARTNER_KINDS, 'self'] as const;

export const pledgeSchema = z
  .object({
    partnerKind: z.enum(PARTNER_CHOICES, { error: 'partnerKindRequired' }),
    partnerName: text(PARTNER_NAME_MAX, 'partnerNameTooLong'),
    // An unticked checkbox sends nothing: anonymous unless the donor says otherwise.
    showName: z
      .string()
      .optional()
      .transform((value) => value === 'on'),
    kind: z.enum(PLEDGE_KINDS, { error: 'kindRequired' }),
    amount: yuan,
    item: text(PLEDGE_ITEM_MAX, 'itemTooLong'),
    quantity: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value.trim() === '') return null;
        const n = Number(value.trim());
        if (!/^\d{1,6}$/.test(value.trim()) || n < 1 || n > PLEDGE_QUANTITY_MAX) {
          ctx.addIssue({ code: 'custom', message: 'quantityInvalid' });
          return z.NEVER;
        }
        return n;
      }),
    unit: text(PLEDGE_UNIT_MAX, 'unitTooLong'),
    estimatedValue: yuan,
    dueDate: date('dueDateInvalid'),
    note: text(PLEDGE_NOTE_MAX, 'noteTooLong'),
  })
  .superRefine((value, ctx) => {
    if (value.partnerKind !== 'self' && value.partnerKind !== 'fund' && !value.partnerName) {
      ctx.addIssue({ code: 'custom', path: ['partnerName'], message: 'partnerNameRequired' });
    }
    if (value.kind === 'money' && value.amount === null) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'amountRequired' });
    if (value.kind === 'inKind') {
      if (!value.item) ctx.addIssue({ code: 'custom', path: ['item'], message: 'itemRequired' });
      if (value.quantity === null) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'quantityRequired' });
      if (value.estimatedValue === null) ctx.addIssue({ code: 'custom', path: ['estimatedValue'], message: 'estimatedValueRequired' });
    }
  });
export type PledgeInput = z.infer<typeof pledgeSchema>;

/** Whether a due date lies within what may be promised (not in the past, at most two years ahead). */
export function dueDateFits(dueAt: Date, now: Date = new Date()): boolean {
  const today = parseDueDate(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10))!;
  return dueAt.getTime() >= today.getTime() && dueAt.getTime() <= today.getTime() + DUE_AHEAD_MAX_DAYS * 86_400_000;
}

export const deliverySchema = z.object({
  deliveredOn: date('deliveredOnInvalid'),
  note: text(PLEDGE_NOTE_MAX, 'noteTooLong'),
});

export const withdrawSchema = z.object({
  reason: text(PLEDGE_NOTE_MAX, 'reasonTooLong').refine((value) => value.length > 0, 'reasonRequired'),
});
