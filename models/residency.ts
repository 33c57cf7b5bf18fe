import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { AREA_KINDS, EVIDENCE_DOCUMENTS, NOTE_MAX, RESIDENCY_METHODS, RESIDENCY_SCOPES } from '~/features/voting/residency';

/**
 * A residency verification, which voting requires (docs/decisions/011-residency-scopes.md). It
 * belongs to a scope: one competition (given by that competition's committee, or by a code from
 * one of its batches), or an area, a street or a community, for a stated period of at most 12
 * months (given by a grid worker of that area). One current verification per (resident, scope):
 * the unique index on `scopeKey` makes a second one replace the first, never sit beside it.
 * A revoked verification stays, with who revoked it and why, until the scope's next verification
 * replaces it; the audit log keeps the history.
 */
const residencySchema = new Schema(
  {
    resident: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // "competition:<id>", "street:<id>" or "community:<id>".
    scopeKey: { type: String, required: true },
    scope: { type: String, enum: RESIDENCY_SCOPES, required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition' },
    areaKind: { type: String, enum: AREA_KINDS },
    areaId: { type: Schema.Types.ObjectId },
    // Area verifications only: from when until when (exclusive) they count.
    validFrom: { type: Date },
    validUntil: { type: Date },
    // Where the resident was found to live; a ballot cast with this verification is counted there.
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    community: { type: Schema.Types.ObjectId, ref: 'Community', required: true },
    method: { type: String, enum: RESIDENCY_METHODS, required: true },
    // The kind of document seen (never its number), or the batch of the code spent.
    evidence: {
      document: { type: String, enum: EVIDENCE_DOCUMENTS },
      codeBatch: { type: String },
    },
    // The verifier's short remark; forms refuse document numbers in it. Shown to its author only.
    note: { type: String, trim: true, maxlength: NOTE_MAX },
    // Absent for a code: the resident entered it themselves.
    verifiedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    verifiedAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    revokeReason: { type: String, maxlength: 300 },
  },
  { timestamps: true, strict: true },
);
// One current verification per (resident, scope); also a resident's verifications, for voting.
residencySchema.index({ resident: 1, scopeKey: 1 }, { unique: true });
// The district dashboard's residents per street: the current (not revoked) verifications of its streets.
residencySchema.index({ street: 1, revokedAt: 1 });

export type ResidencyDoc = InferSchemaType<typeof residencySchema>;
export const Residency = (mongoose.models.Residency as Model<ResidencyDoc>) ?? mongoose.model('Residency', residencySchema);
