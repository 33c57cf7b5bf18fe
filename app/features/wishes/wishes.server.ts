import mongoose, { Types, type PipelineStage } from 'mongoose';
import { Community, User, Wish } from '#models';
import type { Grant } from '~/core/permissions.server';
import { hasPermission } from '~/core/permissions.server';
import type { LocalizedText } from '~/core/locales';
import { OBJECT_ID } from '~/utils/object-id';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import {
  bucketCounts,
  COUNTED_STATUSES,
  MANAGE_PAGE_SIZE,
  MINE_PAGE_SIZE,
  WALL_PAGE_SIZE,
  WISH_STATUSES,
  type BucketCounts,
  type ChildTerm,
  type DisplayChoice,
  type WishKind,
  type WishStatus,
} from './rules';

/**
 * Reading micro-wishes: the counts (overall and per street, one aggregate the district dashboard
 * can reuse), the public wall, one wish, a worker's list of the area's wishes and a claimer's own.
 * Public reads return the public fields only: the child's one character, term and age, the
 * community, the claim's chosen display name. Never the claimer's or the worker's account, phone
 * or id: those stay on the server (the routes compare ids here, they never send them).
 */

export type Places = Awaited<ReturnType<typeof listStreetsWithCommunities>>;
export { listStreetsWithCommunities as listPlaces };

// --- Counts ---------------------------------------------------------------------------------

export interface WishCounts {
  overall: BucketCounts;
  /** Per street id; a street without wishes is absent (reads as zeros). */
  byStreet: Record<string, BucketCounts>;
}

type CountRow = { _id: { street: Types.ObjectId; status: WishStatus }; n: number };

/** The grouping both the counts and the wall's facet use: one row per (street, status). */
const COUNT_GROUP: PipelineStage.FacetPipelineStage[] = [{ $group: { _id: { street: '$street', status: '$status' }, n: { $sum: 1 } } }];

function countsFromRows(rows: readonly CountRow[]): WishCounts {
  const overall: Partial<Record<WishStatus, number>> = {};
  const perStreet = new Map<string, Partial<Record<WishStatus, number>>>();
  for (const row of rows) {
    overall[row._id.status] = (overall[row._id.status] ?? 0) + row.n;
    const street = String(row._id.street);
    const counts = perStreet.get(street) ?? {};
    counts[row._id.status] = (counts[row._id.status] ?? 0) + row.n;
    perStreet.set(street, counts);
  }
  return { overall: bucketCounts(overall), byStreet: Object.fromEntries([...perStreet].map(([street, counts]) => [street, bucketCounts(counts)])) };
}

const countedMatch = () => ({ status: { $in: [...COUNTED_STATUSES] } });

/**
 * Open, claimed and delivered wishes (confirmed ones count as delivered; withdrawn ones not at
 * all), overall and per street, in one aggregate; `street` or `community` narrows it to an area.
 */
export async function wishCounts(filter: { street?: string; community?: string } = {}): Promise<WishCounts> {
  const match: Record<string, unknown> = countedMatch();
  const id = (text: string) => (OBJECT_ID.test(text) ? new Types.ObjectId(text) : null);
  if (filter.community) match.community = id(filter.community);
  else if (filter.street) match.street = id(filter.street);
  const rows = await Wish.aggregate<CountRow>([{ $match: match }, ...(COUNT_GROUP as PipelineStage[])]);
  return countsFromRows(rows);
}

// --- The wall -------------------------------------------------------------------------------

export interface WishCard {
  number: number;
  kind: WishKind;
  title: string;
  valueFen: number;
  child: { initial: string; term: ChildTerm; age: number };
  community: LocalizedText | null;
}

type CardRow = Omit<WishCard, 'community'> & { community: Types.ObjectId };
const CARD_FIELDS = { _id: 0, number: 1, kind: 1, title: 1, valueFen: 1, 'child.initial': 1, 'child.term': 1, 'child.age': 1, community: 1 };

/**
 * The public wall: the counts, and one page of open wishes, the longest waiting first, filtered
 * by street, community (codes) and kind. One aggregate after the places: its leading $match
 * (every counted wish, by status) is served by { status, number }; the counts need every counted
 * wish anyway, and the cards' branch sorts the open ones (a few hundred at most) in memory.
 */
