import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, pageProblems, screenshot, touchProblems } from '../support/browser';

/**
 * Issue 14, first part: a visitor follows what the 2025 vote produced. On a phone in Chinese,
 * from the competition to its 项目 tab, one project, and the proposal it came from (which links
 * back); then the same in English on a desktop.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const baseUrl = inject('baseUrl');

describe('projects of the published 2025 result', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function checked(page: import('playwright-core').Page, name: string) {
    const { smallTargets, smallText } = await touchProblems(page);
    expect({ smallTargets, smallText }, name).toEqual({ smallTargets: [], smallText: [] });
    const { overflowPx, rawKeys } = await pageProblems(page);
    expect({ overflowPx, rawKeys }, name).toEqual({ overflowPx: 0, rawKeys: [] });
    await screenshot(page, name);
  }

  it('a visitor on a phone, in Chinese, opens the 项目 tab, a project and the proposal it came from', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/competitions/2025-laoshanxing`);
    await page.getByRole('navigation', { name: '大赛栏目' }).getByRole('link', { name: '项目' }).click();
    await page.getByRole('heading', { name: '资助项目' }).waitFor();
    await checked(page, 'projects-list-zh-phone');
    const first = page.getByRole('list', { name: '项目列表' }).getByRole('listitem').first();
    const title = (await first.getByRole('link').innerText()).trim();
    await first.getByRole('link').click();
    await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    await expect.poll(() => page.getByText('批准预算').first().isVisible()).toBe(true);
    await checked(page, 'project-detail-zh-phone');
    await page.getByRole('link', { name: /查看原提案/ }).click();
    await page.getByRole('link', { name: '查看这个项目的实施情况' }).waitFor();
    await checked(page, 'project-proposal-zh-phone');
    await page.getByRole('link', { name: '查看这个项目的实施情况' }).click();
    await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    await context.close();
  });

  it('the same in English on a desktop', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/competitions/2025-laoshanxing/projects?lng=en`);
    await page.getByRole('heading', { name: 'Funded projects' }).waitFor();
    await checked(page, 'projects-list-en-desktop');
    await page.getByRole('list', { name: 'Projects' }).getByRole('link').first().click();
    await page.getByRole('link', { name: /See the original proposal/ }).waitFor();
    await checked(page, 'project-detail-en-desktop');
    await context.close();
  });
});
