/**
 * Milestone reports (issue 14): who may write, read and review them (every persona, with other
 * projects' ids), the spending arithmetic in fen with held lines, the review cycle with
 * section comments, stale revisions, parallel approvals against one budget, releasing a held
 * line once, and what the public project page shows (never receipts or payees).
 */
import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Ballot, Follow, MilestonePlan, MilestoneReport, Notification, Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant, insertProposal } from '#seeds/factories';
import { decidePlan, findPlanProject, savePlanDraft, submitPlan } from '~/features/projects/milestones.server';
import { audienceBatch, findReportProject } from '~/features/projects/reports.server';
import { notifyMany } from '~/core/notifications.server';
import { action as reportAction, loader as reportLoader } from '~/routes/competitions.$slug.projects.$number_.milestones.$milestone/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { loader as uploadLoader } from '~/routes/uploads.$fileId/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest, multipartRequest } from '../support/http';
import { jpegWithGps } from '../support/images';

const slug = 'reports-2026';
const otherSlug = 'reports-other-2026';
const BUDGET_FEN = 10_000_00;
type Who = 'teamX' | 'teamY' | 'mentorX' | 'committee' | 'committeeOther' | 'resident' | 'judge' | 'voter';
const jars = {} as Record<Who, CookieJar>;
const ids = {} as Record<Who, Types.ObjectId>;
let competitionId: Types.ObjectId;
let projectX: Types.ObjectId;
/** Milestone ids of project 1 (tranches 3000 and 7000 yuan) and project 2. */
let m1: string;
let m2: string;
let mY: string;

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

type Reply = {
  form: string;
  reason: string | null;
  errors: string[] | null;
  result: {
    initialValue?: Record<string, unknown>;
    error?: Record<string, string[]>;
  } | null;
};
const url = (number: number, milestone: string) => `/competitions/${slug}/projects/${number}/milestones/${milestone}`;
const params = (number: number, milestone: string) => ({
  slug,
  number: String(number),
  milestone,
});
const post = (who: Who | null, number: number, milestone: string, fields: Record<string, string>) =>
  call<Reply>(reportAction, formRequest(url(number, milestone), fields, who ? { jar: jars[who] } : {}), params(number, milestone));
const view = (who: Who | null, number: number, milestone: string) =>
  call<Awaited<ReturnType<typeof reportLoader>>>(reportLoader, getRequest(url(number, milestone), who ? { jar: jars[who] } : {}), params(number, milestone));
const reportOf = (milestone: string) => MilestoneReport.findOne({ milestone }).lean();
/** The saved expense lines' ids, as the page's form carries them (a row without its id is a new line). */
async function expenseIds(milestone: string) {
  const report = await reportOf(milestone);
  return Object.fromEntries((report?.expenses ?? []).map((e, i) => [`expenses[${i}].id`, String(e._id)]));
}

const REPORT = {
  narrative: '本阶段招募了 12 名志愿者，完成培训。',
  'activities[0].date': '2027-03-02',
  'activities[0].place': '金家岭社区活动室',
  'activities[0].description': '志愿者培训',
  'served.elderly': '40',
  'served.disabled': '3',
  volunteers: '12',
  volunteerHours: '36.5',
  'expenses[0].amount': '1200.50',
  'expenses[0].category': 'training',
  'expenses[0].payee': '崂山区社工服务中心',
  'expenses[0].date': '2027-03-01',
  // Beyond the 3000-yuan tranche together with the first line: held.
  'expenses[1].amount': '2500',
  'expenses[1].category': 'materials',
  'expenses[1].payee': '青岛某商贸有限公司',
  'expenses[1].date': '2027-03-05',
};

async function approvePlan(projectId: Types.ObjectId, number: number, team: Types.ObjectId, committee: Types.ObjectId, milestones: { title: string; trancheFen: number; weight: number }[]) {
  const project = (await findPlanProject(String(competitionId), number))!;
  const saved = await savePlanDraft({
    project,
    actorId: String(team),
    milestones: milestones.map((m) => ({
      ...m,
      dueDate: new Date('2027-06-30T00:00:00+08:00'),
      deliverables: '',
    })),
  });
  if (!saved.ok) throw new Error(saved.reason);
  await submitPlan({
    project,
    version: saved.version,
    revision: saved.revision,
    actorId: String(team),
  });
  const decided = await decidePlan({
    project,
    decision: 'approved',
    revision: saved.revision,
    actorId: String(committee),
  });
  if (!decided.ok) throw new Error(decided.reason);
  const plan = await MilestonePlan.findOne({
    project: projectId,
    status: 'approved',
  })
    .sort({ version: -1 })
    .lean();
  return plan!.milestones.map((m) => String(m._id));
}

