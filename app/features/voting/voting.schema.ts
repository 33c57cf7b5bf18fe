import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { OBJECT_ID } from '~/utils/object-id';
import { parseYuanToFen } from '~/utils/format';
import { consentFields, refineConsent } from '~/features/accounts/assist.schema';
import { VOTING_METHODS, VOTING_SCOPES } from './rules';

/** Voting forms, shared by the pages and their actions. Messages are keys under "validation.". */
const objectId = z.string({ error: 'invalidChoice' }).regex(OBJECT_ID, 'invalidChoice');
const checkbox = z.preprocess((value) => value === 'on' || value === 'true', z.boolean());

export const votingRulesFormSchema = z
  .object({
    method: z.enum(VOTING_METHODS, { error: 'invalidChoice' }),
    maxChoices: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid').max(100, 'tooMany'),
    // Yuan as typed; stored as integer fen.
    ballotBudget: z.string().trim().optional().default(''),
    scope: z.enum(VOTING_SCOPES, { error: 'invalidChoice' }),
    publicTotals: checkbox,
    residentWeight: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(0, 'numberInvalid').max(100, 'tooMany'),
    judgesMayVote: checkbox,
  })
  .transform((value, ctx) => {
    const ballotBudgetFen = value.ballotBudget ? parseYuanToFen(value.ballotBudget) : 0;
    if (ballotBudgetFen === null || (value.method === 'budget' && ballotBudgetFen <= 0)) {
      ctx.addIssue({ code: 'custom', path: ['ballotBudget'], message: 'moneyInvalid' });
      return z.NEVER;
    }
    const { ballotBudget: _typed, ...rest } = value;
    return { ...rest, ballotBudgetFen };
  });

/** The choices of a ballot: proposal numbers, from repeated `choice` fields. */
export function choicesFrom(form: FormData): number[] | null {
  const raw = form.getAll('choice').map(String);
  if (raw.length > 200 || raw.some((value) => !/^\d{1,6}$/.test(value))) return null;
  return raw.map(Number);
}

/**
 * What the ballot form asks: `review` shows the choices to confirm and writes nothing; `cast`
 * (the review's confirm button, and any client posting the choices alone) casts them.
 */
export const ballotIntentSchema = z.enum(['review', 'cast']).optional().default('cast');

/** Proposal numbers carried in the ballot page's address (`?choice=3&choice=7`): ticks to start from. */
export function choicesFromSearch(url: URL): number[] {
  const raw = url.searchParams.getAll('choice');
  return raw.length <= 200 && raw.every((value) => /^\d{1,6}$/.test(value)) ? [...new Set(raw.map(Number))] : [];
}

/** A file input with a file chosen (an empty input sends a nameless, empty file or nothing). */
function chosenFile(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'size' in value && typeof value.size === 'number' && value.size > 0;
}

// Entering a ballot for someone cannot be undone by the worker: the form asks first, with or without JavaScript.
const confirmed = z.literal('on', { error: 'confirmEntry' });

/**
 * A ballot a grid worker enters: a paper ballot with the serial printed on it, or an assisted
 * ballot with the resident's consent, recorded as for an assisted proposal (consentFields), where
 * a signed form needs its photo. The server gives an assisted ballot its serial. Messages are keys
 * under "voting:validation." or, failing that, "validation." (PaperBallotForm).
 */
export const paperBallotSchema = z.discriminatedUnion(
  'channel',
  [
    z.object({
      residentId: objectId,
      channel: z.literal('paper'),
      serial: z.string({ error: 'serialRequired' }).trim().min(1, 'serialRequired').max(40, 'tooLong'),
      confirmed,
    }),
    z
      .object({
        residentId: objectId,
        channel: z.literal('assisted'),
        ...consentFields,
        consentForm: z.unknown().optional(),
        confirmed,
      })
      .superRefine((value, ctx) => {
        refineConsent(value, ctx);
        if (value.consentMethod === 'signedForm' && !chosenFile(value.consentForm)) {
          ctx.addIssue({ code: 'custom', path: ['consentForm'], message: 'consentFormRequired' });
        }
      }),
  ],
  { error: 'invalidChoice' },
);
export type PaperBallotForm = z.infer<typeof paperBallotSchema>;

export const codeBatchSchema = z.object({
  communityId: objectId,
  count: z.coerce.number({ error: 'numberInvalid' }).int('numberInvalid').min(1, 'numberInvalid').max(500, 'tooMany'),
  expiresOn: z.string({ error: 'dateInvalid' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'dateInvalid'),
  format: z.enum(['sheet', 'csv']).default('sheet'),
});

export const redeemSchema = z.object({
  code: z.string({ error: 'required' }).trim().min(1, 'required').max(20, 'tooLong'),
});

export const voidSchema = z.object({
  ballot: z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'tooLong'),
  reason: z.string({ error: 'reasonRequired' }).trim().min(5, 'reasonRequired').max(500, 'tooLong'),
  confirm: confirmedField,
});
