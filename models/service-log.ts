import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { LOG_MINUTES_MAX, NOTES_MAX, PEOPLE_SERVED_MAX } from '~/features/volunteers/rules';

/**
 * A volunteer's service on one day of one activity, logged by its team (issue 17): one log per
 * volunteer, activity and day (unique), so a double click or two team members at once cannot
 * count an afternoon twice. The organiser and street are copied from the activity for the
 * totals per project, organization and street. `day` is the Shanghai day, yyyy-mm-dd.
 */
const serviceLogSchema = new Schema(
  {
    volunteer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    activity: { type: Schema.Types.ObjectId, ref: 'VolunteerActivity', required: true },
    project: { type: Schema.Types.ObjectId, ref: 'Project' },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    minutes: { type: Number, required: true, min: 1, max: LOG_MINUTES_MAX, validate: Number.isSafeInteger },
    peopleServed: { type: Number, required: true, min: 0, max: PEOPLE_SERVED_MAX, default: 0, validate: Number.isSafeInteger },
    notes: { type: String, trim: true, maxlength: NOTES_MAX, default: '' },
    loggedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true, strict: true },
);
serviceLogSchema.index({ activity: 1, volunteer: 1, day: 1 }, { unique: true });
// A volunteer's logs (newest first) and totals; an activity's logs on its manage page.
serviceLogSchema.index({ volunteer: 1, day: -1 });
serviceLogSchema.index({ activity: 1, day: -1 });
// The dashboard's totals by service year and street read this index alone (a covered scan).
serviceLogSchema.index({ day: 1, street: 1, volunteer: 1, minutes: 1 });

export type ServiceLogDoc = InferSchemaType<typeof serviceLogSchema>;
export const ServiceLog = (mongoose.models.ServiceLog as Model<ServiceLogDoc>) ?? mongoose.model('ServiceLog', serviceLogSchema);
