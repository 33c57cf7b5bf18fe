import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApp, type HttpApp } from './app';

/**
 * Long Chinese pages through the real server: React 18's streaming renderer leaves NUL bytes where
 * a character straddles its 2 KB buffers (facebook/react#24985); the page must arrive clean.
 */
let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp('html');
});
afterAll(async () => {
  await app.stop();
});

describe('server-rendered HTML', () => {
  it.each(['/', '/competitions/2025-laoshanxing/results', '/competitions/2025-laoshanxing/vote/results', '/competitions/2026-laoshanxing/proposals', '/login'])(
    '%s has no NUL byte',
    async (path) => {
      const response = await fetch(`${app.baseUrl}${path}`, { headers: { 'Accept-Language': 'zh-CN' } });
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(4096);
      expect(bytes.indexOf(0)).toBe(-1);
    },
  );
});

describe('a page no route matches', () => {
  it.each([
    ['en-US', 'en-US', 'Page not found'],
    ['zh-CN', 'zh-CN', '页面不存在'],
  ])('answers 404 in the visitor\'s language (%s), the page marked as such', async (accept, lang, text) => {
    const response = await fetch(`${app.baseUrl}/no-such-page`, { headers: { 'Accept-Language': accept } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toContain(text);
  });
});
