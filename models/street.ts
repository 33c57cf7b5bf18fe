import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { localizedText } from './shared';

/** A street (街道) of Laoshan District. */
const streetSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, trim: true, lowercase: true },
    name: { type: localizedText, required: true },
    order: { type: Number, default: 0 },
  },
  { timestamps: true, strict: true },
);
streetSchema.index({ order: 1 });

export type StreetDoc = InferSchemaType<typeof streetSchema>;
export const Street = (mongoose.models.Street as Model<StreetDoc>) ?? mongoose.model('Street', streetSchema);
