/**
 * What the comment forms and the comments of a proposal page need besides the schemas (limits,
 * report reasons, the shapes the page shows). Apart from comment.schema.ts so that the proposal
 * page, a public one, shows its comments without bringing zod to the browser.
 */
export const COMMENT_BODY_MAX = 2000;
export const HIDE_REASON_MAX = 500;
export const REPORT_NOTE_MAX = 300;
/** Why a comment is reported: the reporter chooses one; "other" wants a note. */
export const REPORT_REASONS = ['spam', 'abuse', 'personalInfo', 'offTopic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

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
