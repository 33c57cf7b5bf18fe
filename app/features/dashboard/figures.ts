import type { LocalizedText } from '~/core/locales';
import { INCUBATION_STAGES } from '~/features/organizations/organizations';
import { BENEFICIARY_GROUPS } from '~/features/projects/reports';
import { median } from '~/features/needs/rules';
import { PROJECT_STATUSES } from '~/features/projects/rules';
import { bucketCounts, type BucketCounts, type WishStatus } from '~/features/wishes/rules';
import { PARTNER_KINDS, type PartnerKind, type PledgeKind } from '~/features/resources/rules';

/**
 * The district dashboard's figures (issue 15; docs/decisions/026-district-dashboard.md), shaped
 * from the database's aggregates (figures.server.ts) for one year or for all years. Pure, so the
 * page, the CSV downloads and the annual report show the same numbers, and tests check them.
 *
 * A year's figures are those of that year's competitions (their proposals, voters, projects, the
 * projects' approved reports and ratings, whenever the work was done); organizations' stages are
 * read at the end of the calendar year (Shanghai time). Needs of the needs whistle belong to the
 * year they were raised in (Shanghai time), whatever competitions that year had; micro-wishes to
 * the year they were registered in; volunteer service to the year of its service day.
 */

export interface CompetitionRef {
  id: string;
  slug: string;
  year: number;
  title: LocalizedText;
  categories: { code: string; name: LocalizedText }[];
}

/** Counts that add up across competitions, one row per competition (and key). */
export interface RawFigures {
  computedAt: string;
  competitions: CompetitionRef[];
  streets: { id: string; name: LocalizedText }[];
  proposals: { competition: string; count: number }[];
  /** Distinct voters (not voided) per scope ("all" or a year) and street (null: unknown). */
  voters: { scope: string; street: string | null; count: number }[];
  /** Distinct voters per scope, across streets. */
  voterTotals: { scope: string; count: number }[];
  /** Distinct residents verified in a street per scope (a verification that counts for that year). */
  residents: { scope: string; street: string; count: number }[];
  projects: { competition: string; category: string; street: string | null; status: string; count: number; approvedFen: number }[];
  spent: { competition: string; category: string; street: string | null; spentFen: number }[];
  served: { competition: string; group: string; count: number }[];
  volunteers: { competition: string; hours: number; personTimes: number }[];
  ratings: { competition: string; stars: number; count: number }[];
  organizations: OrganizationStages[];
  /** Needs per year raised (Shanghai), street and category, with each claimed or fulfilled need's duration for the medians. */
  needs: NeedRow[];
  /** The needs' category names, by code (the editable categories). */
  needCategories: { code: string; name: LocalizedText }[];
  /** Micro-wishes per year registered (Shanghai), street and status (withdrawn ones are not counted). */
  wishes: { year: number; street: string; status: WishStatus; count: number }[];
  /** Charity resources' pledges (not withdrawn) per year recorded (Shanghai), street, partner kind, kind and status. */
  resources: ResourceRow[];
  /** Volunteers' service logs (a log is one person-time) per service year (Shanghai day) and street. */
  service: ServiceRow[];
  /**
   * Distinct volunteers, which do not add up across rows: per year (null: all years) and street
   * (null: every street); one entry for each combination that has logs.
   */
  serviceVolunteers: { year: number | null; street: string | null; count: number }[];
}

export interface ServiceRow {
  year: number;
  street: string;
  minutes: number;
  personTimes: number;
}

/** Volunteer service from the logs: hours (one decimal), person-times and distinct volunteers. */
export interface ServiceSums {
  hours: number;
  personTimes: number;
  volunteers: number;
}

export interface ResourceRow {
  year: number;
  street: string | null;
  partnerKind: PartnerKind;
  kind: PledgeKind;
  delivered: boolean;
  valueFen: number;
  count: number;
}