beforeAll(async () => {
  const competition = await createCompetition({ slug });
  const other = await createCompetition({ slug: otherSlug });
  competitionId = competition._id;
  const users = {
    teamX: await createUser({ email: 'rep-team-x@example.test' }),
    teamY: await createUser({ email: 'rep-team-y@example.test' }),
    mentorX: await createUser({
      email: 'rep-mentor-x@example.test',
      roles: [grant('mentor')],
    }),
    committee: await createUser({
      email: 'rep-committee@example.test',
      roles: [grant('resident'), grant('committee', 'competition', competition._id)],
    }),
    committeeOther: await createUser({
      email: 'rep-committee-other@example.test',
      roles: [grant('resident'), grant('committee', 'competition', other._id)],
    }),
    resident: await createUser({ email: 'rep-resident@example.test' }),
    judge: await createUser({
      email: 'rep-judge@example.test',
      roles: [grant('resident'), grant('judge', 'competition', competition._id)],
    }),
    voter: await createUser({ email: 'rep-voter@example.test' }),
  };
  for (const [key, user] of Object.entries(users)) {
    ids[key as Who] = user._id;
    jars[key as Who] = await signIn(user.email!);
  }
  const proposalX = await insertProposal({
    competition: competition._id,
    author: users.teamX._id,
    number: 1,
    status: 'eligible',
    title: '长者助餐',
  });
  const proposalY = await insertProposal({
    competition: competition._id,
    author: users.teamY._id,
    number: 2,
    status: 'eligible',
    title: '儿童图书角',
  });
  const base = {
    competition: competition._id,
    fundedFen: BUDGET_FEN,
    approvedBudgetFen: BUDGET_FEN,
    summary: '',
    proposedOrganizationName: '',
    status: 'inProgress' as const,
  };
  projectX = (
    await Project.create({
      ...base,
      proposal: proposalX._id,
      proposalNumber: 1,
      number: 1,
      title: '长者助餐',
      team: [users.teamX._id],
      mentor: users.mentorX._id,
    })
  )._id;
  const projectY = (
    await Project.create({
      ...base,
      proposal: proposalY._id,
      proposalNumber: 2,
      number: 2,
      title: '儿童图书角',
      team: [users.teamY._id],
    })
  )._id;
  // A resident who voted for the project's proposal is told of its approved milestones.
  await Ballot.collection.insertOne({
    competition: competition._id,
    voter: users.voter._id,
    choices: [proposalX._id],
    channel: 'online',
    changes: 0,
  });
  [m1, m2] = (await approvePlan(projectX, 1, users.teamX._id, users.committee._id, [
    { title: '招募培训志愿者', trancheFen: 3000_00, weight: 1 },
    { title: '开办助餐点', trancheFen: 7000_00, weight: 3 },
  ])) as [string, string];
  [mY] = (await approvePlan(projectY, 2, users.teamY._id, users.committee._id, [{ title: '建图书角', trancheFen: 5000_00, weight: 1 }])) as [string];
});

describe('who may open and write a milestone report', () => {
  it('refuses everyone but the team, its mentor (read-only) and its committee, and changes nothing', async () => {
    expect((await view(null, 1, m1)).location).toMatch(/^\/login\?/);
    expect((await post(null, 1, m1, { intent: 'save', revision: '', ...REPORT })).location).toMatch(/^\/login\?/);
    for (const who of ['resident', 'judge', 'committeeOther', 'teamY', 'voter'] as const) {
      expect((await view(who, 1, m1)).status, who).toBe(404);
      for (const intent of ['save', 'submit', 'approve', 'requestChanges', 'release']) {
        expect((await post(who, 1, m1, { intent, revision: '', ...REPORT })).status, `${who} ${intent}`).toBe(404);
      }
    }
    // Another project's milestone under this project's number, and a made-up one: 404 even for the team.
    expect((await view('teamX', 1, mY)).status).toBe(404);
    expect((await view('teamX', 1, String(new Types.ObjectId()))).status).toBe(404);
    expect((await post('teamY', 2, m1, { intent: 'save', revision: '', ...REPORT })).status).toBe(404);
    // The mentor and the committee read but do not write the team's report; the team does not review.
    expect((await view('mentorX', 1, m1)).status).toBe(200);
    expect(
      (
        await post('mentorX', 1, m1, {
          intent: 'save',
          revision: '',
          ...REPORT,
        })
      ).status
    ).toBe(403);
    expect(
      (
        await post('committee', 1, m1, {
          intent: 'save',
          revision: '',
          ...REPORT,
        })
      ).status
    ).toBe(403);
    expect(
      (
        await post('mentorX', 1, m1, {
          intent: 'approve',
          revision: '0',
          confirm: 'yes',
        })
      ).status
    ).toBe(403);
    expect(await MilestoneReport.countDocuments({ project: projectX })).toBe(0);
  });
});

