import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import mongoose, { type Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectTo, disconnectDb } from '~/core/db.server';
import { Ballot, Community, Competition, JudgingSheet, MilestoneReport, Project, ProjectRating, Proposal, ResultSnapshot, Street, User, VolunteerActivity } from '#models';
import { launchBrowser } from '../support/browser';
import { withDbName } from '../support/database-uri';
import { jpegWithGps } from '../support/images';
import { cleanUpCompetition, journeyCheck, logInAs, type Look } from '../support/journey';

/**
 * Issue 19: the whole loop, once, in Debian's Chromium, every role in its own browser context,
 * in Chinese and English, on phones and desktops, through the pages alone (nothing is arranged
 * in the database; it is only read, to check what the pages claim):
 *
 *   admin opens a competition and names its committee and judges → the committee sets the
 *   voting rules and the rubric → a resident submits a proposal citing a verified need, a grid
 *   worker one for a resident without a phone, a second resident one without JavaScript → the
 *   committee moves the competition on (a reasoned early advance, as a committee that has
 *   enough proposals would) and screens them → residents verify with a code and vote (one
 *   without JavaScript), the worker enters the offline resident's paper ballot → judges score,
 *   one declares a conflict of interest → the committee publishes → the funded proposal's team
 *   plans a milestone and reports it with an expense and a volunteer activity → the committee
 *   approves → the resident who voted for it is notified, and at completion rates it → the
 *   dashboard counts it.
 *
 * Every page on the way gets journeyCheck (tests/support/journey.ts): axe with no serious or
 * critical finding, tap targets of 44 px, body text of 16 px and none under 15 px, no sideways
 * scrolling, no raw i18n key, `lang` of its language, and a keyboard walk in which every control
 * is reached and shows its focus. Screenshots: test-results/loop-NN-*.png; the curated set is
 * in docs/screenshots/journey/ (README).
 */
const baseUrl = inject('baseUrl');
const stamp = Date.now().toString(36);
const SLUG = `loop-${stamp}`;
const TITLE_ZH = `崂善行全流程演示大赛 ${stamp}`;
const TITLE_EN = `Laoshanxing whole-loop demo ${stamp}`;
const ADMIN = 'admin@demo.laoshanxing.cn';
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const JUDGE1 = 'judge1@demo.laoshanxing.cn';
const JUDGE2 = 'judge2@demo.laoshanxing.cn';
const WORKER = 'grid.beizhai@demo.laoshanxing.cn';
/** Resident A: Wanggezhuang, on a phone in Chinese, with JavaScript. */
const RESIDENT_A = '13900000030';
/** Resident B: Beizhai, in English, with JavaScript disabled throughout. */
const RESIDENT_B = '13900000032';
const PHONE = { width: 390, height: 844 };
/** The verified, open need of resident A's street (Wanggezhuang) in the demo. */
const NEED = 23;
const OFFLINE = `姜桂兰${stamp.slice(-3)}`;
const ACTIVITY = `助餐送餐志愿服务 ${stamp}`;
/** A moment as the datetime-local inputs take it, in Shanghai. */
const shanghaiLocal = (date: Date) => new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
const LAPTOP = { width: 1366, height: 768 };
const DESKTOP = { width: 1280, height: 900 };

