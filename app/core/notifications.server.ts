import mongoose, { Types } from 'mongoose';
import { Follow, Notification, Proposal, User, type NotificationType } from '#models';

/**
 * The in-app notification centre: writing notifications (fan-out) and reading one's own.
 *
 * Fan-out is one `insertMany` however many people are told, with the recipients read in one
 * query beforehand, never one query per recipient. A notification stores ids and codes only
 * (`data` such as `{ status: 'eligible' }` or `{ commentId }`), never personal data; names and
 * titles are looked up when the list is shown.
 */

export type { NotificationType };

/** Small values a message uses: `status` (a proposal status), `commentId` (to link to it). */
export type NotificationData = Record<string, string | number>;

export interface NotificationEvent {
  type: NotificationType;
  /**
   * A notification links into a competition (its proposal page, or the competition), or, with
   * '' here, to a micro-wish (`data.wishNumber`) or a need (`data.needNumber`).
   */
  competitionSlug: string;
  proposalNumber?: number;
  proposalId?: string;
  /** Who caused it; they are never told about their own action. */
  actorId?: string | null;
  data?: NotificationData;
}

/** A batch for `notifyMany`: these recipients get this event. */
export interface NotificationBatch {
  recipientIds: readonly string[];
  event: NotificationEvent;
}

const DATA_KEYS_MAX = 8;
const DATA_TEXT_MAX = 200;

function cleanData(data: NotificationData | undefined): NotificationData {
  const entries = Object.entries(data ?? {})
    .filter(([, value]) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
    .slice(0, DATA_KEYS_MAX)
    .map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, DATA_TEXT_MAX) : value] as const);
  return Object.fromEntries(entries);
}

/**
 * Writes the batches in one `insertMany`. A person appears once: in the first batch that names
 * them (so list the most specific event first, e.g. "reply to your comment" before "new comment
 * on a proposal you follow"), unless `onceAcrossBatches: false` says the batches are separate
 * events (then once per batch). The actor of an event is never its recipient. Returns how many
 * notifications were written.
 */
export async function notifyMany(batches: readonly NotificationBatch[], options: { onceAcrossBatches?: boolean } = {}): Promise<number> {
  const once = options.onceAcrossBatches ?? true;
  let seen = new Set<string>();
  const rows = [];
  for (const { recipientIds, event } of batches) {
    // Independent events (one per project) each reach their own people.
    if (!once) seen = new Set<string>();
    const actor = event.actorId && Types.ObjectId.isValid(event.actorId) ? String(event.actorId) : null;
    const data = cleanData(event.data);
    for (const raw of recipientIds) {
      const recipient = String(raw);
      if (!Types.ObjectId.isValid(recipient) || recipient === actor || seen.has(recipient)) continue;
      seen.add(recipient);
      rows.push({
        recipient: new Types.ObjectId(recipient),
        type: event.type,
        proposal: event.proposalId ? new Types.ObjectId(event.proposalId) : undefined,
        competitionSlug: event.competitionSlug,
        proposalNumber: event.proposalNumber,
        actor: actor ? new Types.ObjectId(actor) : undefined,
        data,
      });
    }
  }
  if (rows.length === 0) return 0;
  await Notification.insertMany(rows);
  return rows.length;
}

/** Tells each of `recipientIds` (deduplicated, without the actor) about `event`, in one insert. */
export function notify(recipientIds: readonly string[], event: NotificationEvent): Promise<number> {
  return notifyMany([{ recipientIds, event }]);
}

/** An event about one proposal; the helpers below find its recipients. */
export type ProposalEvent = Omit<NotificationEvent, 'proposalId' | 'proposalNumber'> & { proposalNumber: number };

/**
 * Tells a proposal's authors, e.g. a screening result:
 * `notifyProposalAuthors(id, { type: 'screeningResult', competitionSlug, proposalNumber, actorId, data: { status } })`.
 * One query for the authors, one insert.
 */
export async function notifyProposalAuthors(proposalId: string, event: ProposalEvent): Promise<number> {
  if (!Types.ObjectId.isValid(proposalId)) return 0;
  const proposal = await Proposal.findById(proposalId).select('authors').lean();
  if (!proposal) return 0;
  return notify(proposal.authors.map(String), { ...event, proposalId });
}

/**
 * Tells a proposal's followers, e.g. a status change:
 * `notifyFollowers(id, { type: 'followedUpdate', competitionSlug, proposalNumber, data: { status } }, { except: authorIds })`.
 * `except` leaves out people told otherwise already. One query for the followers, one insert.
 */
export async function notifyFollowers(proposalId: string, event: ProposalEvent, options: { except?: readonly string[] } = {}): Promise<number> {
  if (!Types.ObjectId.isValid(proposalId)) return 0;
  const except = new Set((options.except ?? []).map(String));
  const follows = await Follow.find({ proposal: proposalId }).select('user').lean();
  return notify(
    follows.map((f) => String(f.user)).filter((id) => !except.has(id)),
    { ...event, proposalId },
  );
}

