import type { PipelineStage, Types } from 'mongoose';
import { Ballot, Competition, MilestoneReport, Need, NeedCategory, Organization, Pledge, Project, ProjectRating, Proposal, Residency, ServiceLog, Street, Wish } from '#models';
import type { PartnerKind, PledgeKind } from '~/features/resources/rules';
import { COUNTED_STATUSES, type WishStatus } from '~/features/wishes/rules';
import { ALL_YEARS, endOfShanghaiYear, FIRST_YEAR, LAST_YEAR, startOfShanghaiYear, type RawFigures } from './figures';

/**
 * The dashboard's aggregates (docs/decisions/026-district-dashboard.md): two waves of round
 * trips, constant whatever the data: the competitions and streets, then one aggregate per
 * collection (proposals, ballots, residencies, projects, approved reports, ratings, needs, wishes, pledges, service logs) and the
 * organizations' stages, all in parallel. Grouped by competition (or, for counts of distinct
 * people, by year), so one computation serves every year's page; kept in this process's memory
 * for FIGURES_TTL_MS, so a busy dashboard costs the database one computation a minute per process.
 */
export const FIGURES_TTL_MS = 60_000;

const NOT_VOIDED = { 'voided.at': null };

interface Memo {
  at: number;
  raw: Promise<RawFigures>;
}
let memo: Memo | null = null;

/** The figures, computed at most once per FIGURES_TTL_MS in this process (concurrent misses share one computation). */
export function loadRawFigures(now = Date.now()): Promise<RawFigures> {
  if (memo && now - memo.at < FIGURES_TTL_MS) return memo.raw;
  const raw = computeRawFigures();
  const entry: Memo = { at: now, raw };
  memo = entry;
  // A failed computation is not kept: the next request tries again.
  raw.catch(() => {
    if (memo === entry) memo = null;
  });
  return raw;
}