/** Pledged (every pledge not withdrawn) and delivered, money and goods at their estimated value, in fen. */
export interface ResourceSums {
  pledgedFen: number;
  deliveredFen: number;
  deliveredMoneyFen: number;
  deliveredInKindFen: number;
}

export interface NeedRow {
  year: number;
  street: string;
  category: string;
  raised: number;
  claimed: number;
  fulfilled: number;
  /** Milliseconds from publication to the first claim, one per claimed need. */
  claimMs: number[];
  /** Milliseconds from publication to fulfilment, one per fulfilled need. */
  fulfilMs: number[];
}

/** The needs whistle's figures of one street, one category, or all. */
export interface NeedFigures {
  raised: number;
  claimed: number;
  fulfilled: number;
  /** Median hours from publication to the first claim (one decimal), or null when none was claimed. */
  claimHours: number | null;
  fulfilHours: number | null;
}

export interface OrganizationStages {
  id: string;
  name: string;
  stage: string;
  createdAt: string;
  history: { stage: string; at: string }[];
}

export const ALL_YEARS = 'all';

export interface DashboardFigures {
  /** The year shown, or null for all years. */
  year: number | null;
  years: number[];
  summary: {
    competitions: number;
    proposals: number;
    voters: number;
    projects: number;
    approvedFen: number;
    spentFen: number;
    peopleServed: number;
    volunteerHours: number;
    volunteerPersonTimes: number;
    /** Mean of every rating of a completed project (1-5), or null when none. */
    ratingAverage: number | null;
    ratings: number;
    organizations: number;
  };
  byYear: { year: number; proposals: number; voters: number; approvedFen: number; spentFen: number; peopleServed: number }[];
  turnoutByStreet: { street: string; voters: number; residents: number; turnout: number | null }[];
  moneyByDirection: { category: string; approvedFen: number; spentFen: number }[];
  moneyByStreet: { street: string | null; approvedFen: number; spentFen: number }[];
  projectsByStatus: { status: string; count: number }[];
  peopleByGroup: { group: string; count: number }[];
  organizationsByStage: { stage: string; count: number }[];
  /** Organizations whose stage changed in the year (all years: every change). */
  organizationsGrown: { id: string; name: string; from: string | null; to: string; at: string }[];
  needs: NeedFigures & { byStreet: (NeedFigures & { street: string })[]; byCategory: (NeedFigures & { category: string })[] };
  /** Micro-wishes waiting, claimed and delivered (confirmed ones count as delivered), overall and by street. */
  wishes: BucketCounts & { byStreet: (BucketCounts & { street: string })[] };
  /** Charity resources pledged and delivered, overall, by source, by year recorded and by street. */
  resources: ResourceSums & { bySource: (ResourceSums & { source: PartnerKind })[]; byYear: (ResourceSums & { year: number })[]; byStreet: (ResourceSums & { street: string | null })[] };
  /** Volunteer service logged by the activities' teams, overall, by service year and by street. */
  service: ServiceSums & { byYear: (ServiceSums & { year: number })[]; byStreet: (ServiceSums & { street: string })[] };
}

export const CHARTS = ['byYear', 'turnoutByStreet', 'moneyByDirection', 'moneyByStreet', 'projectsByStatus', 'peopleByGroup', 'organizationsByStage', 'needs', 'needsByCategory', 'wishes', 'resourcesBySource', 'resourcesByYear', 'resourcesByStreet', 'serviceByYear', 'serviceByStreet'] as const;
export type ChartId = (typeof CHARTS)[number];

export function isChartId(value: unknown): value is ChartId {
  return typeof value === 'string' && (CHARTS as readonly string[]).includes(value);
}

/** The first and last year a dashboard may be asked for: anything else is a bad request. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/**
 * The `year` query parameter: absent or "all" is every year; a four-digit year in range is
 * that year; anything else is invalid (the page answers 400, never 500).
 */
