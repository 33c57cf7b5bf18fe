import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

export const NOTIFICATION_TYPES = [
  'screeningResult',
  'newComment',
  'commentReply',
  'coAuthorInvitation',
  'followedUpdate',
  'judgingReminder',
  'resultPublished',
  'assistedBallotEntered',
  // Projects (issue 14): a report reviewed (to the team), a milestone approved or the project completed (to its audience).
  'reportReviewed',
  'projectMilestone',
  'projectCompleted',
  'milestoneOverdue',
  'teamInvitation',
  'teamRemoved',
  'mentorAssigned',
  // The needs whistle (issue 16): a need to verify, verified or not, claimed, reported done,
  // confirmed or reopened, escalated to the street's committee; a helper certified.
  'needRaised',
  'needVerified',
  'needClaimed',
  'needDone',
  'needFulfilled',
  'needReopened',
  'needReleased',
  'needEscalated',
  'helperCertified',
  // Micro-wishes (app/features/wishes): to the registering worker when one is claimed, released or
  // delivered; to the claimer when it is confirmed or withdrawn. `data.wishNumber` says which.
  'wishClaimed',
  'wishReleased',
  'wishDelivered',
  'wishConfirmed',
  'wishWithdrawn',
  'wishOverdue',
  'wishOverdueWorker',
  // Charity resources (app/features/resources): to a project's team when someone else records or
  // withdraws a pledge to it. `data.pledgeNumber` says which.
  'pledgeOffered',
  'pledgeWithdrawn',
  // Volunteers (app/features/volunteers): seated from the waitlist, or the activity cancelled.
  // `data.activityNumber` says which.
  'volunteerPromoted',
  'volunteerActivityCancelled',
] as const;

/**
 * One in-app notification for one person. The message is built when it is shown, from `type`
 * and `data` (a few values such as a status or a comment id), so it follows the reader's
 * language; names and titles are looked up then too, so they are never stale copies.
 */
const notificationSchema = new Schema(
  {
    recipient: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    type: { type: String, enum: NOTIFICATION_TYPES, required: true },
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal' },
    // '' for a notification that belongs to no competition (a micro-wish's, a need's).
    competitionSlug: { type: String, default: '' },
    proposalNumber: { type: Number, min: 1 },
    actor: { type: Schema.Types.ObjectId, ref: 'User' },
    data: { type: Schema.Types.Mixed, default: () => ({}) },
    readAt: { type: Date },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: true, minimize: false },
);
notificationSchema.index({ recipient: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ recipient: 1, readAt: 1 });

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
export const Notification =
  (mongoose.models.Notification as Model<NotificationDoc>) ?? mongoose.model('Notification', notificationSchema);
