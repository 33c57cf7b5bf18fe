import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { ROLES, SCOPE_TYPES } from '~/core/roles';
import { LANGUAGES } from '~/core/locales';

const roleGrantSchema = new Schema(
  {
    role: { type: String, enum: ROLES, required: true },
    scopeType: { type: String, enum: SCOPE_TYPES, required: true },
    // Absent for platform-wide grants.
    scopeId: { type: Schema.Types.ObjectId },
    grantedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    grantedAt: { type: Date, default: () => new Date() },
  },
  { _id: true },
);

/**
 * A person. Signs in with a phone number or an e-mail address (at least one; both unique),
 * or has no password at all when a grid worker registered them offline.
 */
const userSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 50 },
    email: { type: String, trim: true, lowercase: true, unique: true, sparse: true },
    phone: { type: String, trim: true, unique: true, sparse: true },
    // When the number / address was proven by a one-time code sent to it (issue 11, finding 2).
    // An unproven one can be taken over by whoever proves it, so nobody can squat a number.
    phoneProvenAt: { type: Date },
    emailProvenAt: { type: Date },
    passwordHash: { type: String, select: false },
    passwordChangedAt: { type: Date },
    street: { type: Schema.Types.ObjectId, ref: 'Street' },
    community: { type: Schema.Types.ObjectId, ref: 'Community' },
    language: { type: String, enum: LANGUAGES, default: 'zh' },
    roles: { type: [roleGrantSchema], default: [] },
    lastLoginAt: { type: Date },
    // Registered by a grid worker for a resident without a phone or without the app.
    assistedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    // A one-time code (sha256) with which such a resident sets a password and takes the account over.
    claim: {
      codeHash: { type: String },
      expiresAt: { type: Date },
    },
    // Residency verifications, which voting needs, are their own collection (models/residency.ts).
    // Optional second factor (app/core/totp.server.ts); secrets never leave the server.
    totp: {
      secret: { type: String, select: false },
      pendingSecret: { type: String, select: false },
      enabledAt: { type: Date },
      lastStep: { type: Number },
    },
    // Lower-cased name, phone and e-mail for the admin's search (no $text: see decision 001).
    searchText: { type: String, default: '' },
  },
  { timestamps: true, strict: true },
);
// Holders of a grant (judges of a competition, admins).
userSchema.index({ 'roles.role': 1, 'roles.scopeType': 1, 'roles.scopeId': 1 });
// The community workers of a street or community, told of a need to verify (app/features/needs).
userSchema.index({ 'roles.role': 1, 'roles.scopeId': 1 });
// Residents of a grid worker's street or community: for assistance (offline-registered first,
// then newest, _id making the paged order total) and for residency checks (by name).
userSchema.index({ street: 1, 'roles.role': 1, assistedBy: -1, createdAt: -1, _id: -1 });
userSchema.index({ community: 1, 'roles.role': 1, assistedBy: -1, createdAt: -1, _id: -1 });
userSchema.index({ street: 1, 'roles.role': 1, name: 1 });
userSchema.index({ community: 1, 'roles.role': 1, name: 1 });
// The residents search by name across areas (committee, verification): residents in name order.
userSchema.index({ 'roles.role': 1, name: 1 });
// Only accounts registered offline carry a claim code.
userSchema.index({ 'claim.codeHash': 1 }, { sparse: true });
// The admin's user list, newest first.
userSchema.index({ createdAt: -1, _id: -1 });

/** The admin's search text of an account (kept in step by save and by identifier updates). */
export function searchTextOf(user: { name: string; phone?: string | null; email?: string | null }): string {
  return [user.name, user.phone, user.email].filter(Boolean).join(' ').toLowerCase();
}

userSchema.pre('save', function () {
  this.searchText = searchTextOf(this);
});

export type UserDoc = InferSchemaType<typeof userSchema>;
export type RoleGrantDoc = InferSchemaType<typeof roleGrantSchema>;
export const User = (mongoose.models.User as Model<UserDoc>) ?? mongoose.model('User', userSchema);
