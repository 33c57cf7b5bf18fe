import mongoose, { type Types } from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Ballot, Community, Competition, Proposal, Residency, Street, User } from '#models';
import { createCompetition, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { connectTo, disconnectDb } from '~/core/db.server';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { axeFindings } from '../support/axe';
import { launchBrowser, pageProblems, screenshot } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 12, items 10 and 12, on a phone in Chinese (and the dialog on an English desktop): the
 * Shazikou grid worker makes a claim code for a resident they registered and sees it over the
 * card they tapped, in a dialog with a print button (printing gives the slip alone); without
 * JavaScript the page comes back at that card with the code on it. Entering a paper ballot
 * leaves an empty form, focused for the next one, with a message naming whose ballot it was.
 * Everything is arranged here and removed afterwards; the demo data is not changed.
 */
const baseUrl = inject('baseUrl');
const PHONE = { width: 390, height: 844 };
const DAY = 86_400_000;
const WORKER = 'grid.shazikou@demo.laoshanxing.cn';
const EN_WORKER = 'e2e-grid-en@example.test';
const slug = 'e2e-paper';
const stamp = Date.now() % 100_000;
// Surnames the demo does not use, so each name is theirs alone.
const offline = { js: `蒯秀英${stamp}`, noJs: `郗长海${stamp}`, en: `訾玉梅${stamp}` };
const voters = { js: `禚德明${stamp}`, noJs: `笪桂香${stamp}` };
const created: Types.ObjectId[] = [];

let browser: Browser;

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  // A step that cannot happen fails with what it waited for, well within the test's minute.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/^(手机号或电子邮箱|Mobile number or e-mail)$/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
  await page.getByTestId('account-menu').waitFor();
  return page;
}

/**
 * axe runs on timers, which a page without JavaScript never fires: such a page is checked as the
 * same HTML served again in a scripted page whose own scripts are refused (so it stays as the
 * server sent it), with the site's stylesheets, so contrast is measured as shown.
 */
async function axeWithoutScripts(page: Page, name: string): Promise<string[]> {
  const scripted = await page.context().browser()!.newContext({ viewport: page.viewportSize() ?? undefined });
  const copy = await scripted.newPage();
  const html = await page.content();
  await copy.route('**/*', (route) => {
    const request = route.request();
    if (request.isNavigationRequest()) return route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' });
    return request.resourceType() === 'script' ? route.abort() : route.continue();
  });
  await copy.goto(page.url());
  try {
    return await axeFindings(copy, name);
  } finally {
    await scripted.close();
  }
}

async function expectAccessible(page: Page, name: string, scripts = true) {
  expect(await (scripts ? axeFindings(page, name) : axeWithoutScripts(page, name))).toEqual([]);
  const problems = await pageProblems(page);
  expect(problems.rawKeys).toEqual([]);
  expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
  const shazikou = (await Street.findOne({ code: 'shazikou' }).select('_id').lean())!._id;
  const nanyao = (await Community.findOne({ street: shazikou }).sort({ code: 1 }).select('_id').lean())!._id;
  const worker = (await User.findOne({ email: WORKER }).select('_id').lean())!._id;
  const enWorker = await createUser({ email: EN_WORKER, name: 'E2E grid worker', language: 'en', roles: [grant('resident'), grant('gridWorker', 'street', shazikou)] });
  created.push(enWorker._id);
  const register = async (name: string, by: Types.ObjectId, phone?: string) => {
    const user = await User.create({ name, phone, street: shazikou, community: nanyao, roles: [{ role: 'resident', scopeType: 'platform' }], assistedBy: by });
    created.push(user._id);
    return user;
  };
  await register(offline.js, worker, `1875${String(stamp).padStart(7, '0')}`);
  await register(offline.noJs, worker);
  await register(offline.en, enWorker._id, `1876${String(stamp).padStart(7, '0')}`);

  const competition = await createCompetition({ slug, zh: '纸质选票演示大赛', en: 'Paper ballot demo', phases: phaseWindows(new Date(Date.now() - 60 * DAY)) });
  await Competition.updateOne({ _id: competition._id }, { $set: { voting: { ...DEFAULT_VOTING_RULES, method: 'approval', maxChoices: 3 } } });
  for (const title of ['渔村老人助浴', '困境儿童周末课堂', '楼道扶手加装']) {
    await insertProposal({ competition: competition._id, author: worker, status: 'eligible', title, category: 'elderly', budget: [{ item: '服务', quantity: 1, unitPriceFen: 10_000_00 }] });
  }
  for (const [key, name] of Object.entries(voters)) {
    // They sign in themselves later, to see what the vote page tells them about the paper ballot.
    const user = await createUser({ name, email: `e2e-paper-${key}-${stamp}@example.test`, street: shazikou, community: nanyao, roles: [grant('resident')] });
    created.push(user._id);
    await verifyResidentDirectly(user._id, nanyao, { by: worker, competition: competition._id });
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  const competition = await Competition.findOne({ slug }).select('_id').lean();
  if (competition) {
    await Promise.all([Ballot.deleteMany({ competition: competition._id }), Proposal.deleteMany({ competition: competition._id })]);
    await Competition.deleteOne({ _id: competition._id });
  }
  await Residency.deleteMany({ resident: mongoose.trusted({ $in: created }) });
  await User.deleteMany({ _id: mongoose.trusted({ $in: created }) });
  await disconnectDb();
});

