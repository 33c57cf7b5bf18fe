import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Ballot, Competition, Project, Proposal, Residency, Street, User } from '#models';
import { createCompetition, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { checkedScreenshot, launchBrowser, screenshot, SCREENSHOTS, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 18, second part: printable notices (a proposal's, a street's bundle) turned into images
 * with pdftoppm; the normal pages printed (print CSS); the "大字" switch enlarging text and tap
 * targets, remembered after a reload, with and without JavaScript; "朗读" calling the speech API
 * with the page's text (stubbed, with and without a zh-CN voice); and a verified resident's
 * ballot cast in three taps from the home page on a phone.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const DAY = 86_400_000;
const DEMO_SLUG = '2026-laoshanxing';
const slug = 'e2e-three-taps';
const RESIDENT = '13900000009';
const baseUrl = inject('baseUrl');
const PDFTOPPM = spawnSync('sh', ['-c', 'command -v pdftoppm']).status === 0;

/** A stand-in for the browser's speech synthesis, with these voices: records what it is asked to say. */
function stubSpeech({ list }: { list: { lang: string; name: string }[] }) {
  const spoken: { text: string; lang: string; voice: string | null }[] = [];
  const record = window as unknown as { __spoken: typeof spoken; __cancelled: number };
  record.__spoken = spoken;
  record.__cancelled = 0;
  const synth = Object.assign(new EventTarget(), {
    speaking: false,
    pending: false,
    paused: false,
    getVoices: () => list.map((v) => ({ ...v, voiceURI: v.name, default: false, localService: true })),
    speak: (u: { text: string; lang: string; voice: { lang: string } | null }) => spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.lang ?? null }),
    cancel: () => {
      record.__cancelled += 1;
    },
    pause: () => {},
    resume: () => {},
  });
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', {
    configurable: true,
    value: class {
      text: string;
      lang = '';
      voice: unknown = null;
      rate = 1;
      onend: unknown = null;
      onerror: unknown = null;
      constructor(text: string) {
        this.text = text;
      }
    },
  });
}

