import mongoose, { Types, type PipelineStage } from 'mongoose';
import { Pledge, ResourcePartner, Street } from '#models';
import type { LocalizedText } from '~/core/locales';
import { OBJECT_ID } from '~/utils/object-id';
import {
  DISTRICT_FUND_KEY,
  isOverdue,
  moneyBySource,
  PLEDGE_LIST_MAX,
  PLEDGE_STATUSES,
  PLEDGES_PAGE_SIZE,
  type MoneyBySource,
  type PartnerKind,
  type PledgeFigure,
  type PledgeFilter,
  type PledgeKind,
  type PledgeStatus,
} from './rules';

/**
 * The pages' reads of pledges. Each is one aggregate (partners joined by $lookup, page and total
 * by $facet). Public views never carry a receipt, a delivery note, who recorded it, or the name
 * of an individual who did not consent to be named (`partner: null`, shown as 爱心人士).
 */

export interface PledgeLine {
  number: number;
  /** null: an individual shown as anonymous. */
  partner: { id: string | null; name: string } | null;
  partnerKind: PartnerKind;
  kind: PledgeKind;
  status: PledgeStatus;
  item: string;
  quantity: number;
  unit: string;
  valueFen: number;
  dueAt: string;
  deliveredAt: string | null;
  overdue: boolean;
}

const LINE_FIELDS = {
  number: 1,
  partnerKind: 1,
  showName: 1,
  kind: 1,
  status: 1,
  item: { $ifNull: ['$item', ''] },
  quantity: { $ifNull: ['$quantity', 0] },
  unit: { $ifNull: ['$unit', ''] },
  valueFen: 1,
  dueAt: 1,
  deliveredAt: { $ifNull: ['$delivery.at', null] },
  partnerName: { $ifNull: [{ $arrayElemAt: ['$partnerDoc.name', 0] }, ''] },
  partnerId: { $arrayElemAt: ['$partnerDoc._id', 0] },
} as const;

interface LineRow {
  number: number;
  partnerKind: PartnerKind;
  showName: boolean;
  kind: PledgeKind;
  status: PledgeStatus;
  item: string;
  quantity: number;
  unit: string;
  valueFen: number;
  dueAt: Date;
  deliveredAt: Date | null;
  partnerName: string;
  partnerId?: Types.ObjectId;
}

const partnerLookup: PipelineStage.Lookup = { $lookup: { from: ResourcePartner.collection.name, localField: 'partner', foreignField: '_id', as: 'partnerDoc' } };

/** `named`: whether the viewer may see an anonymous individual's name (the team, the committee). */
function lineOf(row: LineRow, now: Date, named = false): PledgeLine {
  const shown = row.showName || named;
  return {
    number: row.number,
    // An individual has no public page (it would list their other gifts); others link to theirs.
    partner: shown ? { id: row.partnerKind !== 'individual' && row.partnerId ? String(row.partnerId) : null, name: row.partnerName } : null,
    partnerKind: row.partnerKind,
    kind: row.kind,
    status: row.status,
    item: row.item,
    quantity: row.quantity,
    unit: row.unit,
    valueFen: row.valueFen,
    dueAt: row.dueAt.toISOString(),
    deliveredAt: row.deliveredAt ? row.deliveredAt.toISOString() : null,
    overdue: isOverdue({ status: row.status, dueAt: row.dueAt }, now),
  };
}

export interface ProjectResources {
  money: MoneyBySource;
  overdueCount: number;
  delivered: PledgeLine[];
  outstanding: PledgeLine[];
}

/**
 * The public project page's section: money by source with its sums over every pledge of the
 * project, and the newest delivered and outstanding pledges. One aggregate.
 */
export async function projectResources(projectId: string, budgetFen: number, now: Date = new Date()): Promise<ProjectResources> {
  const lines = (status: PledgeStatus) => [{ $match: { status } }, { $limit: PLEDGE_LIST_MAX }, partnerLookup, { $project: LINE_FIELDS }];
  const [facet] = await Pledge.aggregate<{ sums: (PledgeFigure & { _id: unknown })[]; overdue: { n: number }[]; delivered: LineRow[]; outstanding: LineRow[] }>([
    { $match: { project: new Types.ObjectId(projectId), status: { $in: ['pledged', 'delivered'] } } },
    { $sort: { number: -1 } },
    {
      $facet: {
        sums: [
          { $group: { _id: { status: '$status', kind: '$kind', partnerKind: '$partnerKind' }, valueFen: { $sum: '$valueFen' } } },
          { $project: { _id: 0, status: '$_id.status', kind: '$_id.kind', partnerKind: '$_id.partnerKind', valueFen: 1 } },
        ],
        overdue: [{ $match: { status: 'pledged', dueAt: { $lt: now } } }, { $count: 'n' }],
        delivered: lines('delivered'),
        outstanding: lines('pledged'),
      },
    },
  ]);
  return {
    money: moneyBySource(budgetFen, facet?.sums ?? []),
    overdueCount: facet?.overdue[0]?.n ?? 0,
    delivered: (facet?.delivered ?? []).map((r) => lineOf(r, now)),
    outstanding: (facet?.outstanding ?? []).map((r) => lineOf(r, now)),
  };
}