describe('a report from draft to approval', () => {
  it('saves a draft with a photo and a receipt, both stripped of metadata, the photo only with consent', async () => {
    const photo = await jpegWithGps();
    const noConsent = await call<Reply>(
      reportAction,
      multipartRequest(
        url(1, m1),
        { intent: 'save', revision: '', ...REPORT },
        [
          {
            name: 'photos',
            filename: 'a.jpg',
            type: 'image/jpeg',
            data: photo,
          },
        ],
        { jar: jars.teamX }
      ),
      params(1, m1)
    );
    expect(noConsent.status).toBe(400);
    expect(noConsent.data.reason).toBe('photoConsentRequired');
    // What was typed comes back.
    expect(noConsent.data.result?.initialValue?.narrative).toBe(REPORT.narrative);
    expect(await reportOf(m1)).toBeNull();

    const saved = await call(
      reportAction,
      multipartRequest(
        url(1, m1),
        { intent: 'save', revision: '', peopleConsent: 'on', ...REPORT },
        [
          {
            name: 'photos',
            filename: 'a.jpg',
            type: 'image/jpeg',
            data: photo,
          },
          {
            name: 'expenses[0].receipt',
            filename: 'r.jpg',
            type: 'image/jpeg',
            data: photo,
          },
        ],
        { jar: jars.teamX }
      ),
      params(1, m1)
    );
    expect(saved.status).toBe(303);
    const report = (await reportOf(m1))!;
    expect(report.status).toBe('draft');
    expect(report.narrative).toBe(REPORT.narrative);
    expect(report.served.map((s) => [s.group, s.count])).toEqual([
      ['elderly', 40],
      ['disabled', 3],
    ]);
    expect(report.volunteerHours).toBe(36.5);
    expect(report.expenses.map((e) => e.amountFen)).toEqual([1200_50, 2500_00]);
    expect(report.expenses[0]!.receiptFileId).toMatch(/^[0-9a-f]{24}$/);
    expect(report.expenses[1]!.receiptFileId).toBeUndefined();
    expect(report.photos).toHaveLength(1);
  });

  it('refuses a stale revision and keeps what was typed', async () => {
    const report = (await reportOf(m1))!;
    const first = await post('teamX', 1, m1, {
      intent: 'save',
      revision: String(report.revision),
      ...REPORT,
      ...(await expenseIds(m1)),
      narrative: '第一次修改',
    });
    expect(first.status).toBe(303);
    const stale = await post('teamX', 1, m1, {
      intent: 'save',
      revision: String(report.revision),
      ...REPORT,
      narrative: '同时的另一次修改',
    });
    expect(stale.status).toBe(409);
    expect(stale.data.reason).toBe('conflict');
    expect(stale.data.result?.initialValue?.narrative).toBe('同时的另一次修改');
    expect((await reportOf(m1))!.narrative).toBe('第一次修改');
  });

  it('refuses bad input with field errors and changes nothing', async () => {
    const before = (await reportOf(m1))!;
    const bad = await post('teamX', 1, m1, {
      intent: 'save',
      revision: String(before.revision),
      ...REPORT,
      'expenses[0].amount': '-5',
      'expenses[1].category': 'bribes',
      'served.elderly': '四十',
      volunteerHours: '1.25',
    });
    expect(bad.status).toBe(400);
    expect(bad.data.result?.error).toMatchObject({
      'expenses[0].amount': ['amountInvalid'],
      'expenses[1].category': ['categoryInvalid'],
      'served.elderly': ['countInvalid'],
      volunteerHours: ['hoursInvalid'],
    });
    // A row index far past the rows is refused outright.
    expect(
      (
        await post('teamX', 1, m1, {
          intent: 'save',
          revision: String(before.revision),
          'expenses[9999].amount': '1',
        })
      ).status
    ).toBe(400);
    expect((await reportOf(m1))!.revision).toBe(before.revision);
  });

  it('holds the line beyond the tranche at submission, and the team cannot edit while it is reviewed', async () => {
    const before = (await reportOf(m1))!;
    expect(before.expenses[0]!.receiptFileId).toMatch(/^[0-9a-f]{24}$/);
    expect(
      (
        await post('teamX', 1, m1, {
          intent: 'submit',
          revision: String(before.revision),
          ...REPORT,
          ...(await expenseIds(m1)),
        })
      ).status
    ).toBe(303);
    const report = (await reportOf(m1))!;
    expect(report.status).toBe('submitted');
    expect(report.expenses.map((e) => e.held)).toEqual([false, true]);
    // The receipt of the kept line survived the edits (the row named its id).
    expect(report.expenses[0]!.receiptFileId).toBe(before.expenses[0]!.receiptFileId);
    const locked = await post('teamX', 1, m1, {
      intent: 'save',
      revision: String(report.revision),
      ...REPORT,
    });
    expect(locked.status).toBe(409);
    expect(locked.data.reason).toBe('notEditable');
  });

  it('lets the committee ask for changes only with a comment, section by section', async () => {
    const report = (await reportOf(m1))!;
    const empty = await post('committee', 1, m1, {
      intent: 'requestChanges',
      revision: String(report.revision),
    });
    expect(empty.status).toBe(400);
    expect(empty.data.errors).toContain('commentRequired');
    expect(
      (
        await post('committee', 1, m1, {
          intent: 'requestChanges',
          revision: String(report.revision),
          comment_expenses: '请补上第二笔支出的票据。',
        })
      ).status
    ).toBe(303);
    const returned = (await reportOf(m1))!;
    expect(returned.status).toBe('changesRequested');
    expect(returned.reviews.at(-1)!.comments).toMatchObject({
      expenses: '请补上第二笔支出的票据。',
    });
    const team = await Notification.findOne({
      recipient: ids.teamX,
      type: 'reportReviewed',
    }).lean();
    expect(team?.data).toMatchObject({
      decision: 'changesRequested',
      projectNumber: 1,
      milestone: m1,
    });
    // The team's page shows the comment next to the section.
    const page = await view('teamX', 1, m1);
    expect(page.data.editable).toBe(true);
    expect(page.data.report?.reviews.at(-1)?.comments.expenses).toBe('请补上第二笔支出的票据。');
  });

  it('approves once, after the confirmation, releasing the tranche, holding the excess and telling the voters', async () => {
    const before = (await reportOf(m1))!;
    // The team fixes it: the second line now fits the tranche with the first (1200.50 + 1799.50 = 3000).
    const fixed = {
      ...REPORT,
      ...(await expenseIds(m1)),
      'expenses[1].amount': '1799.50',
    };
    expect(
      (
        await post('teamX', 1, m1, {
          intent: 'submit',
          revision: String(before.revision),
          ...fixed,
        })
      ).status
    ).toBe(303);
    const submitted = (await reportOf(m1))!;
    expect(submitted.expenses.map((e) => e.held)).toEqual([false, false]);

    const unconfirmed = await post('committee', 1, m1, {
      intent: 'approve',
      revision: String(submitted.revision),
    });
    expect(unconfirmed.status).toBe(400);
    expect((await reportOf(m1))!.status).toBe('submitted');

    const [a, b] = await Promise.all([
      post('committee', 1, m1, {
        intent: 'approve',
        revision: String(submitted.revision),
        confirm: 'yes',
      }),
      post('committee', 1, m1, {
        intent: 'approve',
        revision: String(submitted.revision),
        confirm: 'yes',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const approved = (await reportOf(m1))!;
    expect(approved.status).toBe('approved');
    expect(approved.trancheReleasedFen).toBe(3000_00);
    expect((await Project.findById(projectX).lean())!.progressPct).toBe(25);
    expect(
      await AuditLog.countDocuments({
        action: 'milestoneReport.approved',
        targetId: String(projectX),
      })
    ).toBe(1);
    expect(
      await Notification.countDocuments({
        recipient: ids.voter,
        type: 'projectMilestone',
      })
    ).toBe(1);
    // Approved is final: no more edits, no second decision.
    expect(
      (
        await post('teamX', 1, m1, {
          intent: 'save',
          revision: String(approved.revision),
          ...REPORT,
        })
      ).status
    ).toBe(409);
    expect(
      (
        await post('committee', 1, m1, {
          intent: 'requestChanges',
          revision: String(approved.revision),
          comment_narrative: 'x',
        })
      ).status
    ).toBe(409);
  });
});

describe('spending against the budget', () => {
  it('holds what would pass the budget when two reports are approved at once, and releases a held line once, with a reason', async () => {
    // Milestone 2 (tranche 7000): 6000 + 2000 yuan; 3000 were spent on milestone 1, so 2000 passes the tranche and is held.
    const lines = {
      narrative: '助餐点开业',
      'expenses[0].amount': '6000',
      'expenses[0].category': 'venue',
      'expenses[0].payee': '社区居委会',
      'expenses[0].date': '2027-04-01',
      'expenses[1].amount': '2000',
      'expenses[1].category': 'materials',
      'expenses[1].payee': '厨具店',
      'expenses[1].date': '2027-04-02',
    };
    expect((await post('teamX', 1, m2, { intent: 'submit', revision: '', ...lines })).status).toBe(303);
    const submitted = (await reportOf(m2))!;
    expect(submitted.expenses.map((e) => e.held)).toEqual([false, true]);
    // Lower the budget so that the 6000 no longer fits beside the 3000 already spent: approval re-checks.
    await Project.updateOne({ _id: projectX }, { $set: { approvedBudgetFen: 8000_00 } });
    expect(
      (
        await post('committee', 1, m2, {
          intent: 'approve',
          revision: String(submitted.revision),
          confirm: 'yes',
        })
      ).status
    ).toBe(303);
    const approved = (await reportOf(m2))!;
    // The 6000 passes the lowered budget beside the 3000 already spent; the 2000 still fits (a held line does not count).
    expect(approved.expenses.map((e) => e.held)).toEqual([true, false]);
    await Project.updateOne({ _id: projectX }, { $set: { approvedBudgetFen: BUDGET_FEN } });

    const held = String(approved.expenses[0]!._id);
    const noReason = await post('committee', 1, m2, {
      intent: 'release',
      expenseId: held,
      confirm: 'yes',
    });
    expect(noReason.status).toBe(400);
    expect(
      (
        await post('teamX', 1, m2, {
          intent: 'release',
          expenseId: held,
          reason: '自批',
          confirm: 'yes',
        })
      ).status
    ).toBe(403);
    const tries = await Promise.all(
      Array.from({ length: 5 }, () =>
        post('committee', 1, m2, {
          intent: 'release',
          expenseId: held,
          reason: '厨具为开业必需，委员会同意。',
          confirm: 'yes',
        })
      )
    );
    expect(tries.map((r) => r.status).filter((s) => s === 303)).toHaveLength(1);
    const after = (await reportOf(m2))!;
    expect(after.expenses.map((e) => e.held)).toEqual([false, false]);
    expect(after.expenses[0]!.release?.reason).toBe('厨具为开业必需，委员会同意。');
    expect(
      await AuditLog.countDocuments({
        action: 'milestoneReport.expenseReleased',
        targetId: String(projectX),
      })
    ).toBe(1);
    expect((await Project.findById(projectX).lean())!.progressPct).toBe(100);
  });

  it('never counts one budget twice when reports of one project are approved in parallel', async () => {
    const competition = await createCompetition({
      slug: 'reports-parallel-2026',
    });
    const previous = competitionId;
    competitionId = competition._id;
    const team = await createUser({ email: 'rep-par-team@example.test' });
    const committee = await createUser({
      email: 'rep-par-committee@example.test',
      roles: [grant('committee', 'competition', competition._id)],
    });
    const proposal = await insertProposal({
      competition: competition._id,
      author: team._id,
      number: 1,
      status: 'eligible',
    });
    const project = await Project.create({
      competition: competition._id,
      proposal: proposal._id,
      proposalNumber: 1,
      number: 1,
      title: '并行',
      fundedFen: 2000_00,
      approvedBudgetFen: 2000_00,
      team: [team._id],
      status: 'inProgress',
    });
    const milestones = await approvePlan(
      project._id,
      1,
      team._id,
      committee._id,
      [1, 2, 3, 4].map((n) => ({
        title: `阶段${n}`,
        trancheFen: 500_00,
        weight: 1,
      }))
    );
    // The budget is lowered after the plan was approved (a decrease is always allowed): now only two of the lines below fit.
    await Project.updateOne({ _id: project._id }, { $set: { approvedBudgetFen: 1000_00 } });
    try {
      const { saveReport, submitReport, reviewReport } = await import('~/features/projects/reports.server');
      const target = (await findReportProject(String(competition._id), 1))!;
      // Four reports of 400 yuan each against a 1000-yuan budget: at most two fit.
      for (const milestone of milestones) {
        const report = {
          narrative: '',
          activities: [],
          served: [],
          volunteers: 0,
          volunteerHours: 0,
          removePhotos: [],
          expenses: [
            {
              amountFen: 400_00,
              category: 'materials' as const,
              payee: '店',
              date: new Date('2027-05-01T00:00:00+08:00'),
              removeReceipt: false,
            },
          ],
        };
        const saved = await saveReport({
          project: target,
          milestoneId: milestone,
          revision: null,
          report,
          files: { photos: [], peopleConsent: false, receipts: new Map() },
          actorId: String(team._id),
        });
        expect(saved.ok).toBe(true);
        expect(
          (
            await submitReport({
              project: target,
              milestoneId: milestone,
              revision: 0,
              actorId: String(team._id),
            })
          ).ok
        ).toBe(true);
      }
      const results = await Promise.all(
        milestones.map((milestone) =>
          reviewReport({
            project: target,
            competitionSlug: 'reports-parallel-2026',
            milestoneId: milestone,
            decision: 'approved',
            revision: 1,
            comments: {},
            actorId: String(committee._id),
          })
        )
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const reports = await MilestoneReport.find({
        project: project._id,
      }).lean();
      const spent = reports
        .flatMap((r) => r.expenses)
        .filter((e) => !e.held)
        .reduce((s, e) => s + e.amountFen, 0);
      expect(spent).toBe(800_00);
      expect(reports.flatMap((r) => r.expenses).filter((e) => e.held)).toHaveLength(2);
      expect((await Project.findById(project._id).lean())!.ledgerLock?.token).toBeNull();
    } finally {
      competitionId = previous;
    }
  });
});

describe('what the public sees', () => {
  it('shows approved reports, money by category and people served, never receipts, payees or drafts', async () => {
    const page = await call<Awaited<ReturnType<typeof projectLoader>>>(projectLoader, getRequest(`/competitions/${slug}/projects/1`), { slug, number: '1' });
    expect(page.status).toBe(200);
    const { outcomes } = page.data;
    expect(outcomes.timeline.map((e) => e.milestoneTitle)).toEqual(['招募培训志愿者', '开办助餐点']);
    // The released 6000 counts as spent: the committee explicitly approved going over the budget.
    expect(outcomes.money.spentFen).toBe(3000_00 + 2000_00 + 6000_00);
    expect(outcomes.money.heldFen).toBe(0);
    expect(outcomes.money.releasedFen).toBe(10_000_00);
    expect(outcomes.money.byCategory).toEqual({
      training: 1200_50,
      materials: 1799_50 + 2000_00,
      venue: 6000_00,
    });
    expect(outcomes.people).toEqual({
      total: 43,
      byGroup: { elderly: 40, disabled: 3 },
    });
    const json = JSON.stringify(page.data);
    const report = (await reportOf(m1))!;
    expect(json).not.toContain(report.expenses[0]!.receiptFileId);
    for (const payee of ['崂山区社工服务中心', '青岛某商贸有限公司', '厨具店']) expect(json).not.toContain(payee);
    expect(json).not.toContain('请补上第二笔支出的票据');
    // Public visitors get no links to the report pages.
    expect(page.data.milestones.every((m) => m.report === null)).toBe(true);
  });

  it('serves a receipt only to the team, its mentor and its committee; a photo publicly once approved', async () => {
    const report = (await reportOf(m1))!;
    const receipt = report.expenses[0]!.receiptFileId!;
    const open = (who: Who | null, id: string) => call(uploadLoader, getRequest(`/uploads/${id}`, who ? { jar: jars[who] } : {}), { fileId: id });
    for (const who of [null, 'resident', 'teamY', 'committeeOther', 'voter', 'judge'] as const) expect((await open(who, receipt)).status, String(who)).toBe(404);
    for (const who of ['teamX', 'mentorX', 'committee'] as const) {
      const answer = await open(who, receipt);
      expect(answer.status, who).toBe(200);
      expect(answer.headers.get('Cache-Control')).toBe('private, no-store');
    }
    expect((await open(null, report.photos[0]!.fileId)).status).toBe(200);

    // A draft's photo is not public.
    const photo = await jpegWithGps();
    await call(
      reportAction,
      multipartRequest(
        url(2, mY),
        {
          intent: 'save',
          revision: '',
          peopleConsent: 'on',
          narrative: '草稿',
        },
        [
          {
            name: 'photos',
            filename: 'b.jpg',
            type: 'image/jpeg',
            data: photo,
          },
        ],
        { jar: jars.teamY }
      ),
      params(2, mY)
    );
    const draftPhoto = (await reportOf(mY))!.photos[0]!.fileId;
    expect((await open(null, draftPhoto)).status).toBe(404);
    expect((await open('teamX', draftPhoto)).status).toBe(404);
    expect((await open('teamY', draftPhoto)).status).toBe(200);
  });
});

describe('the plan and its reports', () => {
  it('keeps milestone ids through a change request, and refuses one that drops a completed milestone', async () => {
    const project = (await findPlanProject(String(competitionId), 1))!;
    const plan = (await MilestonePlan.findOne({
      project: projectX,
      status: 'approved',
    })
      .sort({ version: -1 })
      .lean())!;
    const rows = plan.milestones.map((m) => ({
      title: m.title,
      dueDate: m.dueDate,
      deliverables: m.deliverables,
      trancheFen: m.trancheFen,
      weight: m.weight,
      key: String(m._id),
    }));
    const dropped = await savePlanDraft({
      project,
      actorId: String(ids.teamX),
      milestones: rows.slice(1),
    });
    expect(dropped).toEqual({ ok: false, reason: 'completedRemoved' });
    const kept = await savePlanDraft({
      project,
      actorId: String(ids.teamX),
      milestones: [
        ...rows,
        {
          title: '总结',
          dueDate: new Date(),
          deliverables: '',
          trancheFen: 0,
          weight: 1,
        },
      ],
    });
    expect(kept).toMatchObject({ ok: true });
    const draft = (await MilestonePlan.findOne({
      project: projectX,
      status: 'draft',
    }).lean())!;
    expect(draft.milestones.slice(0, 2).map((m) => String(m._id))).toEqual([m1, m2]);
    // A key from another project is not taken over.
    const foreign = await savePlanDraft({
      project,
      actorId: String(ids.teamX),
      milestones: [
        ...rows,
        {
          title: '外来',
          dueDate: new Date(),
          deliverables: '',
          trancheFen: 0,
          weight: 1,
          key: mY,
        },
      ],
    });
    expect(foreign.ok).toBe(true);
    const again = (await MilestonePlan.findOne({
      project: projectX,
      status: 'draft',
    }).lean())!;
    expect(String(again.milestones[2]!._id)).not.toBe(mY);
  });
});

describe('telling the project audience', () => {
  it('tells 1,000 followers in one bulk write', async () => {
    const project = (await findReportProject(String(competitionId), 2))!;
    await Follow.insertMany(
      Array.from({ length: 1000 }, () => ({
        proposal: project.proposalId,
        user: new Types.ObjectId(),
      }))
    );
    const writes: string[] = [];
    const previous = mongoose.get('debug') as unknown;
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      writes.push(`${collection}.${method}`);
      if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(collection, method, ...args);
    });
    let told = 0;
    try {
      told = await notifyMany(await audienceBatch(project, slug, 'projectMilestone', null));
    } finally {
      mongoose.set('debug', previous as boolean);
    }
    expect(told).toBe(1000 + 1);
    expect(writes.filter((w) => w.startsWith('notifications.'))).toEqual(['notifications.insertMany']);
    // Three reads (voters, followers, authors) however many there are.
    expect(writes.filter((w) => !w.startsWith('notifications.'))).toHaveLength(3);
  });
});
