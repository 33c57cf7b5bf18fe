import mongoose, { Types } from 'mongoose';
import { Comment, Follow, Proposal, User } from '#models';
import type { CommentView, CommentsSectionData, ReportReason } from './comment-fields';
import { PUBLIC_STATUSES, type ProposalStatus } from './proposals';
import { audit } from '~/core/audit.server';
import { notifyMany } from '~/core/notifications.server';
import { hasPermission, type Grant } from '~/core/permissions.server';
import type { CompetitionRules } from './competition-rules.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';

/**
 * Comments on proposals: one level of replies, authors' replies marked, reports, and hiding by
 * the competition's committee (kept and audited, never deleted).
 *
 * Proposal.commentCount counts the comments that are not hidden. It moves by $inc, and only
 * after the single-document update that made the change matched: +1 when a comment is
 * written, -1 when a hide matched a visible comment, +1 when an unhide matched a hidden one.
 * Two people hiding the same comment at once therefore count it down once.
 *
 * A reply to a comment that is hidden later stays visible; the public sees a bare "hidden
 * comment" stand-in above it (no author, no text), so the reply keeps its place.
 */

export type CommentFailure =
  /** The proposal does not exist, or the viewer may not see it. */
  | 'notFound'
  | 'notPublic'
  | 'closed'
  | 'commentNotFound'
  | 'parentInvalid'
  | 'ownComment'
  | 'forbidden'
  | 'alreadyHidden'
  | 'notHidden'
  | 'tooManyComments';
export type CommentResult<T = object> = ({ ok: true } & T) | { ok: false; reason: CommentFailure };

/** Twenty comments per person per ten minutes is plenty for a conversation and slows a flood. */
export const COMMENT_LIMIT: Limit = { max: 20, windowMs: 10 * 60 * 1000 };

interface Actor {
  id: string;
  roles: readonly Grant[];
}

function isPublic(status: string): boolean {
  return PUBLIC_STATUSES.includes(status as ProposalStatus);
}

/** Committee of this competition, or admin. */
export function canModerate(roles: readonly Grant[], rules: CompetitionRules): boolean {
  return hasPermission(roles, 'competition:manage', { competitionId: rules.id });
}

/** Why comments cannot be written on this proposal now, or null when they can. */
export function commentingClosedReason(rules: CompetitionRules, status: string): 'notPublic' | 'closed' | null {
  if (!isPublic(status)) return 'notPublic';
  if (rules.phase === 'closed') return 'closed';
  return null;
}

function findProposal(rules: CompetitionRules, number: number) {
  return Proposal.findOne({ competition: rules.id, number }).select('_id number status authors').lean();
}

function validId(id: string): Types.ObjectId | null {
  return Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null;
}

/**
 * Writes a comment, or a reply when `parentId` names a visible top-level comment of the same
 * proposal. Signed-in people only (the caller guarantees `userId`), on public proposals, until
 * the competition closes. Tells the proposal's authors, its followers and, for a reply, the
 * parent's author, in one insert.
 */
export async function addComment(input: {
  rules: CompetitionRules;
  number: number;
  userId: string;
  body: string;
  parentId?: string;
}): Promise<CommentResult<{ id: string }>> {
  const user = new Types.ObjectId(input.userId);
  const proposal = await findProposal(input.rules, input.number);
  const isAuthor = Boolean(proposal?.authors.some((a) => a.equals(user)));
  if (!proposal || (!isPublic(proposal.status) && !isAuthor)) return { ok: false, reason: 'notFound' };
  const closed = commentingClosedReason(input.rules, proposal.status);
  if (closed) return { ok: false, reason: closed };

  let parent: { _id: Types.ObjectId; author: Types.ObjectId } | null = null;
  if (input.parentId !== undefined) {
    const parentId = validId(input.parentId);
    parent = parentId ? await Comment.findOne({ _id: parentId, proposal: proposal._id, parent: null, hidden: null }).select('author').lean() : null;
    if (!parent) return { ok: false, reason: 'parentInvalid' };
  }
  const attempt = await consumeAttempt(`comment:${input.userId}`, COMMENT_LIMIT);
  if (!attempt.allowed) return { ok: false, reason: 'tooManyComments' };

  const comment = await Comment.create({
    proposal: proposal._id,
    author: user,
    parent: parent?._id,
    body: input.body,
    byProposer: isAuthor,
  });
  await Proposal.updateOne({ _id: proposal._id }, { $inc: { commentCount: 1 } });

  const followers = await Follow.find({ proposal: proposal._id }).select('user').lean();
  const base = {
    competitionSlug: input.rules.slug,
    proposalNumber: proposal.number,
    proposalId: String(proposal._id),
    actorId: input.userId,
    data: { commentId: String(comment._id) },
  };
  // Most specific first: someone who is both the parent's author and a follower is told once, about the reply.
  await notifyMany([
    { recipientIds: parent ? [String(parent.author)] : [], event: { ...base, type: 'commentReply' } },
    { recipientIds: proposal.authors.map(String), event: { ...base, type: 'newComment' } },
    { recipientIds: followers.map((f) => String(f.user)), event: { ...base, type: 'followedUpdate' } },
  ]);
  return { ok: true, id: String(comment._id) };
}

