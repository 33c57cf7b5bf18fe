import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { COMMENT_BODY_MAX, HIDE_REASON_MAX, REPORT_NOTE_MAX, REPORT_REASONS } from '~/features/proposals/comment.schema';

const hiddenSchema = new Schema(
  {
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    reason: { type: String, required: true, trim: true, maxlength: HIDE_REASON_MAX },
  },
  { _id: false },
);

const reportSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    // Reports filed before reasons were asked have none; the moderators see "no reason given".
    reason: { type: String, enum: REPORT_REASONS },
    note: { type: String, trim: true, maxlength: REPORT_NOTE_MAX },
  },
  { _id: false },
);

/**
 * A comment on a proposal, or a reply to one (one level deep: `parent` is always a top-level
 * comment of the same proposal). Plain text, rendered as text. A hidden comment is kept with who
 * hid it and why; nothing deletes comments. `reports` holds each reporter once: the report is a
 * conditional update that only matches when the reporter is not in it yet.
 */
const commentSchema = new Schema(
  {
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true },
    author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    parent: { type: Schema.Types.ObjectId, ref: 'Comment' },
    body: { type: String, required: true, trim: true, minlength: 1, maxlength: COMMENT_BODY_MAX },
    // Set on the server when the commenter was one of the proposal's authors.
    byProposer: { type: Boolean, default: false },
    hidden: { type: hiddenSchema, default: undefined },
    reports: { type: [reportSchema], default: [], select: false },
    reportCount: { type: Number, default: 0, min: 0 },
  },
  { timestamps: true, strict: true },
);
commentSchema.index({ proposal: 1, createdAt: 1, _id: 1 });
commentSchema.index({ parent: 1 });

export type CommentDoc = InferSchemaType<typeof commentSchema>;
export const Comment = (mongoose.models.Comment as Model<CommentDoc>) ?? mongoose.model('Comment', commentSchema);
