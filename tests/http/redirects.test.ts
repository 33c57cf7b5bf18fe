import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestRoutes, raw, signIn, staysOnSite, startHttpApp, type HttpApp } from './app';
import { DEMO_PASSWORD } from '#seeds/data';

/**
 * Where the site sends a browser next (after login, after choosing a language, any redirect)
 * stays on the site once the target is normalised the way routers and browsers normalise it:
 * `/./\evil.example` must not come out as `Location: /\evil.example`, which browsers read as
 * `//evil.example`. A non-ASCII target is percent-encoded, never a 500.
 */
const PAYLOADS = [
  '/./\\evil.example',
  '/.//evil.example',
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/..//evil.example/x',
  'https://evil.example/',
  '/\t/evil.example',
];

let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp('redirects');
});
afterAll(async () => {
  await app.stop();
});

function location(response: Response): string {
  const value = response.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${response.status}`);
  return value;
}

describe('redirects after normalisation', () => {
  it('signing in sends the visitor only to a page of this site', async () => {
    for (const [index, payload] of PAYLOADS.entries()) {
      // One resident per payload, so the per-account login limit does not get in the way.
      const identifier = `139000000${String(10 + index).padStart(2, '0')}`;
      const response = await fetch(`${app.baseUrl}/login`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({ identifier, password: DEMO_PASSWORD, redirectTo: payload }),
      });
      expect(response.status, payload).toBe(303);
      expect(location(response), payload).not.toMatch(/[\\\t]/);
      expect(staysOnSite(location(response), app.baseUrl), `${payload} -> ${location(response)}`).toBe(true);
    }
  });

  it('choosing a language sends the visitor only to a page of this site', async () => {
    for (const payload of PAYLOADS) {
      const response = await fetch(`${app.baseUrl}/set-language`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ language: 'en', redirectTo: payload }) });
      expect(response.status, payload).toBe(303);
      expect(staysOnSite(location(response), app.baseUrl), `${payload} -> ${location(response)}`).toBe(true);
    }
  });

  it('encodes a non-ASCII target instead of failing after the session was written', async () => {
    const target = '/competitions/2026-laoshanxing/proposals?q=提案#评论';
    const response = await fetch(`${app.baseUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ identifier: '13900000030', password: DEMO_PASSWORD, redirectTo: target }),
    });
    expect(response.status).toBe(303);
    const url = new URL(location(response), app.baseUrl);
    expect(url.origin).toBe(app.baseUrl);
    expect(decodeURIComponent(`${url.pathname}${url.search}${url.hash}`)).toBe(target);
  });

  it('keeps every redirect of every route on this site, whatever redirectTo says', async () => {
    const cookie = await signIn(app.baseUrl, '13900000031');
    const escaped: string[] = [];
    for (const route of manifestRoutes().filter((r) => r.hasLoader)) {
      for (const payload of PAYLOADS) {
        for (const headers of [{}, { Cookie: cookie }] as Record<string, string>[]) {
          const url = `${route.url}?redirectTo=${encodeURIComponent(payload)}`;
          const response = await raw(app.baseUrl, url, { headers });
          const target = response.headers.location;
          if (response.status >= 500) escaped.push(`${url} -> ${response.status}`);
          if (typeof target === 'string' && (!staysOnSite(target, app.baseUrl) || /\\/.test(target))) escaped.push(`${url} -> ${target}`);
        }
      }
    }
    expect(escaped).toEqual([]);
  });

  it('keeps a hostile request path on this site', async () => {
    for (const path of ['/./\\evil.example', '//evil.example/', '/\\evil.example/', '/.//evil.example', '/%5Cevil.example', '/%2F%2Fevil.example']) {
      const response = await raw(app.baseUrl, path);
      expect(response.status, path).toBeLessThan(500);
      const target = response.headers.location;
      if (typeof target === 'string') expect(staysOnSite(target, app.baseUrl) && !target.includes('\\'), `${path} -> ${target}`).toBe(true);
    }
  });
});
