import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { RATING_COMMENT_MAX } from '~/features/projects/rules';

/**
 * A resident's rating of a completed project (issue 14, "close the loop"): 1-5 stars and an
 * optional comment, once per resident and project. The unique index is the "once": parallel
 * submissions of one resident insert one document and the rest get a duplicate-key error.
 * Who rated is kept for that rule only; pages show the average, the count and comments without
 * names.
 */
const projectRatingSchema = new Schema(
  {
    project: { type: Schema.Types.ObjectId, ref: 'Project', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    rater: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    stars: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String, trim: true, maxlength: RATING_COMMENT_MAX, default: '' },
    // Why this resident may rate: they voted in the competition, or live in the project's street.
    basis: { type: String, enum: ['voted', 'street'], required: true },
  },
  { timestamps: true, strict: true },
);
projectRatingSchema.index({ project: 1, rater: 1 }, { unique: true });
projectRatingSchema.index({ project: 1, createdAt: -1 });
// The district dashboard and the annual report: the ratings of some competitions' projects.
projectRatingSchema.index({ competition: 1, project: 1 });

export type ProjectRatingDoc = InferSchemaType<typeof projectRatingSchema>;
export const ProjectRating = (mongoose.models.ProjectRating as Model<ProjectRatingDoc>) ?? mongoose.model('ProjectRating', projectRatingSchema);
