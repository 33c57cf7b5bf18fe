import { z } from 'zod';

/** A MongoDB id as a form or URL sends it: 24 hexadecimal digits. */
export const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** A chosen id (a community, a grant…); the message is the i18n key under "validation.". */
export const objectId = z.string().regex(OBJECT_ID, 'invalidChoice');
