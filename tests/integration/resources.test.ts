/**
 * Charity resources (issue 17, decision 031): pledges of money and goods to a project or a need,
 * their delivery and withdrawal, and the project's money by source.
 */
import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Need, Notification, Pledge, Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant } from '#seeds/factories';
import type { SessionUser } from '~/core/auth.server';
import { fixedT } from '~/core/i18n.server';
import { storeImage } from '~/core/uploads.server';
import type { PledgeInput } from '~/features/resources/pledge.schema';
import { deliverPledge, receiptAccess, recordPledge, withdrawPledge } from '~/features/resources/pledges.server';
import { overviewPledges, partnerPage, projectResources } from '~/features/resources/views.server';
import { loader as pledgeLoader } from '~/routes/resources.pledges.$number/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { action as resourcesAction } from '~/routes/competitions.$slug.projects.$number_.resources/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as needLoader } from '~/routes/needs.$number/route';
import { pngWithAlpha } from '../support/images';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;
const slug = 'resources-2026';
const BUDGET_FEN = 50_000_00;

type Who = 'teamA' | 'teamB' | 'committee' | 'staffOther' | 'donor' | 'stranger';
const users = {} as Record<Who, SessionUser>;
const jars = {} as Record<Who, CookieJar>;
let competitionId: string;
let streetId: Types.ObjectId;
let communityId: Types.ObjectId;
let nextProject = 1;
let nextNeed = 1;

const asSession = (doc: Awaited<ReturnType<typeof createUser>>): SessionUser => ({
  id: String(doc._id),
  name: doc.name,
  language: 'zh',
  streetId: null,
  communityId: null,
  roles: doc.roles.map((r) => ({ role: r.role, scopeType: r.scopeType, scopeId: r.scopeId ? String(r.scopeId) : null })),
});

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

async function newProject(team: Who[]) {
  const number = nextProject++;
  const doc = await Project.create({
    competition: competitionId,
    fundedFen: BUDGET_FEN,
    approvedBudgetFen: BUDGET_FEN,
    proposal: new Types.ObjectId(),
    proposalNumber: number,
    number,
    title: `资源项目${number}`,
    street: streetId,
    team: team.map((w) => new Types.ObjectId(users[w].id)),
  });
  return { id: String(doc._id), number };
}

async function newNeed(status: 'open' | 'pending' | 'withdrawn') {
  const number = nextNeed++;
  await Need.create({ number, category: 'meals', urgency: 'normal', street: streetId, community: communityId, description: '独居老人需要助餐', raisedBy: new Types.ObjectId(users.stranger.id), raisedAs: 'gridWorker', status, publishedAt: new Date() });
  return number;
}

