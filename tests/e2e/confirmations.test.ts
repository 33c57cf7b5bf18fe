import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose, { type Types } from 'mongoose';
import { AuditLog, Comment, Community, Competition, Proposal, User } from '#models';
import { createCompetition, insertProposal, phaseWindows } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { launchBrowser, pageProblems, SCREENSHOTS, screenshot, signedInPage } from '../support/browser';
import { axeFindings } from '../support/axe';
import { withDbName } from '../support/database-uri';

/**
 * Irreversible acts ask first, with and without JavaScript (issue 12 item 3). The test arranges
 * its own competition in the app's database (in submission, with one proposal by a demo
 * resident) and removes it afterwards, so the demo is left as it was.
 */
const slug = 'e2e-confirm';
const DAY = 86_400_000;
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const RESIDENT = '13900000001';
const PHONE = { width: 390, height: 844 };
const MISSING_TICK = '请先勾选上面的确认框，表示您已了解后果。';

function signIn(browser: Browser, identifier: string, options: BrowserContextOptions): Promise<Page> {
  return signedInPage(browser, inject('baseUrl'), identifier, options);
}

/**
 * axe's run waits on timers, which never fire in a page whose scripts are disabled: the page as
 * it stands is served again, scripts still blocked, to a page where axe may run.
 */