/** A day in Asia/Shanghai, `offset` days from today, as the date inputs take it. */
function shanghaiDay(offset: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

describe('the whole loop, every role, zh and en, with and without JavaScript', () => {
  let browser: Browser;
  let files: string;
  let photoFile: string;
  let competitionId: Types.ObjectId | undefined;
  const looks: Look[] = [];
  const madeUsers: Types.ObjectId[] = [];
  const contexts: BrowserContext[] = [];
  const languagesBefore = new Map<string, string | undefined>();
  let proposalA = 0;
  let beizhaiCommunity = '';
  let communityA = '';
  let communityB = '';
  const codes = { A: '', B: '' };
  let projectNumber = 0;
  let projectUrl = '';
  let reportUrl = '';

  /** A signed-in page for `identifier` in its own browser context. */
  async function open(identifier: string, options: { language: 'zh' | 'en'; viewport: { width: number; height: number }; javaScript?: boolean }): Promise<Page> {
    const user = await User.findOne(identifier.includes('@') ? { email: identifier } : { phone: identifier }).select('language').lean();
    if (!languagesBefore.has(identifier)) languagesBefore.set(identifier, user?.language);
    const context = await browser.newContext({
      locale: options.language === 'zh' ? 'zh-CN' : 'en-US',
      viewport: options.viewport,
      deviceScaleFactor: options.viewport.width < 500 ? 2 : 1,
      javaScriptEnabled: options.javaScript ?? true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await logInAs(page, baseUrl, identifier, options.language);
    return page;
  }

  const look = async (page: Page, name: string) => {
    looks.push(await journeyCheck(page, `loop-${name}`, browser, baseUrl));
  };

  const toast = (page: Page, text: string | RegExp) => expect.poll(() => page.getByText(text).first().isVisible(), { timeout: 15_000 }).toBe(true);

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
    files = mkdtempSync(path.join(tmpdir(), 'lsx-loop-'));
    photoFile = path.join(files, 'activity.jpg');
    writeFileSync(photoFile, await jpegWithGps());
    const a = await User.findOne({ phone: RESIDENT_A }).select('community').lean();
    communityA = (await Community.findById(a!.community).select('name').lean())!.name.zh;
    const b = await User.findOne({ phone: RESIDENT_B }).select('community').lean();
    communityB = (await Community.findById(b!.community).select('name').lean())!.name.zh;
    const beizhai = (await Street.findOne({ code: 'beizhai' }).select('_id').lean())!;
    beizhaiCommunity = (await Community.findOne({ street: beizhai._id }).sort({ code: 1 }).select('name').lean())!.name.zh;
  });

  /** The proposal form's fields, in either language; the community is the account's own unless `community`. */
  async function fillProposal(page: Page, language: 'zh' | 'en', p: { title: string; summary: string; group: string; count: string; item: string; quantity: string; price: string; organization: string }) {
    const zh = language === 'zh';
    await page.getByLabel(zh ? '提案标题' : 'Title', { exact: false }).first().fill(p.title);
    await page.getByLabel(zh ? '简介' : 'Summary').first().fill(p.summary);
    await page.getByLabel(zh ? '提案方向' : 'Direction').selectOption({ index: 1 });
    await page.getByLabel(zh ? '群体' : 'Group', { exact: false }).first().selectOption({ label: p.group });
    await page.getByLabel(zh ? '人数' : 'People').first().fill(p.count);
    await page.getByLabel(zh ? '需求（要解决什么问题）' : 'The need (what problem it solves)').fill(zh ? '老人做饭困难，子女在外，常常一顿饭吃两天；社区走访登记了需要帮助的老人。' : 'Parents work late and cannot help; the children fall behind at school and have nowhere to study.');
    await page.getByLabel(zh ? '方案与活动' : 'Plan and activities').fill(zh ? '招募志愿者并培训，每周送餐上门，每月一次集中服务日。' : 'Volunteer tutors meet the children every Saturday in the community centre, with a snack.');
    await page.getByLabel(zh ? '实施安排' : 'Schedule').fill(zh ? '第1个月招募培训，第2至12个月常态服务。' : 'Month 1 recruit tutors; months 2-12 weekly sessions.');
    await page.getByLabel(zh ? '预期成效' : 'Expected outcomes').fill(zh ? '老人每周吃上热饭，有人上门看望。' : 'Twenty-five children keep up with their homework.');
    await page.getByLabel(zh ? /可持续性/ : /Sustainability/).fill(zh ? '由社区老年协会接手，爱心企业认捐食材。' : 'The community centre keeps the room; parents join as volunteers.');
    await page.getByLabel(zh ? '项目' : 'Item', { exact: true }).first().fill(p.item);
    await page.getByLabel(zh ? '数量' : 'Quantity', { exact: true }).first().fill(p.quantity);
    await page.getByLabel(zh ? '单价（元）' : 'Unit price (¥)', { exact: true }).first().fill(p.price);
    await page.getByLabel(zh ? '组织或团队名称' : 'Name of the organization or group').fill(p.organization);
  }

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    if (files) rmSync(files, { recursive: true, force: true });
    if (competitionId) await cleanUpCompetition(competitionId, SLUG, madeUsers);
    for (const [identifier, language] of languagesBefore) {
      await User.updateOne(identifier.includes('@') ? { email: identifier } : { phone: identifier }, { $set: { language: language ?? 'zh' } });
    }
    await disconnectDb();
    console.log(
      ['journey pages (axe impact counts, keyboard stops):', '| page | path | lang | critical | serious | moderate | minor | tab stops |', '|---|---|---|---|---|---|---|---|']
        .concat(looks.map((l) => `| ${l.name} | ${l.path} | ${l.lang} | ${l.axe.critical} | ${l.axe.serious} | ${l.axe.moderate} | ${l.axe.minor} | ${l.tabStops} |`))
        .join('\n'),
    );
  });

  it('01 an admin, in English on a desktop, opens the competition and names its committee and judges', async () => {
    const admin = await open(ADMIN, { language: 'en', viewport: DESKTOP });
    await admin.goto(`${baseUrl}/competitions/new`);
    await admin.getByRole('heading', { name: 'New competition' }).waitFor();
    await admin.getByLabel('URL name').fill(SLUG);
    await admin.getByLabel('Year').fill('2027');
    await admin.getByLabel('Name (Chinese)').fill(TITLE_ZH);
    await admin.getByLabel('Name (English, optional)').fill(TITLE_EN);
    await admin.getByLabel('Summary (Chinese)').fill('面向困难群众的救助服务居民提案大赛：居民提案、投票，专家评审，获资助的提案成为社区项目。');
    await admin.getByLabel('Summary (English, optional)').fill('Residents propose and vote on assistance services; judges score; funded proposals become community projects.');
    await admin.getByLabel('Total budget (¥)').fill('100000');
    await admin.getByLabel('Minimum per proposal (¥)').fill('5000');
    await admin.getByLabel('Maximum per proposal (¥)').fill('50000');
    const phases = ['Submission', 'Screening', 'Voting', 'Judging', 'Results', 'Implementation', 'Closed'];
    const offsets = [0, 30, 45, 60, 75, 90, 400];
    for (const [i, phase] of phases.entries()) await admin.getByLabel(phase, { exact: true }).fill(shanghaiDay(offsets[i]!));
    await admin.getByLabel('Code').fill('elderly');
    await admin.getByLabel('Chinese name').fill('困境老人关爱');
    await admin.getByLabel('English name').fill('Older people in difficulty');
    await look(admin, '01-admin-new-competition-en-desktop');
    await admin.getByRole('button', { name: 'Create competition' }).click();
    await admin.waitForURL(`${baseUrl}/competitions/${SLUG}`);
    await toast(admin, /Competition created/);
    const competition = await Competition.findOne({ slug: SLUG }).select('_id budgetFen').lean();
    expect(competition?.budgetFen).toBe(100_000_00);
    competitionId = competition!._id;

    for (const [email, role] of [[COMMITTEE, 'Committee'], [JUDGE1, 'Judge'], [JUDGE2, 'Judge']] as const) {
      await admin.goto(`${baseUrl}/admin/users?q=${encodeURIComponent(email)}`);
      await admin.locator('tr, li', { hasText: email }).getByRole('link').first().click();
      await admin.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await admin.getByLabel('Scope', { exact: true }).selectOption({ label: TITLE_EN });
      if (email === COMMITTEE) await look(admin, '02-admin-grant-committee-en-desktop');
      await admin.getByRole('button', { name: 'Grant' }).click();
      await toast(admin, 'Role granted.');
    }
    const granted = await User.find({ email: mongoose.trusted({ $in: [COMMITTEE, JUDGE1, JUDGE2] }), 'roles.scopeId': competitionId }).select('email roles').lean();
    expect(granted.map((u) => u.email).sort()).toEqual([COMMITTEE, JUDGE1, JUDGE2]);
  });

  it('02 the committee, in Chinese on a laptop, sets the voting rules and the rubric before they freeze', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await committee.goto(`${baseUrl}/competitions/${SLUG}/voting/rules`);
    await committee.getByRole('heading', { name: '投票规则' }).waitFor();
    await committee.getByLabel('投票方式').selectOption('approval');
    await committee.getByLabel('每张选票最多选几个提案').fill('2');
    await committee.getByLabel(/居民投票在最终排名中的权重/).fill('40');
    await look(committee, '03-committee-voting-rules-zh-laptop');
    await committee.getByRole('button', { name: '保存规则' }).click();
    await expect.poll(async () => (await Competition.findById(competitionId).select('voting').lean())?.voting?.maxChoices).toBe(2);

    await committee.goto(`${baseUrl}/competitions/${SLUG}/judging/rubric`);
    await committee.getByRole('heading', { name: '评分标准' }).waitFor();
    const first = committee.getByRole('group', { name: '第 1 项' });
    await first.getByLabel('高分（8–10）代表', { exact: true }).fill('服务对象明确、需求真实迫切，有走访或需求清单为证。');
    await look(committee, '04-committee-rubric-zh-laptop');
    await committee.getByRole('button', { name: '保存评分标准' }).click();
    await expect
      .poll(async () => (await Competition.findById(competitionId).select('judging').lean())?.judging?.criteria?.[0]?.anchors?.high?.zh)
      .toBe('服务对象明确、需求真实迫切，有走访或需求清单为证。');
  });

  it('03 resident A, on a phone in Chinese, submits a proposal and links the verified need of her street it answers', async () => {
    const resident = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await resident.goto(`${baseUrl}/competitions/${SLUG}/proposals`);
    await resident.getByRole('link', { name: '我要提案' }).click();
    await resident.getByRole('heading', { name: '提交新提案' }).waitFor();
    await fillProposal(resident, 'zh', {
      title: '独居老人助餐与陪伴',
      summary: '为王哥庄街道独居老人每周送餐两次，志愿者上门陪伴聊天、检查用电安全。',
      group: '独居及空巢老人',
      count: '40',
      item: '助餐与陪伴服务',
      quantity: '20',
      price: '1500',
      organization: '王哥庄邻里守望队',
    });
    await look(resident, '05-resident-proposal-form-zh-phone');
    await resident.getByRole('button', { name: '提交提案' }).click();
    await resident.getByText('提案已提交，等待资格审查；审查结果会通知您。').waitFor();
    proposalA = Number(resident.url().match(/proposals\/(\d+)/)![1]);

    await resident.getByRole('link', { name: '关联回应的需求' }).click();
    await resident.getByRole('heading', { name: '关联回应的需求' }).waitFor();
    await look(resident, '06-resident-cite-need-zh-phone');
    await resident.getByRole('button', { name: `关联 #${NEED}` }).click();
    await toast(resident, `已关联需求 #${NEED}。`);
    await resident.goto(`${baseUrl}/competitions/${SLUG}/proposals/${proposalA}`);
    await expect.poll(() => resident.locator('section[aria-labelledby="cited-needs"] li').count()).toBe(1);
    await look(resident, '07-resident-proposal-submitted-zh-phone');
  });

  it('04 the grid worker, on a phone, registers a resident without a phone and submits her proposal with her witnessed consent', async () => {
    const worker = await open(WORKER, { language: 'zh', viewport: PHONE });
    await worker.goto(`${baseUrl}/assist`);
    await worker.getByRole('heading', { name: '协助居民', level: 1 }).waitFor();
    await worker.getByLabel('姓名或称呼').fill(OFFLINE);
    await worker.getByLabel('所在社区').selectOption({ label: beizhaiCommunity });
    await worker.getByRole('button', { name: '登记', exact: true }).click();
    await toast(worker, `已登记居民 ${OFFLINE}。`);
    const offline = await User.findOne({ name: OFFLINE }).select('_id').lean();
    madeUsers.push(offline!._id);
    await worker.getByLabel('搜索').fill(OFFLINE);
    await worker.getByRole('button', { name: '搜索', exact: true }).click();
    await worker.waitForURL(/\/assist\?q=/);
    const card = worker.getByRole('listitem').filter({ hasText: OFFLINE });
    await look(worker, '08-worker-assist-zh-phone');
    await card.getByRole('link', { name: '代为提案（2027年大赛）' }).click();
    await worker.getByRole('heading', { name: '提交新提案' }).waitFor();
    await worker.getByLabel('居民口头同意，有见证人在场').check();
    await worker.getByLabel('见证人姓名').fill('刘秀珍（社区居委会委员）');
    await fillProposal(worker, 'zh', {
      title: '渔村老人集中午餐',
      summary: '为行动不便的渔家老人每周三次集中供应午餐，邻居志愿者轮流送餐上门。',
      group: '独居及空巢老人',
      count: '20',
      item: '午餐食材',
      quantity: '1440',
      price: '10',
      organization: '北宅邻里午餐队',
    });
    await worker.getByRole('button', { name: '提交提案' }).click();
    await worker.getByText('提案已提交，等待资格审查；审查结果会通知您。').waitFor();
    await expect.poll(() => worker.getByText(/由网格员 .* 协助提交/).isVisible()).toBe(true);
    await look(worker, '09-worker-assisted-proposal-zh-phone');
  });

  it('05 resident B, in English without JavaScript, submits a proposal', async () => {
    const resident = await open(RESIDENT_B, { language: 'en', viewport: PHONE, javaScript: false });
    await resident.goto(`${baseUrl}/competitions/${SLUG}/proposals/new`);
    await resident.getByRole('heading', { name: 'New proposal' }).waitFor();
    await fillProposal(resident, 'en', {
      title: 'Weekend homework club for children in difficulty',
      summary: 'Volunteers from the neighbourhood help children of families in difficulty with homework every weekend.',
      group: 'Children in difficulty',
      count: '25',
      item: 'Tutoring sessions',
      quantity: '80',
      price: '150',
      organization: 'Beizhai homework club',
    });
    await look(resident, '10-resident-b-proposal-form-en-phone-nojs');
    await resident.getByRole('button', { name: 'Submit proposal' }).click();
    await resident.getByText('Proposal submitted: it now waits for screening, and you will be told the result.').waitFor();
    await look(resident, '11-resident-b-proposal-submitted-en-phone-nojs');
    expect(await Proposal.countDocuments({ competition: competitionId, status: 'submitted' })).toBe(3);
  });


  /** The committee's reasoned early advance on the manage page, through its dialog. */
  async function advance(committee: Page, next: string, reason: string, shot?: string) {
    await committee.goto(`${baseUrl}/competitions/${SLUG}/manage`);
    const submit = committee.getByRole('button', { name: `现在进入「${next}」` });
    await submit.waitFor();
    await expect.poll(() => committee.getByRole('checkbox', { name: /我确认立即结束/ }).isVisible()).toBe(false);
    await committee.getByLabel('提前进入的理由').fill(reason);
    if (shot) await look(committee, shot);
    await submit.click();
    await committee.getByRole('dialog', { name: `现在进入「${next}」？` }).getByRole('button', { name: `进入「${next}」` }).click();
    await toast(committee, '已进入下一阶段。');
  }

  it('06 the committee moves to screening and screens the three proposals on a phone', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: PHONE });
    await advance(committee, '资格审查', '三份提案已经收齐，提前进入资格审查。', '12-committee-advance-zh-phone');
    await committee.goto(`${baseUrl}/competitions/${SLUG}/screening`);
    const rows = committee.locator('[data-testid^="screening-row-"]');
    await expect.poll(() => rows.count()).toBe(3);
    await look(committee, '13-committee-screening-zh-phone');
    for (const number of await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-testid')!.replace('screening-row-', ''))))) {
      const row = committee.getByTestId(`screening-row-${number}`);
      await row.getByText(`审查提案 #${number}`).click();
      await row.getByLabel('通过（符合条件）').check();
      await row.getByRole('button', { name: '保存决定' }).click();
      await toast(committee, `提案 #${number} 已确认符合条件，已通知提案人。`);
    }
    expect(await Proposal.countDocuments({ competition: competitionId, status: 'eligible' })).toBe(3);
  });

  it('07 the committee opens voting and prints residency codes for the two residents\' communities, on a laptop', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await advance(committee, '居民投票', '资格审查已经完成，提前开始居民投票。');
    for (const [community, into] of [[communityA, 'A'], [communityB, 'B']] as const) {
      await committee.goto(`${baseUrl}/competitions/${SLUG}/voting/codes`);
      await committee.getByLabel('社区').selectOption({ label: community });
      await committee.getByLabel('数量').fill('2');
      if (into === 'A') await look(committee, '14-committee-codes-form-zh-laptop');
      await committee.getByRole('button', { name: '生成并显示打印页' }).click();
      await expect.poll(() => committee.getByTestId('code').count()).toBe(2);
      codes[into] = (await committee.getByTestId('code').first().textContent())!.trim();
    }
    expect(codes.A).toMatch(/^[A-Z0-9]{5}-?[A-Z0-9]{5}$/);
  });

  it('08 resident A verifies with her code and votes on a phone, with JavaScript', async () => {
    const resident = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await resident.goto(`${baseUrl}/verify`);
    await resident.getByLabel('验证码').fill(codes.A);
    await look(resident, '15-resident-verify-zh-phone');
    await resident.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => resident.getByTestId('residency').getByText(`大赛：${TITLE_ZH}`).isVisible()).toBe(true);
    await resident.goto(`${baseUrl}/competitions/${SLUG}/vote`);
    await resident.getByTestId('ballot-picker').and(resident.locator('[data-hydrated="true"]')).waitFor();
    await resident.getByRole('checkbox', { name: /独居老人助餐与陪伴/ }).check();
    await resident.getByRole('checkbox', { name: /渔村老人集中午餐/ }).check();
    await look(resident, '16-resident-ballot-zh-phone');
    await resident.getByTestId('quick-cast').click();
    await resident.getByTestId('receipt').waitFor();
    await look(resident, '17-resident-receipt-zh-phone');
  });

  it('09 resident B verifies and votes in English without JavaScript: the ballot is reviewed on a second page', async () => {
    const resident = await open(RESIDENT_B, { language: 'en', viewport: PHONE, javaScript: false });
    await resident.goto(`${baseUrl}/verify`);
    await resident.getByLabel('Code', { exact: true }).fill(codes.B);
    await resident.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => resident.getByTestId('residency').getByText(`Competition: ${TITLE_EN}`).isVisible()).toBe(true);
    await look(resident, '18-resident-b-verified-en-phone-nojs');
    await resident.goto(`${baseUrl}/competitions/${SLUG}/vote`);
    // Her neighbour's proposal (the ballot lists proposals in an order of its own for each voter).
    await resident.getByRole('checkbox', { name: /#1 独居老人助餐与陪伴/ }).check();
    await resident.getByRole('checkbox', { name: /Weekend homework club/ }).check();
    await look(resident, '19-resident-b-ballot-en-phone-nojs');
    await resident.getByRole('button', { name: /Next: check my choices/ }).click();
    await resident.getByTestId('review-total').waitFor();
    await look(resident, '20-resident-b-review-en-phone-nojs');
    await resident.getByRole('button', { name: 'Cast my ballot' }).click();
    await resident.getByTestId('receipt').waitFor();
    const voter = (await User.findOne({ phone: RESIDENT_B }).select('_id').lean())!;
    expect(await Ballot.countDocuments({ competition: competitionId, voter: voter._id, channel: 'online' })).toBe(1);
    const mine = (await Ballot.findOne({ competition: competitionId, voter: voter._id }).select('choices').lean())!;
    const first = (await Proposal.findOne({ competition: competitionId, number: 1 }).select('_id').lean())!;
    expect(mine.choices.map(String)).toContain(String(first._id));
  });

  it('10 the grid worker enters the offline resident\'s paper ballot; the committee sees three voters by channel', async () => {
    const worker = await open(WORKER, { language: 'zh', viewport: PHONE });
    // She has no phone: the worker, who knows her, confirms where she lives, in person.
    await worker.goto(`${baseUrl}/assist/verify?q=${encodeURIComponent(OFFLINE)}`);
    await worker.locator('select[name="scope"]').selectOption({ label: '北宅街道（街道，按期限有效）' });
    await worker.getByRole('button', { name: '查找' }).click();
    const card = worker.getByTestId('resident').filter({ hasText: OFFLINE });
    await card.locator('summary', { hasText: '核实居住地' }).click();
    await card.locator('select[name="method"]').selectOption({ label: '本人熟识' });
    await look(worker, '21-worker-verify-in-person-zh-phone');
    await card.getByRole('button', { name: '确认已核实' }).click();
    await expect.poll(() => worker.getByTestId('resident').filter({ hasText: OFFLINE }).getByText('现有核实').isVisible()).toBe(true);

    await worker.goto(`${baseUrl}/competitions/${SLUG}/vote/paper`);
    const select = worker.locator('select[name="residentId"]');
    await select.selectOption({ label: (await select.locator('option', { hasText: OFFLINE }).textContent())! });
    await worker.getByLabel('纸质选票', { exact: true }).check();
    await worker.getByLabel('纸质选票编号').fill(`BZ-${stamp}`);
    await worker.getByRole('checkbox', { name: /渔村老人集中午餐/ }).check();
    await worker.getByRole('checkbox', { name: /我已和居民核对所选提案/ }).check();
    await look(worker, '22-worker-paper-ballot-zh-phone');
    await worker.getByRole('button', { name: '录入选票' }).click();
    await expect.poll(() => worker.getByTestId('entered-ballot').textContent()).toContain(`已为 ${OFFLINE} 录入选票。`);

    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await committee.goto(`${baseUrl}/competitions/${SLUG}/voting`);
    await expect.poll(() => committee.getByTestId('tally-voters').textContent()).toBe('3');
    expect(await committee.getByTestId('tally-channel-online').textContent()).toBe('2');
    expect(await committee.getByTestId('tally-channel-paper').textContent()).toBe('1');
    await look(committee, '23-committee-tally-zh-laptop');
  });


  /** Scores every criterion of the open sheet and submits it through the dialog. */
  async function scoreAndSubmit(judge: Page, number: number, score: number, language: 'zh' | 'en', shot?: string) {
    await judge.waitForURL(new RegExp(`/judge/${number}$`));
    await judge.getByRole('button', { name: language === 'zh' ? '提交评分' : 'Submit scores' }).waitFor();
    const names = await judge.locator('input[type=radio][name^="score."]').evaluateAll((els) => [...new Set(els.map((el) => (el as HTMLInputElement).name))]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) await judge.locator(`input[name="${name}"][value="${score}"]`).check();
    await judge.locator('textarea[name="comment"]').fill(language === 'zh' ? '需求真实，预算合理，建议资助。' : 'A real need and a sound budget.');
    if (shot) await look(judge, shot);
    const submit = language === 'zh' ? '提交评分' : 'Submit scores';
    await judge.getByRole('button', { name: submit }).click();
    await judge.getByRole('dialog', { name: language === 'zh' ? `提交 #${number} 的评分？` : `Submit your scores for #${number}?` }).getByRole('button', { name: submit }).click();
    await toast(judge, language === 'zh' ? `#${number} 的评分已提交。` : `Scores for #${number} submitted.`);
  }

  it('11 judging: the committee assigns both judges; one scores on a phone, the other declares a conflict on one proposal', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await advance(committee, '专家评审', '投票已经结束，提前开始专家评审。');
    await committee.goto(`${baseUrl}/competitions/${SLUG}/judging/assign`);
    await expect.poll(() => committee.getByText('2 位评委 × 3 个提案。').isVisible()).toBe(true);
    await look(committee, '24-committee-assign-judges-zh-laptop');
    await committee.getByRole('button', { name: '全部分配' }).click();
    await toast(committee, '已新增 6 项评审分配。');

    const numbers = (await Proposal.find({ competition: competitionId }).sort({ number: 1 }).select('number title').lean()).map((p) => ({ number: p.number, title: p.title }));
    const judge1 = await open(JUDGE1, { language: 'zh', viewport: PHONE });
    for (const [i, p] of numbers.entries()) {
      await judge1.goto(`${baseUrl}/competitions/${SLUG}/judge`);
      if (i === 0) await look(judge1, '25-judge-queue-zh-phone');
      await judge1.getByRole('link', { name: new RegExp(p.title) }).click();
      await scoreAndSubmit(judge1, p.number, [9, 7, 8][i]!, 'zh', i === 0 ? '26-judge-sheet-zh-phone' : undefined);
    }

    // Judge 2, in English on a desktop, knows resident B's family: a declared conflict on B's proposal.
    const judge2 = await open(JUDGE2, { language: 'en', viewport: DESKTOP });
    const theirs = numbers.find((p) => p.title.startsWith('Weekend homework club'))!;
    await judge2.goto(`${baseUrl}/competitions/${SLUG}/judge/${theirs.number}`);
    await judge2.getByRole('group', { name: 'Kind of conflict' }).getByRole('radio', { name: /Same community as an author/ }).check();
    await judge2.getByLabel('Note').fill('I live next door to the proposer.');
    await look(judge2, '27-judge-conflict-en-desktop');
    await judge2.getByRole('button', { name: 'Declare and recuse' }).click();
    await judge2.getByRole('dialog', { name: `Declare a conflict and step aside from #${theirs.number}?` }).getByRole('button', { name: 'Declare and step aside' }).click();
    await toast(judge2, `Conflict declared: you are recused from #${theirs.number}.`);
    for (const p of numbers.filter((n) => n !== theirs)) {
      await judge2.goto(`${baseUrl}/competitions/${SLUG}/judge/${p.number}`);
      await scoreAndSubmit(judge2, p.number, 8, 'en');
    }
    expect(await JudgingSheet.countDocuments({ competition: competitionId, status: 'submitted' })).toBe(5);
    expect(await JudgingSheet.countDocuments({ competition: competitionId, status: 'recused' })).toBe(1);
  });

  it('12 the committee moves to results, previews both methods and publishes; projects are created', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await advance(committee, '结果公示', '评审已经全部完成，提前公示结果。');
    await committee.goto(`${baseUrl}/competitions/${SLUG}/judging`);
    await look(committee, '28-committee-judging-progress-zh-laptop');
    await committee.goto(`${baseUrl}/competitions/${SLUG}/results/preview`);
    await committee.getByRole('heading', { name: '预览与公布结果' }).waitFor();
    await committee.getByRole('radio', { name: '按综合得分排序，在预算内依次资助（贪心法）' }).check();
    await look(committee, '29-committee-results-preview-zh-laptop');
    await committee.getByRole('button', { name: '公布结果' }).click();
    await committee.getByRole('dialog', { name: '现在公布评选结果？' }).getByRole('button', { name: '公布结果' }).click();
    await toast(committee, '结果已公布，已通知所有提案人。');
    expect(await ResultSnapshot.countDocuments({ competition: competitionId })).toBe(1);
    await expect.poll(() => Project.countDocuments({ competition: competitionId })).toBe(3);

    const visitor = await browser.newContext({ locale: 'en-US', viewport: PHONE, deviceScaleFactor: 2 });
    contexts.push(visitor);
    const page = await visitor.newPage();
    await page.goto(`${baseUrl}/competitions/${SLUG}/results`);
    await page.getByTestId('results-list').waitFor();
    await look(page, '30-visitor-results-en-phone');
  });


  it('13 resident A\'s team plans its milestone and publishes a volunteer activity; the committee approves the plan', async () => {
    const project = (await Project.findOne({ competition: competitionId, proposalNumber: proposalA }).select('_id number').lean())!;
    projectNumber = project.number;
    projectUrl = `${baseUrl}/competitions/${SLUG}/projects/${project.number}`;
    const team = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await team.goto(projectUrl);
    await team.getByRole('link', { name: '里程碑计划' }).click();
    await team.getByRole('heading', { name: '编写里程碑计划' }).waitFor();
    const row = team.getByRole('group', { name: '里程碑 1' });
    await row.getByLabel('名称').fill('助餐与陪伴服务');
    await row.getByLabel('截止日期').fill(shanghaiDay(200));
    await row.getByLabel('资金批次（元）').fill('30000');
    await row.getByLabel('权重').fill('1');
    await row.getByLabel('交付成果').fill('服务对象台账、送餐与走访记录、满意度回访');
    await look(team, '31-team-plan-zh-phone');
    await team.getByRole('button', { name: '保存并提交审核' }).click();
    await toast(team, '里程碑计划已提交，等待评审委员会审核。');

    await team.goto(`${baseUrl}/volunteers/new`);
    await team.getByRole('heading', { level: 1, name: '发布志愿活动' }).waitFor();
    const start = new Date(Date.now() + 7 * 86_400_000);
    await team.getByLabel('组织方').selectOption(`project:${String(project._id)}`);
    await team.getByLabel('活动名称').fill(ACTIVITY);
    await team.getByLabel('活动介绍').fill('两人一组给独居老人送午餐，陪老人聊天、检查用电安全。');
    await team.getByLabel('开始时间').fill(shanghaiLocal(start));
    await team.getByLabel('结束时间').fill(shanghaiLocal(new Date(start.getTime() + 3 * 3_600_000)));
    await team.getByLabel('社区', { exact: true }).selectOption({ label: communityA });
    await team.getByLabel('社区内的地点').fill('社区党群服务中心');
    await team.getByLabel('需要志愿者人数').fill('6');
    await look(team, '32-team-volunteer-activity-zh-phone');
    await team.getByRole('button', { name: '发布' }).click();
    await team.waitForURL(/\/volunteers\/\d+\/manage$/);
    expect(await VolunteerActivity.countDocuments({ project: project._id })).toBe(1);

    const committee = await open(COMMITTEE, { language: 'zh', viewport: PHONE });
    await committee.goto(`${projectUrl}/plan`);
    await committee.getByRole('heading', { name: '第 1 版 · 已提交，待审核' }).waitFor();
    await expect.poll(() => committee.getByRole('checkbox', { name: /我确认批准第 1 版里程碑计划/ }).isVisible()).toBe(false);
    await look(committee, '33-committee-plan-review-zh-phone');
    await committee.getByRole('button', { name: '批准计划' }).click();
    await committee.getByRole('dialog', { name: '批准第 1 版里程碑计划？' }).getByRole('button', { name: '批准计划' }).click();
    await toast(committee, '里程碑计划已批准。');
    // With its plan approved, the committee starts the project.
    await committee.goto(projectUrl);
    await committee.getByLabel('新状态').selectOption('inProgress');
    await committee.getByLabel(/^原因（/).fill('计划已批准，项目开始实施。');
    await committee.getByRole('button', { name: '变更状态' }).click();
    await toast(committee, '项目状态已变更，变更已记入状态记录。');
    expect((await Project.findOne({ _id: project._id }).select('status').lean())?.status).toBe('inProgress');
  });

  it('14 the team reports the milestone: the activity, people served, volunteers, an expense with its receipt and a photo', async () => {
    const team = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await team.goto(projectUrl);
    await team.getByRole('link', { name: /里程碑报告 · 报告未填写/ }).first().click();
    await team.getByRole('heading', { name: '里程碑报告：助餐与陪伴服务' }).waitFor();
    reportUrl = team.url();
    await team.getByRole('group', { name: '工作情况' }).getByLabel('本阶段做了什么、效果如何、遇到什么困难').fill('走访独居老人 40 户，建立服务台账；每周二、周五送餐上门，志愿者陪伴聊天。');
    const activities = team.getByRole('group', { name: '开展的活动' });
    await activities.getByLabel('日期').fill(shanghaiDay(0));
    await activities.getByLabel('地点（到社区一级）').fill('社区党群服务中心');
    await activities.getByLabel('活动内容').fill(`${ACTIVITY}：志愿者送餐与陪伴`);
    await team.getByRole('group', { name: '服务人数' }).getByLabel('老年人').fill('40');
    const volunteers = team.getByRole('group', { name: '志愿者' });
    await volunteers.getByLabel('参与志愿者人数').fill('6');
    await volunteers.getByLabel('志愿服务总时长（小时，可填 0.5）').fill('18');
    const expenses = team.getByRole('group', { name: '支出' });
    await expenses.getByLabel('金额（元）').fill('2600');
    await expenses.getByLabel('类别').selectOption('services');
    await expenses.getByLabel('收款方').fill('社区助餐点');
    await expenses.getByLabel('日期').fill(shanghaiDay(0));
    await expenses.getByLabel('票据照片').setInputFiles(photoFile);
    const photos = team.getByRole('group', { name: '照片' });
    await photos.getByLabel(/添加照片/).setInputFiles(photoFile);
    await photos.getByLabel('照片中的人都同意公开这张照片。').check();
    await look(team, '34-team-report-form-zh-phone');
    await team.getByRole('button', { name: '提交审核' }).click();
    await toast(team, '报告已提交，等待评审委员会审核。');
    const report = await MilestoneReport.findOne({ competition: competitionId }).select('status expenses volunteers').lean();
    expect(report).toMatchObject({ status: 'submitted', volunteers: 6 });
    expect(report!.expenses.map((e) => e.amountFen)).toEqual([2600_00]);
  });

  it('15 the committee approves the report through the dialog and marks the project completed', async () => {
    const committee = await open(COMMITTEE, { language: 'zh', viewport: LAPTOP });
    await committee.goto(reportUrl);
    await expect.poll(() => committee.getByText('¥2,600.00').first().isVisible()).toBe(true);
    await expect.poll(() => committee.getByRole('checkbox', { name: /我确认通过这份里程碑报告/ }).isVisible()).toBe(false);
    await look(committee, '35-committee-report-review-zh-laptop');
    await committee.getByRole('button', { name: '通过报告' }).click();
    await committee.getByRole('dialog', { name: '通过这份里程碑报告？' }).getByRole('button', { name: '通过报告' }).click();
    await toast(committee, '报告已通过，里程碑已完成。');
    await committee.goto(projectUrl);
    await committee.getByText('项目进度根据评审委员会通过的阶段报告计算，目前为 100%。').waitFor();
    await look(committee, '36-committee-project-zh-laptop');

    // Every milestone approved: the team writes the final report and submits it.
    const team = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await team.goto(`${projectUrl}/closing`);
    await team.getByLabel('取得的成果').fill('为 40 位独居老人每周送两次午餐，6 名志愿者服务 18 小时。');
    await team.getByLabel('与计划对照').fill('计划的里程碑“首月送餐”按时完成，支出 2600 元，低于预算。');
    await team.getByLabel('服务如何延续').fill('社区食堂和志愿者队伍继续每周送餐。');
    await look(team, '37-team-final-report-zh-phone');
    await team.getByRole('button', { name: '提交结项报告' }).click();
    await toast(team, '结项报告已提交，等待评审委员会评估。');

    // The committee evaluates on the four criteria and closes, through the confirmation dialog.
    await committee.goto(`${projectUrl}/closing`);
    for (const criterion of ['完成情况', '服务覆盖', '资金使用', '可持续性']) {
      await committee.getByRole('group', { name: criterion }).getByRole('radio', { name: '5' }).check();
    }
    await look(committee, '38-committee-closing-zh-laptop');
    await committee.getByRole('button', { name: '评估并结项' }).click();
    await committee.getByRole('dialog', { name: '按这份评估结项？' }).getByRole('button', { name: '结项' }).click();
    await toast(committee, '项目已结项，支持者已收到通知。');
    expect((await Project.findOne({ competition: competitionId, number: projectNumber }).select('status progressPct').lean())).toMatchObject({ status: 'completed', progressPct: 100 });
  });

  it('16 resident B, who voted for it, is notified in English without JavaScript, reads the timeline and rates the project', async () => {
    const resident = await open(RESIDENT_B, { language: 'en', viewport: PHONE, javaScript: false });
    await resident.goto(`${baseUrl}/notifications`);
    const notice = resident.getByRole('button', { name: /you supported is completed/ });
    await notice.first().waitFor();
    await look(resident, '39-resident-b-notifications-en-phone-nojs');
    await notice.first().click();
    await resident.getByRole('heading', { name: 'Residents’ ratings' }).waitFor();
    await expect.poll(() => resident.getByText(/¥2,600 spent of an approved/).isVisible()).toBe(true);
    await resident.getByRole('radio', { name: '5 stars' }).check();
    await resident.getByLabel('Comment (optional)').fill('Hot meals twice a week for the old people on our street.');
    await resident.getByRole('button', { name: 'Send rating' }).click();
    await resident.getByText('You rated it 5 stars. Thank you!').waitFor();
    await look(resident, '40-resident-b-rated-en-phone-nojs');
    const voter = (await User.findOne({ phone: RESIDENT_B }).select('_id').lean())!;
    expect(await ProjectRating.countDocuments({ rater: voter._id, stars: 5, basis: 'voted' })).toBe(1);
  });

  it('17 resident A sees her proposal became a completed project; the need she cited shows it; the dashboard counts it', async () => {
    const resident = await open(RESIDENT_A, { language: 'zh', viewport: PHONE });
    await resident.goto(`${baseUrl}/needs/${NEED}`);
    await expect.poll(() => resident.getByText('独居老人助餐与陪伴').first().isVisible()).toBe(true);
    await look(resident, '41-resident-need-answered-zh-phone');

    const visitor = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    contexts.push(visitor);
    const page = await visitor.newPage();
    await page.goto(`${baseUrl}/dashboard?year=2027`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await look(page, '42-visitor-dashboard-2027-zh-desktop');
    const phone = await browser.newContext({ locale: 'en-US', viewport: PHONE, deviceScaleFactor: 2 });
    contexts.push(phone);
    const enPage = await phone.newPage();
    await enPage.goto(`${baseUrl}/dashboard?year=2027`);
    await look(enPage, '43-visitor-dashboard-2027-en-phone');
  });

});