describe('notices, large type, read-aloud and three taps (issue 18)', () => {
  let browser: Browser;
  let competitionId: Types.ObjectId;
  let residentBefore: { _id: Types.ObjectId; street?: Types.ObjectId | null; community?: Types.ObjectId | null };
  let streetCode: string;
  /** A demo project's page (the demo's current competition has none yet). */
  let projectPath: string;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    residentBefore = (await User.findOne({ phone: RESIDENT }).select('street community').lean())!;
    const street = (await Street.findById(residentBefore.street).select('code').lean())!;
    streetCode = street.code;
    // In its vote now, so the home page leads with it.
    const competition = await createCompetition({ slug, zh: '三步投票演示大赛', en: 'Three-tap demo', phases: phaseWindows(new Date(Date.now() - 62 * DAY)) });
    competitionId = competition._id;
    const author = (await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean())!._id;
    for (const title of ['独居老人助餐服务', '楼道扶手加装']) {
      await insertProposal({ competition: competition._id, author, status: 'eligible', title, category: 'elderly', street: residentBefore.street!, community: residentBefore.community! });
    }
    await verifyResidentDirectly(residentBefore._id, residentBefore.community!, { competition: competition._id });
    const project = (await Project.findOne().sort({ number: 1 }).select('competition number').lean())!;
    const projectCompetition = (await Competition.findById(project.competition).select('slug').lean())!;
    projectPath = `/competitions/${projectCompetition.slug}/projects/${project.number}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([Ballot.deleteMany({ competition: competitionId }), Proposal.deleteMany({ competition: competitionId }), Residency.deleteMany({ competition: competitionId })]);
    await Competition.deleteOne({ _id: competitionId });
    await User.updateOne({ _id: residentBefore._id }, { $set: { street: residentBefore.street, community: residentBefore.community } });
    await disconnectDb();
  });

  async function visitor(options: BrowserContextOptions): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', deviceScaleFactor: options.viewport && options.viewport.width < 500 ? 2 : 1, ...options });
    return context.newPage();
  }

  it('a signed-in verified resident casts a ballot in three taps from the home page, on a phone', async () => {
    const page = await signedInPage(browser, baseUrl, RESIDENT, { viewport: PHONE });
    await page.goto(`${baseUrl}/`);
    let taps = 0;
    const tap = async (target: Locator) => {
      taps += 1;
      await target.click();
    };
    await tap(page.getByTestId('home-vote'));
    await page.getByTestId('ballot-picker').and(page.locator('[data-hydrated="true"]')).waitFor();
    await tap(page.getByRole('checkbox', { name: /独居老人助餐服务/ }));
    const review = page.getByTestId('ballot-quick-review');
    await review.waitFor();
    expect(await review.textContent()).toContain('独居老人助餐服务');
    await screenshot(page, 'incl-three-taps-review-zh-phone');
    await tap(page.getByTestId('quick-cast'));
    await page.getByTestId('receipt').waitFor();
    expect(taps).toBeLessThanOrEqual(3);
    expect(await Ballot.countDocuments({ competition: competitionId, voter: residentBefore._id, channel: 'online' })).toBe(1);
    await screenshot(page, 'incl-three-taps-receipt-zh-phone');
    await page.context().close();
  });

  it('朗读 reads the proposal page aloud through the speech API, in a zh-CN voice; a second press stops', async () => {
    const page = await visitor({ viewport: PHONE });
    await page.addInitScript(stubSpeech, { list: [{ lang: 'en-US', name: 'English' }, { lang: 'zh-CN', name: 'Tingting' }] });
    await page.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    const title = (await page.getByRole('heading', { level: 2 }).first().textContent())!.trim();
    const button = page.getByTestId('read-aloud');
    await button.waitFor({ state: 'visible' });
    await button.click();
    const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string; voice: string }[] }).__spoken);
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.map((s) => s.text).join('')).toContain(title);
    expect(new Set(spoken.map((s) => s.voice))).toEqual(new Set(['zh-CN']));
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await checkedScreenshot(page, 'incl-read-aloud-zh-phone');
    await button.click();
    expect(await page.evaluate(() => (window as unknown as { __cancelled: number }).__cancelled)).toBeGreaterThan(0);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await page.context().close();
  });

  it('朗读 stays hidden where the device has no matching voice, or no speech synthesis at all', async () => {
    const noZh = await visitor({ viewport: PHONE });
    await noZh.addInitScript(stubSpeech, { list: [{ lang: 'en-US', name: 'English' }] });
    await noZh.goto(`${baseUrl}${projectPath}`);
    // Once the page has looked for a voice (after hydration), the button stays hidden.
    await noZh.locator('[data-testid="read-aloud"][data-voices="none"]').waitFor({ state: 'attached' });
    expect(await noZh.getByTestId('read-aloud').isHidden()).toBe(true);
    await noZh.context().close();
    const none = await visitor({ viewport: PHONE });
    await none.addInitScript(() => Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true }));
    await none.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    await none.locator('[data-testid="read-aloud"][data-voices="none"]').waitFor({ state: 'attached' });
    expect(await none.getByTestId('read-aloud').isHidden()).toBe(true);
    await none.context().close();
  });

  const fontSize = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const buttonHeight = async (page: Page) => (await page.getByTestId('text-size-switch').boundingBox())!.height;

  it('大字 enlarges text and tap targets across the site, and the device remembers it after a reload', async () => {
    const page = await visitor({ viewport: PHONE });
    await page.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    const before = await fontSize(page);
    const tapBefore = await buttonHeight(page);
    await page.getByTestId('text-size-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('text-large'))).toBe(true);
    const after = await fontSize(page);
    expect(after).toBeGreaterThanOrEqual(before * 1.2);
    expect(await buttonHeight(page)).toBeGreaterThan(tapBefore);
    expect(await page.getByTestId('text-size-switch').getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    expect(await fontSize(page)).toBe(after);
    await checkedScreenshot(page, 'incl-large-type-proposal-zh-phone');
    await page.goto(`${baseUrl}/`);
    expect(await fontSize(page)).toBe(after);
    await checkedScreenshot(page, 'incl-large-type-home-zh-phone');
    // And back.
    await page.getByTestId('text-size-switch').click();
    await expect.poll(() => fontSize(page)).toBe(before);
    await page.context().close();
  });

  it('大字 works without JavaScript too, and in English on a desktop', async () => {
    const page = await visitor({ viewport: DESKTOP, locale: 'en-US', javaScriptEnabled: false });
    await page.goto(`${baseUrl}${projectPath}`);
    const before = await fontSize(page);
    await page.getByRole('button', { name: 'Large text' }).click();
    await page.waitForURL(`${baseUrl}${projectPath}`);
    expect(await fontSize(page)).toBeGreaterThanOrEqual(before * 1.2);
    await checkedScreenshot(page, 'incl-large-type-project-en-desktop');
    await page.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    await checkedScreenshot(page, 'incl-large-type-proposal-en-desktop');
    await page.context().close();
  });

  /** Writes the PDF, turns its pages into PNGs and returns their paths. */
  function pages(pdf: Buffer, name: string, resolution = 50): string[] {
    const dir = path.join(SCREENSHOTS, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    // A4: pdfkit's 595.28 x 841.89 pt, Chromium's print 595.92 x 842.04.
    if (info) expect(info).toMatch(/Page size:\s+59[56]\.\d* x 84[12]\.\d* pts/);
    const converted = spawnSync('pdftoppm', ['-png', '-r', String(resolution), file, path.join(dir, 'page')], { encoding: 'utf8' });
    expect(converted.status, converted.stderr).toBe(0);
    const images = readdirSync(dir).filter((n) => n.endsWith('.png')).sort().map((n) => path.join(dir, n));
    console.log(`${name} pages to look at: ${images.join(', ')}`);
    return images;
  }

  it("a proposal's notice from its page's 打印告示 link is one A4 page", async (context) => {
    const page = await visitor({ viewport: DESKTOP });
    await page.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    const href = await page.getByTestId('print-notice').getAttribute('href');
    const response = await page.request.get(new URL(href!, baseUrl).href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const pdf = Buffer.from(await response.body());
    await page.context().close();
    if (!PDFTOPPM) return context.skip();
    expect(pages(pdf, 'incl-notice-proposal', 80)).toHaveLength(1);
  });

  it("a project's notice shows its progress, money spent, people served and next milestone on one A4 page", async (context) => {
    const page = await visitor({ viewport: DESKTOP });
    await page.goto(`${baseUrl}${projectPath}`);
    const href = await page.getByTestId('print-notice').getAttribute('href');
    const response = await page.request.get(new URL(href!, baseUrl).href);
    expect(response.status()).toBe(200);
    const pdf = Buffer.from(await response.body());
    await page.context().close();
    if (!PDFTOPPM) return context.skip();
    expect(pages(pdf, 'incl-notice-project', 80)).toHaveLength(1);
  });

  it("the committee prints a street's notices in one PDF: the competition's, its proposals' and its projects'", async (context) => {
    const page = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { viewport: DESKTOP });
    const response = await page.request.get(`${baseUrl}/competitions/${DEMO_SLUG}/notices.pdf?street=${streetCode}`);
    expect(response.status()).toBe(200);
    const pdf = Buffer.from(await response.body());
    const expected = 1 + (await Proposal.countDocuments({ competition: (await Competition.findOne({ slug: DEMO_SLUG }).select('_id').lean())!._id, street: residentBefore.street, status: mongoose.trusted({ $in: ['submitted', 'changesRequested', 'eligible'] }) }));
    await page.context().close();
    if (!PDFTOPPM) return context.skip();
    expect(pages(pdf, 'incl-notice-street').length).toBeGreaterThanOrEqual(Math.min(expected, 2));
  });

  it('a public proposal page prints as a clean notice: no header or buttons, the QR code and short address shown', async (context) => {
    const page = await visitor({ viewport: DESKTOP });
    await page.goto(`${baseUrl}/competitions/${DEMO_SLUG}/proposals/1`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('body > header').isHidden()).toBe(true);
    expect(await page.getByTestId('print-notice').isHidden()).toBe(true);
    expect(await page.locator('[data-print-only]').isVisible()).toBe(true);
    expect(await page.locator('[data-print-only]').textContent()).toMatch(/\/p\/2026-laoshanxing\/1/);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.context().close();
    if (!PDFTOPPM) return context.skip();
    expect(pages(pdf, 'incl-print-proposal').length).toBeGreaterThanOrEqual(1);
  });
});
