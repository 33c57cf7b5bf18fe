import { z } from 'zod';
import { normalizeIdentifier } from '~/features/accounts/auth.schema';
import { INCUBATION_STAGES, ORGANIZATION_MEMBER_ROLES, ORGANIZATION_TYPES } from './organizations';
import { CONTACT_NAME_MAX, ORGANIZATION_NAME_MAX } from './rules';

/**
 * The registry's forms, shared by the browser and the server. Messages are keys under
 * "organizations:error.".
 */
const OBJECT_ID = /^[0-9a-f]{24}$/i;
const MOBILE = /^1[3-9]\d{9}$/;

const objectId = (message: string) => z.string({ error: message }).trim().regex(OBJECT_ID, message);

export const organizationSchema = z
  .object({
    name: z.string({ error: 'nameRequired' }).trim().min(1, 'nameRequired').max(ORGANIZATION_NAME_MAX, 'nameTooLong'),
    type: z.enum(ORGANIZATION_TYPES, { error: 'typeRequired' }),
    street: objectId('streetRequired'),
    community: z.string().trim().regex(OBJECT_ID, 'communityInvalid').optional(),
    contactName: z.string({ error: 'contactNameRequired' }).trim().min(1, 'contactNameRequired').max(CONTACT_NAME_MAX, 'contactNameTooLong'),
    // A mainland mobile number; spaces, dashes and +86 are accepted and dropped.
    contactPhone: z
      .string({ error: 'contactPhoneInvalid' })
      .transform((value) => value.trim().replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, ''))
      .refine((value) => MOBILE.test(value), 'contactPhoneInvalid'),
  })
  .strip();
export type OrganizationInput = z.infer<typeof organizationSchema>;

/** A member is found by the exact phone number or e-mail address of their account: no partial search. */
export const addMemberSchema = z.object({
  identifier: z
    .string({ error: 'identifierInvalid' })
    .trim()
    .max(254, 'identifierInvalid')
    .transform((value, ctx) => {
      const found = normalizeIdentifier(value);
      if (!found) {
        ctx.addIssue({ code: 'custom', message: 'identifierInvalid' });
        return z.NEVER;
      }
      return found;
    }),
  role: z.enum(ORGANIZATION_MEMBER_ROLES, { error: 'roleInvalid' }),
});

export const removeMemberSchema = z.object({ user: objectId('memberNotFound') });

/** The registry's filters (a GET form): anything unknown reads as "all". */
export const filterSchema = z.object({
  type: z.enum(ORGANIZATION_TYPES).optional().catch(undefined),
  stage: z.enum(INCUBATION_STAGES).optional().catch(undefined),
  street: z.string().regex(OBJECT_ID).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
