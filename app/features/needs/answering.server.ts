import type { PipelineStage, Types } from 'mongoose';
import { Competition, NeedLink, Proposal } from '#models';
import { PUBLIC_STATUSES, type ProposalStatus } from '~/features/proposals/proposals';

/**
 * The proposals that cite a need as one they answer (links.server.ts), as the need's page shows
 * them: looked up inside that page's one aggregate, filtered here.
 */

/** A proposal answering a need, as the need's page shows it. */
export interface AnsweringProposal {
  competition: { slug: string; title: { zh: string; en?: string | null } };
  number: number;
  title: string;
  status: ProposalStatus;
  funded: boolean;
  projectNumber: number | null;
}

export type AnsweringDoc = { competition: Types.ObjectId; number: number; title: string; status: ProposalStatus; street?: Types.ObjectId | null; fundedAt?: Date | null; projectNumber?: number | null };
export type CompetitionRef = { _id: Types.ObjectId; slug: string; title: { zh: string; en?: string | null } };

/** The stages getNeedPage adds to its aggregate: the proposals citing the need, and their competitions. */
export const ANSWERING_STAGES: PipelineStage[] = [
  { $lookup: { from: NeedLink.collection.name, localField: '_id', foreignField: 'need', as: 'answeringLinks' } },
  { $addFields: { answeringIds: '$answeringLinks.proposal' } },
  { $lookup: { from: Proposal.collection.name, localField: 'answeringIds', foreignField: '_id', as: 'answering' } },
  {
    $addFields: {
      answering: {
        $map: {
          input: '$answering',
          // $ifNull: the stand-in drops the connection on a missing field inside $map.
          in: {
            competition: '$$this.competition',
            number: '$$this.number',
            title: '$$this.title',
            status: '$$this.status',
            street: { $ifNull: ['$$this.street', null] },
            fundedAt: { $ifNull: ['$$this.fundedAt', null] },
            projectNumber: { $ifNull: ['$$this.project.number', null] },
          },
        },
      },
    },
  },
  { $addFields: { answeringCompetitionIds: '$answering.competition' } },
  { $lookup: { from: Competition.collection.name, localField: 'answeringCompetitionIds', foreignField: '_id', as: 'answeringCompetitions' } },
  { $addFields: { answeringCompetitions: { $map: { input: '$answeringCompetitions', in: { _id: '$$this._id', slug: '$$this.slug', title: '$$this.title' } } } } },
  { $project: { answeringLinks: 0, answeringIds: 0, answeringCompetitionIds: 0 } },
];

/** The proposals answering a need that its page shows: public ones of the need's street, newest competition first. */
export function answeringProposals(need: { street: Types.ObjectId; answering?: AnsweringDoc[]; answeringCompetitions?: CompetitionRef[] }): AnsweringProposal[] {
  const competitions = new Map((need.answeringCompetitions ?? []).map((c) => [String(c._id), c]));
  return (need.answering ?? [])
    .filter((p) => PUBLIC_STATUSES.includes(p.status) && p.street != null && String(p.street) === String(need.street) && competitions.has(String(p.competition)))
    .map((p) => {
      const competition = competitions.get(String(p.competition))!;
      return {
        competition: { slug: competition.slug, title: competition.title },
        number: p.number,
        title: p.title,
        status: p.status,
        funded: Boolean(p.fundedAt),
        projectNumber: p.projectNumber ?? null,
      };
    })
    .sort((a, b) => b.competition.slug.localeCompare(a.competition.slug) || a.number - b.number);
}
