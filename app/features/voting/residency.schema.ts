import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { OBJECT_ID } from '~/utils/object-id';
import { EVIDENCE_DOCUMENTS, IN_PERSON_METHODS, looksLikeDocumentNumber, NOTE_MAX, type AreaKind } from './residency';

/**
 * The residents verification forms (app/routes/assist_.verify). Messages are keys under
 * "voting:verifyResidents.errors.". The period and who may verify are checked by the service.
 */

/** What a verification is for, as a form or URL names it: "competition:<slug>", "street:<id>", "community:<id>". */
export type ScopeRef = { kind: 'competition'; slug: string } | { kind: AreaKind; id: string };

const SCOPE_PATTERN = /^(?:competition:[a-z0-9]+(?:-[a-z0-9]+)*|(?:street|community):[0-9a-f]{24})$/;

export function parseScopeRef(value: string | null | undefined): ScopeRef | null {
  if (!value || value.length > 90 || !SCOPE_PATTERN.test(value)) return null;
  const [kind, rest] = value.split(':') as [string, string];
  return kind === 'competition' ? { kind, slug: rest } : { kind: kind as AreaKind, id: rest };
}

export function scopeRefValue(ref: ScopeRef): string {
  return ref.kind === 'competition' ? `competition:${ref.slug}` : `${ref.kind}:${ref.id}`;
}

const objectId = z.string({ error: 'invalidChoice' }).regex(OBJECT_ID, 'invalidChoice');
const scope = z.string({ error: 'invalidChoice' }).regex(SCOPE_PATTERN, 'invalidChoice').transform((value) => parseScopeRef(value)!);
/** Free text that must not carry a document number. */
const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'tooLong')
    .refine((text) => !looksLikeDocumentNumber(text), 'noteHasNumber');

export const verifyResidentSchema = z
  .object({
    intent: z.literal('verify', { error: 'invalidChoice' }),
    residentId: objectId,
    scope,
    method: z.enum(IN_PERSON_METHODS, { error: 'invalidChoice' }),
    document: z.enum(EVIDENCE_DOCUMENTS, { error: 'invalidChoice' }).optional(),
    // Area verifications: the last day (Shanghai) they count.
    until: z
      .string({ error: 'dateInvalid' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid')
      .optional(),
    note: freeText(NOTE_MAX).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.scope.kind !== 'competition' && !value.until) ctx.addIssue({ code: 'custom', path: ['until'], message: 'untilRequired' });
  });

export const revokeVerificationSchema = z.object({
  intent: z.literal('revoke', { error: 'invalidChoice' }),
  verificationId: objectId,
  reason: z.string({ error: 'reasonRequired' }).trim().min(5, 'reasonRequired').pipe(freeText(300)),
  confirm: confirmedField,
});
