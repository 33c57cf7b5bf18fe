import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/** Append-only record of a privileged action; the app never updates or deletes one. */
const auditLogSchema = new Schema(
  {
    actor: { type: Schema.Types.ObjectId, ref: 'User' },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    reason: { type: String },
    ip: { type: String },
    // The kiosk (shared tablet) the act was done on, if any (decision 032).
    kiosk: { type: Schema.Types.ObjectId, ref: 'Kiosk' },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: true },
);
// The admin's audit page: newest first (_id breaks ties), filtered by action, actor or target.
auditLogSchema.index({ createdAt: -1, _id: -1 });
auditLogSchema.index({ actor: 1, createdAt: -1, _id: -1 });
auditLogSchema.index({ action: 1, createdAt: -1, _id: -1 });
auditLogSchema.index({ targetId: 1, createdAt: -1, _id: -1 });

export type AuditLogDoc = InferSchemaType<typeof auditLogSchema>;
export const AuditLog = (mongoose.models.AuditLog as Model<AuditLogDoc>) ?? mongoose.model('AuditLog', auditLogSchema);