export function parseYear(value: string | null): { ok: true; year: number | null } | { ok: false } {
  if (value === null || value === '' || value === ALL_YEARS) return { ok: true, year: null };
  if (!/^\d{4}$/.test(value)) return { ok: false };
  const year = Number(value);
  return year >= FIRST_YEAR && year <= LAST_YEAR ? { ok: true, year } : { ok: false };
}

/** The instant a calendar year ends in Shanghai (UTC+8, no daylight saving). */
export function endOfShanghaiYear(year: number): Date {
  return new Date(Date.UTC(year + 1, 0, 1) - 8 * 3_600_000);
}

export function startOfShanghaiYear(year: number): Date {
  return endOfShanghaiYear(year - 1);
}

/**
 * An organization's stage at an instant: the last recorded change before it; before its first
 * recorded change, the first stage; with no history at all, its current stage (set when it was
 * registered). Null when it was neither registered nor had a recorded stage before the instant
 * (a group registered later may carry an earlier history, from before the platform knew it).
 */
export function stageAt(org: OrganizationStages, at: Date): string | null {
  const known = Math.min(new Date(org.createdAt).getTime(), ...org.history.map((h) => new Date(h.at).getTime()));
  if (known >= at.getTime()) return null;
  const before = org.history.filter((h) => new Date(h.at).getTime() < at.getTime()).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  if (before.length) return before.at(-1)!.stage;
  return org.history.length ? INCUBATION_STAGES[0] : org.stage;
}

function sumBy<T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) out.set(key(row), (out.get(key(row)) ?? 0) + value(row));
  return out;
}

const total = <T>(rows: readonly T[], value: (row: T) => number) => rows.reduce((s, r) => s + value(r), 0);
const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 360_000) / 10);

function needFigures(rows: readonly NeedRow[]): NeedFigures {
  return {
    raised: total(rows, (r) => r.raised),
    claimed: total(rows, (r) => r.claimed),
    fulfilled: total(rows, (r) => r.fulfilled),
    claimHours: hours(median(rows.flatMap((r) => r.claimMs))),
    fulfilHours: hours(median(rows.flatMap((r) => r.fulfilMs))),
  };
}
const NO_STREET = '';

