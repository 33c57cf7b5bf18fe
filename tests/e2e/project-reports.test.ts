import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, Ballot, Competition, MilestonePlan, MilestoneReport, Notification, Project, ProjectRating, Proposal, User } from '#models';
import { CATEGORIES, DEMO_INVITEE_PHONE_BASE, DEMO_MENTOR_EMAIL } from '#seeds/data';
import { insertProposal } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { saveFinalReport, submitFinalReport } from '~/features/projects/closing.server';
import { findReportProject, milestonesInForce, reviewReport, saveReport, submitReport } from '~/features/projects/reports.server';
import { startOfShanghaiDay } from '~/utils/dates';
import { launchBrowser, pageProblems, screenshot, signedInPage, touchProblems } from '../support/browser';
import { withDbName } from '../support/database-uri';
import { jpegWithGps } from '../support/images';

/**
 * Issue 14's browser journey, on a phone, in Chinese (the resident's last look in English):
 * a team member drafts a two-milestone plan and submits it; the committee approves it (dialog);
 * the team reports milestone 1 (narrative, an activity, people served, volunteers, an expense
 * with its receipt, a photo with consent) and submits; the committee asks for a change to the
 * expense; the team sees the comment beside that section, corrects the amount and resubmits;
 * the committee approves (dialog). A resident who voted for the proposal is notified and finds
 * the timeline entry with the photo and the money spent. Milestone 2 goes through the services
 * (as the seed's story does), the committee marks the project completed, and the resident, now
 * in English, follows the completion notice and rates it five stars.
 *
 * The 2025 demo projects all have an approved plan and every eligible 2025 proposal is one of
 * them, so the journey gets a project of its own: the next number in 2025, for a proposal its
 * author (a demo resident with a login) wrote and a demo resident who voted in 2025 chose.
 * Everything it adds is removed afterwards.
 */
const PHONE = { width: 390, height: 844 };
const baseUrl = inject('baseUrl');
const SLUG = '2025-laoshanxing';
const COMMITTEE = 'committee@demo.laoshanxing.cn';
/** Demo residents other browser tests log in as (their notifications and teams stay theirs). */
const RESERVED_PHONES = new Set(['13900000005', ...Array.from({ length: 20 }, (_, i) => String(DEMO_INVITEE_PHONE_BASE + i))]);

