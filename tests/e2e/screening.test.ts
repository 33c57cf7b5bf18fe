import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import { AuditLog, Competition, Notification, Proposal } from '#models';
import { connectTo, disconnectDb } from '~/core/db.server';
import { axeFindings } from '../support/axe';
import { launchBrowser, pageProblems, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 12, item 1, on a phone in Chinese: the committee opens the screening list of the demo
 * competition (in submission, when screening is open), marks one proposal eligible without
 * touching the date field, and sees a toast that says so. The page stays short, and axe finds
 * nothing serious. The proposal is put back afterwards for the other browser tests.
 */
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const slug = '2026-laoshanxing';
const PHONE = { width: 390, height: 844 };
describe('the committee screens on a phone', () => {
  let browser: Browser;
  let page: Page;
  let screened: { id: mongoose.Types.ObjectId; number: number } | undefined;
  const started = new Date();
  const screeningUrl = `${inject('baseUrl')}/competitions/${slug}/screening`;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
    page = await signedInPage(browser, inject('baseUrl'), COMMITTEE, { viewport: PHONE });
  });

  afterAll(async () => {
    await browser?.close();
    if (screened) {
      await Proposal.updateOne({ _id: screened.id }, { $set: { status: 'submitted' }, $pop: { statusHistory: 1 } });
      const since = mongoose.trusted({ $gte: started });
      await AuditLog.deleteMany({ action: 'proposal.screened', targetId: String(screened.id), createdAt: since });
      await Notification.deleteMany({ proposal: screened.id, createdAt: since });
    }
    await disconnectDb();
  });

  it('marks one proposal eligible without typing a date; the page is short and accessible', async () => {
    await page.goto(screeningUrl);
    const firstRow = page.locator('[data-testid^="screening-row-"]').first();
    await firstRow.waitFor();
    const number = Number((await firstRow.getAttribute('data-testid'))!.replace('screening-row-', ''));
    const competition = await Competition.findOne({ slug }).select('_id').lean();
    const doc = await Proposal.findOne({ competition: competition!._id, number }).select('_id status').lean();
    expect(doc?.status).toBe('submitted');

    await screenshot(page, 'screening-before-zh-phone');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`screening page height on a phone: ${height}px`);
    // Compact: at most 15 rows a page, none taller than a title of four lines with its facts and
    // one button (about 4,300px in all today; 21,000px before, a whole form per proposal).
    const rows = page.locator('[data-testid^="screening-row-"]');
    expect(await rows.count()).toBeLessThanOrEqual(15);
    const rowHeights = await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
    expect(Math.max(...rowHeights)).toBeLessThanOrEqual(360);
    expect(height).toBeLessThanOrEqual(8000);
    const problems = await pageProblems(page);
    expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
    expect(problems.rawKeys).toEqual([]);
    // Nothing is chosen for the worker.
    expect(await page.locator('input[type="radio"][name="decision"]:checked').count()).toBe(0);
    const listViolations = await axeFindings(page, 'screening list');
    expect(listViolations).toEqual([]);

    await firstRow.getByText(`审查提案 #${number}`).click();
    await firstRow.getByLabel('通过（符合条件）').check();
    await screenshot(page, 'screening-decide-zh-phone');
    const formViolations = await axeFindings(page, 'screening decision form open');
    expect(formViolations).toEqual([]);
    await firstRow.getByRole('button', { name: '保存决定' }).click();

    await expect.poll(() => page.getByText(`提案 #${number} 已确认符合条件，已通知提案人。`).isVisible()).toBe(true);
    screened = { id: doc!._id, number };
    expect((await Proposal.findById(doc!._id).select('status').lean())?.status).toBe('eligible');
    await screenshot(page, 'screening-after-zh-phone');
    const afterViolations = await axeFindings(page, 'screening after saving');
    expect(afterViolations).toEqual([]);
  });
});
