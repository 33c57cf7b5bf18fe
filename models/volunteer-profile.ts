import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { AVAILABILITY, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';

/**
 * A resident's volunteer profile (issue 17), one per account (unique `user`): what they can do,
 * when, and in which community. Contact details stay on the account; `contactConsent` says
 * whether an activity's team may see the account's phone for the activities they signed up to.
 */
const volunteerProfileSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true, unique: true },
    skills: { type: [{ type: String, enum: VOLUNTEER_SKILLS }], default: [] },
    availability: { type: [{ type: String, enum: AVAILABILITY }], default: [] },
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    contactConsent: { type: Boolean, default: false },
  },
  { timestamps: true, strict: true },
);

export type VolunteerProfileDoc = InferSchemaType<typeof volunteerProfileSchema>;
export const VolunteerProfile =
  (mongoose.models.VolunteerProfile as Model<VolunteerProfileDoc>) ?? mongoose.model('VolunteerProfile', volunteerProfileSchema);