const inDays = (days: number, from = new Date()) => new Date(from.getTime() + days * DAY);
/** The end of the day `days` from `from`, as the form stores a due date. */
const dueIn = (days: number, from = new Date()) => {
  const day = new Date(inDays(days, from).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return new Date(Date.parse(`${day}T15:59:59.999Z`));
};

const money = (partnerKind: PledgeInput['partnerKind'], yuan: number, extra: Partial<PledgeInput> = {}): PledgeInput => ({
  partnerKind,
  partnerName: partnerKind === 'fund' || partnerKind === 'self' ? '' : `${partnerKind}伙伴`,
  showName: false,
  kind: 'money',
  amount: yuan * 100,
  item: '',
  quantity: null,
  unit: '',
  estimatedValue: null,
  dueDate: dueIn(30),
  note: '',
  ...extra,
});
const goods = (yuan: number): PledgeInput => ({ ...money('enterprise', 0), partnerName: '崂山爱心超市', kind: 'inKind', amount: null, item: '米面油礼包', quantity: 20, unit: '份', estimatedValue: yuan * 100 });

async function record(who: Who, project: { number: number }, values: PledgeInput, now?: Date) {
  const result = await recordPledge({ user: users[who], target: { type: 'project', competitionId, number: project.number }, values, now });
  if (!result.ok) throw new Error(`record refused: ${result.reason}`);
  return result.number;
}

const deliver = (who: Who, number: number, receipt?: { data: Uint8Array; filename: string }) => deliverPledge({ user: users[who], number, deliveredOn: new Date(), note: '已收到', receipt });

beforeAll(async () => {
  const street = await createStreet();
  streetId = street._id;
  communityId = (await createCommunity({ street: street._id }))._id;
  const competition = await createCompetition({ slug });
  competitionId = String(competition._id);
  const docs = {
    teamA: await createUser({ email: 'res-team-a@example.test' }),
    teamB: await createUser({ email: 'res-team-b@example.test' }),
    committee: await createUser({ email: 'res-committee@example.test', roles: [grant('committee', 'competition', competitionId)] }),
    // A committee member of another competition: district staff for resources (resource:manage).
    staffOther: await createUser({ email: 'res-staff@example.test', roles: [grant('committee', 'competition', new Types.ObjectId())] }),
    donor: await createUser({ email: 'res-donor@example.test', name: '隐名捐赠人王某' }),
    stranger: await createUser({ email: 'res-stranger@example.test' }),
  };
  for (const [who, doc] of Object.entries(docs) as [Who, (typeof docs)[Who]][]) {
    users[who] = asSession(doc);
    jars[who] = await signIn(doc.email!);
  }
});

describe('money by source', () => {
  it("sums to the project's total: budget, delivered fund allocations, delivered money, delivered goods; outstanding apart; withdrawn nowhere", async () => {
    const project = await newProject(['teamA']);
    const fundDelivered = await record('staffOther', project, money('fund', 10_000));
    await record('staffOther', project, money('fund', 5_000)); // allocated, not yet paid out
    const enterpriseDelivered = await record('teamA', project, money('enterprise', 3_000));
    // Promised for a date that has passed: recorded back then, never delivered.
    await record('teamA', project, money('enterprise', 2_000, { dueDate: dueIn(10, inDays(-40)) }), inDays(-40));
    const goodsDelivered = await record('teamA', project, goods(800));
    const anonymous = await record('donor', project, money('self', 200));
    const withdrawn = await record('teamA', project, money('organization', 9_999));
    for (const n of [fundDelivered, enterpriseDelivered, goodsDelivered, anonymous]) expect(await deliver('teamA', n)).toEqual({ ok: true });
    expect(await withdrawPledge({ user: users.teamA, number: withdrawn, reason: '企业取消' })).toEqual({ ok: true });

    const page = await call<Awaited<ReturnType<typeof projectLoader>>>(projectLoader, getRequest(`/competitions/${slug}/projects/${project.number}`), { slug, number: String(project.number) });
    expect(page.status).toBe(200);
    const { money: m } = page.data.resources;
    expect(m).toEqual({ budgetFen: BUDGET_FEN, fundFen: 10_000_00, pledgedMoneyFen: 3_200_00, inKindFen: 800_00, totalFen: BUDGET_FEN + 14_000_00, outstandingFen: 7_000_00 });
    expect(m.totalFen).toBe(m.budgetFen + m.fundFen + m.pledgedMoneyFen + m.inKindFen);
    expect(page.data.resources.overdueCount).toBe(1);
    expect(page.data.resources.delivered.map((l) => l.number).sort()).toEqual([fundDelivered, enterpriseDelivered, goodsDelivered, anonymous].sort());
    expect(page.data.resources.outstanding).toHaveLength(2);
    // The anonymous individual is 爱心人士 (partner null) and their name is nowhere in the public data; no withdrawn pledge is listed.
    expect(page.data.resources.delivered.find((l) => l.number === anonymous)!.partner).toBeNull();
    expect(JSON.stringify(page.data)).not.toContain('隐名捐赠人王某');
    expect(JSON.stringify(page.data.resources)).not.toContain('9999');
  });

  it('a named individual is named only with their explicit consent', async () => {
    const project = await newProject(['teamA']);
    const named = await record('donor', project, money('self', 50, { showName: true }));
    expect(await deliver('teamA', named)).toEqual({ ok: true });
    const view = await projectResources(project.id, BUDGET_FEN);
    expect(view.delivered[0]!.partner).toEqual({ id: null, name: '隐名捐赠人王某' });
  });
});

describe('who records what', () => {
  it("the team of project B cannot record a pledge on project A, and nothing is written", async () => {
    const a = await newProject(['teamA']);
    await newProject(['teamB']);
    const before = await Pledge.countDocuments();
    const reply = await call<{ errors: Record<string, string[]> }>(
      resourcesAction,
      formRequest(`/competitions/${slug}/projects/${a.number}/resources`, { intent: 'record', partnerKind: 'enterprise', partnerName: '越权企业', kind: 'money', amount: '100', dueDate: dueIn(5).toISOString().slice(0, 10) }, { jar: jars.teamB }),
      { slug, number: String(a.number) },
    );
    expect(reply.status).toBe(403);
    expect(reply.data.errors.form).toEqual(['forbidden']);
    expect(await Pledge.countDocuments()).toBe(before);
  });

  it('only district staff record the fund, and a pledge to a need that is not public is refused', async () => {
    const project = await newProject(['teamA']);
    expect(await recordPledge({ user: users.teamA, target: { type: 'project', competitionId, number: project.number }, values: money('fund', 1) })).toEqual({ ok: false, reason: 'fundStaffOnly' });
    const pending = await newNeed('pending');
    const withdrawnNeed = await newNeed('withdrawn');
    for (const number of [pending, withdrawnNeed]) {
      expect(await recordPledge({ user: users.donor, target: { type: 'need', number }, values: money('self', 10) })).toEqual({ ok: false, reason: 'needNotPublic' });
    }
    expect(await Pledge.countDocuments({ needNumber: mongoose.trusted({ $in: [pending, withdrawnNeed] }) })).toBe(0);
  });

  it("only the team or the committee confirm a delivery: not the pledger, not another project's team, not a stranger", async () => {
    const project = await newProject(['teamA']);
    const offered = await record('donor', project, money('self', 100));
    for (const who of ['donor', 'teamB', 'stranger'] as const) expect(await deliver(who, offered)).toEqual({ ok: false, reason: 'forbidden' });
    expect((await Pledge.findOne({ number: offered }).lean())!.status).toBe('pledged');
    expect(await deliver('committee', offered)).toEqual({ ok: true });
    // Delivered once: not again, and the pledger can no longer withdraw it.
    expect(await deliver('teamA', offered)).toEqual({ ok: false, reason: 'wrongStatus' });
    expect(await withdrawPledge({ user: users.donor, number: offered, reason: '反悔' })).toEqual({ ok: false, reason: 'wrongStatus' });
    const doc = (await Pledge.findOne({ number: offered }).lean())!;
    expect(doc.status).toBe('delivered');
    expect(String(doc.delivery!.recordedBy)).toBe(users.committee.id);
  });

  it('the team is told when someone else pledges to their project', async () => {
    const project = await newProject(['teamA']);
    const number = await record('donor', project, money('self', 30));
    expect(await Notification.countDocuments({ recipient: users.teamA.id, type: 'pledgeOffered', 'data.pledgeNumber': number })).toBe(1);
  });
});

describe('deliver and withdraw in parallel', () => {
  it('exactly one of 10 parallel delivers and 10 parallel withdrawals wins, and the audit log holds that one', async () => {
    const project = await newProject(['teamA']);
    const number = await record('teamA', project, money('enterprise', 500));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? withdrawPledge({ user: users.teamA, number, reason: '并发撤回' }) : deliver('teamA', number))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const doc = (await Pledge.findOne({ number }).lean())!;
    const won = results.findIndex((r) => r.ok) % 2 ? 'withdrawn' : 'delivered';
    expect(doc.status).toBe(won);
    expect(Boolean(doc.delivery)).toBe(won === 'delivered');
    const entries = await AuditLog.find({ targetId: String(doc._id), action: mongoose.trusted({ $in: ['pledge.delivered', 'pledge.withdrawn'] }) }).lean();
    expect(entries.map((e) => e.action)).toEqual([`pledge.${won}`]);
  });
});

