import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { CLOSING_STATUSES, CLOSING_TEXT_MAX, EVALUATION_CRITERIA } from '~/features/projects/closing';

const evaluationSchema = new Schema(
  Object.fromEntries(
    EVALUATION_CRITERIA.map((c) => [
      c,
      new Schema({ score: { type: Number, required: true, min: 1, max: 5 }, comment: { type: String, trim: true, default: '', maxlength: CLOSING_TEXT_MAX } }, { _id: false }),
    ]),
  ),
  { _id: false },
);

/**
 * A project's close (docs/decisions/024): the team's final report (outcomes against the plan,
 * how the service carries on, lessons), then the committee's evaluation on a short rubric
 * (delivery, reach, spending, sustainability, each 1-5 with a comment) and its closing decision.
 * One document per project (unique index); every act one conditional update naming the status
 * and revision it read.
 */
const projectClosingSchema = new Schema(
  {
    project: { type: Schema.Types.ObjectId, ref: 'Project', required: true, unique: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    status: { type: String, enum: CLOSING_STATUSES, required: true, default: 'draft' },
    revision: { type: Number, required: true, default: 0 },
    outcomes: { type: String, trim: true, default: '', maxlength: CLOSING_TEXT_MAX },
    againstPlan: { type: String, trim: true, default: '', maxlength: CLOSING_TEXT_MAX },
    sustainability: { type: String, trim: true, default: '', maxlength: CLOSING_TEXT_MAX },
    lessons: { type: String, trim: true, default: '', maxlength: CLOSING_TEXT_MAX },
    submittedAt: { type: Date },
    evaluation: { type: evaluationSchema },
    returnComment: { type: String, trim: true, maxlength: CLOSING_TEXT_MAX },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    decidedAt: { type: Date },
  },
  { timestamps: true, strict: true },
);

export type ProjectClosingDoc = InferSchemaType<typeof projectClosingSchema>;
export const ProjectClosing = (mongoose.models.ProjectClosing as Model<ProjectClosingDoc>) ?? mongoose.model('ProjectClosing', projectClosingSchema);
