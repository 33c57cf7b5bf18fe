import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { ACTIVITY_DESCRIPTION_MAX, ACTIVITY_STATUSES, ACTIVITY_TITLE_MAX, CANCEL_REASON_MAX, PLACE_MAX, SLOTS_MAX, SLOTS_MIN, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';

/**
 * An activity that needs volunteers (issue 17), organised by a project (its team manages it) or a
 * filed or registered organization (its members do). The place is a community and a short text
 * at community level ("社区党群服务中心"), never a home address. `checkInSecret` is what the
 * check-in QR code carries: `select: false`, read only by the team's pages and the check-in.
 */
const activitySchema = new Schema(
  {
    number: { type: Number, required: true, min: 1, unique: true },
    project: { type: Schema.Types.ObjectId, ref: 'Project' },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    // The organiser's name when the activity was published (a project's title or an organization's name).
    organiserName: { type: String, required: true, trim: true, maxlength: 80 },
    title: { type: String, required: true, trim: true, maxlength: ACTIVITY_TITLE_MAX },
    description: { type: String, trim: true, maxlength: ACTIVITY_DESCRIPTION_MAX, default: '' },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    place: { type: String, required: true, trim: true, maxlength: PLACE_MAX },
    slots: { type: Number, required: true, min: SLOTS_MIN, max: SLOTS_MAX, validate: Number.isSafeInteger },
    skills: { type: [{ type: String, enum: VOLUNTEER_SKILLS }], default: [] },
    status: { type: String, enum: ACTIVITY_STATUSES, required: true, default: 'published' },
    checkInSecret: { type: String, required: true, select: false },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    cancelledAt: { type: Date },
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User' },
    cancelReason: { type: String, trim: true, maxlength: CANCEL_REASON_MAX },
  },
  { timestamps: true, strict: true },
);
// The public list: published activities, upcoming first (by end, so one under way still shows), by street.
activitySchema.index({ status: 1, endsAt: 1, _id: 1 });
activitySchema.index({ status: 1, street: 1, endsAt: 1, _id: 1 });
activitySchema.index({ status: 1, skills: 1, endsAt: 1, _id: 1 });
// A team's activities, newest first.
activitySchema.index({ project: 1, startsAt: -1 });
activitySchema.index({ organization: 1, startsAt: -1 });

export type VolunteerActivityDoc = InferSchemaType<typeof activitySchema>;
export const VolunteerActivity =
  (mongoose.models.VolunteerActivity as Model<VolunteerActivityDoc>) ?? mongoose.model('VolunteerActivity', activitySchema);
