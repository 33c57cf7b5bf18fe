import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import mongoose, { type Types } from 'mongoose';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Competition, JudgingSheet, Organization, Project, Proposal } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { createProjectsFromResult } from '~/features/projects/projects.server';
import { action as previewAction } from '~/routes/competitions.$slug.results.preview/route';
import ProjectPage, { action as projectAction, loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { loader as projectsLoader } from '~/routes/competitions.$slug.projects._index/route';
import { loader as proposalLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { loader as layoutLoader } from '~/routes/competitions.$slug/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;
const slug = 'projects-2026';
// Five of ¥15,000 fit the ¥100,000 budget; the ¥90,000 one, scored lowest, no longer does.
const COSTS = [15_000_00, 15_000_00, 15_000_00, 15_000_00, 15_000_00, 90_000_00];
const LEVELS = [9, 8, 7, 6, 5, 2];
const FUNDED_FEN = 75_000_00;
const CONTACT_PHONE = '13712345678';
const CONTACT_NAME = '联系人柳如眉';
let competitionId: Types.ObjectId;
let committee: CookieJar;
const authorPhones: string[] = [];
const authorIds: Types.ObjectId[] = [];
const proposals: { id: Types.ObjectId; number: number }[] = [];

async function signIn(identifier: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier, password: DEMO_PASSWORD }))).headers);
}

const adjust = (jar: CookieJar | undefined, number: number, fields: Record<string, string>) =>
  call<{ reason: string | null }>(projectAction, formRequest(`/competitions/${slug}/projects/${number}`, fields, jar ? { jar } : {}), { slug, number: String(number) });

async function approvedSum(): Promise<number> {
  const projects = await Project.find({ competition: competitionId }).select('approvedBudgetFen').lean();
  return projects.reduce((sum, p) => sum + p.approvedBudgetFen, 0);
}

async function ledger() {
  return (await Competition.findById(competitionId).select('projectBudget').lean())!.projectBudget!;
}