async function axeWithoutScripts(browser: Browser, page: Page, name: string): Promise<string[]> {
  const html = await page.content();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: page.viewportSize() ?? PHONE });
  const copy = await context.newPage();
  await copy.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.continue()));
  await copy.route(page.url(), (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await copy.goto(page.url());
  try {
    return await axeFindings(copy, name);
  } finally {
    await context.close();
  }
}

async function expectClean(page: Page, name: string, browser?: Browser) {
  expect(browser ? await axeWithoutScripts(browser, page, name) : await axeFindings(page, name)).toEqual([]);
  const problems = await pageProblems(page);
  expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
  expect(problems.rawKeys).toEqual([]);
}

/** Every button of the open dialog is a large tap target with readable text. */
async function expectLargeButtons(page: Page) {
  const buttons = page.getByRole('dialog').getByRole('button');
  expect(await buttons.count()).toBe(2);
  for (const button of await buttons.all()) {
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(parseFloat(await button.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(16);
  }
}

describe('irreversible acts ask for confirmation', () => {
  let browser: Browser;
  let competitionId: Types.ObjectId;
  let committeeId: Types.ObjectId;
  let number: number;
  let slowNumber: number;
  const home = `${inject('baseUrl')}/competitions/${slug}`;
  const advanced = () => AuditLog.countDocuments({ action: 'competition.phaseAdvanced', targetId: String(competitionId) });

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    // Submission opened two days ago.
    const competition = await createCompetition({ slug, zh: '确认演示大赛', en: 'Confirmation demo', phases: phaseWindows(new Date(Date.now() - 2 * DAY)) });
    competitionId = competition._id;
    committeeId = (await User.findOne({ email: COMMITTEE }).select('_id').lean())!._id;
    await User.updateOne({ _id: committeeId }, { $push: { roles: { role: 'committee', scopeType: 'competition', scopeId: competitionId } } });
    const author = (await User.findOne({ phone: RESIDENT }).select('_id').lean())!._id;
    const community = (await Community.findOne().sort({ code: 1 }).lean())!;
    const proposal = await insertProposal({ competition: competitionId, author, title: '楼道感应灯更换', status: 'submitted', community: community._id, street: community.street });
    number = proposal.number;
    slowNumber = (await insertProposal({ competition: competitionId, author, title: '小区长椅维修', status: 'submitted', community: community._id, street: community.street })).number;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await User.updateOne({ _id: committeeId }, { $pull: { roles: { scopeId: competitionId } } });
    await Proposal.deleteMany({ competition: competitionId });
    await AuditLog.deleteMany({ targetId: String(competitionId) });
    await Competition.deleteOne({ _id: competitionId });
    await disconnectDb();
  });

  it('without JavaScript, withdrawing needs the tick: the refusal is translated and changes nothing; ticked, it withdraws', async () => {
    const page = await signIn(browser, RESIDENT, { viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`${home}/proposals/${number}`);
    const box = page.getByRole('checkbox', { name: '我确认撤回这个提案。撤回后不能恢复。' });
    expect(await box.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    await screenshot(page, 'confirm-nojs-checkbox-zh-mobile');
    await expectClean(page, 'confirm: proposal, no JS', browser);

    await page.getByRole('button', { name: '撤回提案' }).click();
    await expect.poll(() => page.getByText(MISSING_TICK).isVisible()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /我确认撤回这个提案/ }).getAttribute('aria-invalid')).toBe('true');
    expect((await Proposal.findOne({ competition: competitionId, number }).lean())?.status).toBe('submitted');
    await screenshot(page, 'confirm-nojs-missing-zh-mobile');
    await expectClean(page, 'confirm: withdraw refused, no JS', browser);

    await page.getByRole('checkbox', { name: /我确认撤回这个提案/ }).check();
    await page.getByRole('button', { name: '撤回提案' }).click();
    await expect.poll(() => page.getByText('这个提案已撤回，只有作者能看到。').isVisible()).toBe(true);
    expect((await Proposal.findOne({ competition: competitionId, number }).lean())?.status).toBe('withdrawn');
    await expectClean(page, 'confirm: withdrawn, no JS', browser);
    await page.context().close();
  });

  it('a box ticked on a slow phone before the scripts arrive stays ticked, and is honoured without a dialog', async () => {
    const page = await signIn(browser, RESIDENT, { viewport: PHONE });
    // Scripts held back 3 s: the resident ticks the server-rendered box before hydration.
    await page.route('**/*.js', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    await page.goto(`${home}/proposals/${slowNumber}`, { waitUntil: 'commit' });
    const box = page.getByRole('checkbox', { name: '我确认撤回这个提案。撤回后不能恢复。' });
    await box.check();
    await page.waitForFunction(() => '__remixRouter' in window);
    await page.waitForLoadState('networkidle');
    expect(await box.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(true);
    await page.getByRole('button', { name: '撤回提案' }).click();
    await expect.poll(() => page.getByText('这个提案已撤回，只有作者能看到。').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect((await Proposal.findOne({ competition: competitionId, number: slowNumber }).lean())?.status).toBe('withdrawn');
    await expectClean(page, 'confirm: withdrawn after slow hydration');
    await page.context().close();
  });

  it('with JavaScript on a phone, moving a phase early opens a dialog: cancel and Esc do nothing, confirm moves it', async () => {
    const page = await signIn(browser, COMMITTEE, { viewport: PHONE });
    await page.goto(`${home}/manage`);
    const submit = page.getByRole('button', { name: '现在进入「资格审查」' });
    await submit.waitFor();
    // Hydrated: the dialog replaces the tick box.
    await expect.poll(() => page.getByRole('checkbox', { name: /我确认立即结束/ }).isVisible()).toBe(false);
    await page.getByLabel('提前进入的理由').fill('提案数量已经足够，提前进入审查。');
    const dialog = page.getByRole('dialog', { name: '现在进入「资格审查」？' });

    await submit.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByText('「提案征集」阶段将立即结束').isVisible()).toBe(true);
    await expectLargeButtons(page);
    // What the phone shows (a full-page shot would stretch the backdrop over 10,000 px).
    await page.screenshot({ path: path.join(SCREENSHOTS, 'confirm-dialog-zh-mobile.png') });
    await expectClean(page, 'confirm: advance dialog, phone');
    await dialog.getByRole('button', { name: '取消，先不做' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await submit.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // Neither cancel nor Esc sent anything.
    expect(await advanced()).toBe(0);
    expect(await page.getByLabel('提前进入的理由').inputValue()).toBe('提案数量已经足够，提前进入审查。');

    await submit.click();
    await dialog.getByRole('button', { name: '进入「资格审查」' }).click();
    await expect.poll(() => page.getByText('已进入下一阶段。').isVisible()).toBe(true);
    expect(await advanced()).toBe(1);
    const entry = await AuditLog.findOne({ action: 'competition.phaseAdvanced', targetId: String(competitionId) }).lean();
    expect(entry).toMatchObject({ reason: '提案数量已经足够，提前进入审查。', before: { phase: 'submission' }, after: { phase: 'screening' } });
    await expectClean(page, 'confirm: advanced, phone');
    await page.context().close();
  });

  it('the judging page of a competition with nothing to judge says so once, not "every proposal has enough judges"', async () => {
    const page = await signIn(browser, COMMITTEE, { viewport: PHONE });
    await page.goto(`${home}/judging`);
    await page.getByRole('heading', { name: '评审进度' }).waitFor();
    expect(await page.getByText('每个提案都有足够的评委。').count()).toBe(0);
    expect(await page.getByText('还没有通过资格审查的提案，暂时不需要分配评委。').isVisible()).toBe(true);
    await expectClean(page, 'confirm: judging progress, nothing to judge');
    await page.context().close();
  });

  it('in English on a desktop, the void dialog explains itself; cancelling voids nothing', async () => {
    const page = await signIn(browser, COMMITTEE, { viewport: { width: 1280, height: 900 } });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en-US');
    try {
      await page.goto(`${home}/voting`);
      // Hydrated: the dialog replaces the tick box (a click before that takes the no-JavaScript path).
      await expect.poll(() => page.locator('form:has(input[name=ballot]) input[name=confirm]').isVisible()).toBe(false);
      await page.getByLabel('Ballot number or paper serial').fill('P-1');
      await page.getByLabel('Reason', { exact: true }).fill('Unreadable paper ballot');
      await page.getByRole('button', { name: 'Void', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Void this ballot?' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.getByText(/no longer be counted/).isVisible()).toBe(true);
      await expectLargeButtons(page);
      await screenshot(page, 'confirm-dialog-en-desktop');
      await expectClean(page, 'confirm: void dialog, en desktop');
      await dialog.getByRole('button', { name: 'Cancel, not now' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      expect(await AuditLog.countDocuments({ action: 'ballot.voided', createdAt: mongoose.trusted({ $gt: new Date(Date.now() - 60_000) }) })).toBe(0);
    } finally {
      // The language is kept on the account: put the demo committee back to Chinese, even when a
      // step above failed (the other browser tests sign the committee in and read Chinese).
      await page.getByRole('button', { name: '中文' }).click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await page.context().close();
    }
  });

  it('on a phone, reply and report under a comment are 44 px tap targets apart, and reporting asks why', async () => {
    // A visible top-level comment in the running demo competition, by someone else.
    const running = (await Competition.findOne({ slug: '2026-laoshanxing' }).select('_id slug').lean())!;
    const open = await Proposal.find({ competition: running._id, status: mongoose.trusted({ $in: ['submitted', 'eligible'] }) }).select('_id number').lean();
    const me = (await User.findOne({ phone: '13900000002' }).select('_id').lean())!._id;
    const comment = (await Comment.findOne({ proposal: mongoose.trusted({ $in: open.map((p) => p._id) }), parent: null, hidden: null, author: mongoose.trusted({ $ne: me }) }).sort({ createdAt: 1 }).lean())!;
    const proposal = open.find((p) => p._id.equals(comment.proposal))!;
    const competition = running;
    const page = await signIn(browser, '13900000002', { viewport: PHONE });
    await page.goto(`${inject('baseUrl')}/competitions/${competition.slug}/proposals/${proposal.number}#comment-${String(comment._id)}`);
    const item = page.locator(`#comment-${String(comment._id)} > article`);
    const reply = item.getByText('回复', { exact: true });
    const report = item.getByText('举报', { exact: true });
    const [replyBox, reportBox] = [(await reply.boundingBox())!, (await report.boundingBox())!];
    for (const box of [replyBox, reportBox]) {
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
    }
    expect(reportBox.x - (replyBox.x + replyBox.width)).toBeGreaterThanOrEqual(8);
    await report.click();
    const reason = item.getByLabel('举报原因');
    await reason.waitFor();
    expect(await reason.inputValue()).toBe('');
    expect(await reason.locator('option').allTextContents()).toContain('泄露个人信息（姓名、住址、电话等）');
    await reason.selectOption('offTopic');
    await screenshot(page, 'confirm-comment-report-zh-mobile');
    await expectClean(page, 'confirm: comment report form, phone');
    await page.context().close();
  });
});
