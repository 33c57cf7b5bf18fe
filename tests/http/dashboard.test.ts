import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The district dashboard through the built server, attacked as a client: the anonymous page is
 * micro-cached (ETag, 304) like the other public pages and never for a signed-in visitor; the CSV
 * download is text/csv in UTF-8 with a byte-order mark; hostile years and charts are 400s, never
 * a 500; the annual report is refused to visitors and residents, given to the committee.
 */
let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp('dashboard', { PAGE_CACHE_SECONDS: '60' });
}, 180_000);
afterAll(async () => {
  await app.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers: { 'Accept-Language': 'zh-CN', ...headers }, redirect: 'manual' });

describe('the dashboard over HTTP', () => {
  it('is cacheable for anonymous visitors: public Cache-Control, then a hit with an ETag that answers 304', async () => {
    const first = await get('/dashboard?year=2025');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=0, s-maxage=60/);
    expect(first.headers.get('vary')).toMatch(/Cookie/);
    const html = await first.text();
    expect(html).toContain('全区数据看板');
    // The charts and their tables are in the HTML itself (server-rendered SVG and HTML).
    expect(html).toMatch(/<figure[^>]*data-chart="moneyByStreet"/);
    expect(html).toContain('<svg');
    expect(html).toContain('<table');
    const second = await get('/dashboard?year=2025');
    expect(second.headers.get('x-page-cache')).toBe('hit');
    const etag = second.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const notModified = await get('/dashboard?year=2025', { 'If-None-Match': etag! });
    expect(notModified.status).toBe(304);
    // Another year is another page.
    const other = await get('/dashboard?year=2024');
    expect(other.headers.get('x-page-cache')).toBe('miss');
  });

  it('is never served from the cache to a signed-in visitor', async () => {
    const cookie = await signIn(app.baseUrl, 'committee@demo.laoshanxing.cn');
    await get('/dashboard?year=2025');
    const signedIn = await get('/dashboard?year=2025', { Cookie: cookie });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('x-page-cache')).not.toBe('hit');
    expect(signedIn.headers.get('cache-control')).toContain('private');
    // The committee sees the annual report's link; the anonymous page does not.
    expect(await signedIn.text()).toContain('/dashboard/report.pdf?year=2025');
    expect(await (await get('/dashboard?year=2025')).text()).not.toContain('/dashboard/report.pdf');
  });

  it('hands out a chart as CSV: text/csv, UTF-8 with a byte-order mark, an attachment', async () => {
    const response = await get('/dashboard.csv?chart=moneyByDirection&year=2025');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="laoshanxing-moneyByDirection-2025\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split('\r\n')[0]).toBe('方向,批准资金（元）,已支出（元）');
  });

  it('answers hostile years and charts with 400, never 500', async () => {
    const paths = [
      '/dashboard?year=abc',
      '/dashboard?year=%00',
      '/dashboard?year=99999999999999999999',
      '/dashboard.csv?chart=__proto__&year=2025',
      '/dashboard.csv?chart=constructor',
      '/dashboard.csv?chart=moneyByStreet&year=-1',
      '/dashboard.csv',
    ];
    for (const path of paths) {
      const response = await raw(app.baseUrl, path);
      expect(response.status, path).toBeLessThan(500);
      expect(response.status, path).toBe(400);
    }
    // A repeated parameter: the first counts, as everywhere in the app.
    const repeated = await raw(app.baseUrl, '/dashboard?year=2025&year=abc');
    expect(repeated.status).toBe(200);
    // An operator-shaped name is just another parameter: the page shows all years.
    const operator = await raw(app.baseUrl, '/dashboard?year[$gt]=2000');
    expect(operator.status).toBe(200);
    expect(operator.body).toContain('<option value="all" selected');
    const bad = await get('/dashboard?year=abc');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('年份无效');
  });

  it('refuses the annual report to visitors (401) and residents (403), gives the committee a PDF', async () => {
    expect((await get('/dashboard/report.pdf?year=2025')).status).toBe(401);
    const resident = await signIn(app.baseUrl, '13900000005');
    expect((await get('/dashboard/report.pdf?year=2025', { Cookie: resident })).status).toBe(403);
    const committee = await signIn(app.baseUrl, 'committee@demo.laoshanxing.cn');
    const pdf = await get('/dashboard/report.pdf?year=2025', { Cookie: committee });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const body = Buffer.from(await pdf.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.length).toBeLessThan(1_500_000);
  });
});
