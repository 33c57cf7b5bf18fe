import { z } from 'zod';
import { objectId } from './common';
import { LANGUAGES } from '~/utils/locales';

export const profileSchema = z.object({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(50, 'nameTooLong'),
  communityId: objectId.optional(),
  language: z.enum(LANGUAGES, { error: 'invalidChoice' }),
});