beforeAll(async () => {
  const competition = await createCompetition({ slug, budgetFen: 100_000_00, phases: phaseWindows(new Date(Date.now() - 100 * DAY), { submission: 45, screening: 14, voting: 39 }) });
  competitionId = competition._id;
  await createUser({ email: 'projects-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionId)] });
  committee = await signIn('projects-committee@example.test');
  for (const [i, cost] of COSTS.entries()) {
    const phone = `1380000${String(1000 + i)}`;
    const author = await createUser({ name: `项目作者${i}`, phone });
    authorPhones.push(phone);
    authorIds.push(author._id);
    const p = await insertProposal({ competition: competitionId, author: author._id, status: 'eligible', title: `项目提案${i + 1}`, budget: [{ item: '服务', quantity: 1, unitPriceFen: cost }] });
    proposals.push({ id: p._id, number: p.number });
  }
  const judges = await Promise.all([1, 2].map((n) => createUser({ name: `项目评审${n}`, roles: [grant('resident'), grant('judge', 'competition', competitionId)] })));
  for (const [j, judge] of judges.entries()) {
    for (const [i, p] of proposals.entries()) {
      await JudgingSheet.create({
        competition: competitionId,
        judge: judge._id,
        proposal: p.id,
        status: 'submitted',
        submittedAt: new Date(),
        scores: DEFAULT_CRITERIA.map((c) => ({ criterion: c.key, score: Math.min(10, LEVELS[i]! + j) })),
      });
    }
  }
});

describe('projects from a published result', () => {
  it('publishing creates one project per funded proposal, numbered in the result order, none for the unfunded one; the proposal links to it', async () => {
    const published = await call(previewAction, formRequest(`/competitions/${slug}/results/preview`, { method: 'greedy', confirm: 'yes' }, { jar: committee }), { slug });
    expect(published).toRedirectTo(`/competitions/${slug}/results`, 303);
    const projects = await Project.find({ competition: competitionId }).sort({ number: 1 }).lean();
    expect(projects.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    expect(projects.map((p) => String(p.proposal))).toEqual(proposals.slice(0, 5).map((p) => String(p.id)));
    expect(await Project.exists({ proposal: proposals[5]!.id })).toBeNull();
    for (const [i, project] of projects.entries()) {
      expect(project.approvedBudgetFen).toBe(15_000_00);
      expect(project.fundedFen).toBe(15_000_00);
      expect(project.title).toBe(`项目提案${i + 1}`);
      expect(project.team.map(String)).toEqual([String(authorIds[i])]);
      expect(project.status).toBe('planning');
    }
    expect(await ledger()).toEqual({ fundedFen: FUNDED_FEN, approvedFen: FUNDED_FEN });
    const linked = await Proposal.find({ competition: competitionId }).select('number project').sort({ number: 1 }).lean();
    expect(linked.map((p) => p.project?.number ?? null)).toEqual([1, 2, 3, 4, 5, null]);
    const page = await call<{ proposal: { projectNumber: number | null } }>(proposalLoader, getRequest(`/competitions/${slug}/proposals/${proposals[1]!.number}`), { slug, number: String(proposals[1]!.number) });
    expect(page.data.proposal.projectNumber).toBe(2);
    const layout = await call<{ competition: { resultsPublished: boolean } }>(layoutLoader, getRequest(`/competitions/${slug}`), { slug });
    expect(layout.data.competition.resultsPublished).toBe(true);
  });

  it('creating the projects again, twice or ten times in parallel, creates none twice and leaves the budget total alone', async () => {
    expect(await createProjectsFromResult(String(competitionId))).toEqual({ ok: true, created: 0, total: 5 });
    await Project.deleteMany({ competition: competitionId, number: mongoose.trusted({ $in: [4, 5] }) });
    const runs = await Promise.all(Array.from({ length: 10 }, () => createProjectsFromResult(String(competitionId))));
    expect(runs.reduce((sum, r) => sum + (r.ok ? r.created : 0), 0)).toBe(2);
    expect((await Project.find({ competition: competitionId }).select('number').sort({ number: 1 }).lean()).map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    expect(await ledger()).toEqual({ fundedFen: FUNDED_FEN, approvedFen: FUNDED_FEN });
  });

  it('the public list shows the projects 20 a page; an unknown project is a 404', async () => {
    const list = await call<{ cards: { number: number; approvedBudgetFen: number; organization: string }[]; total: number }>(projectsLoader, getRequest(`/competitions/${slug}/projects`), { slug });
    expect(list.data.total).toBe(5);
    expect(list.data.cards.map((c) => c.number)).toEqual([1, 2, 3, 4, 5]);
    expect(list.data.cards[0]!.organization).toBe('测试互助队');
    expect((await call(projectLoader, getRequest(`/competitions/${slug}/projects/99`), { slug, number: '99' })).status).toBe(404);
  });
});

describe('the committee adjusts a project budget', () => {
  it('is refused without a reason, and above what the result funded in total; nothing changes, nothing is audited', async () => {
    const noReason = await adjust(committee, 1, { amount: '14000', reason: '   ' });
    expect(noReason.status).toBe(400);
    const above = await adjust(committee, 1, { amount: '15000.01', reason: '增加场地费' });
    expect(above.status).toBe(400);
    expect(above.data.reason).toBe('exceedsFunded');
    expect(await approvedSum()).toBe(FUNDED_FEN);
    expect(await AuditLog.countDocuments({ action: 'project.budgetAdjusted' })).toBe(0);
  });

  it('is refused for the committee of another competition, a resident, a judge, the project team and a visitor', async () => {
    const other = await createCompetition({ slug: 'projects-other' });
    await createUser({ email: 'other-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] });
    await createUser({ email: 'projects-resident@example.test' });
    await createUser({ email: 'projects-judge@example.test', roles: [grant('resident'), grant('judge', 'competition', competitionId)] });
    const project1 = (await Project.findOne({ competition: competitionId, number: 1 }).select('_id').lean())!;
    await createUser({ email: 'projects-team@example.test', roles: [grant('resident'), grant('team', 'project', project1._id)] });
    for (const email of ['other-committee@example.test', 'projects-resident@example.test', 'projects-judge@example.test', 'projects-team@example.test']) {
      const refused = await adjust(await signIn(email), 1, { amount: '1000', reason: '越权' });
      expect(refused.status, email).toBe(403);
    }
    expect((await adjust(undefined, 1, { amount: '1000', reason: '越权' })).status).toBe(302);
    expect(await approvedSum()).toBe(FUNDED_FEN);
    expect(await AuditLog.countDocuments({ action: 'project.budgetAdjusted' })).toBe(0);
  });

  it('a decrease with a reason is saved, shown without who made it, and audited with before and after', async () => {
    const saved = await adjust(committee, 1, { amount: '10000', reason: '场地由社区免费提供' });
    expect(saved).toRedirectTo(`/competitions/${slug}/projects/1`, 303);
    await expect(saved).toSendToast({ type: 'success', key: 'projects:toast.budgetAdjusted' });
    expect(await ledger()).toEqual({ fundedFen: FUNDED_FEN, approvedFen: FUNDED_FEN - 5_000_00 });
    const entry = (await AuditLog.findOne({ action: 'project.budgetAdjusted' }).lean())!;
    expect(entry.before).toEqual({ approvedBudgetFen: 15_000_00 });
    expect(entry.after).toEqual({ approvedBudgetFen: 10_000_00 });
    expect(entry.reason).toBe('场地由社区免费提供');
    const page = await call<{ project: { approvedBudgetFen: number; budgetAdjustments: Record<string, unknown>[] } }>(projectLoader, getRequest(`/competitions/${slug}/projects/1`), { slug, number: '1' });
    expect(page.data.project.approvedBudgetFen).toBe(10_000_00);
    const [shown, ...more] = page.data.project.budgetAdjustments;
    expect(more).toEqual([]);
    expect(Object.keys(shown!).sort()).toEqual(['at', 'fromFen', 'reason', 'toFen']);
    expect(shown).toMatchObject({ fromFen: 15_000_00, toFen: 10_000_00, reason: '场地由社区免费提供' });
  });

  it('ten parallel increases that together would exceed the funded total never take the projects above it', async () => {
    // ¥5,000 of headroom; each request asks ¥2,000 more for one of projects 2–5.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => adjust(committee, 2 + (i % 4), { amount: String(17_000 + i), reason: `并发增加${i}` })),
    );
    const accepted = answers.filter((a) => a.status === 303).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(answers.some((a) => a.data.reason === 'exceedsFunded')).toBe(true);
    // Two raises of ¥2,000 fit the ¥5,000 left; a third project raised that far would not.
    expect(await Project.countDocuments({ competition: competitionId, approvedBudgetFen: mongoose.trusted({ $gte: 17_000_00 }) })).toBeLessThanOrEqual(2);
    expect(answers.every((a) => a.status === 303 || a.status === 400 || a.status === 409)).toBe(true);
    const sum = await approvedSum();
    expect(sum).toBeLessThanOrEqual(FUNDED_FEN);
    expect((await ledger()).approvedFen).toBe(sum);
    expect(await AuditLog.countDocuments({ action: 'project.budgetAdjusted' })).toBe(1 + accepted);
  });
});

describe('information flow: the public project page', () => {
  it("never carries the organization's contact or the team's phone numbers, in its data or its HTML", async () => {
    const organization = await Organization.create({ name: '沙子口夕阳红服务社', type: 'communitySocialOrganization', contact: { name: CONTACT_NAME, phone: CONTACT_PHONE } });
    await Project.updateOne({ competition: competitionId, number: 1 }, { $set: { organization: organization._id } });
    const request = () => getRequest(`/competitions/${slug}/projects/1`, { jar: committee });
    const page = await call<Record<string, unknown>>(projectLoader, request(), { slug, number: '1' });
    const layout = await call<Record<string, unknown>>(layoutLoader, getRequest(`/competitions/${slug}`), { slug });
    const list = await call(projectsLoader, getRequest(`/competitions/${slug}/projects`), { slug });
    const json = JSON.stringify([page.data, list.data]);
    expect(json).toContain('沙子口夕阳红服务社');
    for (const secret of [CONTACT_PHONE, CONTACT_NAME, ...authorPhones, ...authorIds.map(String)]) expect(json).not.toContain(secret);

    const locale = (lng: string, ns: string) => JSON.parse(readFileSync(path.resolve(`public/locales/${lng}/${ns}.json`), 'utf8')) as Record<string, unknown>;
    const i18n = createInstance();
    void i18n.use(initReactI18next).init({
      lng: 'zh',
      fallbackLng: 'zh',
      ns: ['projects', 'common'],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      resources: { zh: { projects: locale('zh', 'projects'), common: locale('zh', 'common') } },
    });
    const handler = createStaticHandler([
      {
        id: 'routes/competitions.$slug',
        path: '/competitions/:slug',
        loader: () => layout.data,
        children: [{ id: 'project', path: 'projects/:number', loader: () => page.data, element: createElement(ProjectPage) }],
      },
    ]);
    const context = await handler.query(new Request(`http://localhost/competitions/${slug}/projects/1`));
    if (context instanceof Response) throw context;
    const html = renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context })));
    expect(html).toContain('沙子口夕阳红服务社');
    expect(html).toContain('社区社会组织');
    expect(html).toContain('场地由社区免费提供');
    for (const secret of [CONTACT_PHONE, CONTACT_NAME, ...authorPhones]) expect(html).not.toContain(secret);
  });
});
