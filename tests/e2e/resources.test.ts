import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Competition, Pledge, Project, User } from '#models';
import { connectTo, disconnectDb } from '~/core/db.server';
import { jpegWithGps } from '../support/images';
import { withDbName } from '../support/database-uri';
import { checkedScreenshot, launchBrowser, signedInPage } from '../support/browser';

/**
 * Issue 17, charity resources, in a real browser on the demo data: a visitor reads project 1's
 * money by source on a phone in Chinese and on a desktop in English (the parts add up to the total
 * shown); the project's team, on a phone, opens its resources page from the project, finds the
 * overdue pledge, confirms its delivery with a receipt photo through the confirmation dialog, and
 * the public page then counts it.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SLUG = '2025-laoshanxing';
const baseUrl = inject('baseUrl');

describe('charity resources in the browser', () => {
  let browser: Browser;
  let teamIdentifier: string;
  let receiptFile: string;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
    const competition = (await Competition.findOne({ slug: SLUG }).select('_id').lean())!;
    const project = (await Project.findOne({ competition: competition._id, number: 1 }).select('team').lean())!;
    const member = (await User.findById(project.team[0]).select('phone email').lean())!;
    teamIdentifier = member.phone ?? member.email!;
    const files = mkdtempSync(path.join(tmpdir(), 'lsx-pledge-'));
    receiptFile = path.join(files, 'receipt.jpg');
    writeFileSync(receiptFile, await jpegWithGps());
  });

  afterAll(async () => {
    await browser?.close();
    await disconnectDb();
  });

  const yuan = (text: string) => Number(text.replace(/[^\d.]/g, ''));

  it.each([
    { name: 'resources-money-zh-phone', locale: 'zh-CN', viewport: PHONE, heading: '资金来源', total: '合计' },
    { name: 'resources-money-en-desktop', locale: 'en-US', viewport: DESKTOP, heading: 'Money by source', total: 'Total' },
  ])('$name: the money by source adds up to its total', async ({ name, locale, viewport, heading, total }) => {
    const context = await browser.newContext({ locale, viewport, deviceScaleFactor: viewport === PHONE ? 2 : 1 });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/competitions/${SLUG}/projects/1`);
    const section = page.locator('section[aria-labelledby="project-resources"]');
    await section.getByRole('heading', { name: heading }).waitFor();
    const cells = await section.locator('tbody td').allTextContents();
    expect(cells).toHaveLength(5);
    const parts = cells.slice(0, 4).map(yuan);
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(yuan(cells[4]!), 2);
    expect(await section.getByRole('rowheader', { name: total }).count()).toBe(1);
    // The demo's overdue enterprise pledge is flagged, and no receipt is linked publicly.
    expect(await section.locator('img').count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await checkedScreenshot(page, name);
    await context.close();
  });

  it('the team confirms an overdue pledge’s delivery on a phone, with a receipt, and the public page counts it', async () => {
    const page = await signedInPage(browser, baseUrl, teamIdentifier, { locale: 'zh-CN', viewport: PHONE });
    await page.goto(`${baseUrl}/competitions/${SLUG}/projects/1`);
    const before = yuan((await page.locator('section[aria-labelledby="project-resources"] tbody td').nth(2).textContent())!);
    await page.getByRole('link', { name: '登记和管理资源认捐' }).click();
    await page.getByRole('heading', { name: '项目资源认捐', level: 2 }).waitFor();
    const overdue = page.getByRole('listitem').filter({ hasText: '逾期未送达' }).first();
    await overdue.waitFor();
    await checkedScreenshot(page, 'resources-team-list-zh-phone');
    await overdue.getByRole('link', { name: /查看第 \d+ 号认捐/ }).click();
    await page.getByRole('heading', { name: '确认送达' }).waitFor();
    const number = Number(new URL(page.url()).pathname.split('/').pop());
    const pledge = (await Pledge.findOne({ number }).select('valueFen kind partnerKind').lean())!;
    await page.getByLabel('送达说明（可选）').fill('企业转账已到项目账户。');
    await page.locator('input[name="receipt"]').setInputFiles(receiptFile);
    await checkedScreenshot(page, 'resources-deliver-form-zh-phone');
    await page.getByRole('button', { name: '确认已送达' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await checkedScreenshot(page, 'resources-deliver-dialog-zh-phone');
    await dialog.getByRole('button', { name: '确认送达', exact: true }).click();
    await page.getByText(`已确认第 ${number} 号认捐送达。`).waitFor();
    await page.getByRole('img', { name: /收据照片/ }).waitFor();
    await checkedScreenshot(page, 'resources-delivered-zh-phone');
    const stored = (await Pledge.findOne({ number }).select('status delivery').lean())!;
    expect(stored.status).toBe('delivered');
    expect(stored.delivery?.receiptFileId).toBeTruthy();

    await page.goto(`${baseUrl}/competitions/${SLUG}/projects/1`);
    const after = yuan((await page.locator('section[aria-labelledby="project-resources"] tbody td').nth(pledge.kind === 'inKind' ? 3 : 2).textContent())!);
    expect(pledge.kind === 'money' && pledge.partnerKind !== 'fund' ? after - before : pledge.valueFen / 100).toBeCloseTo(pledge.valueFen / 100, 2);
    await page.context().close();
  });
});
