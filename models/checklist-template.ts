import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { CHECKLIST_STAGES } from '~/features/organizations/organizations';

const itemSchema = new Schema(
  {
    // Stable across edits: an organization's confirmations name the item by it.
    key: { type: String, required: true, maxlength: 40 },
    label: {
      zh: { type: String, required: true, trim: true, maxlength: 120 },
      en: { type: String, trim: true, maxlength: 160, default: '' },
    },
  },
  { _id: false },
);

/**
 * What it takes to enter one incubation stage in one year (docs/decisions/025-incubation.md):
 * the committee edits the list per year. An edit is one update conditional on the revision the
 * editor saw; items keep their keys, so confirmations already made stay attached.
 */
const checklistTemplateSchema = new Schema(
  {
    year: { type: Number, required: true, min: 2000, max: 2100 },
    stage: { type: String, enum: CHECKLIST_STAGES, required: true },
    items: { type: [itemSchema], default: [] },
    revision: { type: Number, required: true, default: 0, min: 0 },
    updatedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, strict: true },
);
// One list per stage and year; also serves "the latest list of this stage up to a year".
checklistTemplateSchema.index({ stage: 1, year: 1 }, { unique: true });

export type ChecklistTemplateDoc = InferSchemaType<typeof checklistTemplateSchema>;
export const ChecklistTemplate =
  (mongoose.models.ChecklistTemplate as Model<ChecklistTemplateDoc>) ?? mongoose.model('ChecklistTemplate', checklistTemplateSchema);
