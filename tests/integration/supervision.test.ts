/**
 * Supervision (issue 14): the committee's table, its CSV round trip (export, edit, preview,
 * apply changes exactly what the file says and nothing else, each audited), refusals of a bad
 * or stale file, overdue reminders at most once a day, and completion told to the audience.
 */
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Ballot, Competition, MilestonePlan, Notification, Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, insertProposal } from '#seeds/factories';
import { loader as csvLoader } from '~/routes/competitions.$slug.projects.supervision[.]csv/route';
import { action as supervisionAction, loader as supervisionLoader } from '~/routes/competitions.$slug.projects.supervision/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest, multipartRequest } from '../support/http';

const slug = 'supervision-2026';
const base = `/competitions/${slug}/projects/supervision`;
const jars = {} as Record<'committee' | 'committeeOther' | 'team' | 'resident', CookieJar>;
const ids = {} as Record<'committee' | 'team' | 'voter' | 'mentor', Types.ObjectId>;
let competitionId: Types.ObjectId;

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

type Reply = { intent: string; plan: { rows: { number: number | null; changes: { kind: string }[]; errors: string[] }[]; digest: string; fileError: string | null } | null; text: string; reason: string | null };
const upload = (jar: CookieJar, intent: string, csv: string, extra: Record<string, string> = {}) =>
  call<Reply>(supervisionAction, multipartRequest(base, { intent, ...extra }, [{ name: 'file', filename: 'p.csv', type: 'text/csv', data: new TextEncoder().encode(csv) }], { jar }), { slug });

async function exportCsv(jar?: CookieJar) {
  return call<string>(csvLoader, getRequest(`${base}.csv`, jar ? { jar } : {}), { slug });
}

/** Edits cells of the exported CSV by project number and column. */
function edit(csv: string, changes: Record<number, Record<string, string>>): string {
  const rows: string[][] = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true });
  const header = rows[0]!;
  const out = rows.map((row, i) => {
    if (i === 0) return row;
    const change = changes[Number(row[0])];
    if (!change) return row;
    return row.map((cell, c) => change[header[c]!] ?? cell);
  });
  return out.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n');
}

