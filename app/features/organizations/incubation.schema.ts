import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { parseShanghaiDay } from '~/utils/dates';
import {
  CHECKLIST_ITEMS_MAX,
  CHECKLIST_LABEL_MAX,
  CHECKLIST_STAGES,
  EVIDENCE_NOTE_MAX,
  INCUBATION_STAGES,
  OVERRIDE_REASON_MAX,
  SESSION_HOURS_MAX,
  SESSION_NOTES_MAX,
  SESSION_TOPICS_MAX,
} from './organizations';

/**
 * The incubation page's and the checklist editor's forms, one schema per intent; messages are
 * keys under "organizations:incubation.error." (then "validation."). The server decides who may
 * send which; hidden fields (the stage and revision the page showed) are concurrency checks,
 * never trusted for access.
 */
export const ITEM_KEY = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
const itemKey = z.string({ error: 'itemUnknown' }).trim().regex(ITEM_KEY, 'itemUnknown');
const revision = z.coerce.number({ error: 'invalid' }).int('invalid').min(0, 'invalid').max(1_000_000_000, 'invalid');

export const confirmItemSchema = z.object({
  intent: z.literal('confirm'),
  key: itemKey,
  note: z.string().trim().max(EVIDENCE_NOTE_MAX, 'noteTooLong').default(''),
});

export const withdrawItemSchema = z.object({
  intent: z.literal('withdraw'),
  key: itemKey,
  reason: z.string().trim().max(OVERRIDE_REASON_MAX, 'reasonTooLong').default(''),
  confirm: confirmedField,
});

export const sessionSchema = z.object({
  intent: z.literal('session'),
  date: z
    .string({ error: 'dateInvalid' })
    .trim()
    .transform((value, ctx) => {
      const day = parseShanghaiDay(value);
      if (!day) {
        ctx.addIssue({ code: 'custom', message: 'dateInvalid' });
        return z.NEVER;
      }
      return day;
    }),
  // Half-hour steps: 1.5 hours is 90 minutes, stored whole.
  hours: z.coerce
    .number({ error: 'hoursInvalid' })
    .refine((h) => Number.isFinite(h) && h > 0 && h <= SESSION_HOURS_MAX && Number.isInteger(h * 2), 'hoursInvalid')
    .transform((h) => Math.round(h * 60)),
  topics: z.string({ error: 'topicsRequired' }).trim().min(1, 'topicsRequired').max(SESSION_TOPICS_MAX, 'topicsTooLong'),
  notes: z.string().trim().max(SESSION_NOTES_MAX, 'notesTooLong').default(''),
});

export const moveStageSchema = z.object({
  intent: z.literal('move'),
  to: z.enum(INCUBATION_STAGES, { error: 'stageInvalid' }),
  expected: z.enum(INCUBATION_STAGES, { error: 'stageInvalid' }),
  revision,
  override: z
    .string()
    .optional()
    .transform((v) => v === 'on'),
  reason: z.string().trim().max(OVERRIDE_REASON_MAX, 'reasonTooLong').default(''),
  confirm: confirmedField,
});

/** One stage's list for one year: existing rows carry their key, new rows none (the server gives one). */
export const checklistTemplateSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100),
  stage: z.enum(CHECKLIST_STAGES),
  revision,
  items: z
    .array(
      z.object({
        key: z.union([itemKey, z.literal('')]).default(''),
        zh: z.string().trim().max(CHECKLIST_LABEL_MAX, 'labelTooLong').default(''),
        en: z.string().trim().max(CHECKLIST_LABEL_MAX, 'labelTooLong').default(''),
        remove: z
          .string()
          .optional()
          .transform((v) => v === 'on'),
      }),
    )
    .max(CHECKLIST_ITEMS_MAX + 3, 'tooManyItems')
    .default([])
    // Blank new rows and removed rows fall away; a kept row needs its Chinese label.
    .transform((rows, ctx) => {
      const kept = rows.filter((row) => !row.remove && (row.key || row.zh || row.en));
      for (const row of kept) {
        if (!row.zh) ctx.addIssue({ code: 'custom', message: 'labelRequired', path: [rows.indexOf(row), 'zh'] });
      }
      if (kept.length > CHECKLIST_ITEMS_MAX) ctx.addIssue({ code: 'custom', message: 'tooManyItems' });
      return kept.map((row) => ({ key: row.key || null, zh: row.zh, en: row.en }));
    }),
});
export type ChecklistTemplateInput = z.infer<typeof checklistTemplateSchema>;
