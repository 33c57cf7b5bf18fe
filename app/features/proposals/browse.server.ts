import mongoose, { Types, type PipelineStage } from 'mongoose';
import { visitorRank } from './random-order.server';
import { Community, Competition, Follow, Proposal, ProposalVersion, Street, User, type ProposalDoc } from '#models';
import type { ProposalListQuery } from './proposal.schema';
import { invitationSummaries, PUBLIC_STATUSES, type ProposalStatus } from './proposals';
import { escapeRegex } from '~/utils/regex';
import { normalizeText, queryTerms } from './search';
import { isDuplicateKeyError } from '~/core/db.server';
import type { CompetitionRules } from './competition-rules.server';
import { editWindowOpen } from './drafts.server';
import type { CommentedProposal } from './comments.server';

/** Reading proposals: the public list with filters and counts, one proposal, one's own, following. */

// --- Reading --------------------------------------------------------------------------------

const PAGE_SIZE = 12;

export interface PlaceOption {
  id: string;
  code: string;
  name: { zh: string; en?: string | null };
}

/**
 * Streets in their order, each with its communities by code: one aggregate. The $lookup is the
 * plain localField form (a pipeline beside it needs MongoDB 5); community documents are small.
 */
export async function listPlaces(): Promise<(PlaceOption & { communities: PlaceOption[] })[]> {
  const rows = await Street.aggregate<{ _id: Types.ObjectId; code: string; name: PlaceOption['name']; communities: { _id: Types.ObjectId; code: string; name: PlaceOption['name'] }[] }>([
    { $sort: { order: 1 } },
    { $project: { code: 1, name: 1 } },
    {
      $lookup: {
        from: Community.collection.name,
        localField: '_id',
        foreignField: 'street',
        as: 'communities',
      },
    },
  ]);
  const place = (doc: { _id: Types.ObjectId; code: string; name: PlaceOption['name'] }) => ({ id: String(doc._id), code: doc.code, name: doc.name });
  return rows.map((street) => ({
    ...place(street),
    communities: street.communities.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(place),
  }));
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

type Dimension = 'category' | 'street' | 'community';
type CountRow = { _id: unknown; n: number };
type CardRow = {
  _id: Types.ObjectId;
  number: number;
  title: string;
  summary: string;
  category: string;
  status: ProposalStatus;
  totalFen: number;
  followerCount: number;
  commentCount: number;
  community?: Types.ObjectId | null;
  street?: Types.ObjectId | null;
  photos?: { fileId: string }[];
  submittedAt?: Date | null;
  fundedAt?: Date | null;
};

const CARD_FIELDS = Object.fromEntries(
  ['number', 'title', 'summary', 'category', 'status', 'totalFen', 'followerCount', 'commentCount', 'community', 'street', 'photos.fileId', 'submittedAt', 'fundedAt'].map(
    (field) => [field, 1],
  ),
);

/**
 * The public list with filters, Chinese-capable search, sorts and counts per filter value, and
 * the streets and communities the filters offer. Two round trips: the places, then one
 * aggregate whose leading $match (competition, public statuses, search terms) an index serves
 * and whose $facet branches give the page, the total and the four counts (each count leaves out
 * its own filter, so a picker shows what choosing another value would give).
 *
 * `random` orders by a hash of the visitor's seed and the id: stable for one visitor across
 * pages, different between visitors, so list position does not favour anyone. The hash is not
 * something the database can sort by, so that branch returns every matching card and the page is
 * cut here. That is bounded by one competition's public proposals, a few hundred at most (the
 * benchmark's 200 are about 100 KB); $facet branches sort in memory in any case, which is fine
 * at that size.
 */
export async function listProposals(rules: CompetitionRules, query: ProposalListQuery, seed: string) {
  const places = await listPlaces();
  const street = query.street ? places.find((s) => s.code === query.street) : undefined;
  const community = query.community ? places.flatMap((s) => s.communities).find((c) => c.code === query.community) : undefined;
  const base: Record<string, unknown> = {
    competition: new Types.ObjectId(rules.id),
    status: { $in: PUBLIC_STATUSES },
  };
  if (query.q) {
    const { exact, prefixes } = queryTerms(query.q);
    const conditions: Record<string, unknown>[] = [];
    if (exact.length) conditions.push({ searchTerms: { $all: exact } });
    // Bigrams can coincide ("社区" + "区服" ≠ "社区服"): the normalised text must contain each run.
    for (const run of normalizeText(query.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
      conditions.push({ searchText: { $regex: escapeRegex(run) } });
    }
    if (!exact.length && !prefixes.length) conditions.push({ _id: null });
    base.$and = conditions;
  }
  // An unknown code matches nothing; an unset one leaves its dimension open.
  const dimensions: Record<Dimension, unknown> = {
    category: query.category || undefined,
    street: query.street ? (street ? new Types.ObjectId(street.id) : null) : undefined,
    community: query.community ? (community ? new Types.ObjectId(community.id) : null) : undefined,
  };
  const listed = { $in: query.status ? [query.status] : PUBLIC_STATUSES.filter((s) => s !== 'merged') };
  const within = (skip?: Dimension, status: unknown = listed) => {
    const match: Record<string, unknown> = { status };
    for (const [key, value] of Object.entries(dimensions)) if (key !== skip && value !== undefined) match[key] = value;
    return { $match: match };
  };
  const countBy = (field: Dimension | 'status', match: PipelineStage.Match) => [match, { $group: { _id: `$${field}`, n: { $sum: 1 } } }];
  const random = query.sort === 'random';
  const sort: Record<string, 1 | -1> = query.sort === 'newest' ? { submittedAt: -1, number: -1 } : { followerCount: -1, number: 1 };
  const skip = (query.page - 1) * PAGE_SIZE;
  const [result] = await Proposal.aggregate<{ cards: CardRow[]; total: { n: number }[] } & Record<Dimension | 'status', CountRow[]>>([
    { $match: base },
    {
      $facet: {
        cards: random ? [within(), { $project: CARD_FIELDS }] : [within(), { $sort: sort }, { $skip: skip }, { $limit: PAGE_SIZE }, { $project: CARD_FIELDS }],
        total: [within(), { $count: 'n' }],
        category: countBy('category', within('category')),
        street: countBy('street', within('street')),
        community: countBy('community', within('community')),
        status: countBy('status', within(undefined, { $in: PUBLIC_STATUSES })),
      },
    },
  ]);
  const counts = (rows: CountRow[] | undefined) => Object.fromEntries((rows ?? []).map((row) => [String(row._id), row.n]));
  const docs = random
    ? (result?.cards ?? [])
        .map((doc) => ({ doc, rank: visitorRank(seed, String(doc._id)) }))
        .sort((a, b) => (a.rank < b.rank ? -1 : 1))
        .slice(skip, skip + PAGE_SIZE)
        .map((entry) => entry.doc)
    : (result?.cards ?? []);

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
    photoId: doc.photos?.[0]?.fileId ?? null,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
    funded: Boolean(doc.fundedAt),
  }));
  return {
    cards,
    total: result?.total[0]?.n ?? 0,
    pageSize: PAGE_SIZE,
    places,
    counts: { category: counts(result?.category), street: counts(result?.street), community: counts(result?.community), status: counts(result?.status) },
  };
}

