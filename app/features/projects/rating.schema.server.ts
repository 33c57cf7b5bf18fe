import { z } from 'zod';
import { RATING_COMMENT_MAX } from './rules';

/**
 * The rating form (stars, optional comment), checked by the rate route's action only: the form
 * is on the public project page, which carries no zod (decision 015). Error messages are keys
 * under "projects:rating.error.".
 */
export const ratingSchema = z.object({
  stars: z.coerce.number({ error: 'starsRequired' }).int('starsRequired').min(1, 'starsRequired').max(5, 'starsRequired'),
  comment: z
    .string()
    .optional()
    .transform((text) => (text ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(RATING_COMMENT_MAX, 'commentTooLong')),
});