beforeAll(async () => {
  const competition = await createCompetition({ slug });
  const other = await createCompetition({ slug: 'supervision-other-2026' });
  competitionId = competition._id;
  const committee = await createUser({ email: 'sup-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
  const committeeOther = await createUser({ email: 'sup-committee-other@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] });
  const team = await createUser({ email: 'sup-team@example.test' });
  const resident = await createUser({ email: 'sup-resident@example.test' });
  const voter = await createUser({ email: 'sup-voter@example.test' });
  const mentor = await createUser({ email: 'sup-mentor@example.test', roles: [grant('mentor')] });
  Object.assign(ids, { committee: committee._id, team: team._id, voter: voter._id, mentor: mentor._id });
  for (const [key, user] of Object.entries({ committee, committeeOther, team, resident })) jars[key as keyof typeof jars] = await signIn(user.email!);
  const budget = 10_000_00;
  // The published result's ledger, as createProjectsFromResult leaves it: three projects of 10,000 yuan.
  await Competition.updateOne({ _id: competition._id }, { $set: { projectBudget: { fundedFen: 3 * budget, approvedFen: 3 * budget } } });
  for (const number of [1, 2, 3]) {
    const proposal = await insertProposal({ competition: competition._id, author: team._id, number, status: 'eligible', title: `项目${number}` });
    const project = await Project.create({
      competition: competition._id,
      proposal: proposal._id,
      proposalNumber: number,
      number,
      title: `项目${number}`,
      fundedFen: budget,
      approvedBudgetFen: budget,
      team: [team._id],
      mentor: mentor._id,
      status: number === 3 ? 'planning' : 'inProgress',
    });
    // Project 1's milestone is 10 days overdue; project 2's is due next year.
    const due = number === 1 ? new Date(Date.now() - 10 * 86_400_000) : new Date(Date.now() + 365 * 86_400_000);
    await MilestonePlan.create({ project: project._id, competition: competition._id, version: 1, status: 'approved', milestones: [{ title: `阶段${number}`, dueDate: due, trancheFen: 1000_00, weight: 1 }] });
    if (number === 2) await Ballot.collection.insertOne({ competition: competition._id, voter: voter._id, choices: [proposal._id], channel: 'online', changes: 0 });
  }
  // The other competition's committee's export sees none of these (it has no projects).
  void committeeOther;
});

describe('the supervision table', () => {
  it('is the committee’s only, for the table and the CSV', async () => {
    expect((await call(supervisionLoader, getRequest(base), { slug })).location).toMatch(/^\/login\?/);
    for (const who of ['committeeOther', 'team', 'resident'] as const) {
      expect((await call(supervisionLoader, getRequest(base, { jar: jars[who] }), { slug })).status, who).toBe(403);
      expect((await exportCsv(jars[who])).status, who).toBe(403);
      expect((await upload(jars[who], 'preview', 'number,status\n1,terminated')).status, who).toBe(403);
    }
  });

  it('shows lateness, sorted with the latest first', async () => {
    const page = await call<Awaited<ReturnType<typeof supervisionLoader>>>(supervisionLoader, getRequest(`${base}?sort=overdue`, { jar: jars.committee }), { slug });
    expect(page.status).toBe(200);
    expect(page.data.rows.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(page.data.rows[0]!.daysOverdue).toBe(10);
    expect(page.data.rows[1]!.daysOverdue).toBe(0);
    expect(page.data.totals.overdue).toBe(1);
    // No account ids reach the page.
    expect(JSON.stringify(page.data)).not.toContain(String(ids.team));
  });
});

describe('the CSV round trip', () => {
  it('previews, then applies exactly what the edited file says, each change audited', async () => {
    const exported = await exportCsv(jars.committee);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('Content-Type')).toMatch(/text\/csv/);
    const csv = exported.data;
    // An unchanged export changes nothing.
    const same = await upload(jars.committee, 'preview', csv);
    expect(same.status).toBe(200);
    expect(same.data.plan?.rows).toEqual([]);

    const edited = edit(csv, {
      1: { status: 'suspended', status_reason: '场地维修，暂停一个月', planned_end: '2027-12-31' },
      2: { approved_budget_yuan: '9000', budget_reason: '物资价格下降' },
      // Progress is derived: a typed-in progress is not an import column and changes nothing.
      3: { progress_pct: '90' },
    });
    const before = await Project.find({ competition: competitionId }).sort({ number: 1 }).lean();
    const preview = await upload(jars.committee, 'preview', edited);
    expect(preview.status).toBe(200);
    expect(preview.data.plan!.rows.map((r) => [r.number, r.changes.map((c) => c.kind)])).toEqual([
      [1, ['status', 'plannedEnd']],
      [2, ['budget']],
    ]);
    // Previewing wrote nothing.
    expect(await Project.find({ competition: competitionId }).sort({ number: 1 }).lean()).toEqual(before);

    const applied = await upload(jars.committee, 'apply', edited, { digest: preview.data.plan!.digest });
    expect(applied.status, JSON.stringify(applied.data)).toBe(303);
    const after = await Project.find({ competition: competitionId }).sort({ number: 1 }).lean();
    expect(after.map((p) => p.status)).toEqual(['suspended', 'inProgress', 'planning']);
    expect(after[0]!.statusHistory.at(-1)?.reason).toBe('场地维修，暂停一个月');
    expect(after[0]!.plannedEnd?.toISOString()).toBe(new Date('2027-12-31T00:00:00+08:00').toISOString());
    expect(after.map((p) => p.approvedBudgetFen)).toEqual([10_000_00, 9000_00, 10_000_00]);
    expect(after.map((p) => p.progressPct)).toEqual([0, 0, 0]);
    expect(await AuditLog.countDocuments({ action: 'project.statusChanged', targetId: String(after[0]!._id) })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'project.datesChanged', targetId: String(after[0]!._id) })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'project.budgetAdjusted', targetId: String(after[1]!._id) })).toBe(1);
    // Applying the same file again changes nothing more: its preview digest no longer matches.
    const again = await upload(jars.committee, 'apply', edited, { digest: preview.data.plan!.digest });
    expect(again.status).toBe(409);
    expect(again.data.reason).toBe('changed');
    expect((await Project.find({ competition: competitionId }).sort({ number: 1 }).lean()).map((p) => p.updatedAt)).toEqual(after.map((p) => p.updatedAt));
  });

  it('refuses a file with errors as a whole, row by row, and changes nothing', async () => {
    const csv = (await exportCsv(jars.committee)).data;
    const bad = edit(csv, { 1: { status: 'finished' }, 2: { approved_budget_yuan: '7000' }, 3: { planned_start: '2027-02-30', status: 'terminated' } });
    const withUnknown = `${bad}\r\n99,不存在,0,0,0,,,0,,planning,,,,1,`;
    const before = await Project.find({ competition: competitionId }).sort({ number: 1 }).lean();
    const preview = await upload(jars.committee, 'preview', withUnknown);
    expect(preview.data.plan!.rows.map((r) => [r.number, r.errors])).toEqual([
      [1, ['statusInvalid']],
      [2, ['budgetReasonRequired']],
      [3, ['statusReasonRequired', 'dateInvalid']],
      [99, ['unknownProject']],
    ]);
    const applied = await upload(jars.committee, 'apply', withUnknown, { digest: preview.data.plan!.digest });
    expect(applied.status).toBe(409);
    expect(applied.data.reason).toBe('hasErrors');
    expect(await Project.find({ competition: competitionId }).sort({ number: 1 }).lean()).toEqual(before);
    const notCsv = await upload(jars.committee, 'preview', 'hello');
    expect(notCsv.data.reason ?? notCsv.data.plan?.fileError).toBe('columnsMissing');
  });

  it('refuses to complete a project from the file: completion is the closing decision on its final report', async () => {
    const before = (await Project.findOne({ competition: competitionId, number: 2 }).select('status').lean())!.status;
    const file = edit((await exportCsv(jars.committee)).data, { 2: { status: 'completed' } });
    const preview = await upload(jars.committee, 'preview', file);
    expect(preview.data.plan!.rows.filter((r) => r.errors.length).map((r) => [r.number, r.errors])).toEqual([[2, ['closingRequired']]]);
    const applied = await upload(jars.committee, 'apply', file, { digest: preview.data.plan!.digest });
    expect(applied.status).toBe(409);
    expect(applied.data.reason).toBe('hasErrors');
    expect((await Project.findOne({ competition: competitionId, number: 2 }).select('status').lean())!.status).toBe(before);
  });
});