/** Forget the kept figures (tests that write and read again). */
export function clearFiguresCache(): void {
  memo = null;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

interface NeedGroup {
  _id: { year: number; street: Types.ObjectId; category: string };
  raised: number;
  claimed: number;
  fulfilled: number;
  claimMs: (number | null)[];
  fulfilMs: (number | null)[];
  names: { name?: { zh?: string; en?: string }; order?: number }[];
}

type ServiceGroup = { _id: { year: string | null; street: Types.ObjectId | null }; volunteers: number };
interface ServiceFacets {
  rows: (ServiceGroup & { _id: { year: string; street: Types.ObjectId }; minutes: number; personTimes: number })[];
  years: ServiceGroup[];
  streets: ServiceGroup[];
  all: ServiceGroup[];
}

const durations = (values: readonly (number | null)[]) => values.filter((v): v is number => typeof v === 'number');

/** The categories the needs name, in the categories' order. */
function needCategoriesOf(groups: readonly NeedGroup[]) {
  const names = new Map<string, { code: string; name: { zh: string; en: string }; order: number }>();
  for (const group of groups) {
    const known = group.names[0];
    const code = group._id.category;
    if (!names.has(code)) names.set(code, { code, name: { zh: known?.name?.zh ?? code, en: known?.name?.en ?? code }, order: known?.order ?? Number.MAX_SAFE_INTEGER });
  }
  return [...names.values()].sort((a, b) => a.order - b.order || a.code.localeCompare(b.code)).map(({ code, name }) => ({ code, name }));
}

type Scope = { key: string; competitions: Types.ObjectId[]; year: number | null };

/** Facet branch names may not contain dots or start with "$": "all" and "y2025". */
const branch = (scope: Scope) => (scope.year === null ? ALL_YEARS : `y${scope.year}`);

export async function computeRawFigures(): Promise<RawFigures> {
  const [competitions, streets] = await Promise.all([
    Competition.find({}).select('slug year title categories').sort({ year: -1 }).lean(),
    Street.find({}).select('name order').sort({ order: 1 }).lean(),
  ]);
  const ids = competitions.map((c) => c._id);
  const years = [...new Set(competitions.map((c) => c.year))];
  const scopes: Scope[] = [
    { key: ALL_YEARS, competitions: ids, year: null },
    ...years.map((year) => ({ key: String(year), competitions: competitions.filter((c) => c.year === year).map((c) => c._id), year })),
  ];

  const [proposals, ballots, residents, projects, reports, ratings, organizations, needs, wishes, pledges, service] = await Promise.all([
    Proposal.aggregate<{ _id: Types.ObjectId; count: number }>([
      { $match: { competition: { $in: ids }, status: { $ne: 'draft' } } },
      { $group: { _id: '$competition', count: { $sum: 1 } } },
    ]),
    Ballot.aggregate<Record<string, { _id: Types.ObjectId | null; count: number }[]>>([
      { $match: { competition: { $in: ids }, ...NOT_VOIDED } },
      { $project: { competition: 1, voter: 1, street: 1 } },
      {
        $facet: Object.fromEntries(
          scopes.flatMap((scope) => {
            const only: PipelineStage.FacetPipelineStage[] = scope.year === null ? [] : [{ $match: { competition: { $in: scope.competitions } } }];
            return [
              [`s_${branch(scope)}`, [...only, { $group: { _id: { street: '$street', voter: '$voter' } } }, { $group: { _id: '$_id.street', count: { $sum: 1 } } }]],
              [`t_${branch(scope)}`, [...only, { $group: { _id: '$voter' } }, { $group: { _id: null, count: { $sum: 1 } } }]],
            ];
          }),
        ),
      },
    ]),
    Residency.aggregate<Record<string, { _id: Types.ObjectId; count: number }[]>>([
      { $match: { street: { $in: streets.map((s) => s._id) }, revokedAt: null } },
      { $project: { resident: 1, street: 1, scope: 1, competition: 1, validFrom: 1, validUntil: 1 } },
      {
        $facet: Object.fromEntries(
          scopes.map((scope) => {
            const counts: PipelineStage.FacetPipelineStage[] = [{ $group: { _id: { street: '$street', resident: '$resident' } } }, { $group: { _id: '$_id.street', count: { $sum: 1 } } }];
            if (scope.year === null) return [branch(scope), counts];
            // Verifications that count for the year: for one of its competitions, or for an area over a period that overlaps it.
            const during = { $or: [{ scope: 'competition', competition: { $in: scope.competitions } }, { scope: 'area', validFrom: { $lt: endOfShanghaiYear(scope.year) }, validUntil: { $gt: startOfShanghaiYear(scope.year) } }] };
            return [branch(scope), [{ $match: during }, ...counts]];
          }),
        ),
      },
    ]),
    Project.aggregate<{ _id: { competition: Types.ObjectId; category: string; street: Types.ObjectId | null; status: string }; count: number; approvedFen: number }>([
      { $match: { competition: { $in: ids } } },
      { $group: { _id: { competition: '$competition', category: '$category', street: '$street', status: '$status' }, count: { $sum: 1 }, approvedFen: { $sum: '$approvedBudgetFen' } } },
    ]),
    MilestoneReport.aggregate<{
      spent: { _id: { competition: Types.ObjectId; category: string; street: Types.ObjectId | null }; spentFen: number }[];
      served: { _id: { competition: Types.ObjectId; group: string }; count: number }[];
      volunteers: { _id: Types.ObjectId; hours: number; personTimes: number }[];
    }>([
      { $match: { competition: { $in: ids }, status: 'approved' } },
      // Whole arrays: the stand-in projects a path into an array of documents as arrays of values.
      { $project: { competition: 1, project: 1, served: 1, volunteers: 1, volunteerHours: 1, expenses: 1 } },
      {
        $facet: {
          // Spent: the approved reports' expenses that are not held (released lines are no longer held).
          spent: [
            { $unwind: '$expenses' },
            { $match: { 'expenses.held': false } },
            { $group: { _id: '$project', competition: { $first: '$competition' }, spentFen: { $sum: '$expenses.amountFen' } } },
            { $lookup: { from: Project.collection.name, localField: '_id', foreignField: '_id', as: 'p' } },
            { $unwind: '$p' },
            { $group: { _id: { competition: '$competition', category: '$p.category', street: '$p.street' }, spentFen: { $sum: '$spentFen' } } },
          ],
          served: [{ $unwind: '$served' }, { $group: { _id: { competition: '$competition', group: '$served.group' }, count: { $sum: '$served.count' } } }],
          volunteers: [{ $group: { _id: '$competition', hours: { $sum: '$volunteerHours' }, personTimes: { $sum: '$volunteers' } } }],
        },
      },
    ]),
    ProjectRating.aggregate<{ _id: Types.ObjectId; stars: number; count: number }>([
      { $match: { competition: { $in: ids } } },
      { $project: { competition: 1, project: 1, stars: 1 } },
      { $lookup: { from: Project.collection.name, localField: 'project', foreignField: '_id', as: 'p' } },
      { $unwind: '$p' },
      { $match: { 'p.status': 'completed' } },
      { $group: { _id: '$competition', stars: { $sum: '$stars' }, count: { $sum: 1 } } },
    ]),
    Organization.find({}).select('name stage createdAt stageHistory.stage stageHistory.at').lean(),
    // Every need counts as raised, whatever its status: the count says nothing about anyone.
    // Grouped by the Shanghai year it was raised in (UTC+8, no daylight saving), street and
    // category, with each claimed or fulfilled need's duration for the medians; the category's
    // names come along (its first row carries them), so the page needs no other read.
    Need.aggregate<NeedGroup>([
      { $project: { street: 1, category: 1, status: 1, createdAt: 1, firstClaimedAt: 1, claimMs: 1, fulfilMs: 1 } },
      {
        $group: {
          _id: { year: { $year: { $add: ['$createdAt', SHANGHAI_OFFSET_MS] } }, street: '$street', category: '$category' },
          raised: { $sum: 1 },
          claimed: { $sum: { $cond: [{ $ifNull: ['$firstClaimedAt', false] }, 1, 0] } },
          fulfilled: { $sum: { $cond: [{ $eq: ['$status', 'fulfilled'] }, 1, 0] } },
          claimMs: { $push: { $ifNull: ['$claimMs', null] } },
          fulfilMs: { $push: { $cond: [{ $eq: ['$status', 'fulfilled'] }, { $ifNull: ['$fulfilMs', null] }, null] } },
        },
      },
      // The whole (small) category document: the stand-in projects a path into an array of documents as arrays of values.
      { $lookup: { from: NeedCategory.collection.name, localField: '_id.category', foreignField: 'code', as: 'names' } },
    ]),
    // Micro-wishes by the Shanghai year they were registered in, street and status.
    Wish.aggregate<{ _id: { year: number; street: Types.ObjectId; status: WishStatus }; count: number }>([
      { $match: { status: { $in: [...COUNTED_STATUSES] } } },
      { $project: { street: 1, status: 1, createdAt: 1 } },
      { $group: { _id: { year: { $year: { $add: ['$createdAt', SHANGHAI_OFFSET_MS] } }, street: '$street', status: '$status' }, count: { $sum: 1 } } },
    ]),
    // Charity resources' pledges, not withdrawn, by the Shanghai year recorded, street, partner kind, kind and delivery.
    Pledge.aggregate<{ _id: { year: number; street: Types.ObjectId | null; partnerKind: PartnerKind; kind: PledgeKind; status: string }; valueFen: number; count: number }>([
      { $match: { status: { $in: ['pledged', 'delivered'] } } },
      { $project: { street: { $ifNull: ['$street', null] }, partnerKind: 1, kind: 1, status: 1, valueFen: 1, createdAt: 1 } },
      {
        $group: {
          _id: { year: { $year: { $add: ['$createdAt', SHANGHAI_OFFSET_MS] } }, street: '$street', partnerKind: '$partnerKind', kind: '$kind', status: '$status' },
          valueFen: { $sum: '$valueFen' },
          count: { $sum: 1 },
        },
      },
    ]),
    // Volunteers' service logs (a log is one person-time) by the year of the service day (a
    // Shanghai yyyy-mm-dd) and street, and the distinct volunteers of every year and street,
    // each year, each street and all. The range is the years a dashboard can show; with the
    // projection it lets MongoDB read the { day, street, volunteer, minutes } index alone.
    ServiceLog.aggregate<ServiceFacets>([
      { $match: { day: { $gte: `${FIRST_YEAR}-01-01`, $lt: `${LAST_YEAR + 1}-01-01` } } },
      { $project: { _id: 0, year: { $substrBytes: ['$day', 0, 4] }, street: 1, volunteer: 1, minutes: 1 } },
      {
        $facet: {
          rows: [{ $group: { _id: { year: '$year', street: '$street' }, minutes: { $sum: '$minutes' }, personTimes: { $sum: 1 }, people: { $addToSet: '$volunteer' } } }, { $project: { minutes: 1, personTimes: 1, volunteers: { $size: '$people' } } }],
          years: [{ $group: { _id: { year: '$year', street: null }, people: { $addToSet: '$volunteer' } } }, { $project: { volunteers: { $size: '$people' } } }],
          streets: [{ $group: { _id: { year: null, street: '$street' }, people: { $addToSet: '$volunteer' } } }, { $project: { volunteers: { $size: '$people' } } }],
          all: [{ $group: { _id: { year: null, street: null }, people: { $addToSet: '$volunteer' } } }, { $project: { volunteers: { $size: '$people' } } }],
        },
      },
    ]),
  ]);

  const [ballotFacets = {}] = ballots;
  const [residentFacets = {}] = residents;
  const [reportFacets] = reports;
  const [serviceFacets = { rows: [], years: [], streets: [], all: [] }] = service;
  const id = (value: Types.ObjectId | null | undefined) => (value ? String(value) : null);
  return {
    computedAt: new Date().toISOString(),
    competitions: competitions.map((c) => ({
      id: String(c._id),
      slug: c.slug,
      year: c.year,
      title: { zh: c.title.zh, en: c.title.en },
      categories: c.categories.map((k) => ({ code: k.code, name: { zh: k.name.zh, en: k.name.en } })),
    })),
    streets: streets.map((s) => ({ id: String(s._id), name: { zh: s.name.zh, en: s.name.en } })),
    proposals: proposals.map((p) => ({ competition: String(p._id), count: p.count })),
    voters: scopes.flatMap((scope) => (ballotFacets[`s_${branch(scope)}`] ?? []).map((row) => ({ scope: scope.key, street: id(row._id), count: row.count }))),
    voterTotals: scopes.map((scope) => ({ scope: scope.key, count: ballotFacets[`t_${branch(scope)}`]?.[0]?.count ?? 0 })),
    residents: scopes.flatMap((scope) => (residentFacets[branch(scope)] ?? []).map((row) => ({ scope: scope.key, street: String(row._id), count: row.count }))),
    projects: projects.map((p) => ({ competition: String(p._id.competition), category: p._id.category ?? '', street: id(p._id.street), status: p._id.status, count: p.count, approvedFen: p.approvedFen })),
    spent: (reportFacets?.spent ?? []).map((s) => ({ competition: String(s._id.competition), category: s._id.category ?? '', street: id(s._id.street), spentFen: s.spentFen })),
    served: (reportFacets?.served ?? []).map((s) => ({ competition: String(s._id.competition), group: s._id.group, count: s.count })),
    volunteers: (reportFacets?.volunteers ?? []).map((v) => ({ competition: String(v._id), hours: v.hours, personTimes: v.personTimes })),
    ratings: ratings.map((r) => ({ competition: String(r._id), stars: r.stars, count: r.count })),
    organizations: organizations.map((o) => ({
      id: String(o._id),
      name: o.name,
      stage: o.stage,
      createdAt: (o.createdAt ?? new Date(0)).toISOString(),
      history: (o.stageHistory ?? []).map((h) => ({ stage: h.stage, at: h.at.toISOString() })),
    })),
    needs: needs.map((n) => ({
      year: n._id.year,
      street: String(n._id.street),
      category: n._id.category,
      raised: n.raised,
      claimed: n.claimed,
      fulfilled: n.fulfilled,
      claimMs: durations(n.claimMs),
      fulfilMs: durations(n.fulfilMs),
    })),
    needCategories: needCategoriesOf(needs),
    wishes: wishes.map((w) => ({ year: w._id.year, street: String(w._id.street), status: w._id.status, count: w.count })),
    resources: pledges.map((p) => ({
      year: p._id.year,
      street: p._id.street ? String(p._id.street) : null,
      partnerKind: p._id.partnerKind,
      kind: p._id.kind,
      delivered: p._id.status === 'delivered',
      valueFen: p.valueFen,
      count: p.count,
    })),
    service: serviceFacets.rows.map((r) => ({ year: Number(r._id.year), street: String(r._id.street), minutes: r.minutes, personTimes: r.personTimes })),
    serviceVolunteers: [...serviceFacets.rows, ...serviceFacets.years, ...serviceFacets.streets, ...serviceFacets.all].map((r) => ({
      year: r._id.year === null ? null : Number(r._id.year),
      street: id(r._id.street),
      count: r.volunteers,
    })),
  };
}
