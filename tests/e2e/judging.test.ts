import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import { AuditLog, Ballot, Community, Competition, JudgingSheet, Notification, Proposal, ResultSnapshot, User } from '#models';
import { CATEGORIES } from '#seeds/data';
import { createCompetition, insertProposal, phaseWindows } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { launchBrowser, pageProblems, SCREENSHOTS, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Judging to published results in the browser: the committee assigns the judges, a judge scores a
 * proposal on a phone, the committee follows progress, compares greedy with equal shares and
 * publishes, and a resident reads the results with their reasons, charts and downloads on a phone.
 * No demo competition is in its judging phase, so the test arranges a small one in the app's
 * database (judging opened a day ago) and removes it afterwards.
 */
const slug = 'e2e-judging';
const DAY = 86_400_000;
const JUDGE1 = 'judge1@demo.laoshanxing.cn';
const JUDGE2 = 'judge2@demo.laoshanxing.cn';
const COMMITTEE = 'committee@demo.laoshanxing.cn';

function signIn(browser: Browser, identifier: string, viewport: { width: number; height: number }): Promise<Page> {
  return signedInPage(browser, inject('baseUrl'), identifier, { viewport });
}

async function expectClean(page: Page, phone: boolean) {
  const problems = await pageProblems(page);
  if (phone) expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
  expect(problems.rawKeys).toEqual([]);
}

describe('a judge scores, the committee publishes, a resident reads the results', () => {
  let browser: Browser;
  let committee: Page;
  let competitionId: Types.ObjectId;
  const baseUrl = inject('baseUrl');
  const home = `${baseUrl}/competitions/${slug}`;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    // submission 45 + screening 14 + voting 21 days: judging opened a day ago.
    const competition = await createCompetition({
      slug,
      zh: '评审演示大赛',
      en: 'Judging demo',
      budgetFen: 60_000_00,
      phases: phaseWindows(new Date(Date.now() - 81 * DAY)),
    });
    competitionId = competition._id;
    const committeeId = (await User.findOne({ email: COMMITTEE }).select('_id').lean())!._id;
    await User.updateOne({ _id: committeeId }, { $push: { roles: { role: 'committee', scopeType: 'competition', scopeId: competitionId } } });
    await User.updateMany(
      { email: mongoose.trusted({ $in: [JUDGE1, JUDGE2] }) },
      { $push: { roles: { role: 'judge', scopeType: 'competition', scopeId: competitionId } } },
    );
    const communities = await Community.find().sort({ code: 1 }).limit(4).lean();
    const specs: [string, number][] = [
      ['独居老人助浴服务', 30_000_00],
      ['困境儿童周末课堂', 25_000_00],
      ['楼道扶手加装', 20_000_00],
      ['残障青年就业辅导', 15_000_00],
    ];
    const proposals: Awaited<ReturnType<typeof insertProposal>>[] = [];
    for (const [i, [title, fen]] of specs.entries()) {
      const community = communities[i % communities.length]!;
      proposals.push(
        await insertProposal({
          competition: competitionId,
          author: committeeId,
          status: 'eligible',
          title,
          category: CATEGORIES[i % CATEGORIES.length]!.code,
          street: community.street,
          community: community._id,
          budget: [{ item: '服务', quantity: 1, unitPriceFen: fen }],
        }),
      );
    }
    // The second judge has already scored everything (the committee's assignment keeps these).
    const judge2 = (await User.findOne({ email: JUDGE2 }).select('_id').lean())!._id;
    for (const [i, p] of proposals.entries()) {
      await JudgingSheet.create({
        competition: competitionId,
        judge: judge2,
        proposal: p._id,
        status: 'submitted',
        submittedAt: new Date(),
        scores: DEFAULT_CRITERIA.map((c) => ({ criterion: c.key, score: [8, 5, 6, 4][i]! })),
      });
    }
    // Eight residents voted (not the one who reads the results).
    const voters = await User.find({ phone: mongoose.trusted({ $in: ['13900000001', '13900000002', '13900000003', '13900000004', '13900000005', '13900000006', '13900000007', '13900000008'] }) })
      .select('_id')
      .lean();
    const picks = [[0, 1], [0], [0, 2], [1, 3], [1], [2, 3], [0, 3], [1, 2]];
    for (const [v, voter] of voters.entries()) {
      await Ballot.create({ competition: competitionId, voter: voter._id, channel: 'online', choices: picks[v]!.map((i) => proposals[i]!._id), totalFen: 0, submittedAt: new Date(), changes: 1 });
    }

    browser = await launchBrowser();
    committee = await signIn(browser, COMMITTEE, { width: 1280, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    if (competitionId) {
      const proposals = await Proposal.find({ competition: competitionId }).select('_id').lean();
      await Promise.all([
        Ballot.deleteMany({ competition: competitionId }),
        JudgingSheet.deleteMany({ competition: competitionId }),
        ResultSnapshot.deleteMany({ competition: competitionId }),
        Notification.deleteMany({ competitionSlug: slug }),
        AuditLog.deleteMany({ targetId: mongoose.trusted({ $in: [String(competitionId), ...proposals.map((p) => String(p._id))] }) }),
        Proposal.deleteMany({ competition: competitionId }),
      ]);
      await Competition.deleteOne({ _id: competitionId });
      await User.updateMany({ email: mongoose.trusted({ $in: [COMMITTEE, JUDGE1, JUDGE2] }) }, { $pull: { roles: { scopeId: competitionId } } });
    }
    await disconnectDb();
  });

  it('the committee assigns every judge to every proposal', async () => {
    await committee.goto(`${home}/judging/assign`);
    await expect.poll(() => committee.getByText('2 位评委 × 4 个提案。').isVisible()).toBe(true);
    await screenshot(committee, '40-judging-assign-zh-desktop');
    await expectClean(committee, false);
    await committee.getByRole('button', { name: '全部分配' }).click();
    await expect.poll(() => committee.getByText('已新增 4 项评审分配。').isVisible()).toBe(true);
    const judge1 = (await User.findOne({ email: JUDGE1 }).select('_id').lean())!._id;
    expect(await JudgingSheet.countDocuments({ competition: competitionId, judge: judge1, status: 'assigned' })).toBe(4);
  });

  it('a judge on a phone is told to score every criterion, then submits a locked sheet', async () => {
    const judge = await signIn(browser, JUDGE1, { width: 390, height: 844 });
    await judge.goto(home);
    await judge.getByRole('link', { name: '我的评审' }).click();
    await expect.poll(() => judge.getByText('评审进行中，还有 4 份评分表待完成。').isVisible()).toBe(true);
    await screenshot(judge, '41-judge-assignments-zh-mobile');
    await expectClean(judge, true);

    const proposal = (await Proposal.findOne({ competition: competitionId, title: '独居老人助浴服务' }).select('_id number').lean())!;
    await judge.getByRole('link', { name: /独居老人助浴服务/ }).click();
    await judge.getByRole('button', { name: '提交评分' }).waitFor();
    expect(await judge.locator('input[type=radio][name^="score."]').count()).toBe(DEFAULT_CRITERIA.length * 10);
    // Every criterion but the last scored: submitting is refused, next to the missing one.
    const scores = [9, 8, 7, 9, 8, 6, 7];
    for (const [i, c] of DEFAULT_CRITERIA.slice(0, -1).entries()) {
      await judge.locator(`input[name="score.${c.key}"][value="${scores[i]}"]`).check();
    }
    await judge.locator('textarea[name="comment"]').fill('需求明确，预算合理，建议优先资助。');
    await judge.getByRole('button', { name: '提交评分' }).click();
    // Submitting locks the sheet: a dialog asks first.
    await judge.getByRole('dialog', { name: `提交 #${proposal.number} 的评分？` }).getByRole('button', { name: '提交评分' }).click();
    await expect.poll(() => judge.getByText('提交前请为每一项打分。').first().isVisible()).toBe(true);
    expect(await judge.getByText('提交前请为每一项打分。').count()).toBe(1);
    await screenshot(judge, '42-judge-sheet-missing-zh-mobile');
    await expectClean(judge, true);
    const judgeId = (await User.findOne({ email: JUDGE1 }).select('_id').lean())!._id;
    expect((await JudgingSheet.findOne({ competition: competitionId, judge: judgeId, proposal: proposal._id }).lean())!.status).toBe('assigned');

    const last = DEFAULT_CRITERIA.at(-1)!;
    await judge.locator(`input[name="score.${last.key}"][value="${scores.at(-1)}"]`).check();
    await judge.getByRole('button', { name: '提交评分' }).click();
    await judge.getByRole('dialog', { name: `提交 #${proposal.number} 的评分？` }).getByRole('button', { name: '提交评分' }).click();
    await expect.poll(() => judge.getByText(`#${proposal.number} 的评分已提交。`).isVisible()).toBe(true);
    const sheet = (await JudgingSheet.findOne({ competition: competitionId, judge: judgeId, proposal: proposal._id }).lean())!;
    expect(sheet.status).toBe('submitted');
    expect(sheet.scores.map((s) => s.score)).toEqual(scores);
    expect(sheet.comment).toBe('需求明确，预算合理，建议优先资助。');

    await judge.goto(`${home}/judge/${proposal.number}`);
    await expect.poll(() => judge.getByText(/已于 .* 提交，不能再修改。/).isVisible()).toBe(true);
    // A locked sheet offers nothing to press: no save, no submit, a note instead.
    expect(await judge.getByRole('button', { name: '提交评分' }).count()).toBe(0);
    expect(await judge.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
    expect(await judge.getByTestId('sheet-locked').isVisible()).toBe(true);
    expect(await judge.locator(`input[name="score.${DEFAULT_CRITERIA[0]!.key}"][value="9"]`).isChecked()).toBe(true);
    await screenshot(judge, '43-judge-sheet-locked-zh-mobile');
    await expectClean(judge, true);
    await judge.context().close();

    // The judge's other three sheets, scored the quick way, so both judges have scored everything.
    const others = await Proposal.find({ competition: competitionId, _id: mongoose.trusted({ $ne: proposal._id }) }).sort({ number: 1 }).select('_id').lean();
    for (const [i, p] of others.entries()) {
      await JudgingSheet.updateOne(
        { competition: competitionId, judge: judgeId, proposal: p._id },
        { $set: { status: 'submitted', submittedAt: new Date(), scores: DEFAULT_CRITERIA.map((c) => ({ criterion: c.key, score: [6, 7, 3][i]! })) } },
      );
    }
  });

  it('the committee sees the progress matrix, compares the two methods and publishes greedy', async () => {
    await committee.goto(`${home}/judging`);
    await expect.poll(() => committee.getByText('已提交').count()).toBeGreaterThanOrEqual(8);
    await screenshot(committee, '44-judging-progress-zh-desktop');
    await expectClean(committee, false);

    await committee.goto(`${home}/results/preview`);
    await committee.getByRole('heading', { name: '预览与公布结果' }).waitFor();
    const greedy = committee.getByRole('region', { name: '按综合得分排序，在预算内依次资助（贪心法）' });
    const mes = committee.getByRole('region', { name: '平均份额法（Method of Equal Shares）' });
    expect(await greedy.getByRole('row').count()).toBe(5);
    expect(await mes.getByRole('row').count()).toBe(5);
    expect(await greedy.getByText(/资助 \d 个提案，共 ¥/).isVisible()).toBe(true);
    expect(await greedy.getByRole('columnheader', { name: '评委A' }).isVisible()).toBe(true);
    expect(await greedy.getByRole('columnheader', { name: '评委B' }).isVisible()).toBe(true);
    await screenshot(committee, '45-results-preview-zh-desktop');
    await expectClean(committee, false);

    await committee.getByRole('radio', { name: '按综合得分排序，在预算内依次资助（贪心法）' }).check();
    await committee.getByRole('button', { name: '公布结果' }).click();
    await committee.getByRole('dialog', { name: '现在公布评选结果？' }).getByRole('button', { name: '公布结果' }).click();
    await expect.poll(() => committee.getByText('结果已公布，已通知所有提案人。').isVisible()).toBe(true);
    const snapshot = (await ResultSnapshot.findOne({ competition: competitionId }).lean())!;
    expect(snapshot.method).toBe('greedy');
    await screenshot(committee, '46-results-published-zh-desktop');
  });

  it('a resident on a phone reads the ranked results with reasons, charts and downloads', async () => {
    const resident = await signIn(browser, '13900000012', { width: 390, height: 844 });
    await resident.goto(`${home}/results`);
    await resident.getByRole('heading', { name: '评审结果' }).waitFor();
    // On a phone the ranking is a list of cards, each with its reason in full (the table is for wider screens).
    const list = resident.getByTestId('results-list');
    expect(await list.locator('> li').count()).toBe(4);
    expect(await list.getByText(/^获得资助：排名第 \d/).count()).toBeGreaterThanOrEqual(1);
    expect(await list.getByText(/^未获资助：/).count()).toBeGreaterThanOrEqual(1);
    expect(await list.getByText(/评委A .*评委B/).count()).toBe(4);
    expect(await resident.getByRole('table').count()).toBe(0);
    // Judges appear as letters only.
    expect(await resident.getByText(/赵教授|钱社工/).count()).toBe(0);

    // The bar charts are HTML lists (their labels keep the page's type size); the scatter is an SVG.
    const charts = [
      { name: '资助金额（按方向）', chart: resident.locator('ul[aria-label="资助金额（按方向）"]'), marks: 'li' },
      { name: '资助金额（按街道）', chart: resident.locator('ul[aria-label="资助金额（按街道）"]'), marks: 'li' },
      { name: '居民票数与专家评分', chart: resident.locator('svg[role=img][aria-label="居民票数与专家评分"]'), marks: 'circle' },
    ];
    for (const { name, chart, marks } of charts) {
      const box = (await chart.boundingBox())!;
      expect(box, name).not.toBeNull();
      expect(box.width).toBeGreaterThan(200);
      expect(box.height).toBeGreaterThan(10);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await chart.locator(marks).count()).toBeGreaterThan(0);
    }
    expect(await resident.getByText('用公布时保存的数据重新计算，结果完全一致。').isVisible()).toBe(true);
    for (const name of ['CSV', 'JSON', 'Pabulib (.pb)']) {
      expect(await resident.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
    }
    const href = await resident.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href');
    const csv = await resident.request.get(new URL(href!, resident.url()).href);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('独居老人助浴服务');

    await screenshot(resident, '47-results-zh-mobile');
    await expectClean(resident, true);
    await resident.locator('svg[role=img]').first().scrollIntoViewIfNeeded();
    await resident.screenshot({ path: path.join(SCREENSHOTS, '48-results-charts-viewport-zh-mobile.png') });
    await resident.context().close();
  });
});
