import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkedScreenshot, launchBrowser, signedInPage } from '../support/browser';

/**
 * Issue 14, the implementer: on a phone in Chinese, the committee opens a 2025 project, follows
 * its implementer to the registry page (contact shown to it), and its edit page with members; a
 * visitor sees the same organization without the contact.
 */
const PHONE = { width: 390, height: 844 };
const baseUrl = inject('baseUrl');

describe('the registry of implementing organizations', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const checked = (page: Page, name: string) => checkedScreenshot(page, name);

  it('the committee follows a project to its implementer and its edit page; a visitor sees no contact', async () => {
    const page = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    await page.goto(`${baseUrl}/competitions/2025-laoshanxing/projects/1`);
    await page.getByRole('link', { name: '确定或更换实施机构' }).waitFor();
    await page.locator('dd a[href^="/organizations/"]').first().click();
    await page.getByRole('heading', { name: '联系人与成员（仅管理者可见）' }).waitFor();
    const url = page.url();
    await expect.poll(() => page.getByText(/^199\d{8}$/).first().isVisible()).toBe(true);
    await checked(page, 'organization-detail-committee-zh-phone');
    await page.getByRole('link', { name: '编辑组织信息与成员' }).click();
    await page.getByRole('heading', { name: '编辑实施机构' }).waitFor();
    await checked(page, 'organization-edit-zh-phone');
    await page.context().close();

    const visitor = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const anonymous = await visitor.newPage();
    await anonymous.goto(url);
    await anonymous.getByRole('heading', { name: '承接的项目' }).waitFor();
    expect(await anonymous.content()).not.toMatch(/199\d{8}/);
    await checked(anonymous, 'organization-detail-public-zh-phone');
    await anonymous.goto(`${baseUrl}/organizations`);
    await anonymous.getByRole('heading', { name: '实施机构名录' }).waitFor();
    await checked(anonymous, 'organizations-list-zh-phone');
    await visitor.close();
  });
});
