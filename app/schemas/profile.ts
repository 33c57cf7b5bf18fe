import { z } from 'zod';
import { LANGUAGES } from '~/utils/locales';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'invalidChoice');

export const profileSchema = z.object({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(50, 'nameTooLong'),
  communityId: objectId.optional(),
  language: z.enum(LANGUAGES, { error: 'invalidChoice' }),
});
