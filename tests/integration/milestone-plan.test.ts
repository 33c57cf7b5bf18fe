import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import { Types } from 'mongoose';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Competition, MilestonePlan, Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant } from '#seeds/factories';
import PlanPage, { action as planAction, loader as planLoader } from '~/routes/competitions.$slug.projects.$number_.plan/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { adjustProjectBudget } from '~/features/projects/budget.server';
import { decidePlan, findPlanProject, savePlanDraft, submitPlan } from '~/features/projects/milestones.server';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const slug = 'plan-2026';
const otherSlug = 'plan-other-2026';
const BUDGET_FEN = 10_000_00;
let projectX: Types.ObjectId;
let projectY: Types.ObjectId;
const jars: Record<'teamX' | 'teamGrantX' | 'teamY' | 'committee' | 'committeeOther' | 'resident' | 'judge', CookieJar> = {} as never;

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

type Reply = { reason: string | null; result: { initialValue?: Record<string, unknown> } | null };
const url = (number: number) => `/competitions/${slug}/projects/${number}/plan`;
const post = (jar: CookieJar | undefined, number: number, fields: Record<string, string>) =>
  call<Reply>(planAction, formRequest(url(number), fields, jar ? { jar } : {}), { slug, number: String(number) });
const view = (jar: CookieJar | undefined, number: number) => call<Awaited<ReturnType<typeof planLoader>>>(planLoader, getRequest(url(number), jar ? { jar } : {}), { slug, number: String(number) });

function rows(milestones: { title: string; tranche: string; weight: string; due?: string }[]) {
  const fields: Record<string, string> = {};
  milestones.forEach((m, i) => {
    fields[`milestones[${i}].title`] = m.title;
    fields[`milestones[${i}].dueDate`] = m.due ?? '2027-06-30';
    fields[`milestones[${i}].deliverables`] = `交付${i}`;
    fields[`milestones[${i}].tranche`] = m.tranche;
    fields[`milestones[${i}].weight`] = m.weight;
  });
  return fields;
}
const PLAN = rows([
  { title: '招募志愿者', tranche: '3000', weight: '1' },
  { title: '开办助餐点', tranche: '7000', weight: '3' },
]);
const plansOf = (project: Types.ObjectId) => MilestonePlan.find({ project }).sort({ version: 1 }).lean();
const revisionOf = async (project: Types.ObjectId) => String((await MilestonePlan.findOne({ project }).sort({ version: -1 }).lean())!.revision);

