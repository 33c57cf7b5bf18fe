import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkedScreenshot, launchBrowser, screenshot, SCREENSHOTS, signedInPage } from '../support/browser';

/**
 * Issue 15, the district dashboard: on a phone and a desktop, in Chinese and English, its figures,
 * charts (visx SVG with HTML labels at the page's type size), tables and CSV links; the same page
 * without JavaScript (charts, tables behind a tap, the year form); and the committee's annual
 * report as a PDF, turned into page images with pdftoppm for a person to look at.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const baseUrl = inject('baseUrl');
const PDFTOPPM = spawnSync('sh', ['-c', 'command -v pdftoppm']).status === 0;
const PDFFONTS = spawnSync('sh', ['-c', 'command -v pdffonts']).status === 0;

describe('the district dashboard', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const checked = (page: Page, name: string) => checkedScreenshot(page, name, { tooWide: true });

  async function visitor(options: BrowserContextOptions) {
    const context = await browser.newContext({ deviceScaleFactor: options.viewport && options.viewport.width < 500 ? 2 : 1, ...options });
    return context.newPage();
  }

  const views = [
    { name: 'dashboard-zh-phone', locale: 'zh-CN', viewport: PHONE, heading: '全区数据看板', chart: '资金（按街道）', query: '' },
    { name: 'dashboard-zh-desktop', locale: 'zh-CN', viewport: DESKTOP, heading: '全区数据看板', chart: '资金（按街道）', query: '?year=2025' },
    { name: 'dashboard-en-phone', locale: 'en-US', viewport: PHONE, heading: 'District dashboard', chart: 'Funding by street', query: '?year=2024' },
    { name: 'dashboard-en-desktop', locale: 'en-US', viewport: DESKTOP, heading: 'District dashboard', chart: 'Funding by street', query: '' },
  ];

  it.each(views)('$name: figures, charts with labels at the page size, tables and CSV links', async ({ name, locale, viewport, heading, chart, query }) => {
    const page = await visitor({ locale, viewport });
    await page.goto(`${baseUrl}/dashboard${query}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    const figure = page.locator('figure[data-chart="moneyByStreet"]');
    expect(await figure.locator('figcaption').textContent()).toBe(chart);
    // Five streets, each a bar row with an SVG bar beside its HTML label.
    const bars = figure.locator(`ul[aria-label="${chart}"] > li`);
    expect(await bars.count()).toBeGreaterThanOrEqual(5);
    expect(await figure.locator('svg rect').count()).toBeGreaterThan(0);
    // A chart label is as big as the body text, on a phone too.
    const sizes = await bars.first().evaluate((li) => [parseFloat(getComputedStyle(li.firstElementChild!).fontSize), parseFloat(getComputedStyle(document.body).fontSize)]);
    expect(sizes[0]).toBe(sizes[1]);
    const box = (await figure.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    // Every chart has a CSV link and a table.
    expect(await page.locator('figure[data-chart]').count()).toBe(query ? 14 : 15);
    expect(await page.locator('figure[data-chart] a[href^="/dashboard.csv?chart="]').count()).toBe(query ? 14 : 15);
    expect(await page.locator('figure[data-chart] table').count()).toBe(query ? 14 : 15);
    // Volunteer hours logged by street: a row for every street, however many logs it has.
    const service = page.locator('figure[data-chart="serviceByStreet"]');
    expect(await service.locator('figcaption').textContent()).toBe(locale === 'zh-CN' ? '志愿服务时长（按街道）' : 'Volunteer hours logged by street');
    expect(await service.locator('ul > li').count()).toBeGreaterThanOrEqual(5);
    if (name === 'dashboard-zh-phone' || name === 'dashboard-en-desktop') {
      await service.scrollIntoViewIfNeeded();
      await service.screenshot({ path: path.join(SCREENSHOTS, `${name}-service-chart.png`) });
    }
    await checked(page, name);
    if (name === 'dashboard-zh-phone') {
      // The chart area on the phone, as a resident sees it.
      await figure.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-zh-phone-chart-viewport.png') });
      // A CSV link downloads the table.
      const href = await figure.locator('a[href^="/dashboard.csv"]').getAttribute('href');
      const csv = await page.request.get(new URL(href!, baseUrl).href);
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
      expect(await csv.text()).toContain('中韩街道');
    }
    await page.context().close();
  });

  it('works without JavaScript: the charts and figures show, a table opens with a tap, the year form filters', async () => {
    const page = await visitor({ locale: 'zh-CN', viewport: PHONE, javaScriptEnabled: false });
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByRole('heading', { level: 1, name: '全区数据看板' }).waitFor();
    const figure = page.locator('figure[data-chart="turnoutByStreet"]');
    expect(await figure.locator('svg rect').first().isVisible()).toBe(true);
    expect(await figure.locator('table').isVisible()).toBe(false);
    await figure.getByText('查看数据表').click();
    expect(await figure.locator('table').isVisible()).toBe(true);
    expect(await figure.locator('table tbody tr').count()).toBe(5);
    await page.getByRole('combobox', { name: '年份' }).selectOption('2024');
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/year=2024/);
    expect(await page.locator('dl dd').first().textContent()).toBe('1');
    await screenshot(page, 'dashboard-zh-phone-no-js');
    await page.context().close();
  });

  it('the site navigation, the footer and the home page link to it', async () => {
    const page = await visitor({ locale: 'zh-CN', viewport: DESKTOP });
    await page.goto(`${baseUrl}/`);
    expect(await page.locator('main a[href="/dashboard"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('footer a[href="/dashboard"]').count()).toBe(1);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '数据看板' }).click();
    await page.getByRole('heading', { level: 1, name: '全区数据看板' }).waitFor();
    await page.context().close();
  });

  it('the committee downloads the annual report; its pages, turned into images, are A4 with Chinese text', async (context) => {
    const page = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { viewport: DESKTOP });
    await page.goto(`${baseUrl}/dashboard?year=2025`);
    const link = page.getByRole('link', { name: '下载 2025 年度报告（PDF）' });
    await link.waitFor();
    const response = await page.request.get(new URL((await link.getAttribute('href'))!, baseUrl).href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const pdf = Buffer.from(await response.body());
    expect(pdf.length).toBeLessThan(1_500_000);
    const dir = path.join(SCREENSHOTS, 'annual-report-2025');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    await page.context().close();
    if (!PDFTOPPM) {
      console.warn('annual report: pdftoppm is missing (apt-get install poppler-utils), so its pages were not turned into images');
      context.skip();
      return;
    }
    if (PDFFONTS) {
      // The CJK font is embedded, as a subset.
      const fonts = spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout;
      expect(fonts).toMatch(/NotoSansCJKsc-Regular\s.*yes\s+yes/);
    }
    const converted = spawnSync('pdftoppm', ['-png', '-r', '60', file, path.join(dir, 'page')], { encoding: 'utf8' });
    expect(converted.status, converted.stderr).toBe(0);
    const pages = readdirSync(dir).filter((name) => name.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const size = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    if (size) expect(size).toMatch(/Page size:\s+595\.\d* x 841\.\d* pts \(A4\)/);
    console.log(`annual report pages to look at: ${pages.map((name) => path.join(dir, name)).join(', ')}`);
  });
});
