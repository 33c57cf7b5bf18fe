import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { DELIVERY_NOTE_MAX, DISPLAY_CHOICES, UNIT_NAME_MAX, WISH_KINDS, WISH_STATUSES, WITHDRAW_REASON_MAX } from './rules';

/**
 * The forms of the wall, the wish page, the claim step and "my claimed wishes", checked by the
 * actions only (decision 015: those pages carry no zod). Messages are keys under "wishes:error.".
 * The registration form's schema is shared with the browser (wish.schema.ts).
 */
export { registerSchema, type RegisterInput } from './wish.schema';

const note = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((text) => (text ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, tooLong));

export const claimSchema = z
  .object({
    displayAs: z.enum(DISPLAY_CHOICES, { error: 'displayInvalid' }).default('account'),
    unitName: note(UNIT_NAME_MAX, 'unitNameTooLong'),
  })
  .refine((claim) => claim.displayAs !== 'unit' || claim.unitName.length > 0, { message: 'unitNameRequired', path: ['unitName'] });
export type ClaimInput = z.infer<typeof claimSchema>;

const wishNumber = z.coerce.number({ error: 'notFound' }).int('notFound').min(1, 'notFound').max(1_000_000_000, 'notFound');

/** "My claimed wishes": mark one delivered (with an optional note), or give the claim back. */
export const mineActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('deliver'), number: wishNumber, note: note(DELIVERY_NOTE_MAX, 'noteTooLong') }),
  z.object({ intent: z.literal('release'), number: wishNumber }),
]);

/** A worker on one wish: confirm its delivery (a photo only with consent), or withdraw it. */
export const manageActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm'), confirm: confirmedField, peopleConsent: z.literal('on').optional() }),
  z.object({
    intent: z.literal('withdraw'),
    confirm: confirmedField,
    reason: note(WITHDRAW_REASON_MAX, 'reasonTooLong').refine((text) => text.length > 0, 'reasonRequired'),
  }),
]);

const code = z
  .string()
  .max(60)
  .regex(/^[a-z0-9-]+$/)
  .optional()
  .catch(undefined);
const page = z.coerce.number().int().min(1).max(10_000).catch(1);

/** The wall's filters (a GET form): anything unknown reads as "all". Streets and communities by code. */
export const wallFilterSchema = z.object({
  street: code,
  community: code,
  kind: z.enum(WISH_KINDS).optional().catch(undefined),
  page,
});
export type WallFilter = z.infer<typeof wallFilterSchema>;

/** A worker's list: by status and community within the worker's area. */
export const manageFilterSchema = z.object({
  status: z.enum(WISH_STATUSES).optional().catch(undefined),
  community: code,
  page,
});

export const pageSchema = z.object({ page });
