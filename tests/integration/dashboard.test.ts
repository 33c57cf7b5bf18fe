/**
 * The district dashboard and the annual report (issue 15) over the demo data: every figure equals
 * an independent count made here with plain queries and JavaScript (not the dashboard's
 * aggregates), the CSV rows equal the same counts, the year filter, the database round trips at
 * 1x and 10x the data, who may download the annual report, and what the public figures never
 * carry (names, phones, receipts).
 */
import { parse } from 'csv-parse/sync';
import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ballot, Competition, MilestoneReport, Need, NeedCategory, NeedDetail, Organization, Project, ProjectRating, Proposal, Residency, ServiceLog, Street, User, Wish } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { seedDemo } from '#seeds/seed';
import { createCompetition, createUser, grant } from '#seeds/factories';
import { INCUBATION_STAGES } from '~/features/organizations/organizations';
import { BENEFICIARY_GROUPS } from '~/features/projects/reports';
import { PROJECT_STATUSES } from '~/features/projects/rules';
import { endOfShanghaiYear, figuresFor, startOfShanghaiYear, type DashboardFigures } from '~/features/dashboard/figures';
import { clearFiguresCache, computeRawFigures } from '~/features/dashboard/figures.server';
import { loader as dashboardLoader } from '~/routes/dashboard/route';
import { loader as csvLoader } from '~/routes/dashboard[.]csv/route';
import { loader as pdfLoader } from '~/routes/dashboard_.report[.]pdf/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

type Page = { figures: DashboardFigures; invalidYear: boolean; report: 'year' | 'choose' | null };

async function signIn(identifier: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier, password: DEMO_PASSWORD }));
  expect(outcome.status, identifier).toBe(303);
  return new CookieJar().take(outcome.headers);
}

/** The figures counted again the plain way: finds and JavaScript sums, for one year or all. */
async function independentCounts(year: number | null) {
  const competitions = await Competition.find(year === null ? {} : { year }).select('_id').lean();
  const ids = competitions.map((c) => c._id);
  const inIds = mongoose.trusted({ $in: ids });
  const [proposals, ballots, residencies, projects, reports, ratings, organizations, streets] = await Promise.all([
    Proposal.find({ competition: inIds }).select('status').lean(),
    Ballot.find({ competition: inIds }).select('voter street voided').lean(),
    Residency.find({}).select('resident street scope competition validFrom validUntil revokedAt').lean(),
    Project.find({ competition: inIds }).select('status approvedBudgetFen category street').lean(),
    MilestoneReport.find({ competition: inIds }).select('project status expenses served volunteers volunteerHours').lean(),
    ProjectRating.find({ competition: inIds }).select('project stars').lean(),
    Organization.find({}).select('stage stageHistory createdAt').lean(),
    // In the dashboard's order (the streets' own), not the order the database happens to return.
    Street.find({}).select('_id').sort({ order: 1 }).lean(),
  ]);
  const counted = ballots.filter((b) => !b.voided?.at);
  const voters = new Set(counted.map((b) => String(b.voter)));
  const votersIn = (street: string) => new Set(counted.filter((b) => String(b.street) === street).map((b) => String(b.voter))).size;
  const idStrings = new Set(ids.map(String));
  const countsFor = (r: (typeof residencies)[number]) => {
    if (r.revokedAt) return false;
    if (year === null) return true;
    if (r.scope === 'competition') return idStrings.has(String(r.competition));
    return r.validFrom! < endOfShanghaiYear(year) && r.validUntil! > startOfShanghaiYear(year);
  };
  const residentsIn = (street: string) => new Set(residencies.filter((r) => String(r.street) === street && countsFor(r)).map((r) => String(r.resident))).size;
  const approved = reports.filter((r) => r.status === 'approved');
  const byId = new Map(projects.map((p) => [String(p._id), p]));
  const spentOf = (filter: (p: (typeof projects)[number]) => boolean) =>
    approved.filter((r) => filter(byId.get(String(r.project))!)).flatMap((r) => r.expenses).filter((e) => !e.held).reduce((s, e) => s + e.amountFen, 0);
  const completed = new Set(projects.filter((p) => p.status === 'completed').map((p) => String(p._id)));
  const counting = ratings.filter((r) => completed.has(String(r.project)));
  const end = year === null ? null : endOfShanghaiYear(year);
  const stageOf = (o: (typeof organizations)[number]) => {
    if (!end) return o.stage;
    if (Math.min(o.createdAt.getTime(), ...o.stageHistory.map((h) => h.at.getTime())) >= end.getTime()) return null;
    const before = o.stageHistory.filter((h) => h.at < end).sort((a, b) => a.at.getTime() - b.at.getTime());
    return before.length ? before.at(-1)!.stage : o.stageHistory.length ? 'idea' : o.stage;
  };
  const stages = organizations.map(stageOf).filter(Boolean);
  return {
    competitions: ids.length,
    proposals: proposals.filter((p) => p.status !== 'draft').length,
    voters: voters.size,
    projects: projects.length,
    approvedFen: projects.reduce((s, p) => s + p.approvedBudgetFen, 0),
    spentFen: spentOf(() => true),
    peopleServed: approved.flatMap((r) => r.served).reduce((s, x) => s + x.count, 0),
    volunteerHours: approved.reduce((s, r) => s + r.volunteerHours, 0),
    volunteerPersonTimes: approved.reduce((s, r) => s + r.volunteers, 0),
    ratings: counting.length,
    ratingAverage: counting.length ? counting.reduce((s, r) => s + r.stars, 0) / counting.length : null,
    turnout: streets.map((s) => ({ street: String(s._id), voters: votersIn(String(s._id)), residents: residentsIn(String(s._id)) })),
    approvedByStreet: new Map(streets.map((s) => [String(s._id), projects.filter((p) => String(p.street) === String(s._id)).reduce((x, p) => x + p.approvedBudgetFen, 0)])),
    spentByStreet: new Map(streets.map((s) => [String(s._id), spentOf((p) => String(p.street) === String(s._id))])),
    approvedByCategory: projects.reduce((m, p) => m.set(p.category, (m.get(p.category) ?? 0) + p.approvedBudgetFen), new Map<string, number>()),
    statuses: PROJECT_STATUSES.map((status) => projects.filter((p) => p.status === status).length),
    groups: BENEFICIARY_GROUPS.map((g) => approved.flatMap((r) => r.served).filter((x) => x.group === g).reduce((s, x) => s + x.count, 0)),
    stages: INCUBATION_STAGES.map((stage) => stages.filter((s) => s === stage).length),
  };
}

