import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

export const TEAM_INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'cancelled'] as const;

/**
 * An invitation to join a project's team (app/features/projects/team.server.ts;
 * docs/decisions/023-project-team.md). The invitee is named only by a keyed hash of the phone
 * number the inviter typed, never the number itself: the invitation is matched when the
 * resident who proved that number opens their invitations, and nobody reading the collection
 * (or the page that lists a project's invitations) learns the number or whether it has an account.
 *
 * One document per (project, phone): parallel invitations of one number cannot duplicate; inviting
 * the number again after a decline, an expiry or a cancellation reopens the same document with
 * the next `round`, so an answer given to an earlier round never counts for the new one.
 */
const teamInvitationSchema = new Schema(
  {
    project: { type: Schema.Types.ObjectId, ref: 'Project', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    phoneHash: { type: String, required: true },
    invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // Sent by the committee: the only invitation a member the committee removed may accept.
    byCommittee: { type: Boolean, default: false },
    status: { type: String, enum: TEAM_INVITATION_STATUSES, required: true, default: 'pending' },
    round: { type: Number, required: true, min: 1, default: 1 },
    sentAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    answeredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    answeredAt: { type: Date },
  },
  { timestamps: true, strict: true },
);
teamInvitationSchema.index({ project: 1, phoneHash: 1 }, { unique: true });
// A resident's open invitations, and a project's (the cap and the team page).
teamInvitationSchema.index({ phoneHash: 1, status: 1, expiresAt: 1 });
teamInvitationSchema.index({ project: 1, status: 1, expiresAt: 1 });

export type TeamInvitationDoc = InferSchemaType<typeof teamInvitationSchema>;
export const TeamInvitation =
  (mongoose.models.TeamInvitation as Model<TeamInvitationDoc>) ?? mongoose.model('TeamInvitation', teamInvitationSchema);
