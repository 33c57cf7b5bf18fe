import mongoose, { Types } from 'mongoose';
import { Need, NeedDetail } from '#models';
import type { SessionUser } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import { card, CARD_FIELDS, places, type CardDoc } from './cards.server';
import { answeringProposals, ANSWERING_STAGES, type AnsweringDoc, type CompetitionRef } from './answering.server';
import { answersFor } from './lifecycle.server';
import { isPublicNeedStatus, NEEDS_PAGE, PUBLIC_NEED_STATUSES, type HelperKind, type NeedStatus, type NeedUrgency, type RaiserKind } from './needs';
import { needReference } from './reference.server';

/**
 * What the needs pages read. The board and a need's public page are built from Need documents
 * only, never NeedDetail; the private details are read by `needDetails` alone, after
 * `seesDetails` said yes. One aggregate per page (the board's $facet gives the page and the
 * total; a need's page looks its helpers up), so a page costs the session and one or two reads.
 */

export interface BoardFilter {
  street: string | null;
  category: string | null;
  urgency: NeedUrgency | null;
  status: NeedStatus | null;
}


/** The public board: verified needs only, newest first, a page at a time. */
export async function listBoard(filter: BoardFilter, page: number) {
  const reference = await needReference();
  const match: Record<string, unknown> = {
    status: filter.status && isPublicNeedStatus(filter.status) ? filter.status : { $in: PUBLIC_NEED_STATUSES },
  };
  const street = filter.street ? reference.streets.find((s) => s.code === filter.street) : undefined;
  if (street) match.street = new Types.ObjectId(street.id);
  if (filter.category && reference.categories.some((c) => c.code === filter.category)) match.category = filter.category;
  if (filter.urgency) match.urgency = filter.urgency;
  const [result] = await Need.aggregate<{ cards: CardDoc[]; total: { n: number }[] }>([
    { $match: match },
    {
      $facet: {
        cards: [{ $sort: { publishedAt: -1, number: -1 } }, { $skip: (page - 1) * NEEDS_PAGE }, { $limit: NEEDS_PAGE }, { $project: CARD_FIELDS }],
        total: [{ $count: 'n' }],
      },
    },
  ]);
  const at = places(reference);
  const total = result?.total[0]?.n ?? 0;
  return {
    cards: (result?.cards ?? []).map((d) => card(d, at)),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / NEEDS_PAGE)),
    categories: reference.categories.filter((c) => c.active).map((c) => ({ code: c.code, name: c.name })),
    streets: reference.streets.map((s) => ({ code: s.code, name: s.name })),
  };
}

interface HelperRef {
  _id: Types.ObjectId;
  name: string;
  kind: HelperKind;
  status: string;
  members: Types.ObjectId[];
}

interface NeedPageDoc extends CardDoc {
  _id: Types.ObjectId;
  grid: string;
  raisedBy: Types.ObjectId;
  raisedAs: RaiserKind;
  verification?: { at?: Date | null; authentic?: boolean | null; note?: string | null } | null;
  claim?: { at: Date; helper: Types.ObjectId } | null;
  claims: { helper: Types.ObjectId; at: Date; endedAt?: Date | null; outcome?: string | null }[];
  fulfilment?: { note?: string | null; photos?: { fileId: string; thumbId: string; peopleConsent: boolean }[] | null; at?: Date | null } | null;
  fulfilledAt?: Date | null;
  claimMs?: number | null;
  fulfilMs?: number | null;
  reopenCount: number;
  withdrawnReason?: string | null;
  claimHelper: HelperRef[];
  fulfilledHelper: HelperRef[];
  answering: AnsweringDoc[];
  answeringCompetitions: CompetitionRef[];
}

/** The whistle-blower's chain: the raiser, the area's community workers, the street's committee. */
export function inChain(viewer: SessionUser, need: { raisedBy: Types.ObjectId | string; street: Types.ObjectId | string; community: Types.ObjectId | string }): boolean {
  return answersFor(viewer, need) || hasPermission(viewer.roles, 'need:verify', { streetId: String(need.street), communityId: String(need.community) });
}

