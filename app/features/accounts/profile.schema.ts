import { z } from 'zod';
import { objectId } from '~/utils/object-id';
import { LANGUAGES } from '~/core/locales';

export const profileSchema = z.object({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(50, 'nameTooLong'),
  communityId: objectId.optional(),
  language: z.enum(LANGUAGES, { error: 'invalidChoice' }),
});
