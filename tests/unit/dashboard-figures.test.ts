import { describe, expect, it } from 'vitest';
import { INCUBATION_STAGES } from '~/features/organizations/organizations';
import { PROJECT_STATUSES } from '~/features/projects/rules';
import {
  chartTable,
  csvRows,
  endOfShanghaiYear,
  figuresFor,
  isChartId,
  parseYear,
  stageAt,
  type Labels,
  type OrganizationStages,
  type RawFigures,
} from '~/features/dashboard/figures';

const HOUR = 3_600_000;
const at = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();

const org = (over: Partial<OrganizationStages>): OrganizationStages => ({ id: 'o', name: '组织', stage: 'idea', createdAt: at('2024-01-05'), history: [], ...over });

/** Two years, two competitions in 2025 (a voter may vote in both), one in 2024. */
function raw(): RawFigures {
  const text = (zh: string) => ({ zh, en: zh });
  return {
    computedAt: at('2026-01-01'),
    competitions: [
      { id: 'a', slug: 'a', year: 2025, title: text('A'), categories: [{ code: 'elderly', name: text('老人') }] },
      { id: 'b', slug: 'b', year: 2025, title: text('B'), categories: [] },
      { id: 'c', slug: 'c', year: 2024, title: text('C'), categories: [{ code: 'elderly', name: text('旧名') }] },
    ],
    streets: [
      { id: 's1', name: text('中韩街道') },
      { id: 's2', name: text('沙子口街道') },
    ],
    proposals: [
      { competition: 'a', count: 5 },
      { competition: 'b', count: 3 },
      { competition: 'c', count: 7 },
    ],
    voters: [
      { scope: 'all', street: 's1', count: 9 },
      { scope: '2025', street: 's1', count: 6 },
      { scope: '2025', street: 's2', count: 2 },
      { scope: '2025', street: null, count: 1 },
      { scope: '2024', street: 's1', count: 4 },
    ],
    voterTotals: [
      { scope: 'all', count: 12 },
      { scope: '2025', count: 9 },
      { scope: '2024', count: 4 },
    ],
    residents: [
      { scope: '2025', street: 's1', count: 12 },
      { scope: '2024', street: 's1', count: 8 },
    ],
    projects: [
      { competition: 'a', category: 'elderly', street: 's1', status: 'completed', count: 2, approvedFen: 100_00 },
      { competition: 'b', category: 'children', street: 's2', status: 'inProgress', count: 1, approvedFen: 50_00 },
      { competition: 'c', category: 'elderly', street: null, status: 'completed', count: 1, approvedFen: 30_00 },
    ],
    spent: [
      { competition: 'a', category: 'elderly', street: 's1', spentFen: 80_00 },
      { competition: 'c', category: 'elderly', street: null, spentFen: 30_00 },
    ],
    served: [
      { competition: 'a', group: 'elderly', count: 40 },
      { competition: 'b', group: 'children', count: 10 },
      { competition: 'c', group: 'elderly', count: 5 },
    ],
    volunteers: [
      { competition: 'a', hours: 12.5, personTimes: 4 },
      { competition: 'c', hours: 3, personTimes: 1 },
    ],
    ratings: [
      { competition: 'a', stars: 9, count: 2 },
      { competition: 'c', stars: 5, count: 1 },
    ],
    organizations: [
      org({ id: 'x', name: '甲', stage: 'filed', history: [{ stage: 'incubating', at: at('2024-07-01') }, { stage: 'filed', at: at('2025-03-01') }] }),
      org({ id: 'y', name: '乙', stage: 'registered', createdAt: at('2025-05-01') }),
    ],
    // Needs by the year they were raised: 2025 has three claimed (2, 4 and 30 hours) and two fulfilled.
    needs: [
      { year: 2025, street: 's1', category: 'meals', raised: 3, claimed: 2, fulfilled: 1, claimMs: [2 * HOUR, 30 * HOUR], fulfilMs: [50 * HOUR] },
      { year: 2025, street: 's2', category: 'health', raised: 2, claimed: 1, fulfilled: 1, claimMs: [4 * HOUR], fulfilMs: [10 * HOUR] },
      { year: 2024, street: 's1', category: 'meals', raised: 1, claimed: 0, fulfilled: 0, claimMs: [], fulfilMs: [] },
    ],
    needCategories: [
      { code: 'health', name: text('健康管理') },
      { code: 'meals', name: text('助餐送餐') },
    ],
    wishes: [
      { year: 2025, street: 's1', status: 'open', count: 4 },
      { year: 2025, street: 's1', status: 'claimed', count: 2 },
      { year: 2025, street: 's1', status: 'delivered', count: 1 },
      { year: 2025, street: 's1', status: 'confirmed', count: 3 },
      { year: 2025, street: 's2', status: 'open', count: 5 },
      { year: 2024, street: 's2', status: 'confirmed', count: 7 },
    ],
    resources: [
      { year: 2025, street: 's1', partnerKind: 'fund', kind: 'money', delivered: true, valueFen: 20_000_00, count: 2 },
      { year: 2025, street: 's1', partnerKind: 'fund', kind: 'money', delivered: false, valueFen: 5_000_00, count: 1 },
      { year: 2025, street: 's2', partnerKind: 'enterprise', kind: 'money', delivered: true, valueFen: 3_000_00, count: 1 },
      { year: 2025, street: 's2', partnerKind: 'enterprise', kind: 'inKind', delivered: true, valueFen: 800_50, count: 1 },
      { year: 2025, street: null, partnerKind: 'individual', kind: 'money', delivered: false, valueFen: 100_00, count: 1 },
      { year: 2024, street: 's1', partnerKind: 'organization', kind: 'money', delivered: true, valueFen: 1_000_00, count: 1 },
    ],
    // One volunteer served in both streets in 2025 and in s1 in 2024: two people in all.
    service: [
      { year: 2025, street: 's1', minutes: 300, personTimes: 3 },
      { year: 2025, street: 's2', minutes: 90, personTimes: 1 },
      { year: 2024, street: 's1', minutes: 125, personTimes: 2 },
    ],
    serviceVolunteers: [
      { year: 2025, street: 's1', count: 2 },
      { year: 2025, street: 's2', count: 1 },
      { year: 2024, street: 's1', count: 1 },
      { year: 2025, street: null, count: 2 },
      { year: 2024, street: null, count: 1 },
      { year: null, street: 's1', count: 2 },
      { year: null, street: 's2', count: 1 },
      { year: null, street: null, count: 2 },
    ],
  };
}

