import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_INVITEE_PHONE_BASE, DEMO_MENTOR_EMAIL } from '#seeds/data';
import { launchBrowser, pageProblems, screenshot, signedInPage, touchProblems } from '../support/browser';

/**
 * Issue 14, the project team: on a phone in Chinese the committee opens project 1's team page
 * (members, the invitation form, the mentor form); the resident the demo invited sees the
 * invitation and accepts it, and then appears on the public project page beside the mentor;
 * on a desktop in English the mentor reads the plan, read-only, and the team page.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const baseUrl = inject('baseUrl');
const PROJECT = '/competitions/2025-laoshanxing/projects/1';

describe('the project team', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function checked(page: Page, name: string) {
    const { smallTargets, smallText } = await touchProblems(page);
    expect({ smallTargets, smallText }, name).toEqual({ smallTargets: [], smallText: [] });
    const { overflowPx, rawKeys } = await pageProblems(page);
    expect({ overflowPx, rawKeys }, name).toEqual({ overflowPx: 0, rawKeys: [] });
    expect(await page.content(), name).not.toMatch(/(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])/);
    await screenshot(page, name, { fullPage: true });
  }

  it('the committee, on a phone in Chinese, sees the team, the invitation form and the mentor', async () => {
    const page = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { viewport: PHONE });
    await page.goto(`${baseUrl}${PROJECT}`);
    await page.getByRole('link', { name: '团队与邀请' }).click();
    await page.getByRole('heading', { name: '项目团队', level: 2 }).waitFor();
    await expect.poll(() => page.getByText('督导社工：周督导').isVisible()).toBe(true);
    await page.getByLabel('手机号码').fill('13800009999');
    await page.getByRole('button', { name: '发送邀请' }).click();
    await page.getByText('如果这个号码属于本平台的居民，对方已收到邀请。').waitFor();
    await checked(page, 'project-team-committee-zh-phone');
    await page.context().close();
  });

  it('the invited resident accepts on a phone and appears on the project page', async () => {
    const page = await signedInPage(browser, baseUrl, String(DEMO_INVITEE_PHONE_BASE), { viewport: PHONE });
    await page.goto(`${baseUrl}/notifications`);
    await page.getByRole('button', { name: /邀请您加入项目/ }).first().click();
    await page.getByRole('heading', { name: '邀请您加入团队' }).waitFor();
    await checked(page, 'project-team-invitation-zh-phone');
    await page.getByRole('button', { name: '接受邀请' }).click();
    await page.getByText('欢迎加入项目团队！').waitFor();
    await checked(page, 'project-team-joined-zh-phone');
    await page.goto(`${baseUrl}${PROJECT}`);
    await expect.poll(() => page.getByText('周督导').first().isVisible()).toBe(true);
    await checked(page, 'project-team-on-project-zh-phone');
    await page.context().close();
  });

  it('the mentor, on a desktop, reads the plan and cannot change it', async () => {
    const page = await signedInPage(browser, baseUrl, DEMO_MENTOR_EMAIL, { viewport: DESKTOP });
    await page.goto(`${baseUrl}${PROJECT}/plan`);
    await page.getByText('您是这个项目的督导社工：可以查看计划，不能修改或审批。').waitFor();
    expect(await page.getByRole('button', { name: '保存并提交审核' }).count()).toBe(0);
    await checked(page, 'project-plan-mentor-zh-desktop');
    await page.context().close();
  });

  it('a visitor, on a desktop in English, sees the team and the mentor by name, and no link to the team page', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${baseUrl}${PROJECT}?lng=en`);
    await page.getByText('Social-worker mentor').waitFor();
    await expect.poll(() => page.getByText('周督导').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Team and invitations' }).count()).toBe(0);
    await checked(page, 'project-team-public-en-desktop');
    await context.close();
  });
});