type Named = { _id: Types.ObjectId; name: string };
type Place = { _id: Types.ObjectId; code: string; name: PlaceOption['name'] };

/**
 * A proposal as its page shows it: public ones to everyone, drafts and withdrawn ones to their
 * authors. One aggregate: the proposal by (competition, number) with $lookups of its authors'
 * and helper's names, its community and street, the proposal it was merged into, its edit
 * history with the editors' names, and whether the viewer follows it (the viewer's follows by
 * the { user } index, matched to this proposal). Plain localField lookups (MongoDB 4.4 and the
 * stand-in), trimmed by the $project after them.
 */
export async function getProposalView(rules: CompetitionRules, number: number, viewerId: string | null) {
  return (await getProposalPage(rules, number, viewerId))?.proposal ?? null;
}

/**
 * Stages a route adds to the proposal page's one aggregate, for a later feature's part of the
 * page (the needs it cites): they put their result in the field `as`, handed back as `joined`,
 * so the page stays one read and this feature knows nothing of what they look up.
 */
export interface ProposalPageJoin {
  as: string;
  stages: PipelineStage.FacetPipelineStage[];
}

/** The proposal's view, and what its comments section needs of it (not sent to the browser). */
export async function getProposalPage(rules: CompetitionRules, number: number, viewerId: string | null, join?: ProposalPageJoin) {
  const viewer = viewerId && Types.ObjectId.isValid(viewerId) ? new Types.ObjectId(viewerId) : null;
  const [doc] = await Proposal.aggregate<
    Omit<ProposalDoc, 'searchTerms' | 'searchText'> & {
      _id: Types.ObjectId;
      updatedAt: Date;
      authorUsers: Named[];
      workerUsers: Named[];
      communities: Place[];
      streets: Place[];
      merged: { number: number; title: string }[];
      versions: { revision: number; editor: Types.ObjectId; createdAt: Date; changes: { field: string }[] }[];
      editors: Named[];
      follows?: unknown[];
    }
  >([
    { $match: { competition: new Types.ObjectId(rules.id), number } },
    { $project: { searchTerms: 0, searchText: 0 } },
    { $lookup: { from: User.collection.name, localField: 'authors', foreignField: '_id', as: 'authorUsers' } },
    { $lookup: { from: User.collection.name, localField: 'assisted.worker', foreignField: '_id', as: 'workerUsers' } },
    { $lookup: { from: Community.collection.name, localField: 'community', foreignField: '_id', as: 'communities' } },
    { $lookup: { from: Street.collection.name, localField: 'street', foreignField: '_id', as: 'streets' } },
    { $lookup: { from: Proposal.collection.name, localField: 'mergedInto', foreignField: '_id', as: 'merged' } },
    { $lookup: { from: ProposalVersion.collection.name, localField: '_id', foreignField: 'proposal', as: 'versions' } },
    // The editors' ids as a top-level array: the stand-in does not follow a path into the array.
    { $addFields: { editorIds: '$versions.editor' } },
    { $lookup: { from: User.collection.name, localField: 'editorIds', foreignField: '_id', as: 'editors' } },
    ...(viewer
      ? [{ $lookup: { from: Follow.collection.name, let: { proposal: '$_id' }, pipeline: [{ $match: { user: viewer, $expr: { $eq: ['$proposal', '$$proposal'] } } }, { $project: { _id: 1 } }], as: 'follows' } }]
      : []),
    ...(join?.stages ?? []),
    {
      $addFields: {
        authorUsers: { $map: { input: '$authorUsers', in: { _id: '$$this._id', name: '$$this.name' } } },
        workerUsers: { $map: { input: '$workerUsers', in: { _id: '$$this._id', name: '$$this.name' } } },
        editors: { $map: { input: '$editors', in: { _id: '$$this._id', name: '$$this.name' } } },
        merged: { $map: { input: '$merged', in: { number: '$$this.number', title: '$$this.title' } } },
        communities: { $map: { input: '$communities', in: { _id: '$$this._id', code: '$$this.code', name: '$$this.name' } } },
        streets: { $map: { input: '$streets', in: { _id: '$$this._id', code: '$$this.code', name: '$$this.name' } } },
        versions: {
          $map: {
            input: '$versions',
            in: { revision: '$$this.revision', editor: '$$this.editor', createdAt: '$$this.createdAt', changes: { $map: { input: '$$this.changes', as: 'c', in: { field: '$$c.field' } } } },
          },
        },
      },
    },
  ]);
  if (!doc) return null;
  const isProposer = viewerId !== null && doc.authors.some((a) => String(a) === viewerId);
  const isAuthor = isProposer || (viewerId !== null && String(doc.assisted?.worker ?? '') === viewerId);
  if (!PUBLIC_STATUSES.includes(doc.status) && !isAuthor) return null;
  const authors = [...doc.authorUsers, ...doc.workerUsers];
  const community = doc.communities[0] ?? null;
  const street = doc.streets[0] ?? null;
  const mergedInto = doc.merged[0] ?? null;
  const following = (doc.follows?.length ?? 0) > 0;
  const editorNames = new Map(doc.editors.map((e) => [String(e._id), e.name]));
  // The history is public with the proposal; an author's draft has none to show.
  const versions = PUBLIC_STATUSES.includes(doc.status)
    ? [...doc.versions]
        .sort((a, b) => b.revision - a.revision)
        .map((v) => ({ revision: v.revision, editor: editorNames.get(String(v.editor)) ?? '', at: v.createdAt.toISOString(), fields: v.changes.map((c) => c.field) }))
    : [];
  const names = new Map(authors.map((a) => [String(a._id), a.name]));
  const commented: CommentedProposal = { _id: doc._id, status: doc.status, authors: doc.authors };
  const proposal = {
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
    following,
    versions,
    canEdit: isAuthor && editWindowOpen(doc, rules.phase, new Date()),
    // Co-authors are invited by the proposers themselves (not by a worker helping them).
    canInvite: isProposer && editWindowOpen(doc, rules.phase, new Date()),
    // Only the authors see whom they invited (masked).
    invitations: isAuthor ? invitationSummaries(doc.invitations ?? []) : [],
  };
  const joined: unknown[] = join ? ((doc as unknown as Record<string, unknown[] | undefined>)[join.as] ?? []) : [];
  return { proposal, commented, streetId: doc.street ? String(doc.street) : null, joined };
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
