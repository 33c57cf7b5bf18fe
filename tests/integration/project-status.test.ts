import mongoose, { type Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Project, User } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant } from '#seeds/factories';
import { canChangeProjectStatus, PROJECT_STATUSES, setOnlyByClosing, type ProjectStatus } from '~/features/projects/rules';
import { changeProjectStatus } from '~/features/projects/status.server';
import { action as projectAction } from '~/routes/competitions.$slug.projects.$number/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest } from '../support/http';

const slugA = 'status-a-2026';
const slugB = 'status-b-2026';
let competitionA: Types.ObjectId;
let competitionB: Types.ObjectId;
let committeeA: CookieJar;

async function signIn(identifier: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier, password: DEMO_PASSWORD }))).headers);
}

type StatusAnswer = { form?: string; errors?: Record<string, string[]> };
const change = (jar: CookieJar | undefined, slug: string, number: number, fields: Record<string, string>) =>
  call<StatusAnswer>(projectAction, formRequest(`/competitions/${slug}/projects/${number}`, { intent: 'status', ...fields }, jar ? { jar } : {}), { slug, number: String(number) });

async function project(competition: Types.ObjectId, number: number) {
  return (await Project.findOne({ competition, number }).select('status statusHistory').lean())!;
}

async function insertProject(competition: Types.ObjectId, number: number) {
  await Project.create({ competition, proposal: new mongoose.Types.ObjectId(), proposalNumber: number, number, title: `状态项目${number}`, fundedFen: 10_000_00, approvedBudgetFen: 10_000_00 });
}

