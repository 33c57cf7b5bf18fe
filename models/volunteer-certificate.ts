import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A certificate of service hours as issued (issue 17): the totals at that moment, kept, so the
 * public verification page shows what the paper says even after more hours are logged. The
 * code is random (16 characters of 32, 80 bits) and unique; `nameInitial` is the one character
 * of the name the public page shows.
 */
const certificateSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    volunteer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true, trim: true, maxlength: 50 },
    nameInitial: { type: String, required: true, maxlength: 4 },
    minutes: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    personTimes: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    activities: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    firstDay: { type: String, required: true },
    lastDay: { type: String, required: true },
    issuedAt: { type: Date, required: true },
  },
  { timestamps: true, strict: true },
);
// A volunteer's certificates, newest first.
certificateSchema.index({ volunteer: 1, issuedAt: -1 });

export type VolunteerCertificateDoc = InferSchemaType<typeof certificateSchema>;
export const VolunteerCertificate =
  (mongoose.models.VolunteerCertificate as Model<VolunteerCertificateDoc>) ?? mongoose.model('VolunteerCertificate', certificateSchema);
