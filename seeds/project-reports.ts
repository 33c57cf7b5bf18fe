import { Ballot, Competition, MilestoneReport, Notification, Project, ProjectClosing, ProjectRating, User } from '#models';
import { decideClosing, saveFinalReport, submitFinalReport } from '~/features/projects/closing.server';
import { decidePlan, findPlanProject, savePlanDraft, submitPlan } from '~/features/projects/milestones.server';
import { findReportProject, milestonesInForce, reviewReport, saveReport, submitReport } from '~/features/projects/reports.server';
import type { ReportInput } from '~/features/projects/reports.schema';
import { changeProjectStatus } from '~/features/projects/status.server';
import { startOfShanghaiDay } from '~/utils/dates';
import { demoPhoto } from './images';

/**
 * The 2025 projects' story (issue 14), written through the app's own services so every rule,
 * audit entry and notification is real: each project's team plans two milestones which the
 * committee approves; then
 * - the first two completed both milestones (approved reports with activities, people served,
 *   volunteers, spending and photos), submitted a final report which the committee evaluated and
 *   closed (so they are completed), and are rated by residents who voted;
 * - the third is in progress: its first report approved with one over-tranche expense held,
 *   its second (overdue since September) submitted and waiting for review;
 * - the fourth is suspended (its venue closed), with a reason.
 * Further projects keep an approved plan only. Running it twice changes nothing.
 */
const slug = '2025-laoshanxing';
const day = (d: string) => startOfShanghaiDay(d);

function report(n: number, stage: 1 | 2, expenses: { amountFen: number; category: ReportInput['expenses'][number]['category']; payee: string; date: string }[]): ReportInput {
  return {
    narrative:
      stage === 1
        ? `第一阶段：完成需求摸排和志愿者招募培训，建立服务台账。走访困难家庭 ${20 + n * 3} 户，确定服务对象并征得本人同意。`
        : `第二阶段：按计划开展常态化服务，每周固定时间服务，服务对象满意度回访 ${90 + (n % 8)}% 满意。项目结束后由社区社会组织继续运营。`,
    activities: [
      { date: day(stage === 1 ? '2025-08-16' : '2025-10-18'), place: '社区党群服务中心', description: stage === 1 ? '志愿者招募与服务技能培训' : '集中服务日暨居民座谈会' },
      { date: day(stage === 1 ? '2025-08-30' : '2025-11-08'), place: '社区活动室', description: stage === 1 ? '入户走访与需求登记' : '服务成果展示与经验分享' },
    ],
    served: [
      { group: 'elderly', count: 30 + n * 4 },
      { group: n % 2 ? 'disabled' : 'children', count: 6 + n },
      { group: 'families', count: 10 + (n % 5) },
    ],
    volunteers: 8 + n,
    volunteerHours: 60 + n * 6.5,
    expenses: expenses.map((e) => ({ ...e, date: day(e.date), removeReceipt: false })),
    removePhotos: [],
  };
}

