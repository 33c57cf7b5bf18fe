import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser';
import { jpegWithGps } from '../support/images';

/**
 * On a phone: a demo resident writes a proposal with a photo, sees a budget mistake explained,
 * fixes it, submits, and finds it in the list by a two-character search.
 */
describe('a resident submits a proposal with a photo on a phone', () => {
  let browser: Browser;
  let page: Page;
  const baseUrl = inject('baseUrl');
  const title = `楼道助老扶手安装${Date.now() % 10_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('手机号或电子邮箱').fill('13900000005');
    await page.getByLabel('密码').fill('Laoshan-demo-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('account-menu').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the form from the proposal list', async () => {
    await page.goto(`${baseUrl}/competitions/2026-laoshanxing/proposals`);
    await screenshot(page, '10-proposal-list-zh-mobile');
    await page.getByRole('link', { name: '我要提案' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '提交新提案' }).isVisible()).toBe(true);
  });

  it('explains a budget above the maximum and keeps everything typed', async () => {
    await page.getByLabel('提案标题').fill(title);
    await page.getByLabel('简介').fill('为老旧楼道加装扶手和夜灯，方便独居老人上下楼。');
    await page.getByLabel('提案方向').selectOption({ label: '困境老人关爱' });
    await page.getByLabel('所在社区').selectOption({ label: '南窑社区' });
    await page.getByLabel('群体').selectOption({ label: '独居及空巢老人' });
    await page.getByLabel('人数').fill('45');
    await page.getByLabel('需求（要解决什么问题）').fill('老旧小区楼道没有扶手，灯光昏暗，独居老人上下楼容易跌倒，去年冬天有多位老人摔伤。');
    await page.getByLabel('方案与活动').fill('由志愿者和物业一起，在十二个楼道加装不锈钢扶手和感应夜灯，并上门检查老人家中的安全隐患。');
    await page.getByLabel('实施安排').fill('第1个月勘察，第2至3个月安装，第4个月回访。');
    await page.getByLabel('预期成效').fill('45位老人上下楼更安全。');
    await page.getByLabel(/可持续性/).fill('由楼道守望员定期检查，物业负责维修。');
    await page.getByLabel('项目').fill('不锈钢扶手');
    await page.getByLabel('数量').fill('12');
    await page.getByLabel('单价（元）').fill('20000');
    await page.getByLabel('组织或团队名称').fill('南窑楼道守望队');
    const photo = path.join(os.tmpdir(), `handrail-${Date.now()}.jpg`);
    await writeFile(photo, await jpegWithGps());
    await page.getByLabel('选择照片').setInputFiles(photo);
    await page.getByLabel(/已征得本人/).check();
    await page.getByRole('button', { name: '提交提案' }).click();
    await expect.poll(() => page.getByText('预算合计超过本届大赛的最高申请额。').isVisible()).toBe(true);
    expect(await page.getByLabel('提案标题').inputValue()).toBe(title);
    await screenshot(page, '11-proposal-budget-error-zh-mobile');
  });

  it('fixes the budget, adds a line, submits, and lands on the public page with the photo', async () => {
    await page.getByLabel('单价（元）').fill('1200');
    await page.getByRole('button', { name: '添加一项' }).click();
    await expect.poll(() => page.getByLabel('项目').count()).toBe(2);
    await page.getByLabel('项目').nth(1).fill('感应夜灯');
    await page.getByLabel('数量').nth(1).fill('24');
    await page.getByLabel('单价（元）').nth(1).fill('85.5');
    // The file input cannot survive a round trip to the server: choose the photo again.
    const photo = path.join(os.tmpdir(), `handrail-${Date.now()}.jpg`);
    await writeFile(photo, await jpegWithGps());
    await page.getByLabel('选择照片').setInputFiles(photo);
    await page.getByLabel(/已征得本人/).check();
    await page.getByRole('button', { name: '提交提案' }).click();
    await expect.poll(() => page.getByRole('heading', { name: title }).isVisible()).toBe(true);
    expect(await page.getByText('提案已提交，等待资格审查；审查结果会通知您。').isVisible()).toBe(true);
    expect(await page.getByText('¥16,452').first().isVisible()).toBe(true);
    const shown = page.locator('img[src^="/uploads/"]');
    expect(await shown.count()).toBe(1);
    // The thumbnail really loads (a broken image has no natural width).
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, '12-proposal-detail-zh-mobile');
  });

  it('finds it in the list by a two-character substring of its title', async () => {
    await page.goto(`${baseUrl}/competitions/2026-laoshanxing/proposals?q=${encodeURIComponent('扶手')}`);
    await expect.poll(() => page.getByRole('link', { name: title }).isVisible()).toBe(true);
    await screenshot(page, '13-proposal-search-zh-mobile');
  });
});
