import { z } from 'zod';
import { confirmedField } from '~/core/confirm.schema';
import { objectId } from '~/utils/object-id';
import { REMOVAL_REASON_MAX } from './team';

/** The team page's forms, one per intent; the server decides who may send which. */
export const inviteSchema = z.object({
  intent: z.literal('invite'),
  phone: z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'phoneInvalid'),
});

export const answerSchema = z.object({
  intent: z.enum(['accept', 'decline']),
  invitationId: objectId,
  round: z.coerce.number().int().min(1).max(1_000_000),
});

export const cancelSchema = z.object({ intent: z.literal('cancel'), invitationId: objectId });

export const leaveSchema = z.object({ intent: z.literal('leave'), confirm: confirmedField });

export const removeSchema = z.object({
  intent: z.literal('remove'),
  memberId: objectId,
  reason: z.string({ error: 'required' }).trim().min(1, 'required').max(REMOVAL_REASON_MAX, 'tooLong'),
  confirm: confirmedField,
});

export const mentorSchema = z.object({
  intent: z.literal('mentor'),
  mentorId: objectId,
  // The mentor the committee saw: a concurrency check only, never trusted for access.
  current: z.union([objectId, z.literal('')]).transform((v) => v || null),
});