describe('overdue pledges', () => {
  it('a pledge not delivered by its date is flagged; delivered or still in time it is not', async () => {
    const project = await newProject(['teamA']);
    const late = await record('teamA', project, money('enterprise', 70, { dueDate: dueIn(3, inDays(-10)) }), inDays(-10));
    const lateDelivered = await record('teamA', project, money('enterprise', 80, { dueDate: dueIn(3, inDays(-10)) }), inDays(-10));
    const inTime = await record('teamA', project, money('enterprise', 90));
    expect(await deliver('teamA', lateDelivered)).toEqual({ ok: true });
    const overdue = await overviewPledges({ status: 'overdue', partnerKind: null, streetId: String(streetId) }, 1);
    const numbers = overdue.items.map((i) => i.number);
    expect(numbers).toContain(late);
    expect(numbers).not.toContain(lateDelivered);
    expect(numbers).not.toContain(inTime);
    expect(overdue.items.every((i) => i.overdue)).toBe(true);
    // The overview's other filters: every status of one street's enterprises, and one kind district-wide.
    const enterprises = await overviewPledges({ status: null, partnerKind: 'enterprise', streetId: String(streetId) }, 1);
    expect(enterprises.items.map((i) => i.number)).toEqual(expect.arrayContaining([late, lateDelivered, inTime]));
    expect(enterprises.items.every((i) => i.partnerKind === 'enterprise')).toBe(true);
    const delivered = await overviewPledges({ status: 'delivered', partnerKind: 'enterprise', streetId: null }, 1);
    expect(delivered.items.map((i) => i.number)).toContain(lateDelivered);
    expect(delivered.items.every((i) => i.status === 'delivered')).toBe(true);
    const view = await projectResources(project.id, BUDGET_FEN);
    expect(view.outstanding.find((l) => l.number === late)!.overdue).toBe(true);
    expect(view.outstanding.find((l) => l.number === inTime)!.overdue).toBe(false);
  });
});

