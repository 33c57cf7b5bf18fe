import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { CONFLICT_KINDS, SCORE_MAX, SCORE_MIN, SHEET_STATUSES } from '~/features/judging/rules';

const scoreSchema = new Schema(
  {
    criterion: { type: String, required: true },
    score: { type: Number, min: SCORE_MIN, max: SCORE_MAX },
    comment: { type: String, trim: true, maxlength: 1000 },
  },
  { _id: false },
);

/**
 * One judge's assignment to one proposal, and their score sheet for it: one document per
 * (competition, judge, proposal), so an assignment cannot be doubled and a judge has one sheet.
 * status: assigned (not started) → draft → submitted (locked; only the committee reopens);
 * recused (a declared or automatic conflict of interest) never counts.
 */
const judgingSheetSchema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    judge: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    proposal: { type: Schema.Types.ObjectId, ref: 'Proposal', required: true },
    status: { type: String, enum: SHEET_STATUSES, required: true, default: 'assigned' },
    scores: { type: [scoreSchema], default: [] },
    comment: { type: String, trim: true, maxlength: 3000, default: '' },
    assignedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    submittedAt: { type: Date },
    recusal: {
      kind: { type: String, enum: CONFLICT_KINDS },
      note: { type: String, trim: true, maxlength: 500 },
      at: { type: Date },
    },
    reopenings: {
      type: [
        {
          at: { type: Date, required: true },
          by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          reason: { type: String, required: true, maxlength: 500 },
        },
      ],
      default: [],
    },
  },
  { timestamps: true, strict: true },
);
judgingSheetSchema.index({ competition: 1, judge: 1, proposal: 1 }, { unique: true });
judgingSheetSchema.index({ competition: 1, proposal: 1 });
judgingSheetSchema.index({ competition: 1, status: 1 });

export type JudgingSheetDoc = InferSchemaType<typeof judgingSheetSchema>;
export const JudgingSheet =
  (mongoose.models.JudgingSheet as Model<JudgingSheetDoc>) ?? mongoose.model('JudgingSheet', judgingSheetSchema);
