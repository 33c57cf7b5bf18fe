/**
 * Closing a project (issue 14): the team's final report can be submitted only when every
 * milestone's report is approved; only the committee evaluates and closes (once, under
 * parallel posts, confirmed, every score 1-5); closing completes the project, tells its voters
 * and shows the final report and scores (not the comments) publicly; returning needs a comment.
 */
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Ballot, MilestonePlan, MilestoneReport, Notification, Project, ProjectClosing } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, insertProposal } from '#seeds/factories';
import { action as closingAction, loader as closingLoader } from '~/routes/competitions.$slug.projects.$number_.closing/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const slug = 'closing-2026';
const url = `/competitions/${slug}/projects/1/closing`;
type Who = 'team' | 'committee' | 'committeeOther' | 'resident' | 'mentor' | 'voter';
const jars = {} as Record<Who, CookieJar>;
const ids = {} as Record<Who, Types.ObjectId>;
let projectId: Types.ObjectId;
let milestone: Types.ObjectId;

type Reply = { reason: string | null; errors: string[]; values: Record<string, string> | null };
const post = (who: Who | null, fields: Record<string, string>) => call<Reply>(closingAction, formRequest(url, fields, who ? { jar: jars[who] } : {}), { slug, number: '1' });
const view = (who: Who) => call<Awaited<ReturnType<typeof closingLoader>>>(closingLoader, getRequest(url, { jar: jars[who] }), { slug, number: '1' });
const closingDoc = () => ProjectClosing.findOne({ project: projectId }).lean();
const FINAL = { outcomes: '服务老人 86 人次，建立助餐点一处。', againstPlan: '两个里程碑均按期完成。', sustainability: '由社区社会组织继续运营。', lessons: '提前联系场地。' };
const SCORES = { score_delivery: '5', score_reach: '4', score_spending: '4', score_sustainability: '3', comment_spending: '票据齐全，建议细化类别。' };

beforeAll(async () => {
  const competition = await createCompetition({ slug });
  const other = await createCompetition({ slug: 'closing-other-2026' });
  const users = {
    team: await createUser({ email: 'close-team@example.test' }),
    committee: await createUser({ email: 'close-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] }),
    committeeOther: await createUser({ email: 'close-committee-other@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] }),
    resident: await createUser({ email: 'close-resident@example.test' }),
    mentor: await createUser({ email: 'close-mentor@example.test', roles: [grant('mentor')] }),
    voter: await createUser({ email: 'close-voter@example.test' }),
  };
  for (const [key, user] of Object.entries(users)) {
    ids[key as Who] = user._id;
    jars[key as Who] = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: user.email!, password: DEMO_PASSWORD }))).headers);
  }
  const proposal = await insertProposal({ competition: competition._id, author: users.team._id, number: 1, status: 'eligible', title: '助餐点' });
  projectId = (await Project.create({ competition: competition._id, proposal: proposal._id, proposalNumber: 1, number: 1, title: '助餐点', fundedFen: 100_00, approvedBudgetFen: 100_00, team: [users.team._id], mentor: users.mentor._id, status: 'inProgress' }))._id;
  milestone = new Types.ObjectId();
  await MilestonePlan.create({ project: projectId, competition: competition._id, version: 1, status: 'approved', milestones: [{ _id: milestone, title: '开办', dueDate: new Date('2027-01-01'), trancheFen: 100_00, weight: 1 }] });
  await Ballot.collection.insertOne({ competition: competition._id, voter: users.voter._id, choices: [proposal._id], channel: 'online', changes: 0 });
});

