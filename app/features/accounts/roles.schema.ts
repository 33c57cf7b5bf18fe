import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { objectId } from '~/utils/object-id';
import { ROLES, SCOPE_TYPES } from '~/core/roles';

/** The admin's grant form: the scope is one "<type>:<id>" choice, or "platform". */
export const grantRoleSchema = z.object({
  intent: z.literal('grant'),
  role: z.enum(ROLES, { error: 'invalidChoice' }),
  scope: z
    .string({ error: 'required' })
    .regex(new RegExp(`^(platform|(${SCOPE_TYPES.join('|')}):[0-9a-f]{24})$`), 'invalidChoice'),
});

export const revokeRoleSchema = z.object({
  intent: z.literal('revoke'),
  grantId: objectId,
  confirm: confirmedField,
});

export function parseScope(scope: string): { scopeType: (typeof SCOPE_TYPES)[number]; scopeId: string | null } {
  if (scope === 'platform') return { scopeType: 'platform', scopeId: null };
  const [type, id] = scope.split(':') as [(typeof SCOPE_TYPES)[number], string];
  return { scopeType: type, scopeId: id };
}