export async function listWall(filter: { street?: string; community?: string; kind?: WishKind; page: number }) {
  const places = await listStreetsWithCommunities();
  const street = filter.street ? places.find((s) => s.code === filter.street) : undefined;
  const community = filter.community ? places.flatMap((s) => s.communities).find((c) => c.code === filter.community) : undefined;
  // An unknown code matches nothing; an unset one leaves its dimension open.
  const cardsMatch: Record<string, unknown> = { status: 'open' };
  if (filter.street) cardsMatch.street = street ? new Types.ObjectId(street.id) : null;
  if (filter.community) cardsMatch.community = community ? new Types.ObjectId(community.id) : null;
  if (filter.kind) cardsMatch.kind = filter.kind;
  const [result] = await Wish.aggregate<{ counts: CountRow[]; cards: CardRow[]; total: { n: number }[] }>([
    { $match: countedMatch() },
    {
      $facet: {
        counts: COUNT_GROUP,
        cards: [{ $match: cardsMatch }, { $sort: { number: 1 } }, { $skip: (filter.page - 1) * WALL_PAGE_SIZE }, { $limit: WALL_PAGE_SIZE }, { $project: CARD_FIELDS }],
        total: [{ $match: cardsMatch }, { $count: 'n' }],
      },
    },
  ]);
  const communityName = new Map(places.flatMap((s) => s.communities).map((c) => [c.id, c.name]));
  const total = result?.total[0]?.n ?? 0;
  return {
    counts: countsFromRows(result?.counts ?? []),
    cards: (result?.cards ?? []).map(
      (row): WishCard => ({ ...row, child: { initial: row.child.initial, term: row.child.term, age: row.child.age }, community: communityName.get(String(row.community)) ?? null }),
    ),
    total,
    pages: Math.max(1, Math.ceil(total / WALL_PAGE_SIZE)),
    places,
  };
}

// --- One wish -------------------------------------------------------------------------------

export interface WishView extends WishCard {
  description: string;
  status: WishStatus;
  claim: { displayAs: DisplayChoice; displayName: string; at: string; dueAt: string } | null;
  deliveredAt: string | null;
  confirmedAt: string | null;
  /** Shown once confirmed (stored public only with the consent of the people in it). */
  photo: { fileId: string } | null;
  createdAt: string;
}

/** The server's side of a wish: who may act on it. Never sent to the browser. */
export interface WishAccess {
  id: string;
  streetId: string;
  communityId: string;
  claimerId: string | null;
  registeredBy: string;
}

type WishRow = {
  _id: Types.ObjectId;
  number: number;
  kind: WishKind;
  title: string;
  description?: string;
  valueFen: number;
  child: { initial: string; term: ChildTerm; age: number };
  street: Types.ObjectId;
  community: Types.ObjectId;
  registeredBy: Types.ObjectId;
  status: WishStatus;
  claim?: { by: Types.ObjectId; displayAs: DisplayChoice; displayName?: string; at: Date; dueAt: Date } | null;
  deliveredAt?: Date | null;
  confirmedAt?: Date | null;
  photo?: { fileId: string } | null;
  createdAt: Date;
  communities: { name: LocalizedText }[];
};

/** A wish by number with its community's name: one aggregate (a plain localField lookup). */
export async function getWish(number: number): Promise<{ view: WishView; access: WishAccess } | null> {
  if (!Number.isSafeInteger(number) || number < 1) return null;
  const [row] = await Wish.aggregate<WishRow>([
    { $match: { number } },
    { $limit: 1 },
    { $lookup: { from: Community.collection.name, localField: 'community', foreignField: '_id', as: 'communities' } },
    // Only the name: the stand-in does not follow a projection's path into an array.
    { $addFields: { communities: { $map: { input: '$communities', in: { name: '$$this.name' } } } } },
    {
      $project: {
        number: 1,
        kind: 1,
        title: 1,
        description: 1,
        valueFen: 1,
        child: 1,
        street: 1,
        community: 1,
        registeredBy: 1,
        status: 1,
        claim: 1,
        deliveredAt: 1,
        confirmedAt: 1,
        photo: 1,
        createdAt: 1,
        communities: 1,
      },
    },
  ]);
  if (!row) return null;
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
  return {
    view: {
      number: row.number,
      kind: row.kind,
      title: row.title,
      description: row.description ?? '',
      valueFen: row.valueFen,
      child: { initial: row.child.initial, term: row.child.term, age: row.child.age },
      community: row.communities[0]?.name ?? null,
      status: row.status,
      claim: row.claim
        ? { displayAs: row.claim.displayAs, displayName: row.claim.displayAs === 'anonymous' ? '' : row.claim.displayName ?? '', at: row.claim.at.toISOString(), dueAt: row.claim.dueAt.toISOString() }
        : null,
      deliveredAt: iso(row.deliveredAt),
      confirmedAt: iso(row.confirmedAt),
      photo: row.status === 'confirmed' && row.photo ? { fileId: row.photo.fileId } : null,
      createdAt: row.createdAt.toISOString(),
    },
    access: {
      id: String(row._id),
      streetId: String(row.street),
      communityId: String(row.community),
      claimerId: row.claim ? String(row.claim.by) : null,
      registeredBy: String(row.registeredBy),
    },
  };
}