/**
 * Who sees the person's name, address, phone and situation: the chain, and the members of the
 * helper whose claim lasts now (claimed or reported done); nobody else, and the helper no longer
 * once the claim ends (released, reopened, confirmed).
 */
export function seesDetails(viewer: SessionUser | null, need: Pick<NeedPageDoc, 'raisedBy' | 'street' | 'community' | 'status'>, claimHelper: Pick<HelperRef, 'members'> | null): boolean {
  if (!viewer) return false;
  if (inChain(viewer, need)) return true;
  return Boolean(claimHelper && (need.status === 'claimed' || need.status === 'done') && claimHelper.members.some((m) => String(m) === viewer.id));
}

export async function needDetails(needId: Types.ObjectId) {
  const doc = await NeedDetail.findOne({ need: needId }).select('name address phone situation').lean();
  return doc ? { name: doc.name, address: doc.address, phone: doc.phone, situation: doc.situation } : null;
}

/**
 * A need's page for this viewer: null when it does not exist or is not theirs to see (a need not
 * yet verified, rejected or withdrawn is only the chain's). What the viewer may do is worked out
 * here, so the page and its actions agree.
 */
export async function getNeedPage(number: number, viewer: SessionUser | null, viewerHelper: { id: string; status: string } | null) {
  const [doc] = await Need.aggregate<NeedPageDoc>([
    { $match: { number } },
    { $lookup: { from: 'helpers', localField: 'claim.helper', foreignField: '_id', as: 'claimHelper' } },
    { $lookup: { from: 'helpers', localField: 'fulfilledBy', foreignField: '_id', as: 'fulfilledHelper' } },
    ...ANSWERING_STAGES,
  ]);
  if (!doc) return null;
  const chain = viewer ? inChain(viewer, doc) : false;
  const isPublic = isPublicNeedStatus(doc.status);
  if (!isPublic && !chain) return null;
  const claimHelper = doc.claim ? (doc.claimHelper[0] ?? null) : null;
  const fulfilledHelper = doc.fulfilledHelper[0] ?? null;
  const claimant = Boolean(viewer && claimHelper?.members.some((m) => String(m) === viewer.id));
  const details = seesDetails(viewer, doc, claimHelper) ? await needDetails(doc._id) : null;
  const at = places(await needReference());
  const answers = Boolean(viewer && answersFor(viewer, doc));
  const helperView = (h: HelperRef | null) => (h ? { name: h.name, kind: h.kind, certified: h.status === 'certified' } : null);
  // The report of what was done is public once confirmed; before that, for the chain and the helper.
  const showReport = doc.status === 'fulfilled' || ((chain || claimant) && doc.status === 'done');
  return {
    ...card(doc, at),
    grid: chain || claimant ? doc.grid : null,
    raisedAs: doc.raisedAs,
    verification: chain && doc.verification?.at ? { at: doc.verification.at.toISOString(), authentic: Boolean(doc.verification.authentic), note: doc.verification.note ?? '' } : null,
    claimedBy: doc.status === 'claimed' || doc.status === 'done' ? helperView(claimHelper) : null,
    claimedAt: doc.claim?.at.toISOString() ?? null,
    fulfilledBy: doc.status === 'fulfilled' ? helperView(fulfilledHelper) : null,
    fulfilledAt: doc.fulfilledAt?.toISOString() ?? null,
    report: showReport && doc.fulfilment
      ? {
          note: doc.fulfilment.note ?? '',
          at: doc.fulfilment.at?.toISOString() ?? null,
          photos: (doc.fulfilment.photos ?? []).filter((p) => p.peopleConsent).map((p) => ({ fileId: p.fileId, thumbId: p.thumbId })),
        }
      : null,
    claimHours: doc.claimMs != null ? Math.round(doc.claimMs / 3_600_000) : null,
    fulfilHours: doc.fulfilMs != null ? Math.round(doc.fulfilMs / 3_600_000) : null,
    reopenCount: doc.reopenCount,
    withdrawnReason: chain ? (doc.withdrawnReason ?? null) : null,
    history: chain ? doc.claims.map((c) => ({ at: c.at.toISOString(), endedAt: c.endedAt?.toISOString() ?? null, outcome: c.outcome ?? null })) : [],
    details,
    // The proposals that cite it as a need they answer, and the projects they became.
    answeredBy: answeringProposals(doc),
    may: {
      verify: Boolean(viewer && doc.status === 'pending' && hasPermission(viewer.roles, 'need:verify', { streetId: String(doc.street), communityId: String(doc.community) }) && String(doc.raisedBy) !== viewer.id),
      claim: Boolean(viewer && doc.status === 'open' && !chain && viewerHelper?.status === 'certified'),
      applyAsHelper: Boolean(viewer && doc.status === 'open' && !chain && !viewerHelper),
      release: claimant && doc.status === 'claimed',
      reportDone: claimant && doc.status === 'claimed',
      confirm: answers && doc.status === 'done',
      reopen: answers && (doc.status === 'claimed' || doc.status === 'done'),
      withdraw: answers && (doc.status === 'pending' || doc.status === 'open'),
    },
  };
}
export type NeedPage = NonNullable<Awaited<ReturnType<typeof getNeedPage>>>;