async function page(path: string, jar?: CookieJar) {
  clearFiguresCache();
  return call<Page>(dashboardLoader, getRequest(path, { jar }));
}

/** The operations sent while `run` runs (mongoose's debug hook, as tests/integration/round-trips.test.ts counts them). */
async function counting(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const previous = mongoose.get('debug') as unknown;
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    const frame = (new Error().stack ?? '').split('\n').find((line) => line.includes('/app/') && !line.includes('node_modules')) ?? '';
    if (!frame.includes('/app/core/') && collection !== 'sessions') seen.push(`${collection}.${method}`);
    if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(collection, method, ...args);
  });
  try {
    await run();
  } finally {
    mongoose.set('debug', previous as boolean);
  }
  return seen;
}

beforeAll(async () => {
  await seedDemo();
}, 180_000);

describe('district dashboard', () => {
  it.each([2024, 2025, null])('equals independent plain counts over the demo data (year %s)', async (year) => {
    const counts = await independentCounts(year);
    const outcome = await page(year === null ? '/dashboard' : `/dashboard?year=${year}`);
    expect(outcome.status).toBe(200);
    const { figures } = outcome.data;
    expect(figures.year).toBe(year);
    expect(figures.summary).toEqual({
      competitions: counts.competitions,
      proposals: counts.proposals,
      voters: counts.voters,
      projects: counts.projects,
      approvedFen: counts.approvedFen,
      spentFen: counts.spentFen,
      peopleServed: counts.peopleServed,
      volunteerHours: counts.volunteerHours,
      volunteerPersonTimes: counts.volunteerPersonTimes,
      ratingAverage: counts.ratingAverage,
      ratings: counts.ratings,
      organizations: counts.stages.reduce((a, b) => a + b, 0),
    });
    expect(figures.turnoutByStreet).toEqual(counts.turnout.map((t) => ({ ...t, turnout: t.residents ? t.voters / t.residents : null })));
    for (const row of figures.moneyByStreet) {
      expect(row.approvedFen, `approved in ${row.street}`).toBe(counts.approvedByStreet.get(row.street!) ?? 0);
      expect(row.spentFen, `spent in ${row.street}`).toBe(counts.spentByStreet.get(row.street!) ?? 0);
    }
    expect(new Map(figures.moneyByDirection.map((r) => [r.category, r.approvedFen]))).toEqual(counts.approvedByCategory);
    expect(figures.projectsByStatus.map((r) => r.count)).toEqual(counts.statuses);
    expect(figures.peopleByGroup.map((r) => r.count)).toEqual(counts.groups);
    expect(figures.organizationsByStage.map((r) => r.count)).toEqual(counts.stages);
  });

  it('counts the seeded volunteers’ service: a year’s hours are its logs’ minutes / 60, person-times its logs, by street, with the same CSV rows', async () => {
    const logs = await ServiceLog.find({}).select('volunteer street day minutes').lean();
    const years = [...new Set(logs.map((l) => Number(l.day.slice(0, 4))))].sort();
    expect(years.length, 'the demo logs service').toBeGreaterThan(0);
    const streets = await Street.find({}).select('_id name').sort({ order: 1 }).lean();
    const hours = (of: typeof logs) => Math.round(of.reduce((s, l) => s + l.minutes, 0) / 6) / 10;
    const people = (of: typeof logs) => new Set(of.map((l) => String(l.volunteer))).size;
    for (const year of [...years, null]) {
      const inYear = logs.filter((l) => year === null || l.day.startsWith(`${year}-`));
      const { service } = (await page(year === null ? '/dashboard' : `/dashboard?year=${year}`)).data.figures;
      expect(service.hours, `${year}`).toBe(hours(inYear));
      expect(service.hours, `${year}`).toBeCloseTo(inYear.reduce((s, l) => s + l.minutes, 0) / 60, 1);
      expect(service.personTimes, `${year}`).toBe(inYear.length);
      expect(service.volunteers, `${year}`).toBe(people(inYear));
      expect(service.byStreet).toEqual(
        streets.map((s) => {
          const here = inYear.filter((l) => String(l.street) === String(s._id));
          return { street: String(s._id), hours: hours(here), personTimes: here.length, volunteers: people(here) };
        }),
      );
      expect(service.byYear.map((r) => r.year)).toEqual(year === null ? years : [year]);
    }
    const csv = await call<string>(csvLoader, getRequest(`/dashboard.csv?chart=serviceByStreet&year=${years.at(-1)}`));
    expect(csv.status).toBe(200);
    const table: string[][] = parse(csv.data.replace(/^\uFEFF/, ''), {});
    const [head, ...rows] = table;
    expect(head).toEqual(['街道', '服务时长（小时）', '服务人次', '志愿者人数']);
    const last = logs.filter((l) => l.day.startsWith(`${years.at(-1)}-`));
    expect(rows).toEqual(
      streets.map((s) => {
        const here = last.filter((l) => String(l.street) === String(s._id));
        return [s.name.zh, hours(here).toFixed(1), String(here.length), String(people(here))];
      }),
    );
  });

  it('has at least two years of history with funded, completed and rated projects in each', async () => {
    const { figures } = (await page('/dashboard')).data;
    const funded = figures.byYear.filter((y) => y.approvedFen > 0 && y.spentFen > 0 && y.peopleServed > 0);
    expect(funded.map((y) => y.year)).toEqual(expect.arrayContaining([2024, 2025]));
    for (const year of [2024, 2025]) {
      const y = (await page(`/dashboard?year=${year}`)).data.figures;
      expect(y.summary.ratingAverage, `${year}`).not.toBeNull();
      expect(y.projectsByStatus.find((r) => r.status === 'completed')!.count, `${year}`).toBeGreaterThan(0);
      expect(y.turnoutByStreet.some((r) => r.turnout !== null && r.turnout > 0), `${year}`).toBe(true);
    }
    // The 2024 pilot's groups grew in 2024 (their stage changes are the annual report's "organizations grown").
    expect((await page('/dashboard?year=2024')).data.figures.organizationsGrown.length).toBeGreaterThan(0);
  });

  it('a CSV download holds the same rows, in UTF-8 with a byte-order mark, money in yuan', async () => {
    clearFiguresCache();
    const counts = await independentCounts(2025);
    const response = await csvLoader({ request: getRequest('/dashboard.csv?chart=moneyByStreet&year=2025'), params: {}, context: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toContain('laoshanxing-moneyByStreet-2025.csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table: string[][] = parse(new TextDecoder().decode(bytes), {});
    const [head, ...rows] = table;
    expect(head).toEqual(['街道', '批准资金（元）', '已支出（元）']);
    const streets = await Street.find().sort({ order: 1 }).select('name').lean();
    expect(rows.map((r) => r[0])).toEqual(streets.map((s) => s.name.zh));
    for (const [i, street] of streets.entries()) {
      expect(rows[i]![1]).toBe((counts.approvedByStreet.get(String(street._id))! / 100).toFixed(2));
      expect(rows[i]![2]).toBe((counts.spentByStreet.get(String(street._id))! / 100).toFixed(2));
    }
    // Turnout in percent, the other charts as counts; in English when asked.
    const turnout = await call<string>(csvLoader, getRequest('/dashboard.csv?chart=turnoutByStreet&year=2025&lng=en'));
    const enTable: string[][] = parse(turnout.data, {});
    const [enHead, ...enRows] = enTable;
    expect(enHead).toEqual(['Street', 'Voters', 'Verified residents', 'Turnout (%)']);
    expect(enRows.map((r) => Number(r[1]))).toEqual(counts.turnout.map((t) => t.voters));
    const status = await call<string>(csvLoader, getRequest('/dashboard.csv?chart=projectsByStatus&year=all'));
    const statusTable: string[][] = parse(status.data, {});
    expect(statusTable.slice(1).map((r) => Number(r[1]))).toEqual((await independentCounts(null)).statuses);
  });

  it('answers a bad year or chart with 400 and a message, never an error; a year without competitions shows zeros', async () => {
    for (const year of ['abc', '1999', '20255', '2025;', '%00']) {
      const outcome = await page(`/dashboard?year=${year}`);
      expect(outcome.status, year).toBe(400);
      expect(outcome.data.invalidYear).toBe(true);
      expect(outcome.data.figures.year).toBeNull();
    }
    const empty = await page('/dashboard?year=2031');
    expect(empty.status).toBe(200);
    expect(empty.data.figures.summary).toMatchObject({ competitions: 0, proposals: 0, voters: 0, approvedFen: 0 });
    for (const query of ['chart=nope&year=2025', 'chart=__proto__', 'chart=moneyByStreet&year=x', 'year=2025']) {
      const outcome = await call<string>(csvLoader, getRequest(`/dashboard.csv?${query}`));
      expect(outcome.status, query).toBe(400);
    }
  });

  it('tells the public nothing about people: no names, phones or receipts in the page data or a CSV', async () => {
    const { data } = await page('/dashboard?year=2025');
    const text = JSON.stringify(data);
    const residents = await User.find({ phone: mongoose.trusted({ $regex: '^139' }) }).select('name phone').limit(20).lean();
    for (const r of residents) {
      expect(text).not.toContain(r.phone);
      expect(text).not.toContain(r.name);
    }
    expect(text).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
    const payees = (await MilestoneReport.find({ status: 'approved' }).select('expenses.payee').lean()).flatMap((r) => r.expenses.map((e) => e.payee));
    for (const payee of new Set(payees)) expect(text).not.toContain(payee);
    const details = await NeedDetail.find().select('name address phone').lean();
    expect(details.length).toBeGreaterThan(0);
    for (const d of details) for (const value of [d.name, d.address, d.phone].filter(Boolean)) expect(text).not.toContain(value);
    for (const chart of ['byYear', 'turnoutByStreet', 'moneyByDirection', 'moneyByStreet', 'projectsByStatus', 'peopleByGroup', 'organizationsByStage', 'needs', 'needsByCategory']) {
      const csv = (await call<string>(csvLoader, getRequest(`/dashboard.csv?chart=${chart}`))).data;
      expect(csv).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
      for (const r of residents) expect(csv).not.toContain(r.name);
      for (const d of details) expect(csv).not.toContain(d.name);
    }
  });

  it.each([2025, 2026, null])('counts the needs whistle like plain queries do: raised, claimed, fulfilled and median hours, by street and category (year %s)', async (year) => {
    const [all, streets, categories] = await Promise.all([
      Need.find().select('street category status createdAt firstClaimedAt claimMs fulfilMs').lean(),
      Street.find().select('_id').sort({ order: 1 }).lean(),
      NeedCategory.find().select('code').sort({ order: 1 }).lean(),
    ]);
    const shanghaiYear = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
    const needs = all.filter((n) => year === null || shanghaiYear(n.createdAt) === year);
    if (year === 2026) expect(needs.length).toBeGreaterThanOrEqual(20);
    const plainMedian = (values: number[]) => {
      if (!values.length) return null;
      const sorted = [...values].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const ms = sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
      return Math.round(ms / 360_000) / 10;
    };
    const plain = (of: typeof needs) => ({
      raised: of.length,
      claimed: of.filter((n) => n.firstClaimedAt).length,
      fulfilled: of.filter((n) => n.status === 'fulfilled').length,
      claimHours: plainMedian(of.filter((n) => n.firstClaimedAt).map((n) => n.claimMs!)),
      fulfilHours: plainMedian(of.filter((n) => n.status === 'fulfilled').map((n) => n.fulfilMs!)),
    });
    const { figures } = (await page(year === null ? '/dashboard' : `/dashboard?year=${year}`)).data;
    expect(figures.needs).toMatchObject(plain(needs));
    expect(figures.needs.byStreet).toEqual(streets.map((s) => ({ street: String(s._id), ...plain(needs.filter((n) => n.street.equals(s._id))) })));
    const used = categories.map((c) => c.code).filter((code) => needs.some((n) => n.category === code));
    expect(figures.needs.byCategory).toEqual(used.map((category) => ({ category, ...plain(needs.filter((n) => n.category === category)) })));
    if (year === null) {
      expect(figures.needs.claimHours).toBeGreaterThan(1);
      expect(figures.needs.fulfilHours).toBeGreaterThan(figures.needs.claimHours!);
    }

    // The CSV holds the same rows, hours with one decimal, in the visitor's language.
    const query = year === null ? '' : `&year=${year}`;
    const csv = await call<string>(csvLoader, getRequest(`/dashboard.csv?chart=needsByCategory${query}&lng=en`));
    expect(csv.status).toBe(200);
    const rows: string[][] = parse(csv.data.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['Service', 'Needs raised', 'Claimed', 'Fulfilled', 'Median hours to a claim', 'Median hours to fulfilment']);
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(used.map((code) => needs.filter((n) => n.category === code).length));
    expect(rows.slice(1).map((r) => r[4])).toEqual(figures.needs.byCategory.map((r) => (r.claimHours === null ? '' : r.claimHours.toFixed(1))));
  });

  it('neutralises a need category named like a formula in the needs CSV', async () => {
    await NeedCategory.updateOne({ code: 'meals' }, { $set: { 'name.zh': '=HYPERLINK("http://evil.example")' } });
    try {
      clearFiguresCache();
      const csv = await call<string>(csvLoader, getRequest('/dashboard.csv?chart=needsByCategory'));
      const rows: string[][] = parse(csv.data.replace(/^\uFEFF/, ''));
      expect(rows.map((r) => r[0])).toContain(`'=HYPERLINK("http://evil.example")`);
      expect(rows.every((r) => !r[0]!.startsWith('='))).toBe(true);
    } finally {
      await NeedCategory.updateOne({ code: 'meals' }, { $set: { 'name.zh': '助餐送餐' } });
      clearFiguresCache();
    }
  });

  it('keeps its figures a minute: a second request reads nothing from the database', async () => {
    clearFiguresCache();
    const first = await counting(() => call(dashboardLoader, getRequest('/dashboard?year=2025')));
    const second = await counting(() => call(dashboardLoader, getRequest('/dashboard?year=2024')));
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
  });
});

describe('annual report download', () => {
  const pdf = (jar: CookieJar | undefined, query = 'year=2025') => call<string>(pdfLoader, getRequest(`/dashboard/report.pdf?${query}`, { jar }));

  it('is for the committee of that year and admins only: 401 signed out, 403 for residents, judges, grid workers and other years’ committees', async () => {
    expect((await pdf(undefined)).status).toBe(401);
    for (const who of ['13900000005', 'judge1@demo.laoshanxing.cn', 'grid.zhonghan@demo.laoshanxing.cn', 'mentor@demo.laoshanxing.cn']) {
      expect((await pdf(await signIn(who))).status, who).toBe(403);
    }
    // A committee member of another competition only.
    const c2030 = await createCompetition({ slug: 'dashboard-2030', year: 2030 });
    await createUser({ email: 'committee-2030@example.test', roles: [grant('resident'), grant('committee', 'competition', c2030._id)] });
    clearFiguresCache();
    expect((await pdf(await signIn('committee-2030@example.test'))).status).toBe(403);
    await Competition.deleteOne({ _id: c2030._id });
    clearFiguresCache();
  });

  it('gives the committee and the admin a PDF; a missing year is 400, a year without competitions 404 for an admin', async () => {
    const committee = await signIn('committee@demo.laoshanxing.cn');
    for (const year of [2024, 2025]) {
      const outcome = await pdf(committee, `year=${year}`);
      expect(outcome.status, `${year}`).toBe(200);
      expect(outcome.headers.get('Content-Type')).toBe('application/pdf');
      expect(outcome.headers.get('Cache-Control')).toContain('no-store');
      expect(outcome.data.startsWith('%PDF-')).toBe(true);
      // The CJK font is embedded as a subset, not whole (the collection is ~19 MB).
      expect(Number(outcome.headers.get('Content-Length'))).toBeLessThan(1_500_000);
    }
    expect((await pdf(committee, '')).status).toBe(400);
    expect((await pdf(committee, 'year=all')).status).toBe(400);
    const admin = await signIn('admin@demo.laoshanxing.cn');
    expect((await pdf(admin)).status).toBe(200);
    expect((await pdf(admin, 'year=2031')).status).toBe(404);
  });

  it('answers ten parallel downloads alike', async () => {
    const committee = await signIn('committee@demo.laoshanxing.cn');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => pdf(committee)));
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([200]));
    expect(new Set(outcomes.map((o) => Math.round(Number(o.headers.get('Content-Length')) / 1000))).size).toBe(1);
  });
});