export function figuresFor(raw: RawFigures, year: number | null): DashboardFigures {
  const years = [...new Set(raw.competitions.map((c) => c.year))].sort((a, b) => a - b);
  const inScope = new Set(raw.competitions.filter((c) => year === null || c.year === year).map((c) => c.id));
  const pick = <T extends { competition: string }>(rows: readonly T[]) => rows.filter((r) => inScope.has(r.competition));
  const scope = year === null ? ALL_YEARS : String(year);

  const proposals = pick(raw.proposals);
  const projects = pick(raw.projects);
  const spent = pick(raw.spent);
  const served = pick(raw.served);
  const volunteers = pick(raw.volunteers);
  const ratings = pick(raw.ratings);

  const approvedByCategory = sumBy(projects, (p) => p.category, (p) => p.approvedFen);
  const spentByCategory = sumBy(spent, (s) => s.category, (s) => s.spentFen);
  const categories = [...new Set([...approvedByCategory.keys(), ...spentByCategory.keys()])];
  const moneyByDirection = categories
    .map((category) => ({ category, approvedFen: approvedByCategory.get(category) ?? 0, spentFen: spentByCategory.get(category) ?? 0 }))
    .sort((a, b) => b.approvedFen - a.approvedFen || b.spentFen - a.spentFen || a.category.localeCompare(b.category));

  const approvedByStreet = sumBy(projects, (p) => p.street ?? NO_STREET, (p) => p.approvedFen);
  const spentByStreet = sumBy(spent, (s) => s.street ?? NO_STREET, (s) => s.spentFen);
  const streetOrder = new Map(raw.streets.map((s, i) => [s.id, i]));
  const order = (id: string) => streetOrder.get(id) ?? raw.streets.length;
  const moneyStreets = [...new Set([...raw.streets.map((s) => s.id), ...approvedByStreet.keys(), ...spentByStreet.keys()])].filter(
    (id) => id !== NO_STREET || approvedByStreet.has(NO_STREET) || spentByStreet.has(NO_STREET),
  );
  const moneyByStreet = moneyStreets
    .sort((a, b) => order(a) - order(b))
    .map((id) => ({ street: id === NO_STREET ? null : id, approvedFen: approvedByStreet.get(id) ?? 0, spentFen: spentByStreet.get(id) ?? 0 }));

  const votersByStreet = new Map(raw.voters.filter((v) => v.scope === scope && v.street).map((v) => [v.street!, v.count]));
  const residentsByStreet = new Map(raw.residents.filter((r) => r.scope === scope).map((r) => [r.street, r.count]));
  const turnoutByStreet = raw.streets.map((s) => {
    const voters = votersByStreet.get(s.id) ?? 0;
    const residents = residentsByStreet.get(s.id) ?? 0;
    return { street: s.id, voters, residents, turnout: residents > 0 ? voters / residents : null };
  });

  const statusCounts = sumBy(projects, (p) => p.status, (p) => p.count);
  const projectsByStatus = PROJECT_STATUSES.map((status) => ({ status, count: statusCounts.get(status) ?? 0 }));
  const groupCounts = sumBy(served, (s) => s.group, (s) => s.count);
  const peopleByGroup = BENEFICIARY_GROUPS.map((group) => ({ group, count: groupCounts.get(group) ?? 0 }));

  const end = year === null ? null : endOfShanghaiYear(year);
  const start = year === null ? null : startOfShanghaiYear(year);
  const stages = raw.organizations.map((o) => (end ? stageAt(o, end) : o.stage)).filter((s): s is string => s !== null);
  const stageCounts = sumBy(stages, (s) => s, () => 1);
  const organizationsByStage = INCUBATION_STAGES.map((stage) => ({ stage, count: stageCounts.get(stage) ?? 0 }));
  const organizationsGrown = raw.organizations
    .flatMap((o) => {
      const history = [...o.history].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
      return history.map((h, i) => ({ id: o.id, name: o.name, from: i > 0 ? history[i - 1]!.stage : null, to: h.stage, at: h.at }));
    })
    .filter((g) => !start || !end || (new Date(g.at) >= start && new Date(g.at) < end))
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || a.name.localeCompare(b.name));

  const needRows = raw.needs.filter((n) => year === null || n.year === year);
  const needCategoryOrder = new Map(raw.needCategories.map((c, i) => [c.code, i]));
  const needs = {
    ...needFigures(needRows),
    byStreet: raw.streets.map((s) => ({ street: s.id, ...needFigures(needRows.filter((n) => n.street === s.id)) })),
    byCategory: [...new Set(needRows.map((n) => n.category))]
      .sort((a, b) => (needCategoryOrder.get(a) ?? Infinity) - (needCategoryOrder.get(b) ?? Infinity) || a.localeCompare(b))
      .map((category) => ({ category, ...needFigures(needRows.filter((n) => n.category === category)) })),
  };

  const wishRows = raw.wishes.filter((w) => year === null || w.year === year);
  const wishCounts = (rows: typeof wishRows) => bucketCounts(Object.fromEntries([...sumBy(rows, (r) => r.status, (r) => r.count)]));
  const wishes = { ...wishCounts(wishRows), byStreet: raw.streets.map((s) => ({ street: s.id, ...wishCounts(wishRows.filter((w) => w.street === s.id)) })) };

  const resources = resourceFigures(raw.resources.filter((r) => year === null || r.year === year), raw.streets);
  const service = serviceFigures(raw, year);

  const ratingCount = total(ratings, (r) => r.count);
  const voterTotal = raw.voterTotals.find((v) => v.scope === scope)?.count ?? 0;

  const byYear = years.map((y) => {
    const ids = new Set(raw.competitions.filter((c) => c.year === y).map((c) => c.id));
    const of = <T extends { competition: string }>(rows: readonly T[]) => rows.filter((r) => ids.has(r.competition));
    return {
      year: y,
      proposals: total(of(raw.proposals), (p) => p.count),
      voters: raw.voterTotals.find((v) => v.scope === String(y))?.count ?? 0,
      approvedFen: total(of(raw.projects), (p) => p.approvedFen),
      spentFen: total(of(raw.spent), (s) => s.spentFen),
      peopleServed: total(of(raw.served), (s) => s.count),
    };
  });

  return {
    year,
    years,
    summary: {
      competitions: inScope.size,
      proposals: total(proposals, (p) => p.count),
      voters: voterTotal,
      projects: total(projects, (p) => p.count),
      approvedFen: total(projects, (p) => p.approvedFen),
      spentFen: total(spent, (s) => s.spentFen),
      peopleServed: total(served, (s) => s.count),
      volunteerHours: total(volunteers, (v) => v.hours),
      volunteerPersonTimes: total(volunteers, (v) => v.personTimes),
      ratingAverage: ratingCount > 0 ? total(ratings, (r) => r.stars) / ratingCount : null,
      ratings: ratingCount,
      organizations: stages.length,
    },
    byYear: year === null ? byYear : byYear.filter((y) => y.year === year),
    turnoutByStreet,
    moneyByDirection,
    moneyByStreet,
    projectsByStatus,
    peopleByGroup,
    organizationsByStage,
    organizationsGrown,
    needs,
    wishes,
    resources,
    service,
  };
}

