import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/** Why a one-time code was sent to a phone number or e-mail address. */
export const IDENTITY_CODE_PURPOSES = ['register', 'change', 'unlock', 'reset', 'kiosk'] as const;
export type IdentityCodePurpose = (typeof IDENTITY_CODE_PURPOSES)[number];

/**
 * The one-time code last sent to a phone number or e-mail address for one purpose (a newer code
 * replaces it: one document per (purpose, identifier), by a unique index). Only an HMAC of the
 * code is stored; it expires, allows a few wrong guesses, and is spent by a conditional update.
 */
const identityCodeSchema = new Schema(
  {
    purpose: { type: String, enum: IDENTITY_CODE_PURPOSES, required: true },
    // The normalised phone number or e-mail address.
    identifier: { type: String, required: true },
    kind: { type: String, enum: ['phone', 'email'], required: true },
    // The account asking (profile change, unlock); absent for registration.
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    codeHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    wrongGuesses: { type: Number, default: 0 },
    usedAt: { type: Date },
    sentFromIp: { type: String },
  },
  { timestamps: true, strict: true },
);
identityCodeSchema.index({ purpose: 1, identifier: 1 }, { unique: true });
identityCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 60 * 60 });

export type IdentityCodeDoc = InferSchemaType<typeof identityCodeSchema>;
export const IdentityCode =
  (mongoose.models.IdentityCode as Model<IdentityCodeDoc>) ?? mongoose.model('IdentityCode', identityCodeSchema);
