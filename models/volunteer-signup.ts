import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { SIGNUP_STATUSES } from '~/features/volunteers/rules';

/**
 * One volunteer's place on one activity (unique {activity, volunteer}: nobody signs up twice).
 * A confirmed sign-up holds one of the activity's seats 0..slots-1 as `seatKey` =
 * "<activity id>:<seat>" under a unique sparse index, so however many sign up at once no seat is
 * held twice and the activity is never overbooked, without a transaction. A waiting or cancelled
 * sign-up holds none; the waitlist's order is `signedUpAt` (then _id).
 */
const signupSchema = new Schema(
  {
    activity: { type: Schema.Types.ObjectId, ref: 'VolunteerActivity', required: true },
    volunteer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: SIGNUP_STATUSES, required: true },
    seatKey: { type: String },
    signedUpAt: { type: Date, required: true },
    confirmedAt: { type: Date },
    cancelledAt: { type: Date },
    checkedInAt: { type: Date },
    checkedInBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, strict: true },
);
signupSchema.index({ activity: 1, volunteer: 1 }, { unique: true });
signupSchema.index({ seatKey: 1 }, { unique: true, sparse: true });
// An activity's confirmed list and its waitlist in order.
signupSchema.index({ activity: 1, status: 1, signedUpAt: 1, _id: 1 });
// A volunteer's own sign-ups, newest first.
signupSchema.index({ volunteer: 1, signedUpAt: -1 });

export type VolunteerSignupDoc = InferSchemaType<typeof signupSchema>;
export const VolunteerSignup =
  (mongoose.models.VolunteerSignup as Model<VolunteerSignupDoc>) ?? mongoose.model('VolunteerSignup', signupSchema);