describe('a claim code appears where the grid worker is', () => {
  it('with JavaScript, on a phone: a dialog over the tapped card shows the code, for whom, until when, and offers printing the slip alone', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const page = await signIn(context, WORKER);
    await page.goto(`${baseUrl}/assist`);
    await expectAccessible(page, 'assist list, paged (zh phone)');
    expect(await page.getByTestId('resident-card').count()).toBeLessThanOrEqual(20);
    await page.getByLabel('搜索').fill(offline.js);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.waitForURL(/\/assist\?q=/);
    const card = page.getByTestId('resident-card').filter({ hasText: offline.js });
    await expect.poll(() => card.count()).toBe(1);
    await card.scrollIntoViewIfNeeded();
    const scrolled = await page.evaluate(() => window.scrollY);
    await card.getByRole('button', { name: '生成认领码' }).click();

    const dialog = page.getByRole('dialog', { name: `${offline.js} 的认领码` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const code = (await dialog.getByTestId('claim-code').textContent())!.trim();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(await dialog.textContent()).toContain(`居民：${offline.js}（187****`);
    expect(await dialog.textContent()).toMatch(/有效期至 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(await dialog.textContent()).toContain('/claim');
    // The worker stays where they were; the dialog is on their screen, not at the top of the page.
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    const box = (await dialog.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(await dialog.getByRole('button', { name: '打印认领单' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('打印认领单');
    await page.screenshot({ path: 'test-results/after-claim-dialog-zh-phone.png' });
    await expectAccessible(page, 'claim code dialog (zh phone)');

    // Printing gives the slip and nothing else of the page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('claim-slip').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: '协助居民', level: 1 }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印认领单' }).isVisible()).toBe(false);
    expect(await page.locator('header').first().isVisible()).toBe(false);
    await page.screenshot({ path: 'test-results/after-claim-print-zh-phone.png' });
    await page.emulateMedia({ media: 'screen' });

    // Closed, the code is gone from the page; loaded again, it is nowhere.
    await dialog.getByRole('button', { name: '关闭' }).click();
    await expect.poll(() => page.getByTestId('claim-code').count()).toBe(0);
    expect(await card.textContent()).toContain('认领码已发出，尚未认领');
    await page.reload();
    await card.waitFor();
    expect(await page.content()).not.toContain(code);
    await screenshot(page, 'after-claim-closed-zh-phone');
    await context.close();
  });

  it('without JavaScript: the page comes back at the card, with the code on it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2, javaScriptEnabled: false });
    const page = await signIn(context, WORKER);
    await page.goto(`${baseUrl}/assist?q=${encodeURIComponent(offline.noJs)}`);
    const card = page.getByTestId('resident-card').filter({ hasText: offline.noJs });
    await card.getByRole('button', { name: '生成认领码' }).click();
    await page.waitForURL(/#resident-[0-9a-f]{24}$/);
    const inline = card.getByTestId('claim-inline');
    expect(await inline.isVisible()).toBe(true);
    expect((await inline.getByTestId('claim-code').textContent())!.trim()).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(await inline.textContent()).toContain(`居民：${offline.noJs}（无手机）`);
    expect(await inline.textContent()).toContain('浏览器菜单中的「打印」');
    // Scrolled to the card: its code is on screen.
    const box = (await inline.getByTestId('claim-code').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    await page.screenshot({ path: 'test-results/after-claim-nojs-zh-phone.png' });
    await expectAccessible(page, 'claim code at the card, no JavaScript (zh phone)', false);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('heading', { name: '协助居民', level: 1 }).isVisible()).toBe(false);
    expect(await inline.getByTestId('claim-slip').isVisible()).toBe(true);
    await context.close();
  });

  it('on an English desktop: the dialog speaks English, the slip it prints stays Chinese', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, EN_WORKER);
    await page.goto(`${baseUrl}/assist?q=${encodeURIComponent(offline.en)}`);
    await page.getByTestId('resident-card').filter({ hasText: offline.en }).getByRole('button', { name: 'Make a claim code' }).click();
    const dialog = page.getByRole('dialog', { name: `Claim code for ${offline.en}` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Print the slip' }).isVisible()).toBe(true);
    expect(await dialog.getByTestId('claim-slip').textContent()).toContain('认领码');
    await page.screenshot({ path: 'test-results/after-claim-dialog-en-desktop.png' });
    await expectAccessible(page, 'claim code dialog (en desktop)');
    await context.close();
  });
});

describe('the verify page on a phone', () => {
  it('is a short page of residents with a filter, each form folded away until opened', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const page = await signIn(context, WORKER);
    await page.goto(`${baseUrl}/assist/verify`);
    await page.getByTestId('resident').first().waitFor();
    expect(await page.getByTestId('resident').count()).toBeLessThanOrEqual(10);
    expect(await page.locator('select[name="method"]:visible').count()).toBe(0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`verify page height on a phone: ${height}px`);
    expect(height).toBeLessThanOrEqual(6000);
    await screenshot(page, 'after-verify-list-zh-phone');
    await expectAccessible(page, 'verify residents list (zh phone)');
    await page.getByLabel('显示').selectOption({ label: '在这个范围还没核实的' });
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/shown=unverified/);
    await expectAccessible(page, 'verify residents, not yet verified (zh phone)');
    await context.close();
  });
});

describe('entering paper ballots one after another', () => {
  async function enter(page: Page, resident: string, serial: string) {
    const select = page.locator('select[name="residentId"]');
    await select.selectOption({ label: (await select.locator('option', { hasText: resident }).textContent())! });
    await page.getByLabel('纸质选票', { exact: true }).check();
    await page.getByLabel('纸质选票编号').fill(serial);
    await page.getByRole('checkbox', { name: /渔村老人助浴/ }).check();
    await page.getByRole('checkbox', { name: /楼道扶手加装/ }).check();
    await page.getByRole('checkbox', { name: /我已和居民核对所选提案/ }).check();
    await page.getByRole('button', { name: '录入选票' }).click();
  }

  async function expectEmptyForm(page: Page, resident: string, serial: string) {
    await expect.poll(() => page.getByTestId('entered-ballot').textContent()).toContain(`已为 ${resident} 录入选票。`);
    expect(await page.getByTestId('entered-ballot').textContent()).toContain(`编号：${serial}`);
    expect(await page.locator('input[type="checkbox"]:checked').count()).toBe(0);
    expect(await page.getByLabel('纸质选票编号').inputValue()).toBe('');
    expect(await page.locator('select[name="residentId"]').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('residentId');
  }

  it('with JavaScript: after a ballot the form is empty, focused at its start, and says whose ballot was entered', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const page = await signIn(context, WORKER);
    await page.goto(`${baseUrl}/competitions/${slug}/vote/paper`);
    await expectAccessible(page, 'paper ballot form (zh phone)');
    const serial = `P-${stamp}-1`;
    await enter(page, voters.js, serial);
    await expectEmptyForm(page, voters.js, serial);
    await screenshot(page, 'after-paper-ballot-entered-zh-phone');
    await expectAccessible(page, 'paper ballot entered (zh phone)');
    expect(await Ballot.countDocuments({ paperSerial: serial.toUpperCase(), channel: 'paper' })).toBe(1);
    await context.close();

    // The resident, online, is told a grid worker entered their paper ballot, when, and that it is final.
    const theirs = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const resident = await signIn(theirs, `e2e-paper-js-${stamp}@example.test`);
    await resident.goto(`${baseUrl}/competitions/${slug}/vote`);
    await expect.poll(() => resident.getByText(`网格员为您录入了一张纸质选票，编号 ${serial}。`).isVisible()).toBe(true);
    expect(await resident.getByText('纸质选票以纸面为准，不能在网上更改', { exact: false }).isVisible()).toBe(true);
    await screenshot(resident, 'after-vote-page-paper-entered-zh-phone');
    await expectAccessible(resident, 'vote page after a paper ballot (zh phone)');
    await theirs.close();
  });

  it('without JavaScript: the same', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2, javaScriptEnabled: false });
    const page = await signIn(context, WORKER);
    await page.goto(`${baseUrl}/competitions/${slug}/vote/paper`);
    const serial = `P-${stamp}-2`;
    await enter(page, voters.noJs, serial);
    await expectEmptyForm(page, voters.noJs, serial);
    await expectAccessible(page, 'paper ballot entered, no JavaScript (zh phone)', false);
    await context.close();
  });
});