/** A worker of the wish's area: the registering worker's colleagues, who confirm and withdraw. */
export function worksInArea(roles: readonly Grant[], access: Pick<WishAccess, 'streetId' | 'communityId'>): boolean {
  return hasPermission(roles, 'wish:register', { streetId: access.streetId, communityId: access.communityId });
}

// --- A worker's area ------------------------------------------------------------------------

/** The streets and communities a person registers wishes in (null: everywhere, an admin). */
export function workerArea(roles: readonly Grant[]): { streets: string[]; communities: string[] } | null {
  if (roles.some((g) => g.role === 'admin')) return null;
  const grants = roles.filter((g) => (g.role === 'gridWorker' || g.role === 'communityWorker') && g.scopeId);
  return {
    streets: [...new Set(grants.filter((g) => g.scopeType === 'street').map((g) => g.scopeId!))],
    communities: [...new Set(grants.filter((g) => g.scopeType === 'community').map((g) => g.scopeId!))],
  };
}

/** The communities (grouped by street) a worker may register a wish in: the form's choices. */
export function areaPlaces(places: Places, roles: readonly Grant[]): Places {
  return places
    .map((street) => ({ ...street, communities: street.communities.filter((c) => hasPermission(roles, 'wish:register', { streetId: street.id, communityId: c.id })) }))
    .filter((street) => street.communities.length > 0);
}

export interface ManagedWish extends WishCard {
  status: WishStatus;
  claimerName: string | null;
  displayName: string;
  dueAt: string | null;
  deliveredAt: string | null;
  releases: number;
}

/**
 * The wishes of a worker's area, newest first, a page at a time, by status and community. One
 * query per branch of the area (its streets, its communities), each served by its index; the
 * claimers' account names (for the worker to recognise who brings what) in one more.
 */
export async function listAreaWishes(roles: readonly Grant[], filter: { status?: WishStatus; community?: string; page: number }, places: Places) {
  // sanitizeFilter is on: each operator is marked as the app's own.
  const statuses = mongoose.trusted({ $in: filter.status ? [filter.status] : [...WISH_STATUSES] });
  const area = workerArea(roles);
  const community = filter.community ? places.flatMap((s) => s.communities.map((c) => ({ ...c, streetId: s.id }))).find((c) => c.code === filter.community) : undefined;
  let query: Record<string, unknown>;
  if (filter.community) {
    const allowed = community && hasPermission(roles, 'wish:register', { streetId: community.streetId, communityId: community.id });
    query = { community: allowed ? new Types.ObjectId(community.id) : null, status: statuses };
  } else if (!area) {
    query = { status: statuses };
  } else {
    const branches = [
      ...(area.streets.length ? [{ street: mongoose.trusted({ $in: area.streets.map((id) => new Types.ObjectId(id)) }), status: statuses }] : []),
      ...(area.communities.length ? [{ community: mongoose.trusted({ $in: area.communities.map((id) => new Types.ObjectId(id)) }), status: statuses }] : []),
    ];
    query = branches.length === 1 ? branches[0]! : branches.length ? { $or: branches } : { _id: null };
  }
  const [docs, total] = await Promise.all([
    Wish.find(query)
      .select('number kind title valueFen child community status claim releases deliveredAt')
      .sort({ number: -1 })
      .skip((filter.page - 1) * MANAGE_PAGE_SIZE)
      .limit(MANAGE_PAGE_SIZE)
      .lean(),
    Wish.countDocuments(query),
  ]);
  const claimers = [...new Set(docs.flatMap((d) => (d.claim ? [String(d.claim.by)] : [])))];
  const users = claimers.length
    ? await User.find({ _id: mongoose.trusted({ $in: claimers.map((id) => new Types.ObjectId(id)) }) })
        .select('name')
        .lean()
    : [];
  const nameOf = new Map(users.map((u) => [String(u._id), u.name]));
  const communityName = new Map(places.flatMap((s) => s.communities).map((c) => [c.id, c.name]));
  const wishes: ManagedWish[] = docs.map((d) => ({
    number: d.number,
    kind: d.kind,
    title: d.title,
    valueFen: d.valueFen,
    child: { initial: d.child.initial, term: d.child.term, age: d.child.age },
    community: communityName.get(String(d.community)) ?? null,
    status: d.status,
    claimerName: d.claim ? nameOf.get(String(d.claim.by)) ?? null : null,
    displayName: d.claim?.displayName ?? '',
    dueAt: d.claim && d.status === 'claimed' ? d.claim.dueAt.toISOString() : null,
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    releases: d.releases ?? 0,
  }));
  return { wishes, total, pages: Math.max(1, Math.ceil(total / MANAGE_PAGE_SIZE)) };
}