describe('overdue reminders and completion', () => {
  it('reminds the team and mentor of an overdue running project at most once a day, in one write', async () => {
    // Project 1 was suspended by the import: lateness counts only for running projects.
    await Project.updateOne({ competition: competitionId, number: 1 }, { $set: { status: 'inProgress' } });
    const remind = () => call(supervisionAction, multipartRequest(base, { intent: 'remind' }, [], { jar: jars.committee }), { slug });
    expect((await remind()).status).toBe(303);
    const told = await Notification.find({ type: 'milestoneOverdue' }).lean();
    expect(told.map((n) => String(n.recipient)).sort()).toEqual([String(ids.team), String(ids.mentor)].sort());
    expect(told[0]!.data).toMatchObject({ projectNumber: 1, days: 10 });
    expect((await remind()).status).toBe(303);
    expect(await Notification.countDocuments({ type: 'milestoneOverdue' })).toBe(2);
  });

  it('tells the voters, followers and team when a project is completed', async () => {
    const { changeProjectStatus } = await import('~/features/projects/status.server');
    const done = await changeProjectStatus({ competitionId: String(competitionId), competitionSlug: slug, projectNumber: 2, to: 'completed', actorId: String(ids.committee), byClosing: true });
    expect(done.ok).toBe(true);
    const told = await Notification.find({ type: 'projectCompleted' }).lean();
    expect(told.map((n) => String(n.recipient)).sort()).toEqual([String(ids.team), String(ids.voter)].sort());
  });
});
