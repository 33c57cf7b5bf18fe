import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';

/**
 * The comment forms (add, reply, report, hide, unhide), shared by the browser and the action.
 * Error messages are keys under "comments:validation.".
 */
export const COMMENT_BODY_MAX = 2000;
export const HIDE_REASON_MAX = 500;
export const REPORT_NOTE_MAX = 300;
/** Why a comment is reported: the reporter chooses one; "other" wants a note. */
export const REPORT_REASONS = ['spam', 'abuse', 'personalInfo', 'offTopic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

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

/** A report as moderators see it: why, never who. */
export interface ReportView {
  /** null for reports filed before a reason was asked. */
  reason: ReportReason | null;
  note: string;
  at: string;
}

/** A comment as the page shows it. `hidden`, `reportCount` and `reports` reach committee members only. */
export interface CommentView {
  id: string;
  authorName: string;
  byProposer: boolean;
  body: string;
  createdAt: string;
  mine: boolean;
  reportedByMe: boolean;
  reportCount: number | null;
  reports: ReportView[] | null;
  hidden: { reason: string; at: string } | null;
  /** A hidden comment shown to the public only as a stand-in, so its visible replies keep their place. */
  placeholder: boolean;
  replies: CommentView[];
}

export interface CommentsSectionData {
  comments: CommentView[];
  /** Visible (not hidden) comments, the number the proposal card shows. */
  count: number;
  signedIn: boolean;
  /** Why the viewer cannot comment, or null when they can. */
  cannotComment: 'signIn' | 'notPublic' | 'closed' | null;
  canModerate: boolean;
}
