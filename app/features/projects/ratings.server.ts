import mongoose, { Types } from 'mongoose';
import { Ballot, Project, ProjectRating, Residency } from '#models';
import { isDuplicateKeyError } from '~/core/db.server';
import { hasRole, type Grant } from '~/core/permissions.server';
import { RATING_COMMENTS_SHOWN } from './rules';

/**
 * Residents rate a completed project (issue 14, "close the loop"): those who voted in its
 * competition (a ballot, not voided) or live in its street (a verification there, not revoked,
 * current), once each. The unique index (project, rater) is the "once"; eligibility is read in
 * one round trip of two parallel queries before the insert. Pages show the average, the count
 * and the newest comments, never who wrote them.
 */

export type RatingRefusal = 'notFound' | 'notCompleted' | 'notResident' | 'notEligible' | 'alreadyRated';
export type RatingResult = { ok: true } | { ok: false; reason: RatingRefusal };

/** Why this user may rate the project, or null. */
async function ratingBasis(project: { competition: Types.ObjectId; street?: Types.ObjectId | null }, userId: Types.ObjectId, now: Date): Promise<'voted' | 'street' | null> {
  const [ballot, residencies] = await Promise.all([
    Ballot.findOne({ competition: project.competition, voter: userId, 'voided.at': mongoose.trusted({ $exists: false }) }).select('_id').lean(),
    // A resident has a handful of verifications: read them by the unique index's prefix, judge here.
    project.street ? Residency.find({ resident: userId }).select('street revokedAt validUntil').lean() : [],
  ]);
  if (ballot) return 'voted';
  const livesThere = residencies.some((r) => !r.revokedAt && String(r.street) === String(project.street) && (!r.validUntil || r.validUntil > now));
  return livesThere ? 'street' : null;
}

export async function rateProject(input: {
  competitionId: string;
  projectNumber: number;
  user: { id: string; roles: readonly Grant[] };
  stars: number;
  comment: string;
  now?: Date;
}): Promise<RatingResult> {
  const project = await Project.findOne({ competition: input.competitionId, number: input.projectNumber }).select('_id competition street status').lean();
  if (!project) return { ok: false, reason: 'notFound' };
  if (project.status !== 'completed') return { ok: false, reason: 'notCompleted' };
  if (!hasRole(input.user.roles, 'resident')) return { ok: false, reason: 'notResident' };
  const rater = new Types.ObjectId(input.user.id);
  const basis = await ratingBasis(project, rater, input.now ?? new Date());
  if (!basis) return { ok: false, reason: 'notEligible' };
  try {
    await ProjectRating.create({ project: project._id, competition: project.competition, rater, stars: input.stars, comment: input.comment, basis });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'alreadyRated' };
    throw error;
  }
  return { ok: true };
}

export interface RatingSummary {
  count: number;
  /** The mean of the stars, to one decimal; null before the first rating. */
  average: number | null;
  /** How many gave each number of stars, 1 to 5. */
  histogram: [number, number, number, number, number];
  /** The newest comments, without names. */
  comments: { stars: number; comment: string; at: string }[];
  /** Whether the viewer has rated it (null: not signed in). */
  mine: { stars: number } | null;
}

/** The project page's rating block: one aggregate (the counts, the newest comments, the viewer's own). */
export async function ratingSummary(projectId: string, viewerId: string | null): Promise<RatingSummary> {
  const project = new Types.ObjectId(projectId);
  const [facets] = await ProjectRating.aggregate<{
    byStars: { _id: number; n: number }[];
    comments: { stars: number; comment: string; createdAt: Date }[];
    mine: { stars: number }[];
  }>([
    { $match: { project } },
    {
      $facet: {
        byStars: [{ $group: { _id: '$stars', n: { $sum: 1 } } }],
        comments: [{ $match: { comment: { $ne: '' } } }, { $sort: { createdAt: -1, _id: -1 } }, { $limit: RATING_COMMENTS_SHOWN }, { $project: { _id: 0, stars: 1, comment: 1, createdAt: 1 } }],
        mine: viewerId && Types.ObjectId.isValid(viewerId) ? [{ $match: { rater: new Types.ObjectId(viewerId) } }, { $project: { _id: 0, stars: 1 } }] : [{ $match: { _id: null } }],
      },
    },
  ]);
  const histogram: RatingSummary['histogram'] = [0, 0, 0, 0, 0];
  for (const row of facets?.byStars ?? []) if (row._id >= 1 && row._id <= 5) histogram[row._id - 1] = row.n;
  const count = histogram.reduce((sum, n) => sum + n, 0);
  const total = histogram.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return {
    count,
    average: count ? Math.round((total / count) * 10) / 10 : null,
    histogram,
    comments: (facets?.comments ?? []).map((c) => ({ stars: c.stars, comment: c.comment, at: c.createdAt.toISOString() })),
    mine: viewerId ? (facets?.mine[0] ?? null) : null,
  };
}