/**
 * Reports a visible comment on a public proposal, with the reporter's reason (and a note).
 * Each person counts once: the update only matches while they are not among the reporters, so
 * repeats (even simultaneous) change nothing, the first reason included.
 */
export async function reportComment(input: {
  rules: CompetitionRules;
  number: number;
  userId: string;
  commentId: string;
  reason: ReportReason;
  note?: string;
  now?: Date;
}): Promise<CommentResult<{ counted: boolean }>> {
  const user = new Types.ObjectId(input.userId);
  const commentId = validId(input.commentId);
  const proposal = await findProposal(input.rules, input.number);
  if (!proposal || !isPublic(proposal.status)) return { ok: false, reason: 'notFound' };
  if (!commentId) return { ok: false, reason: 'commentNotFound' };
  const visible = { _id: commentId, proposal: proposal._id, hidden: null };
  const result = await Comment.updateOne(
    { ...visible, author: mongoose.trusted({ $ne: user }), 'reports.by': mongoose.trusted({ $ne: user }) },
    { $push: { reports: { by: user, at: input.now ?? new Date(), reason: input.reason, note: input.note?.trim() || undefined } }, $inc: { reportCount: 1 } },
  );
  if (result.matchedCount === 1) return { ok: true, counted: true };
  const comment = await Comment.findOne(visible).select('author').lean();
  if (!comment) return { ok: false, reason: 'commentNotFound' };
  if (comment.author.equals(user)) return { ok: false, reason: 'ownComment' };
  return { ok: true, counted: false };
}

/** Hides a comment with a reason (committee of the competition or admin); kept, counted out, audited. */
export async function hideComment(input: {
  rules: CompetitionRules;
  number: number;
  actor: Actor;
  commentId: string;
  reason: string;
  ip?: string;
  now?: Date;
}): Promise<CommentResult> {
  if (!canModerate(input.actor.roles, input.rules)) return { ok: false, reason: 'forbidden' };
  const proposal = await findProposal(input.rules, input.number);
  if (!proposal) return { ok: false, reason: 'notFound' };
  const commentId = validId(input.commentId);
  if (!commentId) return { ok: false, reason: 'commentNotFound' };
  const hidden = { at: input.now ?? new Date(), by: new Types.ObjectId(input.actor.id), reason: input.reason };
  const result = await Comment.updateOne({ _id: commentId, proposal: proposal._id, hidden: null }, { $set: { hidden } });
  if (result.matchedCount === 0) {
    const exists = await Comment.exists({ _id: commentId, proposal: proposal._id });
    return { ok: false, reason: exists ? 'alreadyHidden' : 'commentNotFound' };
  }
  await Proposal.updateOne({ _id: proposal._id }, { $inc: { commentCount: -1 } });
  await audit({
    actor: input.actor.id,
    action: 'comment.hidden',
    targetType: 'comment',
    targetId: String(commentId),
    before: { hidden: null },
    after: { hidden: { reason: hidden.reason, by: input.actor.id, at: hidden.at.toISOString() } },
    reason: input.reason,
    ip: input.ip,
  });
  return { ok: true };
}

/** Shows a hidden comment again (committee of the competition or admin); audited with what the hiding was. */
export async function unhideComment(input: {
  rules: CompetitionRules;
  number: number;
  actor: Actor;
  commentId: string;
  ip?: string;
}): Promise<CommentResult> {
  if (!canModerate(input.actor.roles, input.rules)) return { ok: false, reason: 'forbidden' };
  const proposal = await findProposal(input.rules, input.number);
  if (!proposal) return { ok: false, reason: 'notFound' };
  const commentId = validId(input.commentId);
  const current = commentId ? await Comment.findOne({ _id: commentId, proposal: proposal._id }).select('hidden').lean() : null;
  if (!current) return { ok: false, reason: 'commentNotFound' };
  if (!current.hidden) return { ok: false, reason: 'notHidden' };
  // Matching on when it was hidden makes two simultaneous unhides count up once.
  const result = await Comment.updateOne({ _id: current._id, 'hidden.at': current.hidden.at }, { $unset: { hidden: 1 } });
  if (result.matchedCount === 0) return { ok: false, reason: 'notHidden' };
  await Proposal.updateOne({ _id: proposal._id }, { $inc: { commentCount: 1 } });
  await audit({
    actor: input.actor.id,
    action: 'comment.unhidden',
    targetType: 'comment',
    targetId: String(current._id),
    before: { hidden: { reason: current.hidden.reason, by: String(current.hidden.by), at: current.hidden.at.toISOString() } },
    after: { hidden: null },
    ip: input.ip,
  });
  return { ok: true };
}

const COMMENTS_SHOWN_MAX = 1000;

/** What the comments section needs of its proposal (the proposal page has just read it). */
export interface CommentedProposal {
  _id: Types.ObjectId;
  status: ProposalStatus;
  authors: Types.ObjectId[];
}