beforeAll(async () => {
  competitionA = (await createCompetition({ slug: slugA }))._id;
  competitionB = (await createCompetition({ slug: slugB }))._id;
  for (const n of [1, 2, 3, 4, 5]) await insertProject(competitionA, n);
  await insertProject(competitionB, 1);
  await createUser({ email: 'status-committee-a@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionA)] });
  committeeA = await signIn('status-committee-a@example.test');
});

describe('the project status rules', () => {
  it('allow planning → in progress → completed, suspend and resume, and nothing out of completed or terminated', () => {
    expect(canChangeProjectStatus('planning', 'inProgress')).toBe(true);
    expect(canChangeProjectStatus('inProgress', 'completed')).toBe(true);
    expect(canChangeProjectStatus('inProgress', 'suspended')).toBe(true);
    expect(canChangeProjectStatus('suspended', 'inProgress')).toBe(true);
    expect(canChangeProjectStatus('planning', 'completed')).toBe(false);
    expect(PROJECT_STATUSES.filter(setOnlyByClosing)).toEqual(['completed']);
    for (const to of PROJECT_STATUSES) {
      expect(canChangeProjectStatus('completed', to)).toBe(false);
      expect(canChangeProjectStatus('terminated', to)).toBe(false);
      expect(canChangeProjectStatus(to, to)).toBe(false);
    }
  });
});

describe("the committee changes a project's status", () => {
  it('the committee of competition A cannot change a project of competition B; residents, judges, grid workers and visitors are refused', async () => {
    await createUser({ email: 'status-resident@example.test' });
    await createUser({ email: 'status-judge@example.test', roles: [grant('resident'), grant('judge', 'competition', competitionA)] });
    await createUser({ email: 'status-grid@example.test', roles: [grant('resident'), grant('gridWorker', 'platform')] });
    expect((await change(committeeA, slugB, 1, { to: 'inProgress' })).status).toBe(403);
    for (const email of ['status-resident@example.test', 'status-judge@example.test', 'status-grid@example.test']) {
      expect((await change(await signIn(email), slugA, 1, { to: 'inProgress' })).status, email).toBe(403);
    }
    expect((await change(undefined, slugA, 1, { to: 'inProgress' })).status).toBe(302);
    expect((await project(competitionB, 1)).status).toBe('planning');
    expect((await project(competitionA, 1)).status).toBe('planning');
    expect(await AuditLog.countDocuments({ action: 'project.statusChanged' })).toBe(0);
  });

  it('an invalid transition, an unknown status or a suspension without a reason is refused with a translated error key and changes nothing', async () => {
    const stay = await change(committeeA, slugA, 1, { to: 'planning' });
    expect(stay.status).toBe(400);
    expect(stay.data.errors?.form).toEqual(['transitionNotAllowed']);
    const skip = await change(committeeA, slugA, 1, { to: 'completed' });
    expect(skip.status).toBe(400);
    expect(skip.data.errors?.form).toEqual(['closingRequired']);
    const unknown = await change(committeeA, slugA, 1, { to: 'abandoned' });
    expect(unknown.status).toBe(400);
    expect(unknown.data.errors?.to).toEqual(['statusInvalid']);
    const noReason = await change(committeeA, slugA, 1, { to: 'suspended', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors?.reason).toEqual(['reasonRequired']);
    const p = await project(competitionA, 1);
    expect(p.status).toBe('planning');
    expect(p.statusHistory).toHaveLength(0);
    expect(await AuditLog.countDocuments({ action: 'project.statusChanged' })).toBe(0);
  });

  it('moves planning → in progress → completed, each step in the history and the audit; only the closing decision completes', async () => {
    expect((await change(committeeA, slugA, 2, { to: 'inProgress' })).status).toBe(303);
    // The status form cannot complete a project: that is the closing decision on its final report.
    const early = await change(committeeA, slugA, 2, { to: 'completed' });
    expect(early.status).toBe(400);
    expect(early.data.errors?.form).toEqual(['closingRequired']);
    expect((await project(competitionA, 2)).status).toBe('inProgress');
    const committee = (await User.findOne({ email: 'status-committee-a@example.test' }).select('_id').lean())!;
    const closed = await changeProjectStatus({ competitionId: String(competitionA), competitionSlug: slugA, projectNumber: 2, to: 'completed', actorId: String(committee._id), byClosing: true });
    expect(closed.ok).toBe(true);
    const p = await project(competitionA, 2);
    expect(p.status).toBe('completed');
    expect(p.statusHistory.map((h) => h.status)).toEqual(['inProgress', 'completed']);
    const audits = await AuditLog.find({ action: 'project.statusChanged' }).sort({ _id: 1 }).lean();
    expect(audits.map((a): unknown[] => [a.before, a.after])).toEqual([
      [{ status: 'planning' }, { status: 'inProgress' }],
      [{ status: 'inProgress' }, { status: 'completed' }],
    ]);
    expect((await change(committeeA, slugA, 2, { to: 'inProgress' })).status).toBe(400);
  });

  it('terminating needs a reason and the confirmation; then it is final', async () => {
    const unconfirmed = await change(committeeA, slugA, 3, { to: 'terminated', reason: '实施组织解散' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data.errors?.confirm).toEqual(['confirmRequired']);
    expect((await project(competitionA, 3)).status).toBe('planning');
    expect((await change(committeeA, slugA, 3, { to: 'terminated', reason: '实施组织解散', confirm: 'yes' })).status).toBe(303);
    const p = await project(competitionA, 3);
    expect(p.status).toBe('terminated');
    expect(p.statusHistory[0]?.reason).toBe('实施组织解散');
    expect((await change(committeeA, slugA, 3, { to: 'planning' })).status).toBe(400);
  });

  it('of ten parallel identical changes (planning → in progress) exactly one applies, once in the history and the audit', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => change(committeeA, slugA, 4, { to: 'inProgress' })));
    expect(answers.filter((a) => a.status === 303)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 303)) expect([400, 409]).toContain(a.status);
    const p = await Project.findOne({ competition: competitionA, number: 4 }).lean();
    expect(p!.status).toBe('inProgress');
    expect(p!.statusHistory).toHaveLength(1);
    expect(await AuditLog.countDocuments({ action: 'project.statusChanged', targetId: String(p!._id) })).toBe(1);
  });

  it('parallel mixed changes each apply to the status they read: the history and the audit form one unbroken chain of allowed moves', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => change(committeeA, slugA, 5, i % 2 ? { to: 'inProgress' } : { to: 'suspended', reason: '场地维修' })),
    );
    const p = await Project.findOne({ competition: competitionA, number: 5 }).lean();
    const applied = answers.filter((a) => a.status === 303).length;
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(p!.statusHistory).toHaveLength(applied);
    // The history is pushed by the same atomic update that moves the status, so its order is the order applied.
    let status: ProjectStatus = 'planning';
    const moves: string[] = [];
    for (const h of p!.statusHistory) {
      expect(canChangeProjectStatus(status, h.status)).toBe(true);
      moves.push(`${status}>${h.status}`);
      status = h.status;
    }
    const audits = await AuditLog.find({ action: 'project.statusChanged', targetId: String(p!._id) }).lean();
    const audited = audits.map((a) => `${(a.before as { status: string }).status}>${(a.after as { status: string }).status}`);
    expect(audited.sort()).toEqual(moves.sort());
    expect(p!.status).toBe(status);
  });
});