/** A need's public list: who pledged what (not withdrawn), newest first. Shown only where the need's page is. */
export async function needPledges(needNumber: number, now: Date = new Date()): Promise<PledgeLine[]> {
  const rows = await Pledge.aggregate<LineRow>([
    { $match: { needNumber, status: { $in: ['pledged', 'delivered'] } } },
    { $sort: { number: -1 } },
    { $limit: PLEDGE_LIST_MAX },
    partnerLookup,
    { $project: LINE_FIELDS },
  ]);
  return rows.map((r) => lineOf(r, now));
}

/** The team's list of their project's pledges, every status, a page at a time; names shown (the team recorded them). */
export async function teamPledges(projectId: string, page: number, now: Date = new Date()) {
  return pageOf({ project: new Types.ObjectId(projectId), status: { $in: [...PLEDGE_STATUSES] } }, page, now, true);
}

export interface OverviewFilter {
  status: PledgeFilter | null;
  partnerKind: PartnerKind | null;
  streetId: string | null;
}

/** The committee's overview of every pledge: by status (overdue too), by partner kind, by street. */
export async function overviewPledges(filter: OverviewFilter, page: number, now: Date = new Date()) {
  const match: Record<string, unknown> = {};
  if (filter.streetId) match.street = new Types.ObjectId(filter.streetId);
  if (filter.partnerKind) match.partnerKind = filter.partnerKind;
  if (filter.status === 'overdue') Object.assign(match, { status: 'pledged', dueAt: { $lt: now } });
  else match.status = filter.status ?? { $in: [...PLEDGE_STATUSES] };
  return pageOf(match, page, now, true);
}

async function pageOf(match: Record<string, unknown>, page: number, now: Date, named: boolean) {
  const [facet] = await Pledge.aggregate<{ rows: (LineRow & { project?: Types.ObjectId; need?: Types.ObjectId; targetTitle: string; targetNumber: number; competitionSlug: string; needNumber: number | null })[]; total: { n: number }[] }>([
    { $match: match },
    { $sort: { number: -1 } },
    {
      $facet: {
        rows: [
          { $skip: (page - 1) * PLEDGES_PAGE_SIZE },
          { $limit: PLEDGES_PAGE_SIZE },
          partnerLookup,
          { $lookup: { from: 'projects', localField: 'project', foreignField: '_id', as: 'projectDoc' } },
          { $lookup: { from: 'competitions', localField: 'competition', foreignField: '_id', as: 'competitionDoc' } },
          {
            $project: {
              ...LINE_FIELDS,
              targetTitle: { $ifNull: [{ $arrayElemAt: ['$projectDoc.title', 0] }, ''] },
              targetNumber: { $ifNull: [{ $arrayElemAt: ['$projectDoc.number', 0] }, 0] },
              competitionSlug: { $ifNull: [{ $arrayElemAt: ['$competitionDoc.slug', 0] }, ''] },
              needNumber: { $ifNull: ['$needNumber', null] },
            },
          },
        ],
        total: [{ $count: 'n' }],
      },
    },
  ]);
  const total = facet?.total[0]?.n ?? 0;
  const items = (facet?.rows ?? []).map((r) => ({
    ...lineOf(r, now, named),
    target: r.needNumber ? { type: 'need' as const, number: r.needNumber } : { type: 'project' as const, number: r.targetNumber, title: r.targetTitle, competitionSlug: r.competitionSlug },
  }));
  return { items, total, pages: Math.max(1, Math.ceil(total / PLEDGES_PAGE_SIZE)) };
}

export type OverviewItem = Awaited<ReturnType<typeof pageOf>>['items'][number];

/** The streets for the overview's filter. */
export async function streetsForFilter(): Promise<{ id: string; name: LocalizedText }[]> {
  const streets = await Street.find().select('name').sort({ order: 1 }).lean();
  return streets.map((s) => ({ id: String(s._id), name: s.name }));
}

/** A partner's public page (not an individual's; `fund` is the 崂善行 fund's): its contributions, not withdrawn, newest first. */
export async function partnerPage(id: string, page: number, now: Date = new Date()) {
  const byKey = id === 'fund';
  if (!byKey && !OBJECT_ID.test(id)) return null;
  const partner = await (byKey ? ResourcePartner.findOne({ key: DISTRICT_FUND_KEY }) : ResourcePartner.findOne({ _id: id, kind: mongoose.trusted({ $ne: 'individual' }) }))
    .select('kind name')
    .lean();
  if (!partner) return null;
  const [list, sums] = await Promise.all([
    pageOf({ partner: partner._id, status: { $in: ['pledged', 'delivered'] } }, page, now, false),
    Pledge.aggregate<{ _id: PledgeStatus; valueFen: number }>([
      { $match: { partner: partner._id, status: { $in: ['pledged', 'delivered'] } } },
      { $group: { _id: '$status', valueFen: { $sum: '$valueFen' } } },
    ]),
  ]);
  const sum = (status: PledgeStatus) => sums.find((s) => s._id === status)?.valueFen ?? 0;
  return { partner: { id: String(partner._id), kind: partner.kind, name: partner.name }, ...list, deliveredFen: sum('delivered'), pledgedFen: sum('pledged') };
}