/** Minutes to hours with one decimal, summed first so rounding does not add up. */
const minutesToHours = (minutes: number) => Math.round(minutes / 6) / 10;

/**
 * Volunteer service for a year (null: all years): the whole, every service year with logs (all
 * years only; a year's page shows that year) and every street. Distinct volunteers come from their
 * own counts, since one person may serve in several streets and years.
 */
function serviceFigures(raw: RawFigures, year: number | null): DashboardFigures['service'] {
  const rows = raw.service.filter((r) => year === null || r.year === year);
  const volunteers = (y: number | null, street: string | null) => raw.serviceVolunteers.find((v) => v.year === y && v.street === street)?.count ?? 0;
  const sums = (of: readonly ServiceRow[], y: number | null, street: string | null): ServiceSums => ({
    hours: minutesToHours(total(of, (r) => r.minutes)),
    personTimes: total(of, (r) => r.personTimes),
    volunteers: volunteers(y, street),
  });
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  return {
    ...sums(rows, year, null),
    byYear: years.map((y) => ({ year: y, ...sums(rows.filter((r) => r.year === y), y, null) })),
    byStreet: raw.streets.map((s) => ({ street: s.id, ...sums(rows.filter((r) => r.street === s.id), year, s.id) })),
  };
}

function resourceSums(rows: readonly ResourceRow[]): ResourceSums {
  const delivered = rows.filter((r) => r.delivered);
  const deliveredMoneyFen = total(delivered.filter((r) => r.kind === 'money'), (r) => r.valueFen);
  const deliveredInKindFen = total(delivered.filter((r) => r.kind === 'inKind'), (r) => r.valueFen);
  return { pledgedFen: total(rows, (r) => r.valueFen), deliveredFen: deliveredMoneyFen + deliveredInKindFen, deliveredMoneyFen, deliveredInKindFen };
}

