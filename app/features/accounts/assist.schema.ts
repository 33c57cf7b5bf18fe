import { z } from 'zod';
import { objectId } from '~/utils/object-id';
import { newPassword, normalizeIdentifier } from './auth.schema';

/** A grid worker registers a resident who has no phone or does not use the site. */
export const offlineResidentSchema = z.object({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(50, 'nameTooLong'),
  communityId: objectId,
  phone: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || normalizeIdentifier(value)?.kind === 'phone', 'phoneInvalid'),
});

/**
 * The consent a grid worker records when acting for a resident (an assisted proposal or
 * ballot): the fields, and the rule between them, so other forms can add fields of their own.
 */
export const consentFields = {
  consentMethod: z.enum(['signedForm', 'verbalWitnessed'], { error: 'invalidChoice' }),
  consentOn: z.string({ error: 'required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid'),
  consentWitness: z.string().trim().max(50, 'tooLong').optional().default(''),
};

/** Verbal consent counts only with a named witness. */
export function refineConsent(value: { consentMethod: string; consentWitness: string }, ctx: z.RefinementCtx): void {
  if (value.consentMethod === 'verbalWitnessed' && !value.consentWitness) {
    ctx.addIssue({ code: 'custom', path: ['consentWitness'], message: 'witnessRequired' });
  }
}

/** The consent recorded with an assisted submission. */
export const consentSchema = z.object(consentFields).superRefine(refineConsent);

/** The resident takes over the account with the worker's one-time code. */
export const claimSchema = z
  .object({
    code: z.string({ error: 'required' }).trim().min(1, 'required').max(20, 'claimCodeInvalid'),
    identifier: z.string().trim().max(254).optional().default(''),
    password: newPassword,
    confirmPassword: z.string({ error: 'required' }),
  })
  .refine((value) => value.password === value.confirmPassword, { message: 'passwordsDiffer', path: ['confirmPassword'] })
  .refine((value) => !value.identifier || normalizeIdentifier(value.identifier) !== null, {
    message: 'identifierInvalid',
    path: ['identifier'],
  });