describe('bad input', () => {
  it('is answered with translated field errors, and nothing is written', async () => {
    const project = await newProject(['teamA']);
    const before = await Pledge.countDocuments();
    const post = (fields: Record<string, string>) =>
      call<{ errors: Record<string, string[]> }>(resourcesAction, formRequest(`/competitions/${slug}/projects/${project.number}/resources`, { intent: 'record', ...fields }, { jar: jars.teamA }), { slug, number: String(project.number) });
    const cases: [Record<string, string>, string, string][] = [
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'money', amount: '12.345', dueDate: '2099-01-01' }, 'amount', 'amountInvalid'],
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'money', amount: '0.1e3', dueDate: '2099-01-01' }, 'amount', 'amountInvalid'],
      [{ partnerKind: 'enterprise', partnerName: '', kind: 'money', amount: '100', dueDate: '2099-01-01' }, 'partnerName', 'partnerNameRequired'],
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'inKind', amount: '', dueDate: '2099-01-01' }, 'item', 'itemRequired'],
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'money', amount: '100', dueDate: '2026-02-30' }, 'dueDate', 'dueDateInvalid'],
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'money', amount: '100', dueDate: '2020-01-01' }, 'dueDate', 'dueDateOutOfRange'],
      [{ partnerKind: 'enterprise', partnerName: '某企业', kind: 'money', amount: '100000001', dueDate: '2099-01-01' }, 'amount', 'amountInvalid'],
    ];
    const zh = fixedT('zh', ['resources']);
    const en = fixedT('en', ['resources']);
    for (const [fields, field, key] of cases) {
      const reply = await post(fields);
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      expect(reply.data.errors[field], JSON.stringify(fields)).toContain(key);
      expect(zh(`error.${key}`)).not.toBe(`error.${key}`);
      expect(en(`error.${key}`)).not.toBe(`error.${key}`);
    }
    expect(await Pledge.countDocuments()).toBe(before);
  });
});