/** Resources by source (every partner kind, in order), by year (those with pledges) and by street (every street, then pledges with none). */
function resourceFigures(rows: readonly ResourceRow[], streets: RawFigures['streets']): DashboardFigures['resources'] {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const streetIds: (string | null)[] = [...streets.map((s) => s.id), ...(rows.some((r) => r.street === null) ? [null] : [])];
  return {
    ...resourceSums(rows),
    bySource: PARTNER_KINDS.map((source) => ({ source, ...resourceSums(rows.filter((r) => r.partnerKind === source)) })),
    byYear: years.map((y) => ({ year: y, ...resourceSums(rows.filter((r) => r.year === y)) })),
    byStreet: streetIds.map((street) => ({ street, ...resourceSums(rows.filter((r) => r.street === street)) })),
  };
}

/** A chart's table: typed cells, formatted by the page (Intl) or written plainly into the CSV. */
export type Cell =
  | { kind: 'text'; value: string }
  | { kind: 'count'; value: number }
  | { kind: 'money'; fen: number }
  | { kind: 'share'; value: number | null }
  | { kind: 'hours'; value: number | null };

export interface ChartTable {
  /** Translation keys (dashboard namespace) of the column headings. */
  columns: string[];
  rows: Cell[][];
  /** The column the bars draw (its cells are counts or money), and a second series if any. */
  series: number[];
}

/** How the table names things: street, direction, status, group and stage labels in the page's language. */
export interface Labels {
  street: (id: string | null) => string;
  category: (code: string) => string;
  status: (status: string) => string;
  group: (group: string) => string;
  stage: (stage: string) => string;
  needCategory: (code: string) => string;
  /** A resource partner's kind (the 崂善行 fund, enterprises, organizations, individuals). */
  source: (kind: string) => string;
}

const text = (value: string): Cell => ({ kind: 'text', value });
const count = (value: number): Cell => ({ kind: 'count', value });
const money = (fen: number): Cell => ({ kind: 'money', fen });
const NEED_COLUMNS = ['column.needsRaised', 'column.needsClaimed', 'column.needsFulfilled', 'column.claimHours', 'column.fulfilHours'];
const needCells = (n: NeedFigures): Cell[] => [count(n.raised), count(n.claimed), count(n.fulfilled), { kind: 'hours', value: n.claimHours }, { kind: 'hours', value: n.fulfilHours }];

const RESOURCE_COLUMNS = ['column.resourcesPledged', 'column.resourcesMoney', 'column.resourcesInKind'];
const resourceCells = (r: ResourceSums): Cell[] => [money(r.pledgedFen), money(r.deliveredMoneyFen), money(r.deliveredInKindFen)];

// The bars draw hours only: person-times and volunteers are counts of another unit, in the table.
const SERVICE_COLUMNS = ['column.serviceHours', 'column.servicePersonTimes', 'column.serviceVolunteers'];
const serviceCells = (r: ServiceSums): Cell[] => [{ kind: 'hours', value: r.hours }, count(r.personTimes), count(r.volunteers)];