export async function seedProjectReports(): Promise<void> {
  const c2025 = await Competition.findOne({ slug }).select('_id').lean();
  const committeeDoc = await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean();
  if (!c2025 || !committeeDoc) return;
  const competitionId = String(c2025._id);
  if (await MilestoneReport.exists({ competition: c2025._id })) return;
  const committee = String(committeeDoc._id);
  const projects = await Project.find({ competition: c2025._id }).select('number approvedBudgetFen team').sort({ number: 1 }).lean();

  for (const [index, doc] of projects.entries()) {
    const team = doc.team[0] ? String(doc.team[0]) : null;
    if (!team) continue;
    const budget = doc.approvedBudgetFen;
    const first = Math.floor(budget * 0.4);
    // Plan: two milestones, 40% and 60% of the budget.
    const plan = await findPlanProject(competitionId, doc.number);
    if (!plan) continue;
    const saved = await savePlanDraft({
      project: plan,
      actorId: team,
      milestones: [
        { title: '需求摸排与志愿者培训', dueDate: day('2025-09-15'), deliverables: '服务对象台账、培训记录', trancheFen: first, weight: 1 },
        { title: '常态化服务与总结', dueDate: day(index === 2 ? '2025-09-30' : '2025-12-20'), deliverables: '服务记录、满意度回访、总结报告', trancheFen: budget - first, weight: 2 },
      ],
    });
    if (!saved.ok) continue;
    await submitPlan({ project: plan, version: saved.version, revision: saved.revision, actorId: team });
    await decidePlan({ project: plan, decision: 'approved', revision: saved.revision, actorId: committee });
    if (index > 3) continue;
    await changeProjectStatus({ competitionId, competitionSlug: slug, projectNumber: doc.number, to: 'inProgress', actorId: committee, now: day('2025-08-01') });
    if (index === 3) {
      await changeProjectStatus({ competitionId, competitionSlug: slug, projectNumber: doc.number, to: 'suspended', reason: '服务场地因旧改临时关闭，待社区协调新场地后恢复。', actorId: committee });
      continue;
    }
    const project = (await findReportProject(competitionId, doc.number))!;
    const [m1, m2] = await milestonesInForce(project.id);
    if (!m1 || !m2) continue;
    const photos = async (stage: number) => ({
      photos: [{ data: await demoPhoto('elderly', stage === 1 ? '志愿者培训' : '集中服务日', index * 2 + stage), filename: `report-${doc.number}-${stage}.png` }],
      peopleConsent: true,
      receipts: new Map(),
    });
    const write = async (milestoneId: string, input: ReportInput, stage: number, on: string) => {
      const draft = await saveReport({ project, milestoneId, revision: null, report: input, files: await photos(stage), actorId: team });
      if (!draft.ok) throw new Error(`seed: report of project ${doc.number}: ${draft.reason}`);
      const sent = await submitReport({ project, milestoneId, revision: draft.revision, actorId: team, now: day(on) });
      if (!sent.ok) throw new Error(`seed: submitting the report of project ${doc.number}: ${sent.reason}`);
      return sent.revision;
    };
    const approve = (milestoneId: string, revision: number, on: string) => reviewReport({ project, competitionSlug: slug, milestoneId, decision: 'approved', revision, comments: {}, actorId: committee, now: day(on) });

    // Milestone 1: within the tranche, except project 3's extra purchase (held).
    const lines1 = [
      { amountFen: Math.floor(first * 0.5), category: 'training' as const, payee: '崂山区社工服务中心', date: '2025-08-16' },
      { amountFen: Math.floor(first * 0.4), category: 'materials' as const, payee: '青岛某商贸有限公司', date: '2025-08-28' },
      ...(index === 2 ? [{ amountFen: Math.floor(first * 0.3), category: 'materials' as const, payee: '家电卖场', date: '2025-09-05' }] : []),
    ];
    await approve(m1.id, await write(m1.id, report(doc.number, 1, lines1), 1, '2025-09-12'), '2025-09-19');
    const lines2 = [
      { amountFen: Math.floor((budget - first) * 0.6), category: 'services' as const, payee: '社区助餐点', date: '2025-10-20' },
      { amountFen: Math.floor((budget - first) * 0.3), category: 'venue' as const, payee: '社区居委会', date: '2025-11-10' },
    ];
    const revision2 = await write(m2.id, report(doc.number, 2, lines2), 2, '2025-12-15');
    if (index === 2) continue; // waiting for review
    await approve(m2.id, revision2, '2025-12-22');
    // Closing, the one way to completed: the team's final report, the committee's evaluation.
    const final = await saveFinalReport({
      project,
      revision: null,
      fields: {
        outcomes: `按计划完成两个里程碑：服务对象台账建立，常态化服务持续开展，共服务 ${60 + index * 20} 人次。`,
        againstPlan: '第一阶段完成需求摸排和志愿者培训；第二阶段按周开展服务并完成满意度回访，与计划一致。',
        sustainability: '社区和志愿者队伍继续按周提供服务，所需少量物资由社区公益基金支持。',
        lessons: '提前与居民约定服务时间，能明显减少上门扑空。',
      },
      actorId: team,
    });
    if (!final.ok) throw new Error(`seed: final report of project ${doc.number}: ${final.reason}`);
    const submitted = await submitFinalReport({ project, revision: final.revision, actorId: team });
    if (!submitted.ok) throw new Error(`seed: submitting the final report of project ${doc.number}: ${submitted.reason}`);
    const score = (n: number) => ({ score: n, comment: '' });
    const closed = await decideClosing({ project, competitionSlug: slug, revision: submitted.revision, decision: 'close', evaluation: { delivery: score(5), reach: score(4 + (index % 2)), spending: score(5), sustainability: score(4) }, actorId: committee });
    if (!closed.ok) throw new Error(`seed: closing project ${doc.number}: ${closed.reason}`);
    // It happened in 2025: the closing and the completion are dated then.
    await ProjectClosing.updateOne({ project: project.id }, { $set: { submittedAt: day('2025-12-24'), decidedAt: day('2025-12-28') } });
    // By index: the database stand-in mishandles the positional operator.
    const history = (await Project.findById(project.id).select('statusHistory.status').lean())?.statusHistory ?? [];
    const at = history.findIndex((h) => h.status === 'completed');
    if (at >= 0) await Project.updateOne({ _id: project.id }, { $set: { [`statusHistory.${at}.at`]: day('2025-12-28') } });
  }

  // The story happened in 2025: its notices are dated then and already read, so the demo's bell shows today's news.
  const storyTypes = ['reportReviewed', 'projectMilestone', 'projectCompleted'];
  await Notification.collection.updateMany(
    { competitionSlug: slug, type: { $in: storyTypes } },
    { $set: { createdAt: day('2025-12-28'), readAt: day('2025-12-29') } },
  );

  // Residents who voted for them rate the completed projects.
  const completed = await Project.find({ competition: c2025._id, status: 'completed' }).select('_id proposal').lean();
  const comments = ['服务很贴心，老人们都很满意。', '希望明年继续办下去。', '志愿者很耐心，每周都来。', '', '活动很有意义，孩子们收获很大。'];
  for (const [p, project] of completed.entries()) {
    const voters = await Ballot.find({ competition: c2025._id, choices: project.proposal, 'voided.at': null }).select('voter').limit(12).lean();
    const ratings = voters.map((b, i) => ({
      project: project._id,
      competition: c2025._id,
      rater: b.voter,
      stars: [5, 4, 5, 3, 4, 5][(i + p) % 6]!,
      comment: comments[(i + p) % comments.length]!,
      basis: 'voted' as const,
      // Rated in the weeks after completion.
      createdAt: new Date(day('2026-01-05').getTime() + i * 86_400_000),
    }));
    if (ratings.length) await ProjectRating.insertMany(ratings, { ordered: false }).catch(() => undefined);
  }
}
