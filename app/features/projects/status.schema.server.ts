import { z } from 'zod';
import { statusChangeSchema } from './status.schema';

/**
 * The committee's status change from the form's text fields, or its field errors: for the public
 * project page's action, through this .server file so zod stays out of that page's browser build
 * (docs/decisions/015).
 */
export function parseStatusChange(formData: FormData) {
  const parsed = statusChangeSchema.safeParse(Object.fromEntries([...formData].filter(([, value]) => typeof value === 'string')));
  if (parsed.success) return { ok: true as const, value: parsed.data };
  return { ok: false as const, errors: z.flattenError(parsed.error).fieldErrors };
}