export function chartTable(figures: DashboardFigures, chart: ChartId, labels: Labels): ChartTable {
  switch (chart) {
    case 'byYear':
      return {
        columns: ['column.year', 'column.proposals', 'column.voters', 'column.approved', 'column.spent', 'column.peopleServed'],
        rows: figures.byYear.map((y) => [text(String(y.year)), count(y.proposals), count(y.voters), money(y.approvedFen), money(y.spentFen), count(y.peopleServed)]),
        series: [3, 4],
      };
    case 'turnoutByStreet':
      return {
        columns: ['column.street', 'column.voters', 'column.residents', 'column.turnout'],
        rows: figures.turnoutByStreet.map((r) => [text(labels.street(r.street)), count(r.voters), count(r.residents), { kind: 'share', value: r.turnout }]),
        series: [3],
      };
    case 'moneyByDirection':
      return {
        columns: ['column.direction', 'column.approved', 'column.spent'],
        rows: figures.moneyByDirection.map((r) => [text(labels.category(r.category)), money(r.approvedFen), money(r.spentFen)]),
        series: [1, 2],
      };
    case 'moneyByStreet':
      return {
        columns: ['column.street', 'column.approved', 'column.spent'],
        rows: figures.moneyByStreet.map((r) => [text(labels.street(r.street)), money(r.approvedFen), money(r.spentFen)]),
        series: [1, 2],
      };
    case 'projectsByStatus':
      return { columns: ['column.status', 'column.projects'], rows: figures.projectsByStatus.map((r) => [text(labels.status(r.status)), count(r.count)]), series: [1] };
    case 'peopleByGroup':
      return { columns: ['column.group', 'column.people'], rows: figures.peopleByGroup.map((r) => [text(labels.group(r.group)), count(r.count)]), series: [1] };
    case 'organizationsByStage':
      return { columns: ['column.stage', 'column.organizations'], rows: figures.organizationsByStage.map((r) => [text(labels.stage(r.stage)), count(r.count)]), series: [1] };
    case 'needs':
      return { columns: ['column.street', ...NEED_COLUMNS], rows: figures.needs.byStreet.map((r) => [text(labels.street(r.street)), ...needCells(r)]), series: [1, 2, 3] };
    case 'needsByCategory':
      return { columns: ['column.needCategory', ...NEED_COLUMNS], rows: figures.needs.byCategory.map((r) => [text(labels.needCategory(r.category)), ...needCells(r)]), series: [1, 2, 3] };
    case 'wishes':
      return {
        columns: ['column.street', 'column.wishesOpen', 'column.wishesClaimed', 'column.wishesDelivered'],
        rows: figures.wishes.byStreet.map((r) => [text(labels.street(r.street)), count(r.open), count(r.claimed), count(r.delivered)]),
        series: [1, 2, 3],
      };
    case 'resourcesBySource':
      return { columns: ['column.source', ...RESOURCE_COLUMNS], rows: figures.resources.bySource.map((r) => [text(labels.source(r.source)), ...resourceCells(r)]), series: [1, 2, 3] };
    case 'resourcesByYear':
      return { columns: ['column.year', ...RESOURCE_COLUMNS], rows: figures.resources.byYear.map((r) => [text(String(r.year)), ...resourceCells(r)]), series: [1, 2, 3] };
    case 'resourcesByStreet':
      return { columns: ['column.street', ...RESOURCE_COLUMNS], rows: figures.resources.byStreet.map((r) => [text(labels.street(r.street)), ...resourceCells(r)]), series: [1, 2, 3] };
    case 'serviceByYear':
      return { columns: ['column.year', ...SERVICE_COLUMNS], rows: figures.service.byYear.map((r) => [text(String(r.year)), ...serviceCells(r)]), series: [1] };
    case 'serviceByStreet':
      return { columns: ['column.street', ...SERVICE_COLUMNS], rows: figures.service.byStreet.map((r) => [text(labels.street(r.street)), ...serviceCells(r)]), series: [1] };
  }
}

/** A cell's number for a bar (a share counts as itself; text and missing shares as 0). */
export function cellValue(cell: Cell): number {
  switch (cell.kind) {
    case 'money':
      return cell.fen;
    case 'share':
    case 'hours':
      return cell.value ?? 0;
    case 'text':
      return 0;
    default:
      return cell.value;
  }
}

/** A cell as a CSV writes it: money in yuan with two decimals, a share in percent with one, hours with one, no grouping. */
export function csvCell(cell: Cell): string | number {
  switch (cell.kind) {
    case 'text':
      return cell.value;
    case 'money':
      return (cell.fen / 100).toFixed(2);
    case 'share':
      return cell.value === null ? '' : (cell.value * 100).toFixed(1);
    case 'hours':
      return cell.value === null ? '' : cell.value.toFixed(1);
    default:
      return cell.value;
  }
}

/** The CSV's rows: the headings (translated by the caller) then the cells. */
export function csvRows(table: ChartTable, heading: (key: string) => string): (string | number)[][] {
  return [table.columns.map(heading), ...table.rows.map((row) => row.map(csvCell))];
}
