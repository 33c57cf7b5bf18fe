import { z } from 'zod';
import { CONFIRM_VALUE, confirmedField } from '~/core/confirm.schema';
import { OBJECT_ID } from '~/utils/object-id';
import { CRITERION_KEY, DECLARABLE_CONFLICTS, MAX_CRITERIA, SCORE_MAX, SCORE_MIN, weightTotal, type Criterion } from './rules';

/** Judging forms, shared by the pages and their actions. Messages are keys under "validation.". */
const objectId = z.string({ error: 'invalidChoice' }).regex(OBJECT_ID, 'invalidChoice');
const checkbox = z.preprocess((value) => value === 'on' || value === 'true', z.boolean());
const text = (max: number) => z.string().trim().max(max, 'tooLong').optional().default('');
const required = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'tooLong');

const criterionRow = z.object({
  key: z.string().trim().optional().default(''),
  nameZh: text(30),
  nameEn: text(60),
  weight: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(0, 'numberInvalid').max(100, 'tooMany').optional(),
  lowZh: text(60),
  lowEn: text(120),
  midZh: text(60),
  midEn: text(120),
  highZh: text(60),
  highEn: text(120),
});

const localized = (zh: string, en: string) => ({ zh, en: en || undefined });

/**
 * The rubric as the committee edits it: one row per criterion (a row without a Chinese name is
 * left out, so the empty row at the end adds a criterion only when filled in). Weights must
 * sum to 100; a new criterion gets a key that no other criterion has.
 */
export const rubricFormSchema = z
  .object({
    normalize: checkbox,
    criteria: z.array(criterionRow).max(MAX_CRITERIA + 1, 'tooMany').optional().default([]),
  })
  .transform((value, ctx) => {
    const rows = value.criteria.map((row, index) => ({ row, index })).filter(({ row }) => row.nameZh);
    if (rows.length === 0 || rows.length > MAX_CRITERIA) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'criteriaCount' });
      return z.NEVER;
    }
    const used = new Set(rows.map(({ row }) => row.key).filter((key) => CRITERION_KEY.test(key)));
    let next = 1;
    const criteria: Criterion[] = [];
    for (const { row, index } of rows) {
      let ok = true;
      for (const field of ['lowZh', 'midZh', 'highZh'] as const) {
        if (!row[field]) {
          ctx.addIssue({ code: 'custom', path: ['criteria', index, field], message: 'required' });
          ok = false;
        }
      }
      if (row.weight === undefined) {
        ctx.addIssue({ code: 'custom', path: ['criteria', index, 'weight'], message: 'numberInvalid' });
        ok = false;
      }
      if (!ok) continue;
      let key = row.key;
      if (!CRITERION_KEY.test(key) || criteria.some((c) => c.key === key)) {
        while (used.has(`c${next}`)) next += 1;
        key = `c${next}`;
        used.add(key);
      }
      criteria.push({
        key,
        name: localized(row.nameZh, row.nameEn),
        weight: row.weight!,
        anchors: { low: localized(row.lowZh, row.lowEn), mid: localized(row.midZh, row.midEn), high: localized(row.highZh, row.highEn) },
      });
    }
    if (criteria.length !== rows.length) return z.NEVER;
    if (weightTotal(criteria) !== 100) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'weightsSum' });
      return z.NEVER;
    }
    return { normalize: value.normalize, criteria };
  });

const score = z.coerce
  .number({ error: 'scoreInvalid' })
  .int('scoreInvalid')
  .min(SCORE_MIN, 'scoreInvalid')
  .max(SCORE_MAX, 'scoreInvalid');

/**
 * A score sheet for the given criteria: `score.<key>` (1–10) and `note.<key>` per criterion and
 * an overall `comment`. A draft may leave scores empty; submitting needs every one, and the
 * confirmation tick (submitting locks the sheet).
 */
export function sheetFormSchema(criterionKeys: readonly string[]) {
  const scores = Object.fromEntries(
    criterionKeys.map((key) => [key, z.preprocess((v) => (v === '' || v === undefined ? undefined : v), score.optional())]),
  );
  const notes = Object.fromEntries(criterionKeys.map((key) => [key, text(1000)]));
  return z
    .object({
      intent: z.enum(['draft', 'submit'], { error: 'invalidChoice' }),
      score: z.object(scores).optional().default({}),
      note: z.object(notes).optional().default({}),
      comment: text(3000),
      confirm: z.string().optional(),
    })
    .superRefine((value, ctx) => {
      if (value.intent !== 'submit') return;
      if (value.confirm !== CONFIRM_VALUE) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'confirmRequired' });
      for (const key of criterionKeys) {
        if ((value.score as Record<string, number | undefined>)[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['score', key], message: 'scoreRequired' });
        }
      }
    })
    .transform((value) => ({
      intent: value.intent,
      comment: value.comment,
      scores: criterionKeys.map((key) => ({
        criterion: key,
        score: (value.score as Record<string, number | undefined>)[key],
        comment: (value.note as Record<string, string>)[key] || undefined,
      })),
    }));
}

export const conflictSchema = z.object({
  intent: z.literal('recuse'),
  kind: z.enum(DECLARABLE_CONFLICTS, { error: 'invalidChoice' }),
  note: required(500),
  confirm: confirmedField,
});

/** The committee reopens one submitted sheet: `sheet` is "<judge id>:<proposal number>". */
export const reopenSchema = z
  .object({
    intent: z.literal('reopen'),
    sheet: z.string({ error: 'invalidChoice' }).regex(/^[0-9a-f]{24}:[1-9]\d{0,5}$/i, 'invalidChoice'),
    reason: z.string({ error: 'reasonRequired' }).trim().min(5, 'reasonRequired').max(500, 'tooLong'),
  })
  .transform(({ sheet, reason }) => {
    const [judgeId = '', number = ''] = sheet.split(':');
    return { judgeId, number: Number(number), reason };
  });

export const assignSchema = z
  .object({
    mode: z.enum(['all', 'panel'], { error: 'invalidChoice' }),
    category: z.string().trim().max(40).optional().default(''),
    // Repeated `judges` checkboxes: none, one (a string) or several.
    judges: z.preprocess((v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v.filter(Boolean) : [v]), z.array(objectId).max(200, 'tooMany')),
  })
  .superRefine((value, ctx) => {
    if (value.mode !== 'panel') return;
    if (!value.category) ctx.addIssue({ code: 'custom', path: ['category'], message: 'invalidChoice' });
    if (value.judges.length === 0) ctx.addIssue({ code: 'custom', path: ['judges'], message: 'required' });
  });
