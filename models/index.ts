import type { Model } from 'mongoose';
import { AuditLog } from './audit-log';
import { Ballot } from './ballot';
import { Comment } from './comment';
import { Community } from './community';
import { Competition } from './competition';
import { Follow } from './follow';
import { JudgingSheet } from './judging-sheet';
import { ResultSnapshot } from './result-snapshot';
import { Notification } from './notification';
import { Proposal } from './proposal';
import { ProposalVersion } from './proposal-version';
import { RateLimit } from './rate-limit';
import { Session } from './session';
import { Street } from './street';
import { User } from './user';
import { VerificationCode } from './verification-code';

export { AuditLog, Ballot, Comment, Community, Competition, Follow, JudgingSheet, Notification, Proposal, ProposalVersion, RateLimit, ResultSnapshot, Session, Street, User, VerificationCode };
export type { AuditLogDoc } from './audit-log';
export type { BallotDoc } from './ballot';
export type { CommentDoc } from './comment';
export type { CommunityDoc } from './community';
export type { CompetitionDoc } from './competition';
export type { FollowDoc } from './follow';
export type { JudgingSheetDoc } from './judging-sheet';
export type { ResultSnapshotDoc } from './result-snapshot';
export type { NotificationDoc, NotificationType } from './notification';
export type { ProposalDoc } from './proposal';
export type { ProposalVersionDoc } from './proposal-version';
export type { SessionDoc } from './session';
export type { StreetDoc } from './street';
export type { RoleGrantDoc, UserDoc } from './user';
export type { VerificationCodeDoc } from './verification-code';

/** Every model, so indexes can be built at start-up and collections emptied in tests. */
export const allModels = [AuditLog, Ballot, Comment, Community, Competition, Follow, JudgingSheet, Notification, Proposal, ProposalVersion, RateLimit, ResultSnapshot, Session, Street, User, VerificationCode] as unknown as Model<unknown>[];
