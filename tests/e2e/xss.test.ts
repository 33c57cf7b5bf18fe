import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser';

/**
 * Stored XSS: script payloads in every text field of a proposal and in a comment must render as
 * inert text on every page that shows them.
 */
const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload="window.__xss=3">',
  "javascript:window.__xss=4",
];

describe('script payloads in user text render inert', () => {
  let browser: Browser;
  let page: Page;
  const baseUrl = inject('baseUrl');
  const marker = `XSS${Date.now() % 100_000}`;
  let proposalUrl = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'zh-CN' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      throw new Error(`a dialog opened: ${dialog.message()}`);
    });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('手机号或电子邮箱').fill('13900000007');
    await page.getByLabel('密码').fill('Laoshan-demo-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('account-menu').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function assertInert(url: string) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), url).toBeUndefined();
    // The payload is there, as text.
    expect(await page.content(), url).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expect(await page.locator('script:not([src]):not([nonce])').count(), url).toBe(0);
  }

  it('a proposal whose every field carries payloads is shown as text', async () => {
    const text = (i: number) => `${marker} ${PAYLOADS.join(' ')} ${'说明'.repeat(i)}`;
    // A draft needs only a title, so every other field can carry payloads as they are.
    const draft = await page.request.post(`${baseUrl}/competitions/2026-laoshanxing/proposals/new`, {
      form: {
        intent: 'save',
        title: `${marker}<script>window.__xss=1</script>`.slice(0, 60),
        summary: text(5).slice(0, 300),
        problem: text(10),
        plan: text(10),
        'budget[0].item': '<script>window.__xss=1</script>',
        'budget[0].quantity': '10',
        'budget[0].unitPrice': '1000',
        organizationName: '<img src=x onerror="window.__xss=2">'.slice(0, 80),
      },
      maxRedirects: 0,
    });
    expect(draft.status()).toBe(303);
    proposalUrl = `${baseUrl}${draft.headers().location}`;
    await assertInert(proposalUrl);
    await assertInert(`${baseUrl}/my/proposals`);
  });

  it('a comment carrying payloads is shown as text on a public proposal', async () => {
    const response = await page.request.post(`${baseUrl}/competitions/2026-laoshanxing/proposals/1/comments`, {
      form: { intent: 'add', body: `${marker} ${PAYLOADS.join(' ')}` },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(303);
    await assertInert(`${baseUrl}/competitions/2026-laoshanxing/proposals/1`);
  });
});