describe('a project from plan to rating, on a phone', () => {
  let browser: Browser;
  let files: string;
  let receiptFile: string;
  let photoFile: string;
  let competitionId: Types.ObjectId;
  let projectId: Types.ObjectId;
  let proposalId: Types.ObjectId;
  let ballotId: Types.ObjectId;
  let number: number;
  let title: string;
  let teamPhone: string;
  let voter: { _id: Types.ObjectId; phone: string };
  let projectUrl: string;
  let milestone1Url: string;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
    files = mkdtempSync(path.join(tmpdir(), 'lsx-report-'));
    const jpeg = await jpegWithGps();
    receiptFile = path.join(files, 'receipt.jpg');
    photoFile = path.join(files, 'activity.jpg');
    writeFileSync(receiptFile, jpeg);
    writeFileSync(photoFile, jpeg);

    const competition = (await Competition.findOne({ slug: SLUG }).select('_id').lean())!;
    competitionId = competition._id;
    const projects = await Project.find({ competition: competitionId }).select('number team').lean();
    const onTeams = new Set(projects.flatMap((p) => p.team.map(String)));
    const residents = await User.find({ phone: mongoose.trusted({ $regex: '^139' }) }).select('_id phone street community').sort({ phone: 1 }).lean();
    const loginable = residents.filter((u) => !RESERVED_PHONES.has(u.phone!) && !onTeams.has(String(u._id)) && u.street && u.community);
    const author = loginable[0]!;
    const ballots = await Ballot.find({ competition: competitionId, voter: mongoose.trusted({ $in: loginable.slice(1).map((u) => u._id) }), 'voided.at': null }).select('voter').lean();
    const ballot = ballots[0];
    if (!ballot) throw new Error('No demo resident with a login voted in 2025');
    // Every eligible 2025 proposal is already a project: the journey's is a proposal of its own,
    // written by a demo resident, which the voter chose on their ballot.
    const proposal = await insertProposal({
      competition: competitionId,
      author: author._id,
      status: 'eligible',
      title: '独居老人助餐与陪伴服务',
      summary: '为社区独居老人每周送餐两次，志愿者上门陪伴聊天、检查用电安全。',
      category: CATEGORIES.find((c) => c.code === 'elderly')!.code,
      beneficiaries: [{ group: 'elderlyAlone', count: 40 }],
      street: author.street!,
      community: author.community!,
      texts: { plan: '招募志愿者并培训，每周二、周五送餐上门，每月一次集中服务日。' },
      budget: [{ item: '助餐与陪伴服务', quantity: 20, unitPriceFen: 1_000_00 }],
      organization: '邻里守望互助队',
      submittedAt: new Date('2025-04-10T10:00:00+08:00'),
    });
    proposalId = proposal._id;
    await Ballot.updateOne({ _id: ballot._id }, { $addToSet: { choices: proposal._id } });
    ballotId = ballot._id;
    const chosen = { proposal, author: author._id, voter: { _id: ballot.voter, phone: residents.find((u) => String(u._id) === String(ballot.voter))!.phone! } };
    const mentor = await User.findOne({ email: DEMO_MENTOR_EMAIL }).select('_id').lean();
    const committee = (await User.findOne({ email: COMMITTEE }).select('_id').lean())!;
    number = Math.max(0, ...projects.map((p) => p.number)) + 1;
    title = proposal.title;
    teamPhone = author.phone!;
    voter = chosen.voter;
    const created = await Project.create({
      competition: competitionId,
      proposal: proposal._id,
      proposalNumber: proposal.number,
      number,
      title,
      summary: proposal.summary,
      description: proposal.plan,
      category: proposal.category,
      street: proposal.street,
      community: proposal.community,
      fundedFen: proposal.totalFen,
      approvedBudgetFen: proposal.totalFen,
      proposedOrganizationName: '邻里守望互助队',
      team: [chosen.author],
      mentor: mentor?._id,
      plannedStart: new Date('2026-11-01T00:00:00+08:00'),
      plannedEnd: new Date('2027-06-30T00:00:00+08:00'),
      status: 'inProgress',
      statusHistory: [
        { status: 'planning', at: new Date('2026-10-20T10:00:00+08:00'), by: committee._id },
        { status: 'inProgress', at: new Date('2026-11-01T10:00:00+08:00'), by: committee._id },
      ],
    });
    projectId = created._id;
    projectUrl = `${baseUrl}/competitions/${SLUG}/projects/${number}`;
  });

  afterAll(async () => {
    await browser?.close();
    if (files) rmSync(files, { recursive: true, force: true });
    if (projectId) {
      await Promise.all([
        MilestonePlan.deleteMany({ project: projectId }),
        MilestoneReport.deleteMany({ project: projectId }),
        ProjectRating.deleteMany({ project: projectId }),
        Notification.deleteMany({ competitionSlug: SLUG, 'data.projectNumber': number }),
        AuditLog.deleteMany({ targetId: String(projectId) }),
        Project.deleteOne({ _id: projectId }),
      ]);
    }
    if (ballotId) await Ballot.updateOne({ _id: ballotId }, { $pull: { choices: proposalId } });
    if (proposalId) await Proposal.deleteOne({ _id: proposalId });
    // The resident switched to English: the next test that logs them in expects Chinese.
    if (voter) await User.updateOne({ _id: voter._id }, { $set: { language: 'zh' } });
    await disconnectDb();
  });

  /** What a look would catch first (sideways scrolling, raw keys, tiny targets and text), then the screenshot and axe. */
  async function checked(page: Page, name: string) {
    const { overflowPx, tooWide, rawKeys } = await pageProblems(page);
    expect({ overflowPx, rawKeys }, `${name}: ${tooWide.join('; ')}`).toEqual({ overflowPx: 0, rawKeys: [] });
    const { smallTargets, smallText } = await touchProblems(page);
    expect({ smallTargets, smallText }, name).toEqual({ smallTargets: [], smallText: [] });
    expect(await page.content(), name).not.toMatch(/(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])/);
    await screenshot(page, name);
  }

  /** Waits until the page's confirmation step has hydrated: its tick box gives way to the dialog. */
  async function dialogReady(page: Page, box: RegExp) {
    await expect.poll(() => page.getByRole('checkbox', { name: box }).isVisible()).toBe(false);
  }

  const toast = (page: Page, text: string) => expect.poll(() => page.getByText(text).first().isVisible(), { timeout: 15_000 }).toBe(true);

  it('the team drafts a two-milestone plan and submits it; the committee approves it', async () => {
    const team = await signedInPage(browser, baseUrl, teamPhone, { viewport: PHONE });
    await team.goto(projectUrl);
    await team.getByRole('link', { name: '里程碑计划' }).click();
    await team.getByRole('heading', { name: '编写里程碑计划' }).waitFor();
    const row1 = team.getByRole('group', { name: '里程碑 1' });
    await row1.getByLabel('名称').fill('需求摸排与志愿者培训');
    await row1.getByLabel('截止日期').fill('2027-02-28');
    await row1.getByLabel('资金批次（元）').fill('8000');
    await row1.getByLabel('权重').fill('1');
    await row1.getByLabel('交付成果').fill('服务对象台账、志愿者培训记录');
    await team.getByRole('button', { name: '保存草稿' }).click();
    await toast(team, '里程碑计划草稿已保存。');
    const row2 = team.getByRole('group', { name: '里程碑 2' });
    await row2.getByLabel('名称').fill('常态化服务与总结');
    await row2.getByLabel('截止日期').fill('2027-06-15');
    await row2.getByLabel('资金批次（元）').fill('12000');
    await row2.getByLabel('权重').fill('2');
    await row2.getByLabel('交付成果').fill('服务记录、满意度回访、总结报告');
    await checked(team, 'report-journey-01-plan-draft-zh-phone');
    await team.getByRole('button', { name: '保存并提交审核' }).click();
    await toast(team, '里程碑计划已提交，等待评审委员会审核。');
    await team.getByText('计划已提交，正在等待评审委员会审核。审核前不能修改。').waitFor();
    await team.context().close();

    const committee = await signedInPage(browser, baseUrl, COMMITTEE, { viewport: PHONE });
    await committee.goto(`${projectUrl}/plan`);
    await committee.getByRole('heading', { name: '第 1 版 · 已提交，待审核' }).waitFor();
    await dialogReady(committee, /我确认批准第 1 版里程碑计划/);
    await checked(committee, 'report-journey-02-plan-review-zh-phone');
    await committee.getByRole('button', { name: '批准计划' }).click();
    const dialog = committee.getByRole('dialog', { name: '批准第 1 版里程碑计划？' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await committee.screenshot({ path: path.join(path.resolve('test-results'), 'report-journey-03-plan-approve-dialog-zh-phone.png') });
    await dialog.getByRole('button', { name: '批准计划' }).click();
    await toast(committee, '里程碑计划已批准。');
    await committee.getByText(/第 1 版，批准于.*现行/).waitFor();
    await committee.context().close();

    const plan = await MilestonePlan.findOne({ project: projectId, status: 'approved' }).select('milestones').lean();
    expect(plan?.milestones.map((m) => [m.title, m.trancheFen, m.weight])).toEqual([
      ['需求摸排与志愿者培训', 8000_00, 1],
      ['常态化服务与总结', 12000_00, 2],
    ]);
  });

  it('the team reports milestone 1 with an activity, people served, an expense with its receipt and a photo, and submits', async () => {
    const team = await signedInPage(browser, baseUrl, teamPhone, { viewport: PHONE });
    await team.goto(projectUrl);
    await team.getByRole('link', { name: /里程碑报告 · 报告未填写/ }).first().click();
    await team.getByRole('heading', { name: '里程碑报告：需求摸排与志愿者培训' }).waitFor();
    milestone1Url = team.url();

    await team.getByRole('group', { name: '工作情况' }).getByLabel('本阶段做了什么、效果如何、遇到什么困难').fill(
      '完成了社区内独居老人的需求摸排，走访 36 户，建立服务台账；招募志愿者 12 人并完成两次培训。',
    );
    const activities = team.getByRole('group', { name: '开展的活动' });
    await activities.getByLabel('日期').fill('2026-11-21');
    await activities.getByLabel('地点（到社区一级）').fill('社区党群服务中心');
    await activities.getByLabel('活动内容').fill('志愿者招募与服务技能培训');
    const people = team.getByRole('group', { name: '服务人数' });
    await people.getByLabel('老年人').fill('36');
    await people.getByLabel('家庭', { exact: true }).fill('12');
    const volunteers = team.getByRole('group', { name: '志愿者' });
    await volunteers.getByLabel('参与志愿者人数').fill('12');
    await volunteers.getByLabel('志愿服务总时长（小时，可填 0.5）').fill('48.5');
    const expenses = team.getByRole('group', { name: '支出' });
    // The slip says ¥1,280; the team types one zero too many (the committee will notice).
    await expenses.getByLabel('金额（元）').fill('12800');
    await expenses.getByLabel('类别').selectOption('training');
    await expenses.getByLabel('收款方').fill('崂山区社工服务中心');
    await expenses.getByLabel('日期').fill('2026-11-21');
    await expenses.getByLabel('票据照片').setInputFiles(receiptFile);
    const photos = team.getByRole('group', { name: '照片' });
    await photos.getByLabel(/添加照片/).setInputFiles(photoFile);
    await photos.getByLabel('照片中的人都同意公开这张照片。').check();
    await checked(team, 'report-journey-04-report-form-zh-phone');
    // A draft first, as a team writing over several evenings would: the page comes back with
    // what was saved (the receipt attached, the photo shown, a new empty row in each list).
    await team.getByRole('button', { name: '保存草稿' }).click();
    await toast(team, '报告草稿已保存。');
    await expect.poll(() => team.getByRole('group', { name: '支出' }).getByRole('link', { name: '已附票据（点击查看）' }).count()).toBe(1);
    await expect.poll(() => team.getByRole('img', { name: '活动照片 1' }).count()).toBe(1);
    expect(await team.getByRole('group', { name: '开展的活动' }).getByLabel('活动内容').count()).toBe(2);
    await checked(team, 'report-journey-04b-report-draft-saved-zh-phone');

    await team.getByRole('button', { name: '提交审核' }).click();
    await toast(team, '报告已提交，等待评审委员会审核。');
    await team.getByText('报告已提交，正在等待评审委员会审核。').waitFor();
    await checked(team, 'report-journey-05-report-submitted-zh-phone');
    await team.context().close();

    const report = await MilestoneReport.findOne({ project: projectId }).select('status expenses photos served volunteers volunteerHours').lean();
    expect(report).toMatchObject({ status: 'submitted', volunteers: 12, volunteerHours: 48.5 });
    expect(report!.expenses.map((e) => [e.amountFen, e.category, Boolean(e.receiptFileId)])).toEqual([[12800_00, 'training', true]]);
    expect(report!.photos).toHaveLength(1);
  });

  it('the committee asks for a change to the expense; the team sees it beside the section, fixes the amount and resubmits', async () => {
    const committee = await signedInPage(browser, baseUrl, COMMITTEE, { viewport: PHONE });
    await committee.goto(milestone1Url);
    await committee.getByRole('heading', { name: '审核这份报告（评审委员会）' }).waitFor();
    await expect.poll(() => committee.getByText('¥12,800.00').first().isVisible()).toBe(true);
    await checked(committee, 'report-journey-06-committee-review-zh-phone');
    await committee.getByLabel('对“支出”的意见').fill('票据上的金额是 1280 元，报告里写成了 12800 元，请核对后改正。');
    await committee.getByRole('button', { name: '请团队修改' }).click();
    await toast(committee, '已请团队修改，您的意见已发送给团队。');
    await committee.context().close();

    const team = await signedInPage(browser, baseUrl, teamPhone, { viewport: PHONE });
    await team.goto(milestone1Url);
    await team.getByText('评审委员会请团队修改').first().waitFor();
    const expenses = team.getByRole('group', { name: '支出' });
    await expect.poll(() => expenses.getByText(/票据上的金额是 1280 元/).isVisible()).toBe(true);
    // Only the section it is about carries the comment.
    expect(await team.getByText('评审委员会意见：').count()).toBe(1);
    expect(await expenses.getByRole('link', { name: '已附票据（点击查看）' }).count()).toBe(1);
    await checked(team, 'report-journey-07-changes-requested-zh-phone');
    await expenses.getByLabel('金额（元）').first().fill('1280');
    await team.getByRole('button', { name: '提交审核' }).click();
    await toast(team, '报告已提交，等待评审委员会审核。');
    await team.context().close();

    const report = await MilestoneReport.findOne({ project: projectId }).select('status expenses photos').lean();
    expect(report?.status).toBe('submitted');
    expect(report!.expenses.map((e) => [e.amountFen, Boolean(e.receiptFileId)])).toEqual([[1280_00, true]]);
    expect(report!.photos).toHaveLength(1);
  });

  it('the committee approves the corrected report, through the dialog', async () => {
    const committee = await signedInPage(browser, baseUrl, COMMITTEE, { viewport: PHONE });
    await committee.goto(milestone1Url);
    await expect.poll(() => committee.getByText('¥1,280.00').first().isVisible()).toBe(true);
    await dialogReady(committee, /我确认通过这份里程碑报告/);
    await committee.getByRole('button', { name: '通过报告' }).click();
    const dialog = committee.getByRole('dialog', { name: '通过这份里程碑报告？' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await committee.screenshot({ path: path.join(path.resolve('test-results'), 'report-journey-08-approve-dialog-zh-phone.png') });
    await dialog.getByRole('button', { name: '通过报告' }).click();
    await toast(committee, '报告已通过，里程碑已完成。');
    await committee.getByText(/已记录拨付资金批次/).waitFor();
    await checked(committee, 'report-journey-09-report-approved-zh-phone');
    await committee.context().close();
    expect((await Project.findById(projectId).select('progressPct').lean())?.progressPct).toBe(33);
  });

  it('a resident who voted for it is notified and finds the timeline entry with the photo and the money spent', async () => {
    const resident = await signedInPage(browser, baseUrl, voter.phone, { viewport: PHONE });
    await resident.goto(`${baseUrl}/notifications`);
    const notice = resident.getByRole('button', { name: new RegExp(`您支持的项目「${escape(title)}」完成了一个里程碑`) });
    await notice.waitFor();
    await screenshot(resident, 'report-journey-10-notification-zh-phone');
    await notice.click();
    await resident.getByRole('heading', { name: title, level: 2 }).waitFor();
    const timeline = resident.locator('section[aria-labelledby="project-timeline"]');
    await timeline.getByRole('heading', { name: '需求摸排与志愿者培训' }).waitFor();
    const photo = timeline.getByRole('img', { name: '需求摸排与志愿者培训的照片 1' });
    // The thumbnail loads lazily: scrolled to, as a resident's thumb would.
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expect.poll(() => resident.getByText('已支出 ¥1,280，批准预算').isVisible()).toBe(true);
    expect(await resident.getByText('培训：¥1,280').isVisible()).toBe(true);
    expect(await resident.getByText('崂山区社工服务中心').count()).toBe(0);
    await checked(resident, 'report-journey-11-project-timeline-zh-phone');
    await resident.context().close();
  });

  it('after milestone 2 the committee marks the project completed; the resident, in English, follows the notice and rates it', async () => {
    // Milestone 2 through the services, as the seed's story writes reports.
    const project = (await findReportProject(String(competitionId), number))!;
    const [, m2] = await milestonesInForce(project.id);
    const teamId = String(project.team[0]);
    const committeeId = String((await User.findOne({ email: COMMITTEE }).select('_id').lean())!._id);
    const draft = await saveReport({
      project,
      milestoneId: m2!.id,
      revision: null,
      report: {
        narrative: '每周二、周五开展助餐和陪伴服务，回访满意率 95%。',
        activities: [{ date: startOfShanghaiDay('2026-11-27'), place: '社区活动室', description: '集中服务日暨居民座谈会' }],
        served: [{ group: 'elderly', count: 40 }],
        volunteers: 10,
        volunteerHours: 80,
        expenses: [{ amountFen: 9000_00, category: 'services', payee: '社区助餐点', date: startOfShanghaiDay('2026-11-28'), removeReceipt: false }],
        removePhotos: [],
      },
      files: { photos: [], peopleConsent: false, receipts: new Map() },
      actorId: teamId,
    });
    expect(draft.ok).toBe(true);
    if (!draft.ok) return;
    const sent = await submitReport({ project, milestoneId: m2!.id, revision: draft.revision, actorId: teamId });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect((await reviewReport({ project, competitionSlug: SLUG, milestoneId: m2!.id, decision: 'approved', revision: sent.revision, comments: {}, actorId: committeeId })).ok).toBe(true);

    // Every milestone approved: the team's final report, then the committee closes the project.
    const saved = await saveFinalReport({ project, revision: null, fields: { outcomes: '40 位老人每周两次吃上热饭。', againstPlan: '两个里程碑按计划完成。', sustainability: '社区食堂继续送餐。', lessons: '' }, actorId: teamId });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect((await submitFinalReport({ project, revision: saved.revision, actorId: teamId })).ok).toBe(true);
    const committee = await signedInPage(browser, baseUrl, COMMITTEE, { viewport: PHONE });
    await committee.goto(projectUrl);
    await committee.getByText('项目进度根据评审委员会通过的阶段报告计算，目前为 100%。').waitFor();
    // The status form offers no "completed": completion is the closing decision.
    expect(await committee.getByLabel('新状态').locator('option[value="completed"]').count()).toBe(0);
    await committee.goto(`${projectUrl}/closing`);
    for (const criterion of ['完成情况', '服务覆盖', '资金使用', '可持续性']) {
      await committee.getByRole('group', { name: criterion }).getByRole('radio', { name: '5' }).check();
    }
    await committee.getByRole('button', { name: '评估并结项' }).click();
    await committee.getByRole('dialog', { name: '按这份评估结项？' }).getByRole('button', { name: '结项' }).click();
    await toast(committee, '项目已结项，支持者已收到通知。');
    await committee.getByRole('heading', { name: '居民评价' }).waitFor();
    await committee.context().close();

    const resident = await signedInPage(browser, baseUrl, voter.phone, { viewport: PHONE });
    await resident.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => resident.locator('html').getAttribute('lang')).toBe('en-US');
    await resident.goto(`${baseUrl}/notifications`);
    const notice = resident.getByRole('button', { name: new RegExp(`The project "${escape(title)}" you supported is completed`) });
    await notice.waitFor();
    await screenshot(resident, 'report-journey-12-notifications-en-phone');
    await notice.click();
    await resident.getByRole('heading', { name: 'Residents’ ratings' }).waitFor();
    await expect.poll(() => resident.getByText('¥10,280 spent of an approved').isVisible()).toBe(true);
    await resident.getByRole('radio', { name: '5 stars' }).check();
    await resident.getByLabel('Comment (optional)').fill('The volunteers came every week; my neighbour has hot meals now.');
    await resident.getByRole('button', { name: 'Send rating' }).click();
    await toast(resident, 'Thank you for your rating!');
    await resident.getByText('You rated it 5 stars. Thank you!').waitFor();
    await expect.poll(() => resident.getByTestId('rating-average').innerText()).toBe('Average 5.0 stars (1 rating)');
    expect(await resident.getByText('The volunteers came every week; my neighbour has hot meals now.').isVisible()).toBe(true);
    await checked(resident, 'report-journey-13-project-rated-en-phone');
    await resident.context().close();

    expect(await ProjectRating.countDocuments({ project: projectId, rater: voter._id, stars: 5, basis: 'voted' })).toBe(1);
  });
});

/** A proposal title as a literal inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
