import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { CLOSING_TEXT_MAX, EVALUATION_CRITERIA, type EvaluationCriterion } from './closing';

/** The closing forms. Messages are keys under "projects:closing.error.". */
const text = z.string().trim().max(CLOSING_TEXT_MAX, 'textTooLong').optional().default('');

export const finalReportSchema = z.object({
  revision: z
    .string()
    .trim()
    .optional()
    .default('')
    .refine((v) => v === '' || /^\d{1,9}$/.test(v), 'conflict')
    .transform((v) => (v === '' ? null : Number(v))),
  outcomes: text,
  againstPlan: text,
  sustainability: text,
  lessons: text,
});

const score = z.coerce.number({ error: 'scoreRequired' }).int('scoreRequired').min(1, 'scoreRequired').max(5, 'scoreRequired');

export const evaluationSchema = z
  .object({
    revision: z.coerce.number().int().min(0),
    confirm: confirmedField,
    ...(Object.fromEntries(EVALUATION_CRITERIA.flatMap((c) => [[`score_${c}`, score], [`comment_${c}`, text]])) as Record<`score_${EvaluationCriterion}`, typeof score> &
      Record<`comment_${EvaluationCriterion}`, typeof text>),
  })
  .transform((v) => ({
    revision: v.revision,
    evaluation: Object.fromEntries(EVALUATION_CRITERIA.map((c) => [c, { score: v[`score_${c}`], comment: v[`comment_${c}`] }])) as Record<EvaluationCriterion, { score: number; comment: string }>,
  }));

export const returnSchema = z.object({
  revision: z.coerce.number().int().min(0),
  comment: z.string({ error: 'commentRequired' }).trim().min(1, 'commentRequired').max(CLOSING_TEXT_MAX, 'textTooLong'),
});