/**
 * What a worker of the area sees of one wish beyond its public page: the claimer's account name
 * (to recognise who brings it; never their phone), the claimer's note on delivery, how often
 * claims were given back, and why it was withdrawn.
 */
export async function workerDetails(access: WishAccess) {
  const [doc, claimer] = await Promise.all([
    Wish.findById(access.id).select('deliveryNote releases withdrawnAt withdrawReason').lean(),
    access.claimerId ? User.findById(access.claimerId).select('name').lean() : null,
  ]);
  return {
    claimerName: claimer?.name ?? null,
    deliveryNote: doc?.deliveryNote ?? '',
    releases: doc?.releases ?? 0,
    withdrawnAt: doc?.withdrawnAt ? doc.withdrawnAt.toISOString() : null,
    withdrawReason: doc?.withdrawReason ?? '',
  };
}

// --- A claimer's own ------------------------------------------------------------------------

export interface MyClaim extends WishCard {
  status: WishStatus;
  displayName: string;
  dueAt: string;
  deliveredAt: string | null;
  confirmedAt: string | null;
}

const MINE_STATUSES: WishStatus[] = ['claimed', 'delivered', 'confirmed'];

/** The wishes the user claimed and still holds or delivered, newest claim first, and how many are still to deliver. */
export async function listMyClaims(userId: string, page: number) {
  const by = new Types.ObjectId(userId);
  const filter = { 'claim.by': by, status: mongoose.trusted({ $in: MINE_STATUSES }) };
  const [docs, total, open, places] = await Promise.all([
    Wish.find(filter)
      .select('number kind title valueFen child community status claim deliveredAt confirmedAt')
      .sort({ 'claim.at': -1 })
      .skip((page - 1) * MINE_PAGE_SIZE)
      .limit(MINE_PAGE_SIZE)
      .lean(),
    Wish.countDocuments(filter),
    Wish.countDocuments({ 'claim.by': by, status: 'claimed' }),
    listStreetsWithCommunities(),
  ]);
  const communityName = new Map(places.flatMap((s) => s.communities).map((c) => [c.id, c.name]));
  const claims: MyClaim[] = docs.map((d) => ({
    number: d.number,
    kind: d.kind,
    title: d.title,
    valueFen: d.valueFen,
    child: { initial: d.child.initial, term: d.child.term, age: d.child.age },
    community: communityName.get(String(d.community)) ?? null,
    status: d.status,
    displayName: d.claim?.displayName ?? '',
    dueAt: d.claim ? d.claim.dueAt.toISOString() : '',
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
    confirmedAt: d.confirmedAt ? d.confirmedAt.toISOString() : null,
  }));
  return { claims, total, open, pages: Math.max(1, Math.ceil(total / MINE_PAGE_SIZE)) };
}

/** How many wishes the user holds claimed, not yet delivered (the claim step says when the limit is reached). */
export async function openClaimCount(userId: string): Promise<number> {
  return Wish.countDocuments({ 'claim.by': new Types.ObjectId(userId), status: 'claimed' });
}
