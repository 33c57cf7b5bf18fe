import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser';

/**
 * A resident's first visit, on a phone set to Chinese: register (the code read from the
 * demo's outbox page by an admin), log out, log in, switch to English, log out. Screenshots go to test-results/.
 */
describe('a new resident registers, logs in, switches language and logs out', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const baseUrl = inject('baseUrl');
  const phone = `186${String(Date.now()).slice(-8)}`;
  const password = 'qingdao-sea-breeze';
  let code = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the home page in Chinese with the 2026 competition', async () => {
    await page.goto(baseUrl);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => page.getByRole('heading', { name: '2026年崂善行救助服务居民提案大赛' }).isVisible()).toBe(true);
    expect(await page.getByText('¥2,000,000').first().isVisible()).toBe(true);
    await screenshot(page, '01-home-zh-mobile');
  });

  it('asks for a code: explains a bad number in Chinese, then says where the code went', async () => {
    await page.goto(`${baseUrl}/register`);
    await page.getByLabel('手机号或电子邮箱').fill('1380000');
    await page.getByRole('button', { name: '发送验证码' }).click();
    await expect.poll(() => page.getByText('请输入 11 位手机号或有效的电子邮箱。').isVisible()).toBe(true);
    await screenshot(page, '02-register-error-zh');
    await page.getByLabel('手机号或电子邮箱').fill(phone);
    await page.getByRole('button', { name: '发送验证码' }).click();
    await page.waitForURL(/\/register\?step=code$/);
    expect(await page.getByTestId('code-sent').textContent()).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    await screenshot(page, '03-register-code-zh');
  });

  it('an admin reads the code on the outbox page (the demo has no SMS service)', async () => {
    const desktop = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const admin = await desktop.newPage();
    await admin.goto(`${baseUrl}/login`);
    await admin.getByLabel('手机号或电子邮箱').fill('admin@demo.laoshanxing.cn');
    await admin.getByLabel('密码').fill('Laoshan-demo-2026');
    await admin.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => admin.getByTestId('account-menu').isVisible()).toBe(true);
    await admin.getByTestId('account-menu').click();
    await admin.getByRole('link', { name: '消息发件箱' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: '消息发件箱（开发用）' }).isVisible()).toBe(true);
    const message = admin.getByTestId('outbox').locator('li', { hasText: phone }).first();
    code = (await message.textContent())?.match(/验证码是 (\d{6})/)?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await screenshot(admin, '03b-admin-outbox-zh');
    await desktop.close();
  });

  it('explains a bad form in Chinese and keeps what was typed (never the code or password)', async () => {
    await page.getByLabel('验证码').fill(code);
    await page.getByLabel('姓名或称呼').fill('王秀英');
    await page.getByLabel('密码', { exact: true }).fill('short');
    await page.getByLabel('再次输入密码').fill('short');
    await page.getByRole('button', { name: '注册' }).click();
    await expect.poll(() => page.getByText('密码太短，至少需要 8 位。').isVisible()).toBe(true);
    expect(await page.getByLabel('姓名或称呼').inputValue()).toBe('王秀英');
    await screenshot(page, '03c-register-error-zh');
  });

  it('registers and lands on the profile page, signed in, with the number proven', async () => {
    await page.getByLabel('验证码').fill(code);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByLabel('再次输入密码').fill(password);
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(/\/profile\?welcome=1$/);
    await expect.poll(() => page.getByRole('heading', { name: '个人资料' }).isVisible()).toBe(true);
    expect(await page.getByTestId('account-menu').textContent()).toBe('王秀英');
    expect(await page.getByTestId('identifier-phone').textContent()).toContain('已验证');
    await screenshot(page, '03d-profile-welcome-zh');
  });

  it('logs out from the account menu', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByText('您已退出登录。').isVisible()).toBe(true);
    expect(await page.getByTestId('account-menu').count()).toBe(0);
  });

  it('logs in again with the phone number', async () => {
    await page.getByRole('link', { name: '登录' }).click();
    await page.getByLabel('手机号或电子邮箱').fill(phone);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByText('账号或密码不正确。').isVisible()).toBe(true);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByTestId('account-menu').isVisible()).toBe(true);
    await screenshot(page, '04-logged-in-zh');
  });

  it('switches to English, and the choice sticks on the next page', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en-US');
    await expect.poll(() => page.getByRole('link', { name: 'Home' }).isVisible()).toBe(true);
    await page.goto(`${baseUrl}/profile`);
    await expect.poll(() => page.getByRole('heading', { name: 'Profile' }).isVisible()).toBe(true);
    await screenshot(page, '05-profile-en');
    await page.goto(baseUrl);
    await expect.poll(() => page.getByRole('heading', { name: /Laoshanxing 2026/ }).isVisible()).toBe(true);
    await screenshot(page, '06-home-en-mobile');
  });

  it('logs out in English', async () => {
    await page.getByTestId('account-menu').click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => page.getByText('You are logged out.').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: 'Log in' }).isVisible()).toBe(true);
    await screenshot(page, '07-logged-out-en');
  });

  it('refuses a state-changing request sent from another site', async () => {
    const forged = await fetch(`${baseUrl}/set-language`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'language=en',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    const sameSite = await fetch(`${baseUrl}/set-language`, {
      method: 'POST',
      headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'language=en',
      redirect: 'manual',
    });
    expect(sameSite.status).toBe(303);
  });

  it('an admin sees the accounts page on a desktop screen; a resident is refused', async () => {
    const desktop = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const admin = await desktop.newPage();
    await admin.goto(`${baseUrl}/login`);
    await admin.getByLabel('手机号或电子邮箱').fill('admin@demo.laoshanxing.cn');
    await admin.getByLabel('密码').fill('Laoshan-demo-2026');
    await admin.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => admin.getByTestId('account-menu').isVisible()).toBe(true);
    await admin.goto(`${baseUrl}/admin/users`);
    await expect.poll(() => admin.getByRole('heading', { name: '账号与角色' }).isVisible()).toBe(true);
    await screenshot(admin, '08-admin-users-zh');
    await admin.getByLabel('搜索').fill('刘委员');
    await admin.getByRole('button', { name: '搜索' }).click();
    await admin.getByRole('link', { name: '刘委员' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: '刘委员 的角色' }).isVisible()).toBe(true);
    await screenshot(admin, '09-admin-roles-zh');
    await desktop.close();

    const response = await page.goto(`${baseUrl}/admin/users`);
    expect(response?.url()).toContain('/login?redirectTo=%2Fadmin%2Fusers');
  });
});