/** One more competition with `k` times a base amount of every kind of row the dashboard reads, written straight. */
async function scale(k: number) {
  const competition = await createCompetition({ slug: `dashboard-scale-${k}x`, year: 2030 + k });
  const [street] = await Street.find().select('_id').limit(1).lean();
  const c = competition._id;
  const projects = Array.from({ length: 10 * k }, (_, i) => ({
    _id: new Types.ObjectId(),
    competition: c,
    proposal: new Types.ObjectId(),
    proposalNumber: i + 1,
    number: i + 1,
    title: `规模项目${i}`,
    category: ['elderly', 'children'][i % 2],
    street: street!._id,
    fundedFen: 10_000_00,
    approvedBudgetFen: 10_000_00,
    status: i % 3 ? 'completed' : 'inProgress',
  }));
  await Project.insertMany(projects);
  await MilestoneReport.insertMany(
    projects.flatMap((p) => [0, 1].map(() => ({ project: p._id, competition: c, milestone: new Types.ObjectId(), status: 'approved', served: [{ group: 'elderly', count: 3 }], volunteers: 2, volunteerHours: 5, expenses: [{ amountFen: 100_00, category: 'services', payee: '某店', date: new Date(), held: false }], createdBy: new Types.ObjectId() }))),
  );
  await ProjectRating.insertMany(projects.flatMap((p) => [1, 2, 3].map((n) => ({ project: p._id, competition: c, rater: new Types.ObjectId(), stars: n + 2, basis: 'voted' }))));
  const voters = Array.from({ length: 30 * k }, () => new Types.ObjectId());
  await Ballot.insertMany(voters.map((voter) => ({ competition: c, voter, channel: 'online', choices: [], street: street!._id, submittedAt: new Date() })));
  await Residency.insertMany(voters.map((resident) => ({ resident, scopeKey: `competition:${String(c)}`, scope: 'competition', competition: c, street: street!._id, community: new Types.ObjectId(), method: 'idCard', verifiedAt: new Date() })));
  await Proposal.insertMany(projects.map((p, i) => ({ _id: p.proposal, competition: c, number: i + 1, status: 'eligible', title: p.title, summary: '规模', category: p.category, authors: [new Types.ObjectId()], totalFen: 10_000_00, submittedAt: new Date() })), { lean: true });
  const community = new Types.ObjectId();
  await Need.insertMany(
    Array.from({ length: 20 * k }, (_, i) => ({
      number: 100_000 * k + i,
      category: i % 2 ? 'meals' : `scale${k}`,
      urgency: 'normal',
      street: street!._id,
      community,
      description: '规模测试需求。',
      raisedBy: new Types.ObjectId(),
      raisedAs: 'gridWorker',
      status: i % 2 ? 'fulfilled' : 'open',
      publishedAt: new Date(),
      ...(i % 2 ? { firstClaimedAt: new Date(), claimMs: i * 3_600_000, fulfilMs: i * 7_200_000 } : {}),
    })),
  );
  await Wish.insertMany(
    Array.from({ length: 10 * k }, (_, i) => ({
      number: 100_000 * k + i,
      kind: 'item',
      title: '规模测试心愿',
      valueFen: 50_00,
      child: { initial: '明', term: 'student', age: 9 },
      street: street!._id,
      community,
      registeredBy: new Types.ObjectId(),
      status: ['open', 'delivered', 'confirmed', 'withdrawn'][i % 4],
    })),
  );
  await Organization.insertMany(Array.from({ length: 3 * k }, (_, i) => ({ name: `规模组织${k}-${i}`, type: 'volunteerTeam', street: street!._id, stage: INCUBATION_STAGES[i % INCUBATION_STAGES.length], stageHistory: [{ stage: 'idea', at: new Date() }] })));
  const activity = new Types.ObjectId();
  await ServiceLog.insertMany(
    voters.map((volunteer, i) => ({ volunteer, activity, project: projects[0]!._id, street: street!._id, day: `${2030 + k}-03-0${1 + (i % 9)}`, minutes: 90, loggedBy: volunteer })),
  );
}

