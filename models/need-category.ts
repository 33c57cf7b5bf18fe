import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';

/**
 * A service category of the needs whistle (app/features/needs/needs.ts has the district's 20,
 * seeded). Admins rename or retire one; a need keeps the code it was raised with, so retiring a
 * category never changes history.
 */
const needCategorySchema = new Schema(
  {
    code: { type: String, required: true, trim: true, maxlength: 40, match: /^[a-zA-Z][a-zA-Z0-9]*$/ },
    name: {
      zh: { type: String, required: true, trim: true, maxlength: 30 },
      en: { type: String, required: true, trim: true, maxlength: 60 },
    },
    order: { type: Number, required: true, min: 0 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, strict: true },
);
needCategorySchema.index({ code: 1 }, { unique: true });
needCategorySchema.index({ order: 1 });

export type NeedCategoryDoc = InferSchemaType<typeof needCategorySchema>;
export const NeedCategory = (mongoose.models.NeedCategory as Model<NeedCategoryDoc>) ?? mongoose.model('NeedCategory', needCategorySchema);