type ShownComment = {
  _id: Types.ObjectId;
  author: Types.ObjectId;
  parent?: Types.ObjectId | null;
  body: string;
  byProposer: boolean;
  hidden?: { reason: string; at: Date } | null;
  reportCount: number;
  createdAt: Date;
  reports?: { reason?: string | null; note?: string | null; at: Date }[];
  authorNames: string[];
};

/**
 * Everything the comments section of a proposal page needs, for this viewer; null when the
 * viewer may not see the proposal. Hidden comments reach committee members and admins only.
 * One aggregate on the proposal's comments (the { proposal, createdAt, _id } index): the shown
 * ones with their authors' names ($lookup), and which of them the viewer reported. The proposal
 * page passes the proposal it has read; without it, it is read first.
 */
export async function getCommentsSection(
  rules: CompetitionRules,
  number: number,
  viewer: Actor | null,
  found?: CommentedProposal | null,
): Promise<CommentsSectionData | null> {
  const proposal = found ?? (await findProposal(rules, number));
  if (!proposal) return null;
  const viewerId = viewer ? new Types.ObjectId(viewer.id) : null;
  const isAuthor = Boolean(viewerId && proposal.authors.some((a) => a.equals(viewerId)));
  if (!isPublic(proposal.status) && !isAuthor) return null;
  const moderator = Boolean(viewer && canModerate(viewer.roles, rules));

  const fields = Object.fromEntries(['author', 'parent', 'body', 'byProposer', 'hidden', 'reportCount', 'createdAt'].map((f) => [f, 1]));
  const [section] = await Comment.aggregate<{ docs: ShownComment[]; reported: { _id: Types.ObjectId }[] }>([
    { $match: { proposal: proposal._id } },
    {
      $facet: {
        docs: [
          { $sort: { createdAt: 1, _id: 1 } },
          { $limit: COMMENTS_SHOWN_MAX },
          { $lookup: { from: User.collection.name, localField: 'author', foreignField: '_id', as: 'authorUsers' } },
          {
            $project: {
              ...fields,
              // Moderators read the reports' reasons; who reported stays out of every page.
              // (Whole reports: the stand-in mangles a projection into an array's fields; only reason, note and at are read.)
              ...(moderator ? { reports: 1 } : {}),
              authorNames: { $map: { input: '$authorUsers', in: '$$this.name' } },
            },
          },
        ],
        reported: viewerId ? [{ $match: { 'reports.by': viewerId } }, { $project: { _id: 1 } }] : [{ $limit: 0 }],
      },
    },
  ]);
  const docs = section?.docs ?? [];
  const reportedIds = new Set((section?.reported ?? []).map((r) => String(r._id)));
  const names = new Map(docs.map((d) => [String(d._id), d.authorNames[0] ?? '']));

  const view = (doc: (typeof docs)[number]): CommentView => ({
    id: String(doc._id),
    authorName: names.get(String(doc._id)) ?? '',
    byProposer: doc.byProposer,
    body: doc.body,
    createdAt: doc.createdAt.toISOString(),
    mine: Boolean(viewerId && doc.author.equals(viewerId)),
    reportedByMe: reportedIds.has(String(doc._id)),
    reportCount: moderator ? doc.reportCount : null,
    reports: moderator
      ? (doc.reports ?? []).map((r) => ({ reason: (r.reason as ReportReason | undefined) ?? null, note: r.note ?? '', at: r.at.toISOString() }))
      : null,
    hidden: moderator && doc.hidden ? { reason: doc.hidden.reason, at: doc.hidden.at.toISOString() } : null,
    placeholder: false,
    replies: [],
  });
  const placeholder = (doc: (typeof docs)[number], replies: CommentView[]): CommentView => ({
    id: String(doc._id),
    authorName: '',
    byProposer: false,
    body: '',
    createdAt: doc.createdAt.toISOString(),
    mine: false,
    reportedByMe: false,
    reportCount: null,
    reports: null,
    hidden: null,
    placeholder: true,
    replies,
  });

  const shown = (doc: (typeof docs)[number]) => moderator || !doc.hidden;
  const replies = new Map<string, CommentView[]>();
  for (const doc of docs) {
    if (!doc.parent || !shown(doc)) continue;
    const list = replies.get(String(doc.parent)) ?? [];
    list.push(view(doc));
    replies.set(String(doc.parent), list);
  }
  const comments = docs.flatMap((doc) => {
    if (doc.parent) return [];
    const own = replies.get(String(doc._id)) ?? [];
    if (shown(doc)) return [{ ...view(doc), replies: own }];
    return own.length ? [placeholder(doc, own)] : [];
  });

  const closed = commentingClosedReason(rules, proposal.status);
  return {
    comments,
    count: docs.filter((d) => !d.hidden).length,
    signedIn: Boolean(viewer),
    cannotComment: closed ?? (viewer ? null : 'signIn'),
    canModerate: moderator,
  };
}
