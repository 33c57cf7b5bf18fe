import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { objectId } from '~/utils/object-id';
import {
  HELPER_KINDS,
  HELPER_REVOKE_REASON_MAX,
  NEED_DESCRIPTION_MAX,
  NEED_GRID_MAX,
  NEED_NOTE_MAX,
  NEED_PRIVATE_MAX,
  NEED_SITUATION_MAX,
  NEED_STATUSES,
  NEED_URGENCIES,
  RAISER_KINDS,
} from './needs';

/**
 * The needs whistle's forms, checked by the actions only (the board and a need's page are
 * public pages, which carry no zod: decision 015). Messages are keys under "needs:error.".
 */
const text = (max: number, required: 'required' | null = null) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(required ? z.string().min(1, required).max(max, 'tooLong') : z.string().max(max, 'tooLong'));

export const raiseSchema = z.object({
  category: z.string({ error: 'required' }).regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'required'),
  urgency: z.enum(NEED_URGENCIES, { error: 'required' }),
  community: objectId,
  grid: text(NEED_GRID_MAX),
  description: text(NEED_DESCRIPTION_MAX, 'required'),
  raisedAs: z.enum(RAISER_KINDS, { error: 'required' }),
  name: text(NEED_PRIVATE_MAX, 'required'),
  address: text(NEED_PRIVATE_MAX),
  phone: text(40).pipe(z.string().regex(/^[0-9+\-\s()]*$/, 'phoneInvalid')),
  situation: text(NEED_SITUATION_MAX),
  acknowledged: z.literal('yes').optional(),
});

export const verifySchema = z.object({
  intent: z.literal('verify'),
  authentic: z.enum(['yes', 'no'], { error: 'required' }),
  note: text(NEED_NOTE_MAX),
  // Finding a need not authentic closes it for good: asked first.
  confirm: z.string().optional(),
});

export const reasonSchema = z.object({
  reason: text(NEED_NOTE_MAX, 'required'),
  confirm: confirmedField,
});

export const doneSchema = z.object({
  note: text(NEED_NOTE_MAX, 'required'),
  peopleConsent: z.literal('yes').optional(),
});

export const helperApplySchema = z.object({
  kind: z.enum(HELPER_KINDS, { error: 'required' }),
  name: text(60, 'required'),
  introduction: text(500),
  contactPhone: text(40).pipe(z.string().regex(/^[0-9+\-\s()]*$/, 'phoneInvalid')),
});

export const helperDecisionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('certify'), helper: objectId }),
  z.object({ intent: z.literal('revoke'), helper: objectId, reason: text(HELPER_REVOKE_REASON_MAX, 'required'), confirm: confirmedField }),
]);

const page = z.coerce.number().int().min(1).max(10_000).catch(1);
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).nullable().catch(null);

export const boardQuerySchema = z.object({
  street: z.string().regex(/^[a-z-]{1,40}$/).nullable().catch(null),
  category: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/).nullable().catch(null),
  urgency: optionalEnum(NEED_URGENCIES),
  status: optionalEnum(NEED_STATUSES),
  page,
});

export const workQuerySchema = z.object({
  view: z.enum(['verify', 'mine', 'street', 'claims']).nullable().catch(null),
  page,
});

/** A proposal's author citing a need it answers, or dropping it. */
export const citeSchema = z.object({
  intent: z.enum(['cite', 'uncite']),
  need: z.coerce.number().int().min(1).max(1_000_000_000),
});

export const citableQuerySchema = z.object({
  category: boardQuerySchema.shape.category,
  page,
});

const categoryNames = {
  zh: text(30, 'required'),
  en: text(60, 'required'),
  order: z.coerce.number({ error: 'orderInvalid' }).int('orderInvalid').min(0, 'orderInvalid').max(999, 'orderInvalid'),
};

/** An admin renaming, ordering or retiring a category, or adding one. */
export const categoryFormSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('save'),
    code: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'codeInvalid'),
    revision: z.iso.datetime({ error: 'stale' }),
    ...categoryNames,
    active: z.literal('yes').optional(),
  }),
  z.object({ intent: z.literal('add'), code: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'codeInvalid'), ...categoryNames }),
]);
