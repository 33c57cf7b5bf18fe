import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, startHttpApp, type HttpApp } from './app';

/**
 * Large type through the built server (decision 033): the page cache keeps large and normal pages
 * apart, keyed on exactly the cookie the app reads, so nobody is served the size they did not
 * choose; the switch sets the cookie and returns to this site only.
 */
let app: HttpApp;
const detail = `/competitions/${DEMO_SLUG}/proposals/1`;

async function get(path: string, cookie?: string) {
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { 'Accept-Language': 'zh', ...(cookie ? { Cookie: cookie } : {}) }, redirect: 'manual' });
  return { response, body: await response.text() };
}
const large = (html: string) => /<html [^>]*class="text-large"/.test(html);

beforeAll(async () => {
  app = await startHttpApp('large_type', { PAGE_CACHE_SECONDS: '60' });
});
afterAll(async () => {
  await app.stop();
});

describe('large type and the anonymous page cache', () => {
  it('never serves a large-type page to a visitor who did not choose it, nor the other way round', async () => {
    // Normal first, twice: the second from the cache.
    expect(large((await get(detail)).body)).toBe(false);
    const cachedNormal = await get(detail);
    expect(cachedNormal.response.headers.get('x-page-cache')).toBe('hit');
    expect(large(cachedNormal.body)).toBe(false);
    // Large: its own entry, rendered large, then served large from the cache.
    const first = await get(detail, 'lsx_type=large');
    expect(first.response.headers.get('x-page-cache')).toBe('miss');
    expect(large(first.body)).toBe(true);
    const second = await get(detail, 'lsx_type=large');
    expect(second.response.headers.get('x-page-cache')).toBe('hit');
    expect(large(second.body)).toBe(true);
    // Normal again, and a cookie of another value: the normal page.
    expect(large((await get(detail)).body)).toBe(false);
    expect(large((await get(detail, 'lsx_type=LARGE')).body)).toBe(false);
    expect(large((await get(detail, 'lsx_type=huge')).body)).toBe(false);
    // And the large entry was not overwritten by those.
    expect(large((await get(detail, 'lsx_type=large')).body)).toBe(true);
  });

  it('the switch sets the cookie and goes back to a path of this site only', async () => {
    const post = (redirectTo: string) =>
      fetch(`${app.baseUrl}/text-size`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ size: 'large', redirectTo }) });
    const back = await post(detail);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(detail);
    expect(back.headers.get('set-cookie')).toMatch(/^lsx_type=large;/);
    for (const evil of ['//evil.com', 'https://evil.com', '/\\evil.com', '\\\\evil.com']) {
      const away = await post(evil);
      expect(away.status, evil).toBe(303);
      expect(away.headers.get('location'), evil).toBe('/');
    }
  });
});
