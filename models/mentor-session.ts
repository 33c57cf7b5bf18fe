import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A mentor's session with an incubated organization (docs/decisions/025-incubation.md): when,
 * how long, what about, and private notes. The whole record is for the organization's mentors,
 * its managers (committee) and admins only; no public page reads this collection.
 */
const mentorSessionSchema = new Schema(
  {
    organization: { type: Schema.Types.ObjectId, ref: 'Organization', required: true },
    mentor: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    date: { type: Date, required: true },
    // Whole minutes: hours are typed in half-hour steps and never summed as floats.
    minutes: { type: Number, required: true, min: 1, max: 24 * 60 },
    topics: { type: String, required: true, trim: true, maxlength: 300 },
    notes: { type: String, trim: true, maxlength: 3000, default: '' },
  },
  { timestamps: true, strict: true },
);
// One organization's sessions, newest first (the incubation page's paginated list).
mentorSessionSchema.index({ organization: 1, date: -1, _id: -1 });

export type MentorSessionDoc = InferSchemaType<typeof mentorSessionSchema>;
export const MentorSession = (mongoose.models.MentorSession as Model<MentorSessionDoc>) ?? mongoose.model('MentorSession', mentorSessionSchema);
