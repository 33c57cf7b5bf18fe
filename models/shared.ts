import { Schema } from 'mongoose';

/** Text in Chinese (required) and English (optional); see app/core/locales.ts pickText. */
export const localizedText = new Schema(
  {
    zh: { type: String, required: true, trim: true },
    en: { type: String, trim: true },
  },
  { _id: false },
);