export type WorkView = 'verify' | 'mine' | 'street' | 'claims';

/**
 * The people's lists: needs of my area waiting for verification, the needs I raised, my street's
 * needs (the committee: escalated first), the needs my helper answers now. A page at a time.
 */
export async function listWork(viewer: SessionUser, view: WorkView, page: number, helperId: string | null) {
  const reference = await needReference();
  const grants = (role: string) => viewer.roles.filter((g) => g.role === role && g.scopeId);
  const areaFilter = (role: string) => {
    const of = grants(role);
    const streets = of.filter((g) => g.scopeType === 'street').map((g) => new Types.ObjectId(g.scopeId!));
    const communities = of.filter((g) => g.scopeType === 'community').map((g) => new Types.ObjectId(g.scopeId!));
    return { $or: [{ street: { $in: streets } }, { community: { $in: communities } }] };
  };
  let match: Record<string, unknown>;
  let sort: Record<string, 1 | -1> = { createdAt: -1, number: -1 };
  if (view === 'verify') match = { status: 'pending', ...areaFilter('communityWorker') };
  else if (view === 'mine') match = { raisedBy: new Types.ObjectId(viewer.id) };
  else if (view === 'street') {
    match = { status: { $in: ['open', 'claimed', 'done'] }, ...areaFilter('streetCommittee') };
    sort = { escalatedAt: -1, publishedAt: 1, number: 1 };
  } else match = helperId ? { 'claim.helper': new Types.ObjectId(helperId), status: { $in: ['claimed', 'done'] } } : { _id: null };
  const [result] = await Need.aggregate<{ cards: CardDoc[]; total: { n: number }[] }>([
    { $match: mongoose.trusted(match) },
    { $facet: { cards: [{ $sort: sort }, { $skip: (page - 1) * NEEDS_PAGE }, { $limit: NEEDS_PAGE }, { $project: CARD_FIELDS }], total: [{ $count: 'n' }] } },
  ]);
  const at = places(reference);
  const total = result?.total[0]?.n ?? 0;
  return { cards: (result?.cards ?? []).map((d) => card(d, at)), total, page, pages: Math.max(1, Math.ceil(total / NEEDS_PAGE)) };
}

/** Which work lists the viewer has. */
export function workViews(viewer: SessionUser, hasHelper: boolean): WorkView[] {
  const views: WorkView[] = [];
  if (viewer.roles.some((g) => g.role === 'communityWorker')) views.push('verify');
  if (viewer.roles.some((g) => g.role === 'gridWorker' || g.role === 'whistleBlower')) views.push('mine');
  if (viewer.roles.some((g) => g.role === 'streetCommittee')) views.push('street');
  if (hasHelper) views.push('claims');
  return views;
}
