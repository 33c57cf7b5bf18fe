import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { COMMENT_BODY_MAX, HIDE_REASON_MAX, REPORT_NOTE_MAX, REPORT_REASONS } from './comment-fields';

export { COMMENT_BODY_MAX, HIDE_REASON_MAX, REPORT_NOTE_MAX, REPORT_REASONS };

/**
 * The comment forms (add, reply, report, hide, unhide), checked by the comments route's action
 * only: the forms are on the proposal page, a public page that carries no zod (the action answers
 * a failure with a translated toast). Error messages are keys under "comments:validation.".
 */
const objectId = z.string({ error: 'invalidComment' }).regex(OBJECT_ID, 'invalidComment');

// Browsers send a textarea's line breaks as CRLF; one break counts as one character, as they show it.
const body = z
  .string({ error: 'bodyRequired' })
  .overwrite((text) => text.replace(/\r\n?/g, '\n'))
  .trim()
  .min(1, 'bodyRequired')
  .max(COMMENT_BODY_MAX, 'bodyTooLong');

export const addCommentSchema = z.object({ intent: z.literal('add'), body });

export const replySchema = z.object({ intent: z.literal('reply'), parentId: objectId, body });

export const reportSchema = z
  .object({
    intent: z.literal('report'),
    commentId: objectId,
    reason: z.enum(REPORT_REASONS, { error: 'reportReasonRequired' }),
    note: z.string().trim().max(REPORT_NOTE_MAX, 'reportNoteTooLong').optional().default(''),
  })
  .refine((value) => value.reason !== 'other' || value.note !== '', { path: ['note'], message: 'reportNoteRequired' });

export const hideSchema = z.object({
  intent: z.literal('hide'),
  commentId: objectId,
  reason: z.string({ error: 'reasonRequired' }).trim().min(1, 'reasonRequired').max(HIDE_REASON_MAX, 'reasonTooLong'),
});

export const unhideSchema = z.object({ intent: z.literal('unhide'), commentId: objectId });

export const commentActionSchema = z.discriminatedUnion(
  'intent',
  [addCommentSchema, replySchema, reportSchema, hideSchema, unhideSchema],
  { error: 'unknownAction' },
);
export type CommentAction = z.infer<typeof commentActionSchema>;