const labels: Labels = { street: (id) => id ?? '未注明', category: (c) => c, status: (s) => s, group: (g) => g, stage: (s) => s, needCategory: (c) => `#${c}`, source: (k) => k };

describe('dashboard figures', () => {
  it('adds up a year from its competitions only, and all years from every one', () => {
    const y2025 = figuresFor(raw(), 2025);
    expect(y2025.summary).toMatchObject({ competitions: 2, proposals: 8, voters: 9, projects: 3, approvedFen: 150_00, spentFen: 80_00, peopleServed: 50, volunteerHours: 12.5, volunteerPersonTimes: 4, ratings: 2 });
    expect(y2025.summary.ratingAverage).toBe(4.5);
    const all = figuresFor(raw(), null);
    expect(all.summary).toMatchObject({ competitions: 3, proposals: 15, voters: 12, projects: 4, approvedFen: 180_00, spentFen: 110_00, peopleServed: 55, ratings: 3 });
    expect(all.summary.ratingAverage).toBeCloseTo(14 / 3);
    expect(all.years).toEqual([2024, 2025]);
  });

  it('takes distinct voters per year from the year scope, not the sum of competitions', () => {
    // 2025's two competitions have 9 distinct voters even if one resident voted in both.
    expect(figuresFor(raw(), 2025).byYear).toEqual([{ year: 2025, proposals: 8, voters: 9, approvedFen: 150_00, spentFen: 80_00, peopleServed: 50 }]);
    expect(figuresFor(raw(), null).byYear.map((y) => y.voters)).toEqual([4, 9]);
  });

  it('divides a street’s voters by its verified residents, and leaves turnout empty without residents', () => {
    const turnout = figuresFor(raw(), 2025).turnoutByStreet;
    expect(turnout).toEqual([
      { street: 's1', voters: 6, residents: 12, turnout: 0.5 },
      { street: 's2', voters: 2, residents: 0, turnout: null },
    ]);
  });

  it('puts money by direction largest first and by street in the streets’ order, with an unknown street last', () => {
    const all = figuresFor(raw(), null);
    expect(all.moneyByDirection).toEqual([
      { category: 'elderly', approvedFen: 130_00, spentFen: 110_00 },
      { category: 'children', approvedFen: 50_00, spentFen: 0 },
    ]);
    expect(all.moneyByStreet).toEqual([
      { street: 's1', approvedFen: 100_00, spentFen: 80_00 },
      { street: 's2', approvedFen: 50_00, spentFen: 0 },
      { street: null, approvedFen: 30_00, spentFen: 30_00 },
    ]);
    // No unknown street in a year without one.
    expect(figuresFor(raw(), 2025).moneyByStreet.map((r) => r.street)).toEqual(['s1', 's2']);
  });

  it('lists every status and every incubation stage in their order, zeros included', () => {
    const y = figuresFor(raw(), 2025);
    expect(y.projectsByStatus.map((r) => r.status)).toEqual([...PROJECT_STATUSES]);
    expect(y.projectsByStatus.find((r) => r.status === 'completed')!.count).toBe(2);
    expect(y.organizationsByStage.map((r) => r.stage)).toEqual([...INCUBATION_STAGES]);
  });

  it('reads organizations’ stages at the end of the year, and lists the year’s stage changes', () => {
    const y2024 = figuresFor(raw(), 2024);
    // At the end of 2024: 甲 incubating; 乙 not registered yet.
    expect(y2024.organizationsByStage.filter((r) => r.count > 0)).toEqual([{ stage: 'incubating', count: 1 }]);
    expect(y2024.summary.organizations).toBe(1);
    expect(y2024.organizationsGrown).toEqual([{ id: 'x', name: '甲', from: null, to: 'incubating', at: at('2024-07-01') }]);
    const y2025 = figuresFor(raw(), 2025);
    expect(y2025.organizationsGrown).toEqual([{ id: 'x', name: '甲', from: 'incubating', to: 'filed', at: at('2025-03-01') }]);
    expect(figuresFor(raw(), null).organizationsByStage.filter((r) => r.count > 0)).toEqual([
      { stage: 'filed', count: 1 },
      { stage: 'registered', count: 1 },
    ]);
  });

  it('a stage follows the last change before the instant; before any, the first stage; without history, the current one', () => {
    const o = org({ stage: 'filed', history: [{ stage: 'incubating', at: at('2024-07-01') }, { stage: 'filed', at: at('2024-12-31') }] });
    expect(stageAt(o, new Date(at('2024-03-01')))).toBe(INCUBATION_STAGES[0]);
    expect(stageAt(o, new Date(at('2024-12-30')))).toBe('incubating');
    expect(stageAt(o, endOfShanghaiYear(2024))).toBe('filed');
    expect(stageAt(org({ stage: 'registered' }), endOfShanghaiYear(2024))).toBe('registered');
    expect(stageAt(org({ createdAt: at('2025-01-01') }), endOfShanghaiYear(2024))).toBeNull();
    // Registered later with a history from before: known since its first recorded stage.
    expect(stageAt(org({ createdAt: at('2026-05-01'), stage: 'incubating', history: [{ stage: 'incubating', at: at('2025-07-05') }] }), endOfShanghaiYear(2025))).toBe('incubating');
  });

  it('a Shanghai year ends at 16:00 UTC on 31 December', () => {
    expect(endOfShanghaiYear(2024).toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });

  it('a year filter is all years, a year in range, or invalid', () => {
    expect(parseYear(null)).toEqual({ ok: true, year: null });
    expect(parseYear('all')).toEqual({ ok: true, year: null });
    expect(parseYear('2025')).toEqual({ ok: true, year: 2025 });
    for (const bad of ['25', '2025.0', '１２３４', '99999', '1800', '2025; drop', '-2025', '2101']) expect(parseYear(bad), bad).toEqual({ ok: false });
    expect(isChartId('moneyByStreet')).toBe(true);
    expect(isChartId('__proto__')).toBe(false);
  });

  it('counts the needs of the year they were raised in, with median hours to claim and to fulfil, by street and by category', () => {
    const y2025 = figuresFor(raw(), 2025).needs;
    expect(y2025).toMatchObject({ raised: 5, claimed: 3, fulfilled: 2, claimHours: 4, fulfilHours: 30 });
    expect(y2025.byStreet).toEqual([
      { street: 's1', raised: 3, claimed: 2, fulfilled: 1, claimHours: 16, fulfilHours: 50 },
      { street: 's2', raised: 2, claimed: 1, fulfilled: 1, claimHours: 4, fulfilHours: 10 },
    ]);
    // In the categories' own order, not the alphabet's.
    expect(y2025.byCategory.map((r) => r.category)).toEqual(['health', 'meals']);
    const y2024 = figuresFor(raw(), 2024).needs;
    expect(y2024).toMatchObject({ raised: 1, claimed: 0, claimHours: null, fulfilHours: null });
    expect(figuresFor(raw(), null).needs.raised).toBe(6);
    expect(figuresFor(raw(), 2031).needs.byStreet.every((r) => r.raised === 0 && r.claimHours === null)).toBe(true);
    expect(csvRows(chartTable(figuresFor(raw(), 2024), 'needs', labels), (k) => k)).toEqual([
      ['column.street', 'column.needsRaised', 'column.needsClaimed', 'column.needsFulfilled', 'column.claimHours', 'column.fulfilHours'],
      ['s1', 1, 0, 0, '', ''],
      ['s2', 0, 0, 0, '', ''],
    ]);
    expect(csvRows(chartTable(figuresFor(raw(), 2025), 'needsByCategory', labels), (k) => k).slice(1)).toEqual([
      ['#health', 2, 1, 1, '4.0', '10.0'],
      ['#meals', 3, 2, 1, '16.0', '50.0'],
    ]);
  });

  it('counts micro-wishes of the year they were registered in, confirmed ones as delivered, by street', () => {
    expect(figuresFor(raw(), 2025).wishes).toEqual({
      open: 9,
      claimed: 2,
      delivered: 4,
      byStreet: [
        { street: 's1', open: 4, claimed: 2, delivered: 4 },
        { street: 's2', open: 5, claimed: 0, delivered: 0 },
      ],
    });
    expect(figuresFor(raw(), 2024).wishes).toMatchObject({ open: 0, claimed: 0, delivered: 7 });
    expect(figuresFor(raw(), null).wishes).toMatchObject({ open: 9, claimed: 2, delivered: 11 });
    expect(csvRows(chartTable(figuresFor(raw(), 2025), 'wishes', labels), (k) => k)).toEqual([
      ['column.street', 'column.wishesOpen', 'column.wishesClaimed', 'column.wishesDelivered'],
      ['s1', 4, 2, 4],
      ['s2', 5, 0, 0],
    ]);
  });

  it('sums charity resources pledged and delivered (money, goods at their value) by source, year and street, each adding up to the whole', () => {
    const y2025 = figuresFor(raw(), 2025).resources;
    expect(y2025).toMatchObject({ pledgedFen: 28_900_50, deliveredFen: 23_800_50, deliveredMoneyFen: 23_000_00, deliveredInKindFen: 800_50 });
    expect(y2025.bySource.map((s) => s.source)).toEqual(['fund', 'enterprise', 'organization', 'individual']);
    for (const part of [y2025.bySource, y2025.byStreet]) {
      expect(part.reduce((sum, r) => sum + r.pledgedFen, 0)).toBe(y2025.pledgedFen);
      expect(part.reduce((sum, r) => sum + r.deliveredFen, 0)).toBe(y2025.deliveredFen);
    }
    // A pledge without a street (none is stored today, but the figure must still add up) gets its own row.
    expect(y2025.byStreet.map((r) => r.street)).toEqual(['s1', 's2', null]);
    expect(figuresFor(raw(), null).resources.byYear.map((r) => [r.year, r.deliveredFen])).toEqual([
      [2024, 1_000_00],
      [2025, 23_800_50],
    ]);
    expect(csvRows(chartTable(figuresFor(raw(), 2025), 'resourcesBySource', labels), (k) => k)).toEqual([
      ['column.source', 'column.resourcesPledged', 'column.resourcesMoney', 'column.resourcesInKind'],
      ['fund', '25000.00', '20000.00', '0.00'],
      ['enterprise', '3800.50', '3000.00', '800.50'],
      ['organization', '0.00', '0.00', '0.00'],
      ['individual', '100.00', '0.00', '0.00'],
    ]);
  });

  it('buckets volunteer service logs by service year and street: hours from the summed minutes, person-times add up, distinct volunteers from their own counts', () => {
    const y2025 = figuresFor(raw(), 2025).service;
    expect(y2025).toMatchObject({ hours: 6.5, personTimes: 4, volunteers: 2 });
    expect(y2025.byYear).toEqual([{ year: 2025, hours: 6.5, personTimes: 4, volunteers: 2 }]);
    expect(y2025.byStreet).toEqual([
      { street: 's1', hours: 5, personTimes: 3, volunteers: 2 },
      { street: 's2', hours: 1.5, personTimes: 1, volunteers: 1 },
    ]);
    // A street without logs that year is there, at zero.
    expect(figuresFor(raw(), 2024).service.byStreet).toEqual([
      { street: 's1', hours: 2.1, personTimes: 2, volunteers: 1 },
      { street: 's2', hours: 0, personTimes: 0, volunteers: 0 },
    ]);
    const all = figuresFor(raw(), null).service;
    // 515 minutes, turned into hours once from their sum.
    expect(all).toMatchObject({ hours: 8.6, personTimes: 6, volunteers: 2 });
    expect(all.byYear.map((r) => [r.year, r.hours, r.personTimes, r.volunteers])).toEqual([
      [2024, 2.1, 2, 1],
      [2025, 6.5, 4, 2],
    ]);
    expect(all.byStreet.map((r) => [r.street, r.hours, r.personTimes, r.volunteers])).toEqual([
      ['s1', 7.1, 5, 2],
      ['s2', 1.5, 1, 1],
    ]);
    expect(csvRows(chartTable(figuresFor(raw(), 2025), 'serviceByStreet', labels), (k) => k)).toEqual([
      ['column.street', 'column.serviceHours', 'column.servicePersonTimes', 'column.serviceVolunteers'],
      ['s1', '5.0', 3, 2],
      ['s2', '1.5', 1, 1],
    ]);
    expect(csvRows(chartTable(figuresFor(raw(), null), 'serviceByYear', labels), (k) => k).slice(1)).toEqual([
      ['2024', '2.1', 2, 1],
      ['2025', '6.5', 4, 2],
    ]);
  });

  it('writes a chart’s CSV rows with yuan to the fen and turnout in percent', () => {
    const figures = figuresFor(raw(), 2025);
    expect(csvRows(chartTable(figures, 'moneyByStreet', labels), (k) => k)).toEqual([
      ['column.street', 'column.approved', 'column.spent'],
      ['s1', '100.00', '80.00'],
      ['s2', '50.00', '0.00'],
    ]);
    expect(csvRows(chartTable(figures, 'turnoutByStreet', labels), (k) => k).slice(1)).toEqual([
      ['s1', 6, 12, '50.0'],
      ['s2', 2, 0, ''],
    ]);
  });
});