beforeAll(async () => {
  const competition = await createCompetition({ slug });
  const other = await createCompetition({ slug: otherSlug });
  const base = { competition: competition._id, fundedFen: BUDGET_FEN, approvedBudgetFen: BUDGET_FEN, summary: '', proposedOrganizationName: '' };
  const users = {
    teamX: await createUser({ email: 'plan-team-x@example.test' }),
    teamGrantX: await createUser({ email: 'plan-team-grant-x@example.test' }),
    teamY: await createUser({ email: 'plan-team-y@example.test' }),
    committee: await createUser({ email: 'plan-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] }),
    committeeOther: await createUser({ email: 'plan-committee-other@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] }),
    resident: await createUser({ email: 'plan-resident@example.test' }),
    judge: await createUser({ email: 'plan-judge@example.test', roles: [grant('resident'), grant('judge', 'competition', competition._id)] }),
  };
  projectX = (await Project.create({ ...base, proposal: new Types.ObjectId(), proposalNumber: 1, number: 1, title: '长者助餐', team: [users.teamX._id] }))._id;
  projectY = (await Project.create({ ...base, proposal: new Types.ObjectId(), proposalNumber: 2, number: 2, title: '儿童图书角', team: [users.teamY._id] }))._id;
  await users.teamGrantX.updateOne({ $push: { roles: { role: 'team', scopeType: 'project', scopeId: projectX } } });
  for (const [key, user] of Object.entries(users)) jars[key as keyof typeof jars] = await signIn(user.email!);
});

describe('the milestone plan', () => {
  it('refuses everyone but the project team and its committee, and changes nothing', async () => {
    expect((await view(undefined, 1)).location).toMatch(/^\/login\?/);
    expect((await post(undefined, 1, { intent: 'save', ...PLAN })).location).toMatch(/^\/login\?/);
    for (const who of ['resident', 'judge', 'committeeOther', 'teamY'] as const) {
      expect((await view(jars[who], 1)).status, who).toBe(404);
      expect((await post(jars[who], 1, { intent: 'save', ...PLAN })).status, who).toBe(404);
      expect((await post(jars[who], 1, { intent: 'approve', revision: '0', confirm: 'yes' })).status, who).toBe(404);
    }
    // The team of project X, with project Y's number.
    expect((await post(jars.teamX, 2, { intent: 'submit', ...PLAN })).status).toBe(404);
    expect((await post(jars.teamGrantX, 2, { intent: 'save', ...PLAN })).status).toBe(404);
    expect(await MilestonePlan.countDocuments({})).toBe(0);
    expect(await AuditLog.countDocuments({ action: /^milestonePlan\./ })).toBe(0);
  });

  it('refuses tranches over the approved budget with nothing saved, keeping what was typed', async () => {
    const over = rows([
      { title: '招募志愿者', tranche: '3000', weight: '1' },
      { title: '开办助餐点', tranche: '7000.01', weight: '3' },
    ]);
    const res = await post(jars.teamX, 1, { intent: 'submit', ...over });
    expect(res.status).toBe(400);
    expect(res.data.reason).toBe('overBudget');
    expect(JSON.stringify(res.data.result?.initialValue)).toContain('7000.01');
    expect(await MilestonePlan.countDocuments({ project: projectX })).toBe(0);
    const invalid = await post(jars.teamX, 1, { intent: 'save', ...rows([{ title: '开办助餐点', tranche: 'abc', weight: '0' }]) });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.data.result?.initialValue)).toContain('开办助餐点');
    expect(await MilestonePlan.countDocuments({ project: projectX })).toBe(0);
  });

  it('the team (listed or granted) drafts and submits; once submitted, the team cannot edit it nor decide', async () => {
    expect((await post(jars.teamX, 1, { intent: 'save', ...PLAN })).status).toBe(303);
    expect((await post(jars.teamGrantX, 1, { intent: 'submit', ...PLAN })).status).toBe(303);
    const [plan] = await plansOf(projectX);
    expect(plan).toMatchObject({ version: 1, status: 'submitted' });
    expect(plan!.milestones.map((m) => [m.title, m.trancheFen, m.weight])).toEqual([
      ['招募志愿者', 3000_00, 1],
      ['开办助餐点', 7000_00, 3],
    ]);
    const edit = await post(jars.teamX, 1, { intent: 'save', ...rows([{ title: '改掉', tranche: '1', weight: '1' }]) });
    expect(edit.status).toBe(409);
    expect(edit.data.reason).toBe('notEditable');
    expect((await post(jars.teamX, 1, { intent: 'approve', revision: await revisionOf(projectX), confirm: 'yes' })).status).toBe(403);
    expect((await post(jars.committee, 1, { intent: 'save', ...PLAN })).status).toBe(403);
    expect((await plansOf(projectX)).map((p) => [p.status, p.milestones[0]!.title])).toEqual([['submitted', '招募志愿者']]);
  });

  it('the committee returns it with a comment; the team edits and resubmits', async () => {
    expect((await post(jars.committee, 1, { intent: 'return', revision: await revisionOf(projectX), comment: '' })).status).toBe(400);
    expect((await post(jars.committee, 1, { intent: 'return', revision: await revisionOf(projectX), comment: '请细化交付成果' })).status).toBe(303);
    const returned = (await plansOf(projectX))[0]!;
    expect(returned.status).toBe('draft');
    expect(returned.reviews.map((r) => [r.decision, r.comment])).toEqual([['returned', '请细化交付成果']]);
    const page = await view(jars.teamX, 1);
    expect(page.data.versions[0]!.reviews[0]!.comment).toBe('请细化交付成果');
    expect((await post(jars.teamX, 1, { intent: 'submit', ...PLAN })).status).toBe(303);
  });

  it('approval asks for confirmation, and twenty parallel approvals make one approved version', async () => {
    const revision = await revisionOf(projectX);
    expect((await post(jars.committee, 1, { intent: 'approve', revision })).status).toBe(400);
    const results = await Promise.all(Array.from({ length: 20 }, () => post(jars.committee, 1, { intent: 'approve', revision, confirm: 'yes' })));
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const plans = await plansOf(projectX);
    expect(plans.map((p) => [p.version, p.status])).toEqual([[1, 'approved']]);
    expect(plans[0]!.reviews.filter((r) => r.decision === 'approved')).toHaveLength(1);
    expect(await AuditLog.countDocuments({ action: 'milestonePlan.approved', targetId: String(projectX) })).toBe(1);
  });

  it('the public page shows the approved milestones without tranches, and no plan link to a resident', async () => {
    const res = await call<{ milestones: { id: string }[]; mayOpenPlan: boolean }>(projectLoader, getRequest(`/competitions/${slug}/projects/1`), { slug, number: '1' });
    // A milestone's id (for its report's address) but no report state: residents have no report pages.
    expect(res.data.milestones.every((m) => /^[0-9a-f]{24}$/.test(m.id))).toBe(true);
    expect(res.data.milestones.map(({ id: _id, ...m }) => m)).toEqual([
      { title: '招募志愿者', dueDate: '2027-06-29T16:00:00.000Z', weight: 1, state: 'upcoming', report: null },
      { title: '开办助餐点', dueDate: '2027-06-29T16:00:00.000Z', weight: 3, state: 'upcoming', report: null },
    ]);
    expect(res.data.mayOpenPlan).toBe(false);
    const mine = await call<{ mayOpenPlan: boolean }>(projectLoader, getRequest(`/competitions/${slug}/projects/1`, { jar: jars.teamX }), { slug, number: '1' });
    expect(mine.data.mayOpenPlan).toBe(true);
  });

  it('an approved plan changes only through a change request: one new version under parallel drafts, rejected or approved by the committee, old versions kept', async () => {
    const change = rows([
      { title: '招募志愿者', tranche: '2000', weight: '1' },
      { title: '开办助餐点', tranche: '8000', weight: '2' },
    ]);
    const drafts = await Promise.all(Array.from({ length: 8 }, () => post(jars.teamX, 1, { intent: 'save', ...change })));
    expect(drafts.filter((r) => r.status === 303).length).toBeGreaterThanOrEqual(1);
    expect((await plansOf(projectX)).map((p) => [p.version, p.status])).toEqual([
      [1, 'approved'],
      [2, 'draft'],
    ]);
    expect((await post(jars.teamX, 1, { intent: 'submit', ...change })).status).toBe(303);
    expect((await post(jars.committee, 1, { intent: 'reject', revision: await revisionOf(projectX), comment: '预算分配不合理' })).status).toBe(303);
    expect((await plansOf(projectX)).map((p) => [p.version, p.status])).toEqual([
      [1, 'approved'],
      [2, 'rejected'],
    ]);
    expect((await post(jars.teamX, 1, { intent: 'submit', ...change })).status).toBe(303);
    expect((await post(jars.committee, 1, { intent: 'approve', revision: await revisionOf(projectX), confirm: 'yes' })).status).toBe(303);
    const page = await view(jars.committee, 1);
    expect(page.data.versions.map((v) => [v.version, v.status])).toEqual([
      [3, 'approved'],
      [2, 'rejected'],
      [1, 'approved'],
    ]);
    const pub = await call<{ milestones: { weight: number }[] }>(projectLoader, getRequest(`/competitions/${slug}/projects/1`), { slug, number: '1' });
    expect(pub.data.milestones.map((m) => m.weight)).toEqual([1, 2]);
  });

  it('the budget is never lowered beneath the plan in force: refused with the least it may be, nothing changed', async () => {
    const competition = await Competition.findOne({ slug }).select('_id').lean();
    await Competition.updateOne({ _id: competition!._id }, { $set: { projectBudget: { fundedFen: 3 * BUDGET_FEN, approvedFen: 2 * BUDGET_FEN } } });
    const actorId = String((await createUser({ email: 'plan-budget-committee@example.test' }))._id);
    const lowered = await adjustProjectBudget({ competitionId: String(competition!._id), projectNumber: 1, toFen: BUDGET_FEN - 1, reason: '压缩场地费', actorId });
    expect(lowered).toEqual({ ok: false, reason: 'belowCommitted', committedFen: BUDGET_FEN });
    expect((await Project.findById(projectX).lean())!.approvedBudgetFen).toBe(BUDGET_FEN);
    expect((await Competition.findById(competition!._id).lean())!.projectBudget!.approvedFen).toBe(2 * BUDGET_FEN);
    expect(await AuditLog.countDocuments({ action: 'project.budgetAdjusted', targetId: String(projectX) })).toBe(0);
  });

  it('a plan approved while the budget is lowered at the same moment: never both, so the plan in force always fits its budget', async () => {
    const competition = await Competition.findOne({ slug }).select('_id').lean();
    const competitionId = String(competition!._id);
    const committeeId = String((await createUser({ email: 'plan-race-committee@example.test' }))._id);
    for (let round = 0; round < 5; round++) {
      const number = 100 + round;
      await Project.create({ competition: competitionId, fundedFen: BUDGET_FEN, approvedBudgetFen: BUDGET_FEN, summary: '', proposedOrganizationName: '', proposal: new Types.ObjectId(), proposalNumber: number, number, title: `并发${round}`, team: [] });
      await Competition.updateOne({ _id: competitionId }, { $set: { projectBudget: { fundedFen: 1000 * BUDGET_FEN, approvedFen: 10 * BUDGET_FEN } } });
      const project = (await findPlanProject(competitionId, number))!;
      const saved = await savePlanDraft({ project, actorId: committeeId, milestones: [{ title: '全部', dueDate: new Date('2027-06-30'), deliverables: '', trancheFen: BUDGET_FEN, weight: 1 }] });
      expect(saved.ok).toBe(true);
      const submitted = await submitPlan({ project, version: 1, revision: saved.ok ? saved.revision : 0, actorId: committeeId });
      expect(submitted.ok).toBe(true);
      const revision = (await MilestonePlan.findOne({ project: project.id }).lean())!.revision;
      const [decided, adjusted] = await Promise.all([
        decidePlan({ project, decision: 'approved', revision, actorId: committeeId }),
        adjustProjectBudget({ competitionId, projectNumber: number, toFen: BUDGET_FEN / 2, reason: '核减', actorId: committeeId }),
      ]);
      expect(decided.ok && adjusted.ok, `round ${round}`).toBe(false);
      const [plan, stored] = await Promise.all([MilestonePlan.findOne({ project: project.id }).lean(), Project.findById(project.id).lean()]);
      if (plan!.status === 'approved') expect(stored!.approvedBudgetFen).toBe(BUDGET_FEN);
      else expect(stored!.approvedBudgetFen).toBe(BUDGET_FEN / 2);
    }
  });

  it('a first plan cannot be rejected, only returned', async () => {
    expect((await post(jars.teamY, 2, { intent: 'submit', ...PLAN })).status).toBe(303);
    const res = await post(jars.committee, 2, { intent: 'reject', revision: await revisionOf(projectY), comment: '不行' });
    expect(res.status).toBe(400);
    expect(res.data.reason).toBe('notChangeRequest');
    expect((await plansOf(projectY)).map((p) => p.status)).toEqual(['submitted']);
  });

  it('approval re-checks the tranches against the budget as it is now: lowered after submission, the approval is refused and nothing changes', async () => {
    await Project.updateOne({ _id: projectY }, { $set: { approvedBudgetFen: BUDGET_FEN - 1 } });
    const res = await post(jars.committee, 2, { intent: 'approve', revision: await revisionOf(projectY), confirm: 'yes' });
    expect(res.status).toBe(400);
    expect(res.data.reason).toBe('overBudget');
    expect((await plansOf(projectY)).map((p) => p.status)).toEqual(['submitted']);
    expect(await AuditLog.countDocuments({ action: 'milestonePlan.approved', targetId: String(projectY) })).toBe(0);
  });

  it('the team sees the committee’s comments but never who wrote them, and the plan page carries no account ids', async () => {
    const page = await view(jars.teamX, 1);
    const text = JSON.stringify(page.data);
    const committee = await AuditLog.findOne({ action: 'milestonePlan.returned' }).select('actor').lean();
    expect(text).toContain('请细化交付成果');
    expect(text).not.toContain(String(committee!.actor));
    // Milestones carry their own ids (the form keeps them through change requests); nothing else does.
    expect(text.replace(/"key":"[0-9a-f]{24}"/g, '')).not.toMatch(/"by"|"_id"|[0-9a-f]{24}/);
  });

  it.each(['zh', 'en'] as const)('renders the team’s draft form and the committee’s decision forms in %s, every string translated', async (lng) => {
    const locale = (ns: string) => JSON.parse(readFileSync(path.resolve(`public/locales/${lng}/${ns}.json`), 'utf8')) as Record<string, unknown>;
    const i18n = createInstance();
    await i18n.use(initReactI18next).init({
      lng,
      fallbackLng: lng,
      ns: ['projects', 'common'],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      resources: { [lng]: { projects: locale('projects'), common: locale('common') } },
    });
    const render = async (jar: CookieJar, number: number) => {
      const page = await view(jar, number);
      const handler = createStaticHandler([{ id: 'plan', path: '/competitions/:slug/projects/:number/plan', loader: () => page.data, element: createElement(PlanPage) }]);
      const context = await handler.query(new Request(`http://localhost${url(number)}`));
      if (context instanceof Response) throw context;
      return renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context })));
    };
    const team = await render(jars.teamX, 1);
    expect(team).toContain('name="milestones[2].title"');
    expect(team).toContain('value="8000.00"');
    const committee = await render(jars.committee, 2);
    expect(committee).toContain('value="approve"');
    expect(committee).toContain('name="confirm"');
    for (const html of [team, committee]) expect(html).not.toMatch(/\b(plan|detail|confirmDialog)\.[a-zA-Z]+/);
  });
});
