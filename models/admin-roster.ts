import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * The guard of "the platform keeps at least one admin": one document listing the admins, so a
 * revocation is one conditional update on it (pull only while two or more are listed), not a
 * count followed by a write (decision 001). The admin grants themselves stay on the users; the
 * roster is filled from them the first time it is needed (features/accounts/users.server.ts).
 */
const adminRosterSchema = new Schema(
  {
    _id: { type: String, required: true },
    members: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
  },
  { timestamps: true, strict: true },
);

export const ADMIN_ROSTER_ID = 'platform';

export type AdminRosterDoc = InferSchemaType<typeof adminRosterSchema>;
export const AdminRoster =
  (mongoose.models.AdminRoster as Model<AdminRosterDoc>) ?? mongoose.model('AdminRoster', adminRosterSchema);
