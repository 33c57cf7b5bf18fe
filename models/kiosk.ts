import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A shared tablet enrolled as a kiosk of a street (a 红哨子 E-station; decision 032). The device
 * keeps the raw token in an HttpOnly cookie; only its SHA-256 is stored, so a copy of the
 * database cannot impersonate a kiosk. Revoked kiosks stay, for the audit log and the
 * anomalies page.
 */
const kioskSchema = new Schema(
  {
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    name: { type: String, required: true, trim: true, maxlength: 60 },
    tokenHash: { type: String, required: true },
    enrolledBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    enrolledAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    lastUsedAt: { type: Date },
  },
  { timestamps: true, strict: true },
);
kioskSchema.index({ tokenHash: 1 }, { unique: true });
// The kiosks page: a street's kiosks (a grid worker's), or all, newest first.
kioskSchema.index({ street: 1, enrolledAt: -1 });
kioskSchema.index({ enrolledAt: -1 });

export type KioskDoc = InferSchemaType<typeof kioskSchema>;
export const Kiosk = (mongoose.models.Kiosk as Model<KioskDoc>) ?? mongoose.model('Kiosk', kioskSchema);