describe('receipts', () => {
  it('a receipt is for the team, the committee and the pledger; never the public or another team, and absent from the public page', async () => {
    const project = await newProject(['teamA']);
    const number = await record('donor', project, money('self', 120));
    const image = await pngWithAlpha(40, 30);
    expect(await deliver('teamA', number, { data: image, filename: 'receipt.png' })).toEqual({ ok: true });
    const fileId = (await Pledge.findOne({ number }).lean())!.delivery!.receiptFileId!;
    expect(fileId).toMatch(/^[0-9a-f]{24}$/);
    expect(await receiptAccess(null, fileId)).toBe(false);
    expect(await receiptAccess(users.teamB, fileId)).toBe(false);
    expect(await receiptAccess(users.stranger, fileId)).toBe(false);
    for (const who of ['teamA', 'committee', 'staffOther', 'donor'] as const) expect(await receiptAccess(users[who], fileId), who).toBe(true);
    // Another image is no pledge's receipt: the upload route decides as before.
    const other = await storeImage({ data: image, filename: 'x.png', uploaderId: users.teamA.id, kind: 'receipt', visibility: 'private' });
    expect(other.ok && (await receiptAccess(users.teamA, other.fileId))).toBeNull();
    const page = await call(projectLoader, getRequest(`/competitions/${slug}/projects/${project.number}`, { jar: jars.stranger }), { slug, number: String(project.number) });
    expect(JSON.stringify(page.data)).not.toContain(fileId);
  });

  it("a need's page lists its pledges with nothing private", async () => {
    const number = await newNeed('open');
    const pledged = await recordPledge({ user: users.donor, target: { type: 'need', number }, values: money('self', 60, { note: '电话 13800000000' }) });
    expect(pledged.ok).toBe(true);
    const page = await call<Awaited<ReturnType<typeof needLoader>>>(needLoader, getRequest(`/needs/${number}`), { number: String(number) });
    expect(page.status).toBe(200);
    expect(page.data.pledges).toHaveLength(1);
    expect(page.data.pledges[0]!.partner).toBeNull();
    const text = JSON.stringify(page.data.pledges);
    expect(text).not.toContain('隐名捐赠人王某');
    expect(text).not.toContain('13800000000');
  });
});

describe('partner pages and the pledge page', () => {
  it("the fund's page sums its delivered allocations; an individual has no public page; a pledge's page is for its people only", async () => {
    const project = await newProject(['teamA']);
    const allocation = await record('staffOther', project, money('fund', 1_000));
    expect(await deliver('committee', allocation)).toEqual({ ok: true });
    const fund = await partnerPage('fund', 1);
    expect(fund!.partner.kind).toBe('fund');
    expect(fund!.items.map((i) => i.number)).toContain(allocation);
    expect(fund!.deliveredFen).toBeGreaterThanOrEqual(1_000_00);
    const offered = await record('donor', project, money('self', 10));
    const partnerId = String((await Pledge.findOne({ number: offered }).lean())!.partner);
    expect(await partnerPage(partnerId, 1)).toBeNull();
    const open = (who: Who) => call(pledgeLoader, getRequest(`/resources/pledges/${offered}`, { jar: jars[who] }), { number: String(offered) });
    for (const who of ['teamA', 'committee', 'donor'] as const) expect((await open(who)).status, who).toBe(200);
    for (const who of ['teamB', 'stranger'] as const) expect((await open(who)).status, who).toBe(404);
  });
});
