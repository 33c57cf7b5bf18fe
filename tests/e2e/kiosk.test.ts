import mongoose, { type Types } from 'mongoose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog, Ballot, Competition, Kiosk, Proposal, Residency, Session, User } from '#models';
import { createCompetition, createUser, fakePhone, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { checkedScreenshot, launchBrowser, logIn } from '../support/browser';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';
import { lastCodeSentTo } from '../support/outbox';

/**
 * Kiosk mode in a real browser (decision 032): a grid worker enrols a tablet at a service
 * station; a resident signs in on it with a code texted to their phone, votes, and is signed out
 * with a "done" screen; the next person finds nothing of them (not by going back in history, not
 * in the phone field). A second app with KIOSK_IDLE_SECONDS=5 shows the idle sign-out.
 */
const slug = 'e2e-kiosk';
const DAY = 86_400_000;
const WORKER = 'grid.zhonghan@demo.laoshanxing.cn';
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };

describe('a kiosk at a service station', () => {
  let browser: Browser;
  let tablet: BrowserContext;
  let page: Page;
  let idleApp: AppProcess;
  const residents: { id: Types.ObjectId; phone: string; name: string }[] = [];
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    const mongoUri = withDbName(inject('mongoUri'), 'lsx_e2e');
    await connectTo({ uri: mongoUri, dbName: 'lsx_e2e' });
    const competition = await createCompetition({ slug, zh: '服务站投票演示大赛', en: 'Service station voting demo', phases: phaseWindows(new Date(Date.now() - 60 * DAY)) });
    const worker = (await User.findOne({ email: WORKER }).select('_id street community').lean())!;
    for (const title of ['老年食堂送餐上门', '社区图书角']) {
      await insertProposal({ competition: competition._id, author: worker._id, status: 'eligible', title, category: 'elderly', street: worker.street! });
    }
    for (const name of ['李桂兰', '赵德明']) {
      const phone = fakePhone();
      const user = await createUser({ name, phone, street: worker.street, community: worker.community });
      await verifyResidentDirectly(user._id, worker.community!);
      residents.push({ id: user._id, phone, name });
    }
    // The same build on its own port and the same database, with a short idle time.
    idleApp = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'false', KIOSK_IDLE_SECONDS: '5', LOGIN_ATTEMPTS_PER_IP: '5000' });
    browser = await launchBrowser();
    tablet = await browser.newContext({ locale: 'zh-CN', viewport: TABLET });
    page = await tablet.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (idleApp) await stopApp(idleApp);
    const competition = await Competition.findOne({ slug }).select('_id').lean();
    if (competition) {
      await Promise.all([Ballot.deleteMany({ competition: competition._id }), Proposal.deleteMany({ competition: competition._id })]);
      await Competition.deleteOne({ _id: competition._id });
    }
    const ids = residents.map((r) => r.id);
    await Promise.all([User.deleteMany({ _id: mongoose.trusted({ $in: ids }) }), Residency.deleteMany({ resident: mongoose.trusted({ $in: ids }) }), Kiosk.deleteMany({ name: /^E2E/ })]);
    await disconnectDb();
  });

  it('a grid worker enrols the tablet and is signed out of it', async () => {
    await logIn(page, baseUrl, WORKER);
    await page.goto(`${baseUrl}/kiosks`);
    await page.getByLabel('地点名称').fill('E2E 中韩红哨子E站');
    await checkedScreenshot(page, '90-kiosk-enrol-zh-tablet');
    await page.getByRole('button', { name: '登记这台设备' }).click();
    await page.getByTestId('kiosk-start').waitFor();
    expect((await tablet.cookies()).map((c) => c.name)).not.toContain('lsx_session');
    const cookie = (await tablet.cookies()).find((c) => c.name === 'lsx_kiosk');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(await page.getByTestId('account-menu').count()).toBe(0);
    await checkedScreenshot(page, '91-kiosk-start-zh-tablet');
  });

  it('a resident signs in with a code, votes, and sees "done, signed out"', async () => {
    const [resident] = residents;
    await page.getByLabel('手机号', { exact: true }).fill(resident!.phone);
    await page.getByRole('button', { name: '发送验证码' }).click();
    await page.getByTestId('kiosk-code').waitFor();
    const code = await lastCodeSentTo(resident!.phone);
    expect(code).toMatch(/^\d{6}$/);
    await page.getByTestId('kiosk-code').fill(code!);
    await checkedScreenshot(page, '92-kiosk-code-zh-tablet');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('kiosk-menu').waitFor();
    expect(await page.getByTestId('kiosk-resident').textContent()).toContain(resident!.name);
    await checkedScreenshot(page, '93-kiosk-menu-zh-tablet');
    await page.getByRole('link', { name: /去投票.*服务站投票演示大赛/ }).click();
    await page.getByRole('checkbox', { name: /老年食堂送餐上门/ }).check();
    await checkedScreenshot(page, '94-kiosk-ballot-zh-tablet');
    await page.getByRole('button', { name: '下一步：核对我的选择' }).click();
    await page.getByRole('button', { name: '提交选票' }).click();
    await page.getByTestId('kiosk-done').waitFor();
    expect(new URL(page.url()).pathname).toBe('/kiosk/done');
    expect(await page.getByText('办好了，已退出').isVisible()).toBe(true);
    expect(await page.content()).not.toContain(resident!.name);
    await checkedScreenshot(page, '95-kiosk-done-zh-tablet');
    const ballot = await Ballot.findOne({ voter: resident!.id }).lean();
    const kiosk = await Kiosk.findOne({ name: 'E2E 中韩红哨子E站' }).lean();
    expect(String(ballot?.kiosk)).toBe(String(kiosk!._id));
    expect(await AuditLog.countDocuments({ action: 'kiosk.actCompleted', actor: resident!.id, kiosk: kiosk!._id })).toBe(1);
    expect(await Session.countDocuments({ user: resident!.id })).toBe(0);
  });

  it('the next person finds nothing of them: not back in history, not in the phone field', async () => {
    const [resident] = residents;
    // Every step back lands on a page the server answers now, for nobody: never the resident's.
    let firstBack: string | null = null;
    for (let step = 0; step < 6; step++) {
      const before = page.url();
      await page.goBack({ waitUntil: 'load' }).catch(() => null);
      await page.waitForLoadState('load');
      if (page.url() === 'about:blank' || page.url() === before) break;
      if (!firstBack) {
        firstBack = page.url();
        await checkedScreenshot(page, '96-kiosk-after-back-zh-tablet');
      }
      const html = await page.content();
      expect(html, `back ${step + 1} from ${before} to ${page.url()}`).not.toContain(resident!.name);
      expect(html).not.toContain(resident!.phone);
      expect(await page.getByRole('checkbox', { name: /老年食堂送餐上门/ }).count()).toBe(0);
    }
    // The first step back (the ballot's page) was asked for again and answered with the start screen.
    expect(firstBack).not.toBeNull();
    await page.goto(`${baseUrl}/kiosk`);
    const phone = page.getByTestId('kiosk-phone');
    expect(await phone.inputValue()).toBe('');
    expect(await phone.getAttribute('autocomplete')).toBe('off');
    expect(await page.locator('form[autocomplete="off"]').count()).toBeGreaterThan(0);
    // What the browser could offer to fill: the field is focused and typed into, and nothing comes back.
    await phone.focus();
    await page.keyboard.type('1');
    expect(await phone.inputValue()).toBe('1');
    // The ballot's page is out of reach too, opened directly.
    await page.goto(`${baseUrl}/competitions/${slug}/vote`);
    expect(new URL(page.url()).pathname).toBe('/kiosk');
  });

  it('signs an idle resident out after the shortened timeout, on a phone in English', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const phonePage = await context.newPage();
    await logIn(phonePage, idleApp.baseUrl, WORKER);
    await phonePage.goto(`${idleApp.baseUrl}/kiosks`);
    await phonePage.getByLabel('地点名称').fill('E2E 闲置测试平板');
    await phonePage.getByRole('button', { name: '登记这台设备' }).click();
    await phonePage.getByTestId('kiosk-start').waitFor();
    await phonePage.getByRole('button', { name: 'English' }).click();
    await phonePage.getByText('Sign in with your phone number').first().waitFor();
    await checkedScreenshot(phonePage, '97-kiosk-start-en-phone');
    const resident = residents[1]!;
    await phonePage.getByLabel('Phone number', { exact: true }).fill(resident.phone);
    await phonePage.getByRole('button', { name: 'Send me a code' }).click();
    await phonePage.getByTestId('kiosk-code').waitFor();
    await phonePage.getByTestId('kiosk-code').fill((await lastCodeSentTo(resident.phone))!);
    await phonePage.getByRole('button', { name: 'Sign in' }).click();
    await phonePage.getByTestId('kiosk-menu').waitFor();
    // Signed in, the page speaks the resident's own language (their account's: Chinese).
    await checkedScreenshot(phonePage, '98-kiosk-menu-zh-phone');
    const kiosk = await Kiosk.findOne({ name: 'E2E 闲置测试平板' }).lean();
    expect(await Session.countDocuments({ 'data.kiosk': String(kiosk!._id) })).toBe(1);
    // No touch: after 5 seconds the start screen comes back by itself, and the session is gone.
    const started = Date.now();
    await phonePage.getByTestId('kiosk-idle').waitFor({ timeout: 20_000 });
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(await phonePage.content()).not.toContain(resident.name);
    expect(await Session.countDocuments({ 'data.kiosk': String(kiosk!._id) })).toBe(0);
    await checkedScreenshot(phonePage, '99-kiosk-idle-en-phone');
    await context.close();
  });
});
