import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { NEED_PRIVATE_MAX, NEED_SITUATION_MAX } from '~/features/needs/needs';

/**
 * The private half of a need: who the person in difficulty is and where they live. Kept in its
 * own collection, so no query of the board, a need's page or a list can carry it by accident;
 * app/features/needs/details.server.ts is the one reader, and it checks who asks (the
 * whistle-blower's chain, the street's committee, the helper while the claim lasts).
 */
const needDetailSchema = new Schema(
  {
    need: { type: Schema.Types.ObjectId, ref: 'Need', required: true },
    name: { type: String, required: true, trim: true, maxlength: NEED_PRIVATE_MAX },
    address: { type: String, trim: true, maxlength: NEED_PRIVATE_MAX, default: '' },
    phone: { type: String, trim: true, maxlength: 40, default: '' },
    situation: { type: String, trim: true, maxlength: NEED_SITUATION_MAX, default: '' },
  },
  { timestamps: true, strict: true },
);
needDetailSchema.index({ need: 1 }, { unique: true });

export type NeedDetailDoc = InferSchemaType<typeof needDetailSchema>;
export const NeedDetail = (mongoose.models.NeedDetail as Model<NeedDetailDoc>) ?? mongoose.model('NeedDetail', needDetailSchema);
