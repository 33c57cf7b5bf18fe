import mongoose, { Types } from 'mongoose';
import { visitorRank } from './random-order.server';
import { Community, Competition, Follow, Proposal, Street, User } from '#models';
import type { ProposalListQuery } from './proposal.schema';
import { invitationSummaries, PUBLIC_STATUSES, type ProposalStatus } from './proposals';
import { escapeRegex } from '~/utils/regex';
import { normalizeText, queryTerms } from './search';
import { isDuplicateKeyError } from '~/core/db.server';
import type { CompetitionRules } from './competition-rules.server';
import { editWindowOpen } from './drafts.server';

/** Reading proposals: the public list with filters and counts, one proposal, one's own, following. */

// --- Reading --------------------------------------------------------------------------------

const PAGE_SIZE = 12;

async function placeCodes(query: ProposalListQuery) {
  const street = query.street ? await Street.findOne({ code: query.street }).select('_id').lean() : null;
  const community = query.community ? await Community.findOne({ code: query.community }).select('_id').lean() : null;
  return { street, community };
}

export interface ProposalCard {
  number: number;
  title: string;
  summary: string;
  category: string;
  status: ProposalStatus;
  totalFen: number;
  followerCount: number;
  commentCount: number;
  communityId: string | null;
  streetId: string | null;
  /** The first photo (its full-size id; /uploads/<id>?size=thumb is its thumbnail). */
  photoId: string | null;
  submittedAt: string | null;
  /** The published result funds it. */
  funded: boolean;
}

/**
 * The public list with filters, Chinese-capable search, sorts and counts per filter value.
 * `random` orders by a hash of the visitor's seed and the id: stable for one visitor across
 * pages, different between visitors, so list position does not favour anyone.
 */
export async function listProposals(rules: CompetitionRules, query: ProposalListQuery, seed: string) {
  const { street, community } = await placeCodes(query);
  const base: Record<string, unknown> = {
    competition: new Types.ObjectId(rules.id),
    status: mongoose.trusted({ $in: query.status ? [query.status] : PUBLIC_STATUSES.filter((s) => s !== 'merged') }),
  };
  if (query.q) {
    const { exact, prefixes } = queryTerms(query.q);
    const conditions: Record<string, unknown>[] = [];
    if (exact.length) conditions.push({ searchTerms: mongoose.trusted({ $all: exact }) });
    // Bigrams can coincide ("社区" + "区服" ≠ "社区服"): the normalised text must contain each run.
    for (const run of normalizeText(query.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
      conditions.push({ searchText: mongoose.trusted({ $regex: escapeRegex(run) }) });
    }
    if (!exact.length && !prefixes.length) conditions.push({ _id: null });
    base.$and = conditions;
  }
  const dimensions: Record<'category' | 'street' | 'community', unknown> = {
    category: query.category || undefined,
    street: query.street ? (street?._id ?? null) : undefined,
    community: query.community ? (community?._id ?? null) : undefined,
  };
  const filterWithout = (skip?: keyof typeof dimensions) => {
    const filter: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(dimensions)) if (key !== skip && value !== undefined) filter[key] = value;
    return filter;
  };
  const filter = filterWithout();
  const countBy = async (field: 'category' | 'street' | 'community' | 'status', skip?: keyof typeof dimensions) => {
    const match = field === 'status' ? { ...filterWithout(), status: mongoose.trusted({ $in: PUBLIC_STATUSES }) } : filterWithout(skip);
    const rows = await Proposal.aggregate<{ _id: unknown; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]);
    return Object.fromEntries(rows.map((row) => [String(row._id), row.n]));
  };

  const select = 'number title summary category status totalFen followerCount commentCount community street photos submittedAt fundedAt';
  let docs;
  let total: number;
  if (query.sort === 'random') {
    const ids = await Proposal.find(filter).select('_id').lean();
    total = ids.length;
    const pageIds = ids
      .map((doc) => ({ id: doc._id, rank: visitorRank(seed, String(doc._id)) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE)
      .map((entry) => entry.id);
    const byId = new Map((await Proposal.find({ _id: mongoose.trusted({ $in: pageIds }) }).select(select).lean()).map((d) => [String(d._id), d]));
    docs = pageIds.map((id) => byId.get(String(id))).filter((d) => d !== undefined);
  } else {
    const sort: Record<string, 1 | -1> = query.sort === 'newest' ? { submittedAt: -1, number: -1 } : { followerCount: -1, number: 1 };
    [docs, total] = await Promise.all([
      Proposal.find(filter).select(select).sort(sort).skip((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE).lean(),
      Proposal.countDocuments(filter),
    ]);
  }
  const [byCategory, byStreet, byCommunity, byStatus] = await Promise.all([
    countBy('category', 'category'),
    countBy('street', 'street'),
    countBy('community', 'community'),
    countBy('status'),
  ]);

  const cards: ProposalCard[] = docs.map((doc) => ({
    number: doc.number,
    title: doc.title,
    summary: doc.summary,
    category: doc.category,
    status: doc.status,
    totalFen: doc.totalFen,
    followerCount: doc.followerCount,
    commentCount: doc.commentCount,
    communityId: doc.community ? String(doc.community) : null,
    streetId: doc.street ? String(doc.street) : null,
    photoId: doc.photos[0]?.fileId ?? null,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
    funded: Boolean(doc.fundedAt),
  }));
  return { cards, total, pageSize: PAGE_SIZE, counts: { category: byCategory, street: byStreet, community: byCommunity, status: byStatus } };
}

/** A proposal as its page shows it: public ones to everyone, drafts and withdrawn ones to their authors. */
export async function getProposalView(rules: CompetitionRules, number: number, viewerId: string | null) {
  const doc = await Proposal.findOne({ competition: rules.id, number }).select('-searchTerms -searchText').lean();
  if (!doc) return null;
  const isProposer = viewerId !== null && doc.authors.some((a) => String(a) === viewerId);
  const isAuthor = isProposer || (viewerId !== null && String(doc.assisted?.worker ?? '') === viewerId);
  if (!PUBLIC_STATUSES.includes(doc.status) && !isAuthor) return null;
  const [authors, community, street, following, mergedInto] = await Promise.all([
    User.find({ _id: mongoose.trusted({ $in: [...doc.authors, ...(doc.assisted?.worker ? [doc.assisted.worker] : [])] }) }).select('name').lean(),
    doc.community ? Community.findById(doc.community).select('name code').lean() : null,
    doc.street ? Street.findById(doc.street).select('name code').lean() : null,
    viewerId ? Follow.exists({ proposal: doc._id, user: viewerId }) : null,
    doc.mergedInto ? Proposal.findById(doc.mergedInto).select('number title').lean() : null,
  ]);
  const names = new Map(authors.map((a) => [String(a._id), a.name]));
  return {
    id: String(doc._id),
    number: doc.number,
    status: doc.status,
    funded: Boolean(doc.fundedAt),
    // The project it became (stored on the proposal when the project was created).
    projectNumber: doc.project?.number ?? null,
    title: doc.title,
    summary: doc.summary,
    category: doc.category,
    community: community ? { code: community.code, name: community.name } : null,
    street: street ? { code: street.code, name: street.name } : null,
    beneficiaries: doc.beneficiaries.map((b) => ({ group: b.group, count: b.count })),
    problem: doc.problem,
    plan: doc.plan,
    schedule: doc.schedule,
    outcomes: doc.outcomes,
    sustainability: doc.sustainability,
    budget: doc.budget.map((line) => ({ item: line.item, quantity: line.quantity, unitPriceFen: line.unitPriceFen })),
    totalFen: doc.totalFen,
    organization: { kind: doc.organization?.kind ?? 'new', name: doc.organization?.name ?? '' },
    authors: doc.authors.map((id) => names.get(String(id)) ?? ''),
    assistedBy: doc.assisted?.worker ? (names.get(String(doc.assisted.worker)) ?? null) : null,
    photos: doc.photos.map((p) => ({ fileId: p.fileId, caption: p.caption ?? '' })),
    statusHistory: doc.statusHistory.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason ?? null })),
    screeningReason: doc.screening?.reason ?? null,
    changesDueAt: doc.screening?.changesDueAt ? doc.screening.changesDueAt.toISOString() : null,
    mergedInto: mergedInto ? { number: mergedInto.number, title: mergedInto.title } : null,
    followerCount: doc.followerCount,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
    updatedAt: doc.updatedAt.toISOString(),
    revision: doc.revision,
    isAuthor,
    following: Boolean(following),
    canEdit: isAuthor && editWindowOpen(doc, rules.phase, new Date()),
    // Co-authors are invited by the proposers themselves (not by a worker helping them).
    canInvite: isProposer && editWindowOpen(doc, rules.phase, new Date()),
    // Only the authors see whom they invited (masked).
    invitations: isAuthor ? invitationSummaries(doc.invitations ?? []) : [],
  };
}

