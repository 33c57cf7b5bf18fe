import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkedScreenshot, launchBrowser, signedInPage } from '../support/browser';

/**
 * Issue 16, the needs whistle, in a real browser on a phone (390×844) on the demo data: the
 * street's grid worker raises a need (the public text first names the person, and the form warns
 * and keeps everything typed), the community worker verifies it, the caring enterprise claims it,
 * sees the person's details and reports what it did with a photo, and the grid worker confirms it
 * solved through the dialog; a visitor then sees it solved with no personal detail on the page,
 * in Chinese and in English.
 */
const PHONE = { width: 390, height: 844 };
const baseUrl = inject('baseUrl');
const PRIVATE = { name: '孙玉华', phone: '13905550777', address: '中韩街道某小区8号楼2单元501室' };

describe('the needs whistle on a phone', () => {
  let browser: Browser;
  let number = 0;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const checked = (page: Page, name: string) => checkedScreenshot(page, name);

  it('a grid worker raises a need; the form warns about a name in the public text and keeps what was typed', async () => {
    const page = await signedInPage(browser, baseUrl, 'grid.zhonghan@demo.laoshanxing.cn', { viewport: PHONE });
    await page.goto(`${baseUrl}/needs/new`);
    await page.getByRole('heading', { name: '报送需求', level: 1 }).waitFor();
    await page.getByLabel('服务类别').selectOption({ label: '助餐送餐' });
    await page.getByLabel('紧急程度').selectOption({ label: '较急' });
    await page.getByLabel('社区').selectOption({ index: 1 });
    await page.getByLabel('网格', { exact: true }).fill('第1网格');
    await page.getByLabel('公开描述').fill(`${PRIVATE.name}老人独居，腿脚不便，需要每天中午送一份热饭。`);
    await page.getByLabel('姓名').fill(PRIVATE.name);
    await page.getByLabel('联系电话').fill(PRIVATE.phone);
    await page.getByLabel('住址').fill(PRIVATE.address);
    await page.getByRole('button', { name: '提交，等待社区核实' }).click();
    await page.getByText('公开描述里好像有能认出当事人的信息').waitFor();
    expect(await page.getByLabel('姓名').inputValue()).toBe(PRIVATE.name);
    await checked(page, 'needs-raise-warned-zh-phone');
    await page.getByLabel('公开描述').fill('一位独居老人腿脚不便，需要每天中午有人送一份热饭上楼。');
    await page.getByRole('button', { name: '提交，等待社区核实' }).click();
    await page.waitForURL(/\/needs\/\d+$/);
    number = Number(new URL(page.url()).pathname.split('/')[2]);
    await page.getByText('需求已报送，等待社区核实。').waitFor();
    await page.getByText('待核实').first().waitFor();
    await page.context().close();
  });

  it('the community worker verifies it, and it appears on the board without the person', async () => {
    const page = await signedInPage(browser, baseUrl, 'community.zhonghan@demo.laoshanxing.cn', { viewport: PHONE });
    await page.goto(`${baseUrl}/needs/work?view=verify`);
    await page.getByRole('link', { name: /一位独居老人腿脚不便/ }).click();
    await page.waitForURL(`${baseUrl}/needs/${number}`);
    await page.getByText(PRIVATE.phone).waitFor();
    await checked(page, 'needs-verify-zh-phone');
    await page.getByRole('button', { name: '属实，发布到需求广场' }).click();
    await page.getByText('已核实，需求已发布到需求广场。').waitFor();
    await page.context().close();

    const visitor = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const board = await visitor.newPage();
    await board.goto(`${baseUrl}/needs?street=zhonghan`);
    await board.getByRole('link', { name: /一位独居老人腿脚不便/ }).waitFor();
    for (const value of Object.values(PRIVATE)) expect(await board.content()).not.toContain(value);
    await checked(board, 'needs-board-zh-phone');
    await visitor.close();
  });

  it('the enterprise claims it, sees the details, and reports what it did with a photo', async () => {
    const page = await signedInPage(browser, baseUrl, 'helper.enterprise@demo.laoshanxing.cn', { viewport: PHONE });
    await page.goto(`${baseUrl}/needs/${number}`);
    expect(await page.content()).not.toContain(PRIVATE.phone);
    await page.getByRole('button', { name: '认领', exact: true }).click();
    await page.getByText('认领成功，请尽快联系当事人。').waitFor();
    await page.getByText(PRIVATE.phone).waitFor();
    await page.getByLabel('做了什么').fill('12月3日起由物业食堂每天中午送餐上门，已连续送了一周。');
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 120, b: 60 } } }).jpeg().toBuffer();
    await page.locator('#done-photos').setInputFiles({ name: 'meal.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByLabel(/照片中的人已同意公开/).check();
    await checked(page, 'needs-report-zh-phone');
    await page.getByRole('button', { name: '提交，请报送人确认' }).click();
    await page.getByText('已提交办理情况，等待报送人确认。').waitFor();
    await page.context().close();
  });

  it('the grid worker confirms it solved through the dialog; a visitor sees it solved with no personal detail, in Chinese and English', async () => {
    const page = await signedInPage(browser, baseUrl, 'grid.zhonghan@demo.laoshanxing.cn', { viewport: PHONE });
    await page.goto(`${baseUrl}/needs/${number}`);
    await page.getByText('物业食堂每天中午送餐上门').waitFor();
    await page.getByRole('button', { name: '确认已解决' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '确认已解决' }).click();
    await page.getByText('已确认解决，谢谢！').waitFor();
    await page.context().close();

    for (const [locale, lng, solved] of [['zh-CN', 'zh', '已解决'], ['en-US', 'en', 'Solved']] as const) {
      const visitor = await browser.newContext({ locale, viewport: PHONE, deviceScaleFactor: 2 });
      const view = await visitor.newPage();
      await view.goto(`${baseUrl}/needs/${number}?lng=${lng}`);
      await view.getByText(solved).first().waitFor();
      await view.locator('img[src*="size=thumb"]').first().waitFor();
      const html = await view.content();
      for (const value of Object.values(PRIVATE)) expect(html).not.toContain(value);
      await checked(view, `needs-solved-${lng}-phone`);
      await visitor.close();
    }
  });
});
