import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MENTOR_EMAIL } from '#seeds/data';
import { raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * What a shared cache (a proxy, a CDN) may keep, through the built server with the page cache on
 * (docs/decisions/020): a signed-in visitor's pages are `private, no-store` both as HTML and as
 * the single-fetch `.data` a browser fetches on every client navigation (which holds the same
 * loader data: a worker's pending needs, a resident's proposals and notifications, a project
 * team's page), public pages included; an anonymous visitor's public pages stay shareable, their
 * `.data` under the same Cache-Control and Vary as their HTML.
 */
const SECONDS = 60;
const PUBLIC_POLICY = `public, max-age=0, s-maxage=${SECONDS}, stale-while-revalidate=${SECONDS * 6}`;
const PUBLIC_PAGES = ['/', '/needs', '/wishes', '/dashboard', '/competitions/2026-laoshanxing/proposals', '/competitions/2025-laoshanxing/projects', '/competitions/2025-laoshanxing/projects/1'];
const RESIDENT_PHONE = '13900000031';
const WORKER_EMAIL = 'community.zhonghan@demo.laoshanxing.cn';

let app: HttpApp;
const visitors: Record<string, { cookie: string; name: string; pages: string[] }> = {};

const get = (path: string, cookie = '') => raw(app.baseUrl, path, { headers: cookie ? { cookie } : {} });
/** Where single fetch asks for a page's loader data. */
const dataOf = (page: string) => (page === '/' ? '/_root.data' : `${page}.data`);

beforeAll(async () => {
  app = await startHttpApp('private_pages', { PAGE_CACHE_SECONDS: String(SECONDS) });
  const users = app.db.collection('users');
  const nameOf = async (filter: Record<string, string>) => (await users.findOne(filter))!.name as string;
  visitors.resident = {
    cookie: await signIn(app.baseUrl, RESIDENT_PHONE),
    name: await nameOf({ phone: RESIDENT_PHONE }),
    pages: ['/profile', '/my/proposals', '/notifications', '/wishes/mine', '/competitions/2026-laoshanxing/vote', '/competitions/2026-laoshanxing/proposals/new', ...PUBLIC_PAGES],
  };
  visitors.worker = {
    cookie: await signIn(app.baseUrl, WORKER_EMAIL),
    name: await nameOf({ email: WORKER_EMAIL }),
    pages: ['/needs/work', '/wishes/manage', '/profile', '/notifications', ...PUBLIC_PAGES],
  };
  visitors.mentor = {
    cookie: await signIn(app.baseUrl, DEMO_MENTOR_EMAIL),
    name: await nameOf({ email: DEMO_MENTOR_EMAIL }),
    pages: ['/competitions/2025-laoshanxing/projects/1/team', '/competitions/2025-laoshanxing/projects/1/plan'],
  };
});
afterAll(async () => {
  await app?.stop();
});

describe('what a shared cache may keep', () => {
  it.each(['resident', 'worker', 'mentor'])("a signed-in %s's pages, as HTML and as .data, are private, no-store, public pages included", async (key) => {
    const visitor = visitors[key]!;
    for (const page of visitor.pages) {
      for (const path of [page, dataOf(page)]) {
        const answer = await get(path, visitor.cookie);
        expect(answer.status, path).toBe(200);
        // Their own: the account's name is in the loader data (the root's user), so it matters who gets it.
        expect(answer.body, path).toContain(visitor.name);
        expect(answer.headers['cache-control'], path).toBe('private, no-store');
        expect(answer.headers['x-page-cache'], path).toBeUndefined();
        if (PUBLIC_PAGES.includes(page)) expect(answer.headers.vary, path).toMatch(/\bCookie\b/);
      }
    }
  });

  it("an anonymous visitor's public pages stay shareable, their .data under the HTML's Cache-Control and Vary, and the HTML comes from the page cache", async () => {
    for (const page of PUBLIC_PAGES) {
      await get(page);
      const html = await get(page);
      expect(html.status, page).toBe(200);
      expect(html.headers['x-page-cache'], page).toBe('hit');
      expect(html.headers['cache-control'], page).toBe(PUBLIC_POLICY);
      const data = await get(dataOf(page));
      expect(data.status, page).toBe(200);
      expect(data.headers['content-type'], page).toBe('text/x-script; charset=utf-8');
      expect(data.body.length, page).toBeGreaterThan(0);
      expect(data.headers['cache-control'], page).toBe(PUBLIC_POLICY);
      for (const answer of [html, data]) {
        expect(answer.headers.vary, page).toMatch(/\bCookie\b/);
        expect(answer.headers.vary, page).toMatch(/\bAccept-Language\b/);
      }
    }
  });

  it("an anonymous visitor's pages that are not public are private, no-store as HTML and as .data", async () => {
    for (const path of ['/login', '/login.data', '/register', '/register.data']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['cache-control'], path).toBe('private, no-store');
    }
  });
});