export async function listMyProposals(userId: string) {
  const docs = await Proposal.find({ authors: new Types.ObjectId(userId) })
    .select('competition number title status fundedAt totalFen updatedAt')
    .sort({ updatedAt: -1 })
    .lean();
  const competitions = await Competition.find({ _id: mongoose.trusted({ $in: [...new Set(docs.map((d) => String(d.competition)))] }) })
    .select('slug title')
    .lean();
  const bySlug = new Map(competitions.map((c) => [String(c._id), c]));
  return docs.map((d) => ({
    competitionSlug: bySlug.get(String(d.competition))?.slug ?? '',
    competitionTitle: bySlug.get(String(d.competition))?.title ?? { zh: '' },
    number: d.number,
    title: d.title,
    status: d.status,
    funded: Boolean(d.fundedAt),
    totalFen: d.totalFen,
    updatedAt: d.updatedAt.toISOString(),
  }));
}

// --- Following ------------------------------------------------------------------------------

/** Follows a public proposal; following twice changes nothing (unique index). */
export async function followProposal(rules: CompetitionRules, number: number, userId: string): Promise<boolean> {
  const proposal = await Proposal.findOne({ competition: rules.id, number, status: mongoose.trusted({ $in: PUBLIC_STATUSES }) }).select('_id').lean();
  if (!proposal) return false;
  try {
    await Follow.create({ proposal: proposal._id, user: userId });
    await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: 1 } });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return true;
}

export async function unfollowProposal(rules: CompetitionRules, number: number, userId: string): Promise<boolean> {
  const proposal = await Proposal.findOne({ competition: rules.id, number }).select('_id').lean();
  if (!proposal) return false;
  const removed = await Follow.deleteOne({ proposal: proposal._id, user: userId });
  if (removed.deletedCount === 1) await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: -1 } });
  return true;
}

/**
 * The proposals that go on to voting and judging: eligible ones only. Ineligible, withdrawn,
 * merged, unscreened and draft proposals take no part in later phases.
 */
export async function listEligibleProposals(competitionId: string) {
  return Proposal.find({ competition: competitionId, status: 'eligible' })
    .select('number title category street community totalFen authors')
    .sort({ number: 1 })
    .lean();
}
