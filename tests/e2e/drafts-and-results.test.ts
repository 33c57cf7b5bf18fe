import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import { Proposal } from '#models';
import { connectTo, disconnectDb } from '~/core/db.server';
import { axeFindings } from '../support/axe';
import { launchBrowser, pageProblems, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 12 items 5 and 7 on a phone in Chinese. A resident saves a draft from the untouched form
 * (its blank beneficiary and budget rows) with and without JavaScript, and the draft page offers
 * no QR code, share box or withdraw. A visitor finds the published 2025 result from the home and
 * competition pages, reads its timeline with years, and sees which proposals were funded.
 */
const PHONE = { width: 390, height: 844 };
const baseUrl = inject('baseUrl');
const stamp = Date.now() % 100_000;

async function signedIn(browser: Browser, javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, baseUrl, '13900000005', { viewport: PHONE, javaScriptEnabled });
  return { context: page.context(), page };
}

describe('drafts and published results on a phone', () => {
  let browser: Browser;
  const titles: string[] = [];

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Proposal.deleteMany({ title: mongoose.trusted({ $in: titles }) });
    await disconnectDb();
  });

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    it(`saves a draft with only a title, ${how}; the draft page offers no share box and no withdraw`, async () => {
      const { context, page } = await signedIn(browser, javaScriptEnabled);
      const title = `只写了标题${javaScriptEnabled ? '甲' : '乙'}${stamp}`;
      titles.push(title);
      await page.goto(`${baseUrl}/competitions/2026-laoshanxing/proposals/new`);
      // axe runs in the page, so only where scripts run; the page without them is the same HTML.
      if (javaScriptEnabled) expect(await axeFindings(page, 'new proposal form')).toEqual([]);
      await expect.poll(() => page.getByLabel('群体').inputValue()).toBe('');
      await page.getByLabel('提案标题').fill(title);
      await page.getByRole('button', { name: '保存草稿' }).click();
      await page.getByText('这是草稿，只有您能看到。').waitFor();
      await expect.poll(() => page.getByText('草稿已保存').first().isVisible()).toBe(true);
      const draft = await Proposal.findOne({ title }).select('status budget beneficiaries').lean();
      expect(draft).toMatchObject({ status: 'draft', budget: [], beneficiaries: [] });
      expect(await page.locator('img[src$="/qr.svg"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: '撤回提案' }).count()).toBe(0);
      await screenshot(page, `draft-saved-${javaScriptEnabled ? 'js' : 'nojs'}-zh-phone`);
      if (javaScriptEnabled) {
        expect(await axeFindings(page, 'draft page')).toEqual([]);
        expect((await pageProblems(page)).rawKeys).toEqual([]);
      }
      await context.close();
    });
  }

  it('a visitor reaches the published 2025 result from the home page, with dated phases and funded badges', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(baseUrl);
    expect(await axeFindings(page, 'home')).toEqual([]);
    const toResults = page.locator('a[href="/competitions/2025-laoshanxing/results"]');
    expect(await toResults.count()).toBe(1);

    await page.goto(`${baseUrl}/competitions/2025-laoshanxing`);
    const timeline = page.getByRole('list', { name: '赛程' });
    const text = await timeline.innerText();
    expect(text).toMatch(/2025\/3\/1/);
    expect(text).toMatch(/已结束\s*\d{4}\/\d{1,2}\/\d{1,2}\s*起/);
    await screenshot(page, 'competition-2025-timeline-zh-phone');
    expect(await axeFindings(page, 'competition 2025 overview')).toEqual([]);
    await page.getByRole('link', { name: '查看评选结果' }).click();
    await page.waitForURL(/\/competitions\/2025-laoshanxing\/results$/);

    await page.goto(`${baseUrl}/competitions/2025-laoshanxing/proposals`);
    const badges = page.getByTestId('funded-badge');
    await badges.first().waitFor();
    expect(await badges.count()).toBeGreaterThan(0);
    expect(await axeFindings(page, 'proposal list 2025')).toEqual([]);
    await badges.first().locator('xpath=ancestor::li[1]').getByRole('link').first().click();
    await page.getByText('这个提案已在公布的评选结果中获得资助').waitFor();
    await screenshot(page, 'funded-proposal-zh-phone');
    expect(await axeFindings(page, 'funded proposal')).toEqual([]);
    await context.close();
  });
});