// --- Reading one's own ----------------------------------------------------------------------

const PAGE_SIZE = 20;

export async function unreadCount(userId: string): Promise<number> {
  if (!Types.ObjectId.isValid(userId)) return 0;
  return Notification.countDocuments({ recipient: userId, readAt: null });
}

/** Which message a notification shows (keys under "notifications:message."). */
export type MessageKey =
  | 'screeningResult'
  | 'screeningResultPlain'
  | 'newComment'
  | 'commentReply'
  | 'coAuthorInvitation'
  | 'followedComment'
  | 'followedStatus'
  | 'followedUpdate'
  | 'judgingReminder'
  | 'resultFunded'
  | 'resultNotFunded'
  | 'assistedBallotEntered'
  | 'reportApproved'
  | 'reportChangesRequested'
  | 'projectMilestone'
  | 'projectCompleted'
  | 'milestoneOverdue'
  | 'teamInvitation'
  | 'teamRemoved'
  | 'mentorAssigned'
  | 'needRaised'
  | 'needVerified'
  | 'needRejected'
  | 'needClaimed'
  | 'needDone'
  | 'needFulfilled'
  | 'needReopened'
  | 'needReleased'
  | 'needEscalated'
  | 'helperCertified'
  | 'helperRevoked'
  | 'wishClaimed'
  | 'wishReleased'
  | 'wishDelivered'
  | 'wishConfirmed'
  | 'wishWithdrawn'
  | 'wishOverdue'
  | 'wishOverdueWorker'
  | 'pledgeOffered'
  | 'pledgeWithdrawn'
  | 'volunteerPromoted'
  | 'volunteerActivityCancelled';

export interface NotificationItem {
  id: string;
  message: MessageKey;
  /** `data.status` as stored; the page shows it only when it is a known proposal status. */
  status: string | null;
  /** `data.serial`: the serial of an assisted ballot a grid worker entered for the reader. */
  serial: string | null;
  /** `data.projectNumber`: the project a team or mentor notification is about. */
  projectNumber: number | null;
  /** `data.needNumber`: the need a needs-whistle notification is about. */
  needNumber: number | null;
  /** `data.wishNumber`: the micro-wish a wish notification is about. */
  wishNumber: number | null;
  /** `data.pledgeNumber`: the pledge a resources notification is about. */
  pledgeNumber: number | null;
  /** `data.activityNumber`: the volunteer activity a volunteer notification is about. */
  activityNumber: number | null;
  actorName: string | null;
  proposalTitle: string | null;
  href: string;
  read: boolean;
  createdAt: string;
}

function messageKey(type: NotificationType, status: string | null, commentId: string | null, data: NotificationData = {}): MessageKey {
  switch (type) {
    case 'resultPublished':
      return data.funded ? 'resultFunded' : 'resultNotFunded';
    case 'screeningResult':
      return status ? 'screeningResult' : 'screeningResultPlain';
    case 'reportReviewed':
      return data.decision === 'approved' ? 'reportApproved' : 'reportChangesRequested';
    case 'followedUpdate':
      return commentId ? 'followedComment' : status ? 'followedStatus' : 'followedUpdate';
    case 'needVerified':
      return data.authentic === 0 ? 'needRejected' : 'needVerified';
    case 'helperCertified':
      return data.revoked ? 'helperRevoked' : 'helperCertified';
    default:
      return type;
  }
}

/** Where a project notification leads: the invitation on the team page, the mentor to the plan. */
const PROJECT_PAGES: Record<string, string> = { teamInvitation: '/team', teamRemoved: '', mentorAssigned: '/plan' };