describe('database round trips', () => {
  it('stay the same at 10x the data as at 1x: two waves, one query per collection; the report adds three', async () => {
    const committee = await signIn('committee@demo.laoshanxing.cn');
    const measure = async () => {
      clearFiguresCache();
      const dashboard = await counting(() => call(dashboardLoader, getRequest('/dashboard?year=2025')));
      clearFiguresCache();
      const csv = await counting(() => call(csvLoader, getRequest('/dashboard.csv?chart=moneyByStreet')));
      clearFiguresCache();
      const report = await counting(() => call(pdfLoader, getRequest('/dashboard/report.pdf?year=2025', { jar: committee })));
      return { dashboard, csv, report };
    };
    await scale(1);
    const at1 = await measure();
    await scale(10);
    const at10 = await measure();
    expect(at10).toEqual(at1);
    expect(at1.dashboard.sort()).toEqual(
      ['competitions.find', 'streets.find', 'proposals.aggregate', 'ballots.aggregate', 'residencies.aggregate', 'projects.aggregate', 'milestonereports.aggregate', 'projectratings.aggregate', 'organizations.find', 'needs.aggregate', 'wishes.aggregate', 'pledges.aggregate', 'servicelogs.aggregate'].sort(),
    );
    expect(at1.csv).toHaveLength(13);
    expect(at1.report.length).toBe(at1.dashboard.length + 3);
    // The figures still equal plain counts at this size.
    clearFiguresCache();
    const raw = await computeRawFigures();
    expect(figuresFor(raw, 2040).summary.projects).toBe(100);
    // Two of every three projects are completed; only their ratings count, three each.
    expect(figuresFor(raw, 2040).summary.ratings).toBe(66 * 3);
    // Withdrawn wishes are not counted; confirmed ones are delivered.
    const wishes = figuresFor(raw, null).wishes;
    expect(wishes.open + wishes.claimed + wishes.delivered).toBe(await Wish.countDocuments({ status: mongoose.trusted({ $in: ['open', 'claimed', 'delivered', 'confirmed'] }) }));
    // 300 volunteers' hour and a half each in the year of the 10x competition.
    expect(figuresFor(raw, 2040).service).toMatchObject({ hours: 450, personTimes: 300, volunteers: 300 });
  }, 120_000);
});
