import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { localizedText } from './shared';

/** A community (社区) under a street, split into grids each with a grid worker. */
const communitySchema = new Schema(
  {
    street: { type: Schema.Types.ObjectId, ref: 'Street', required: true },
    code: { type: String, required: true, unique: true, trim: true, lowercase: true },
    name: { type: localizedText, required: true },
    grids: { type: Number, min: 1, max: 10, default: 2 },
  },
  { timestamps: true, strict: true },
);
communitySchema.index({ street: 1, code: 1 });

export type CommunityDoc = InferSchemaType<typeof communitySchema>;
export const Community =
  (mongoose.models.Community as Model<CommunityDoc>) ?? mongoose.model('Community', communitySchema);