/** Where a micro-wish notification leads: the worker to the wish's management page, the claimer to the wish. */
const WISH_PAGES: Record<string, string> = { wishClaimed: '/manage', wishReleased: '/manage', wishDelivered: '/manage', wishConfirmed: '', wishWithdrawn: '', wishOverdue: '', wishOverdueWorker: '/manage' };

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function hrefFor(doc: { type?: string; competitionSlug?: string | null; proposalNumber?: number | null; data?: unknown }): string {
  const wishNumber = (doc.data as NotificationData | undefined)?.wishNumber;
  if (doc.type && Object.hasOwn(WISH_PAGES, doc.type)) return positiveInteger(wishNumber) ? `/wishes/${wishNumber}${WISH_PAGES[doc.type]}` : '/wishes';
  const pledge = (doc.data as NotificationData | undefined)?.pledgeNumber;
  if ((doc.type === 'pledgeOffered' || doc.type === 'pledgeWithdrawn') && positiveInteger(pledge)) return `/resources/pledges/${pledge}`;
  const activity = (doc.data as NotificationData | undefined)?.activityNumber;
  if (positiveInteger(activity)) return `/volunteers/${activity}`;
  const need = (doc.data as NotificationData | undefined)?.needNumber;
  if (positiveInteger(need)) return `/needs/${need}`;
  if (doc.type === 'helperCertified') return '/needs/helpers/mine';
  const competition = `/competitions/${encodeURIComponent(doc.competitionSlug ?? '')}`;
  if (doc.type === 'judgingReminder') return `${competition}/judge`;
  if (doc.type === 'assistedBallotEntered') return `${competition}/vote/mine`;
  const data = (doc.data ?? {}) as NotificationData;
  if (typeof data.projectNumber === 'number' && Number.isSafeInteger(data.projectNumber) && data.projectNumber > 0) {
    const project = `${competition}/projects/${data.projectNumber}`;
    if (doc.type && Object.hasOwn(PROJECT_PAGES, doc.type)) return `${project}${PROJECT_PAGES[doc.type]}`;
    const milestone = typeof data.milestone === 'string' && Types.ObjectId.isValid(data.milestone) ? data.milestone : null;
    return doc.type === 'reportReviewed' && milestone ? `${project}/milestones/${milestone}` : project;
  }
  if (!doc.proposalNumber) return competition;
  const commentId = (doc.data as NotificationData | undefined)?.commentId;
  const anchor = typeof commentId === 'string' && Types.ObjectId.isValid(commentId) ? `#comment-${commentId}` : '';
  return `${competition}/proposals/${doc.proposalNumber}${anchor}`;
}

/** The user's notifications, newest first, a page at a time, with names and titles looked up once per page. */
export async function listNotifications(userId: string, page: number) {
  const filter = { recipient: new Types.ObjectId(userId) };
  const [docs, total, unread] = await Promise.all([
    Notification.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip((Math.max(1, page) - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .lean(),
    Notification.countDocuments(filter),
    unreadCount(userId),
  ]);
  const actorIds = [...new Set(docs.flatMap((d) => (d.actor ? [String(d.actor)] : [])))];
  const proposalIds = [...new Set(docs.flatMap((d) => (d.proposal ? [String(d.proposal)] : [])))];
  const [actors, proposals] = await Promise.all([
    actorIds.length ? User.find({ _id: mongoose.trusted({ $in: actorIds }) }).select('name').lean() : [],
    proposalIds.length ? Proposal.find({ _id: mongoose.trusted({ $in: proposalIds }) }).select('title').lean() : [],
  ]);
  const names = new Map(actors.map((a) => [String(a._id), a.name]));
  const titles = new Map(proposals.map((p) => [String(p._id), p.title]));
  const items: NotificationItem[] = docs.map((doc) => {
    const data = (doc.data ?? {}) as NotificationData;
    const status = typeof data.status === 'string' ? data.status : null;
    const commentId = typeof data.commentId === 'string' ? data.commentId : null;
    return {
      id: String(doc._id),
      message: messageKey(doc.type, status, commentId, data),
      status,
      serial: typeof data.serial === 'string' ? data.serial : null,
      projectNumber: typeof data.projectNumber === 'number' ? data.projectNumber : null,
      needNumber: typeof data.needNumber === 'number' ? data.needNumber : null,
      wishNumber: positiveInteger(data.wishNumber) ? data.wishNumber : null,
      pledgeNumber: positiveInteger(data.pledgeNumber) ? data.pledgeNumber : null,
      activityNumber: positiveInteger(data.activityNumber) ? data.activityNumber : null,
      actorName: doc.actor ? (names.get(String(doc.actor)) ?? null) : null,
      proposalTitle: doc.proposal ? (titles.get(String(doc.proposal)) ?? null) : null,
      href: hrefFor(doc),
      read: Boolean(doc.readAt),
      createdAt: doc.createdAt.toISOString(),
    };
  });
  return { items, total, unread, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Marks every unread notification of the user read; returns how many changed. */
export async function markAllRead(userId: string, now = new Date()): Promise<number> {
  const result = await Notification.updateMany({ recipient: new Types.ObjectId(userId), readAt: null }, { $set: { readAt: now } });
  return result.modifiedCount;
}

/**
 * Marks one of the user's notifications read (the recipient is part of the query, so someone
 * else's id finds nothing) and says where it leads; null when it is not theirs or does not exist.
 */
export async function markRead(userId: string, id: string, now = new Date()): Promise<{ href: string } | null> {
  if (!Types.ObjectId.isValid(id) || !Types.ObjectId.isValid(userId)) return null;
  const recipient = new Types.ObjectId(userId);
  const doc = await Notification.findOne({ _id: new Types.ObjectId(id), recipient }).select('type competitionSlug proposalNumber data readAt').lean();
  if (!doc) return null;
  if (!doc.readAt) await Notification.updateOne({ _id: doc._id, recipient, readAt: null }, { $set: { readAt: now } });
  return { href: hrefFor(doc) };
}
