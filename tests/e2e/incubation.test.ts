import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { User } from '#models';
import { DEMO_MENTOR_EMAIL } from '#seeds/data';
import { connectTo, disconnectDb } from '~/core/db.server';
import { checkedScreenshot, launchBrowser, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 15 A, incubation, in a real browser on the demo data: on a phone in Chinese the mentor
 * completes the last item of an organization's "filed" checklist with a note and a photo of the
 * document; on an English desktop the committee moves the organization to "filed" through the
 * confirmation dialog; the public profile then shows the new stage, never the evidence.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const baseUrl = inject('baseUrl');

describe('incubating an organization', () => {
  let browser: Browser;
  let organizationId: string;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    const mentor = (await User.findOne({ email: DEMO_MENTOR_EMAIL }).select('roles').lean())!;
    organizationId = String(mentor.roles.find((g) => g.role === 'mentor' && g.scopeType === 'organization')!.scopeId);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await disconnectDb();
  });

  const checked = (page: Page, name: string) => checkedScreenshot(page, name);

  it('the mentor confirms the filing certificate with evidence, and the committee moves the stage', async () => {
    const mentor = await signedInPage(browser, baseUrl, DEMO_MENTOR_EMAIL, { locale: 'zh-CN', viewport: PHONE });
    await mentor.goto(`${baseUrl}/organizations/${organizationId}`);
    await mentor.getByRole('link', { name: '孵化：清单与督导记录' }).click();
    await mentor.getByRole('heading', { name: /的孵化$/ }).waitFor();
    await expect.poll(() => mentor.getByTestId('current-stage').textContent()).toContain('孵化中');
    // The mentor does not move stages: no such form for them.
    expect(await mentor.getByRole('button', { name: '变更阶段' }).count()).toBe(0);
    const item = mentor.getByTestId('item-filed-filingCertificate');
    await item.getByLabel('证明说明').fill('2026年11月取得沙子口街道社会组织备案证明，原件存档。');
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#f4efe2' } }).jpeg().toBuffer();
    await item.getByLabel('证明图片（可选，不公开）').setInputFiles({ name: '备案证明.jpg', mimeType: 'image/jpeg', buffer: photo });
    await item.getByRole('button', { name: '确认这一项' }).click();
    await mentor.getByText('已确认这一项。').waitFor();
    await mentor.getByTestId('item-filed-filingCertificate').getByRole('link', { name: '查看证明图片' }).waitFor();
    expect(await mentor.getByText('已完成 3/3').count()).toBeGreaterThan(0);
    await checked(mentor, 'incubation-mentor-zh-phone');
    await mentor.context().close();

    const committee = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { locale: 'zh-CN', viewport: DESKTOP });
    try {
      await committee.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => committee.locator('html').getAttribute('lang')).toBe('en-US');
      await committee.goto(`${baseUrl}/organizations/${organizationId}/incubation`);
      await committee.getByRole('heading', { name: 'Move the stage', level: 2 }).waitFor();
      const filed = committee.getByRole('radio', { name: /Filed \(备案\)/ });
      await filed.check();
      await expect.poll(() => committee.getByText('checklist complete').first().isVisible()).toBe(true);
      await checked(committee, 'incubation-committee-en-desktop');
      await committee.getByRole('button', { name: 'Move the stage' }).click();
      const dialog = committee.getByRole('dialog');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('cannot be undone');
      await screenshot(committee, 'incubation-move-dialog-en-desktop', { fullPage: false });
      await dialog.getByRole('button', { name: 'Change the stage' }).click();
      await committee.getByText('Stage changed.').waitFor();
      await expect.poll(() => committee.getByTestId('current-stage').textContent()).toContain('Filed (备案)');
      await committee.getByRole('heading', { name: 'Stage history' }).scrollIntoViewIfNeeded();
      await checked(committee, 'incubation-moved-en-desktop');
    } finally {
      // The language is kept on the account: put the demo committee back to Chinese, even when a
      // step above failed (the other browser tests sign the committee in and read Chinese).
      await committee.getByRole('button', { name: '中文' }).click();
      await expect.poll(() => committee.locator('html').getAttribute('lang')).toBe('zh-CN');
      await committee.context().close();
    }

    // The public profile: the new stage, no evidence, no mentor notes.
    const visitor = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 2 });
    const anonymous = await visitor.newPage();
    await anonymous.goto(`${baseUrl}/organizations/${organizationId}`);
    await expect.poll(() => anonymous.getByTestId('public-stage').textContent()).toContain('已备案');
    const html = await anonymous.content();
    expect(html).not.toContain('原件存档');
    expect(html).not.toContain('/uploads/');
    expect(await anonymous.getByRole('link', { name: '孵化：清单与督导记录' }).count()).toBe(0);
    await checked(anonymous, 'organization-profile-public-zh-phone');
    await visitor.close();
  });
});
