import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, countAll, dataUrl, manifestRoutes, raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * Actions read forms. Any other body (JSON, text, none at all, a multipart form without its
 * boundary) is refused by the server before a route runs: 415 (400 for the broken form), never a
 * 500, for every route with an action in the build's manifest, at its page URL and at its Remix
 * data URL, signed out and signed in as the platform admin, and nothing is written.
 */
const BODIES: { name: string; headers: Record<string, string>; body?: string; status: number }[] = [
  { name: 'a JSON body', headers: { 'Content-Type': 'application/json' }, body: '{"intent":"delete","language":"en"}', status: 415 },
  { name: 'a text body', headers: { 'Content-Type': 'text/plain' }, body: 'intent=delete', status: 415 },
  { name: 'an empty body without a type', headers: {}, status: 415 },
  { name: 'a multipart form without a boundary', headers: { 'Content-Type': 'multipart/form-data' }, body: 'intent=delete', status: 400 },
];

let app: HttpApp;
let adminCookie: string;
const routes = manifestRoutes().filter((route) => route.hasAction);

beforeAll(async () => {
  app = await startHttpApp('bodies');
  adminCookie = await signIn(app.baseUrl, ADMIN);
});
afterAll(async () => {
  await app.stop();
});

describe('non-form bodies', () => {
  it('finds the routes with an action in the manifest', () => {
    expect(routes.map((route) => route.id)).toContain('routes/login');
    expect(routes.length).toBeGreaterThan(20);
  });

  for (const body of BODIES) {
    it(`answers ${body.name} with ${body.status} on every action, page and data URL, and writes nothing`, async () => {
      const before = await countAll(app.db);
      const answers: string[] = [];
      for (const route of routes) {
        for (const url of [route.index ? `${route.url}?index` : route.url, dataUrl(route)]) {
          for (const cookie of [undefined, adminCookie]) {
            const headers: Record<string, string> = { ...body.headers, ...(cookie ? { Cookie: cookie } : {}) };
            if (body.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body.body));
            const response = await raw(app.baseUrl, url, { method: 'POST', headers, body: body.body });
            answers.push(`${cookie ? 'admin' : 'anonymous'} POST ${url} -> ${response.status}`);
          }
        }
      }
      expect(answers.filter((answer) => !answer.endsWith(`-> ${body.status}`))).toEqual([]);
      expect(await countAll(app.db)).toEqual(before);
    });
  }

  it('answers a multipart form whose parts are broken with 4xx on every action, never 5xx, and writes nothing', async () => {
    const before = await countAll(app.db);
    const body = '--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\ndelete';
    const answers: string[] = [];
    // Logging out reads no form (it ends the session whatever the body), so it is left out here.
    for (const route of routes.filter((r) => r.id !== 'routes/logout')) {
      for (const url of [route.index ? `${route.url}?index` : route.url, dataUrl(route)]) {
        for (const cookie of [undefined, adminCookie]) {
          const headers: Record<string, string> = { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(Buffer.byteLength(body)), ...(cookie ? { Cookie: cookie } : {}) };
          const response = await raw(app.baseUrl, url, { method: 'POST', headers, body });
          answers.push(`${cookie ? 'admin' : 'anonymous'} POST ${url} -> ${response.status}`);
        }
      }
    }
    expect(answers.filter((answer) => / -> 5\d\d$/.test(answer))).toEqual([]);
    expect(await countAll(app.db)).toEqual(before);
  });

  it('still lets a real form through to the action', async () => {
    const response = await fetch(`${app.baseUrl}/set-language`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ language: 'xx' }) });
    expect(response.status).toBe(400);
    const multipart = new FormData();
    multipart.set('language', 'xx');
    expect((await fetch(`${app.baseUrl}/set-language`, { method: 'POST', redirect: 'manual', body: multipart })).status).toBe(400);
  });
});
