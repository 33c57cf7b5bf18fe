import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A signed-in session. The cookie carries only this document's random id, so a session can be
 * revoked on the server (logout, password change) and every app instance sees the same ones.
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    data: { type: Schema.Types.Mixed, default: {} },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, strict: true, minimize: false },
);
sessionSchema.index({ user: 1 });
// A revoked kiosk's sessions end with it (decision 032).
sessionSchema.index({ 'data.kiosk': 1 }, { sparse: true });
// A real MongoDB purges expired sessions; the app also refuses them itself (the stand-in has no TTL).
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SessionDoc = InferSchemaType<typeof sessionSchema>;
export const Session = (mongoose.models.Session as Model<SessionDoc>) ?? mongoose.model('Session', sessionSchema);
