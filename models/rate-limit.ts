import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/** A counter for one key ("login:account:…", "login:ip:…") within a time window. */
const rateLimitSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    count: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true },
    // Back-off counters (claimWithBackoff): no attempt before this time.
    lockedUntil: { type: Date },
  },
  { timestamps: false, strict: true },
);
rateLimitSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type RateLimitDoc = InferSchemaType<typeof rateLimitSchema>;
export const RateLimit =
  (mongoose.models.RateLimit as Model<RateLimitDoc>) ?? mongoose.model('RateLimit', rateLimitSchema);