describe('closing a project', () => {
  it('is for the team, mentor (read-only) and committee only', async () => {
    expect((await post(null, { intent: 'save', ...FINAL })).location).toMatch(/^\/login\?/);
    for (const who of ['resident', 'committeeOther', 'voter'] as const) {
      expect((await view(who)).status, who).toBe(404);
      expect((await post(who, { intent: 'save', revision: '', ...FINAL })).status, who).toBe(404);
      expect((await post(who, { intent: 'close', revision: '0', confirm: 'yes', ...SCORES })).status, who).toBe(404);
    }
    expect((await view('mentor')).status).toBe(200);
    expect((await post('mentor', { intent: 'save', revision: '', ...FINAL })).status).toBe(403);
    expect((await post('committee', { intent: 'save', revision: '', ...FINAL })).status).toBe(403);
    expect(await closingDoc()).toBeNull();
  });

  it('saves a draft, but submits only when every milestone report is approved and the outcomes are written', async () => {
    expect((await post('team', { intent: 'save', revision: '', outcomes: '', againstPlan: '' })).status).toBe(303);
    const early = await post('team', { intent: 'submit', revision: '0', ...FINAL });
    expect(early.status).toBe(400);
    expect(early.data.reason).toBe('milestonesOpen');
    expect(early.data.values?.outcomes).toBe(FINAL.outcomes);
    await MilestoneReport.create({ project: projectId, competition: (await Project.findById(projectId).lean())!.competition, milestone, status: 'approved', createdBy: ids.team, approvedAt: new Date() });
    const empty = await post('team', { intent: 'submit', revision: '1', outcomes: '', againstPlan: '' });
    expect(empty.data.reason).toBe('outcomesRequired');
    expect((await post('team', { intent: 'submit', revision: '2', ...FINAL })).status).toBe(303);
    expect((await closingDoc())!.status).toBe('submitted');
    expect((await post('team', { intent: 'save', revision: '4', ...FINAL })).status).toBe(409);
  });

  it('returns only with a comment, and the team can resubmit', async () => {
    const doc = (await closingDoc())!;
    expect((await post('committee', { intent: 'return', revision: String(doc.revision), comment: '' })).status).toBe(400);
    expect((await post('committee', { intent: 'return', revision: String(doc.revision), comment: '请补充服务人数的统计方法。' })).status).toBe(303);
    const returned = (await closingDoc())!;
    expect(returned.status).toBe('returned');
    expect((await view('team')).data.editable).toBe(true);
    expect((await post('team', { intent: 'submit', revision: String(returned.revision), ...FINAL })).status).toBe(303);
  });

  it('closes once, with every score and the confirmation, completing the project and telling its voters', async () => {
    const doc = (await closingDoc())!;
    const missing = await post('committee', { intent: 'close', revision: String(doc.revision), confirm: 'yes', ...SCORES, score_reach: '7' });
    expect(missing.status).toBe(400);
    expect(missing.data.errors).toContain('scoreRequired');
    expect((await post('committee', { intent: 'close', revision: String(doc.revision), ...SCORES })).status).toBe(400);
    expect((await closingDoc())!.status).toBe('submitted');
    const tries = await Promise.all(Array.from({ length: 4 }, () => post('committee', { intent: 'close', revision: String(doc.revision), confirm: 'yes', ...SCORES })));
    expect(tries.map((t) => t.status).filter((s) => s === 303)).toHaveLength(1);
    const closed = (await closingDoc())!;
    expect(closed.status).toBe('closed');
    expect(closed.evaluation?.delivery?.score).toBe(5);
    expect((await Project.findById(projectId).lean())!.status).toBe('completed');
    expect(await AuditLog.countDocuments({ action: 'projectClosing.closed', targetId: String(projectId) })).toBe(1);
    expect(await Notification.countDocuments({ recipient: ids.voter, type: 'projectCompleted' })).toBe(1);
    const page = await call<Awaited<ReturnType<typeof projectLoader>>>(projectLoader, getRequest(`/competitions/${slug}/projects/1`), { slug, number: '1' });
    expect(page.data.closing).toMatchObject({ outcomes: FINAL.outcomes, mean: 4, scores: { delivery: 5, reach: 4, spending: 4, sustainability: 3 } });
    // The committee's comments are not public.
    expect(JSON.stringify(page.data)).not.toContain(SCORES.comment_spending);
    expect(JSON.stringify(page.data)).not.toContain('请补充服务人数');
  });
});
