import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { parseYuanToFen } from '~/utils/format';
import { CHILD_AGE_MAX, CHILD_AGE_MIN, CHILD_TERMS, childInitialProblem, identifyingDetail, valueProblem, WISH_DESCRIPTION_MAX, WISH_KINDS, WISH_TITLE_MAX } from './rules';

/**
 * The worker's registration form, shared by the browser (instant feedback on a page behind
 * sign-in) and the server, the only check that counts. Messages are keys under "wishes:error.".
 */
// Checked after the transform, not piped into another z.string(): conform's coercion would read
// an empty text there as missing.
const publicText = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((text) => (text ?? '').replace(/\r\n?/g, '\n').trim())
    .refine((text) => text.length <= max, tooLong)
    .refine((text) => !identifyingDetail(text), 'identifyingDetail');

export const registerSchema = z.object({
  kind: z.enum(WISH_KINDS, { error: 'kindRequired' }),
  title: publicText(WISH_TITLE_MAX, 'titleTooLong').refine((text) => text.length > 0, 'titleRequired'),
  description: publicText(WISH_DESCRIPTION_MAX, 'descriptionTooLong'),
  // Yuan as typed ("120", "¥35.50"), kept as integer fen.
  value: z
    .string({ error: 'valueInvalid' })
    .max(20, 'valueInvalid')
    .transform((text, ctx) => {
      const fen = parseYuanToFen(text);
      const problem = valueProblem(fen);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return fen!;
    }),
  childInitial: z
    .string({ error: 'initialRequired' })
    .max(20, 'initialOneCharacter')
    .transform((text, ctx) => {
      const problem = childInitialProblem(text);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return text.trim();
    }),
  childTerm: z.enum(CHILD_TERMS, { error: 'termRequired' }),
  childAge: z.coerce.number({ error: 'ageInvalid' }).int('ageInvalid').min(CHILD_AGE_MIN, 'ageInvalid').max(CHILD_AGE_MAX, 'ageInvalid'),
  community: z.string({ error: 'communityRequired' }).regex(OBJECT_ID, 'communityRequired'),
});
export type RegisterInput = z.infer<typeof registerSchema>;
