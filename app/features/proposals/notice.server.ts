import mongoose, { Types } from 'mongoose';
import type { TFunction } from 'i18next';
import { Community, Proposal, Street } from '#models';
import type { Notice } from '~/components/notice-pdf.server';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { publicUrl } from '~/core/request.server';
import { formatDate, formatMoney } from '~/utils/format';
import type { CompetitionRules } from './competition-rules.server';
import { proposalShortPath } from './notice';
import type { ProposalStatus } from './proposals';

export interface NoticeProposal {
  number: number;
  title: string;
  summary: string;
  totalFen: number;
  category: string;
  status: ProposalStatus;
  community: LocalizedText | null;
}

export interface ProposalNoticeContext {
  slug: string;
  categories: { code: string; name: LocalizedText }[];
  /** The vote's end while voting is open: the notice says so to eligible proposals. */
  votingClosesAt: Date | null;
}

/** A proposal's notice (issue 18): title, summary, budget, where, and its QR code and short address. */
export function proposalNotice(p: NoticeProposal, ctx: ProposalNoticeContext, t: TFunction, language: Language, footer: string): Notice {
  const category = ctx.categories.find((c) => c.code === p.category);
  return {
    kicker: t('proposal.kicker', { number: p.number }),
    title: p.title,
    lead: p.summary,
    facts: [
      { label: t('proposal.budget'), value: formatMoney(p.totalFen, language) },
      { label: t('proposal.direction'), value: pickText(category?.name, language) || p.category },
      { label: t('proposal.community'), value: pickText(p.community, language) || '—' },
    ],
    body: ctx.votingClosesAt && p.status === 'eligible' ? [t('proposal.voteNow', { date: formatDate(ctx.votingClosesAt, language, { dateStyle: 'long', timeStyle: 'short' }) })] : [],
    url: publicUrl(`/competitions/${ctx.slug}/proposals/${p.number}`),
    shortUrl: publicUrl(proposalShortPath(ctx.slug, p.number)).replace(/^https?:\/\//, ''),
    scanHint: t('scan'),
    footer,
  };
}

/** Proposals a street's board shows: before the vote every one still in the running, from the vote on the eligible ones. */
function boardStatuses(votingReached: boolean): ProposalStatus[] {
  return votingReached ? ['eligible'] : ['submitted', 'changesRequested', 'eligible'];
}

/**
 * A street's proposals for its bundle of notices, by number, at most `limit`. Drafts, withdrawn,
 * ineligible and merged proposals never go on a board.
 */
export async function streetNoticeProposals(rules: CompetitionRules, streetId: string, votingReached: boolean, limit: number): Promise<NoticeProposal[]> {
  const docs = await Proposal.find({
    competition: new Types.ObjectId(rules.id),
    street: new Types.ObjectId(streetId),
    status: mongoose.trusted({ $in: boardStatuses(votingReached) }),
  })
    .select('number title summary totalFen category status community')
    .sort({ number: 1 })
    .limit(limit)
    .lean();
  const communityIds = [...new Set(docs.flatMap((d) => (d.community ? [String(d.community)] : [])))];
  const communities = communityIds.length ? await Community.find({ _id: mongoose.trusted({ $in: communityIds.map((id) => new Types.ObjectId(id)) }) }).select('name').lean() : [];
  const names = new Map(communities.map((c) => [String(c._id), c.name]));
  return docs.map((d) => ({
    number: d.number,
    title: d.title,
    summary: d.summary,
    totalFen: d.totalFen,
    category: d.category,
    status: d.status,
    community: d.community ? (names.get(String(d.community)) ?? null) : null,
  }));
}

/** A street by its code, for the street's bundle of notices; null when there is none. */
export async function streetByCode(code: string): Promise<{ id: string; name: LocalizedText } | null> {
  const street = await Street.findOne({ code }).select('name').lean();
  return street ? { id: String(street._id), name: street.name } : null;
}
