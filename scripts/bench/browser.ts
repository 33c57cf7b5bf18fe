/**
 * Compressed JavaScript per page, as Chromium loads it (it asks for br, gzip and the rest): the
 * encoded body sizes of every script response of a fresh load, without a cache. The framework
 * floor is the part of the same load every page must have: the entry (entry.client, React,
 * Remix) and the root route's module with their imports, read from the page's own
 * `window.__remixManifest`.
 */
import type { Page, Request } from 'playwright-core';
import { launchBrowser } from '../../tests/support/browser';

export interface JsPage {
  name: string;
  path: string;
  /** A session cookie ("name=value") for pages that need a signed-in resident. */
  cookie?: string;
}

interface Loaded {
  scripts: Map<string, number>;
  encoding: Set<string>;
  floorUrls: string[];
}

async function loadScripts(page: Page, url: string): Promise<Loaded> {
  const finished: Request[] = [];
  const onFinished = (request: Request) => {
    if (request.resourceType() === 'script') finished.push(request);
  };
  page.on('requestfinished', onFinished);
  await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
  page.off('requestfinished', onFinished);
  const scripts = new Map<string, number>();
  const encoding = new Set<string>();
  for (const request of finished) {
    const sizes = await request.sizes();
    scripts.set(request.url(), sizes.responseBodySize);
    const response = await request.response();
    encoding.add((await response?.headerValue('content-encoding')) ?? 'identity');
  }
  const floorUrls = await page.evaluate(() => {
    const manifest = (window as unknown as { __remixManifest?: { entry: { module: string; imports: string[] }; routes: Record<string, { module: string; imports?: string[] }> } }).__remixManifest;
    if (!manifest) return [];
    const root = manifest.routes.root;
    return [manifest.entry.module, ...manifest.entry.imports, ...(root ? [root.module, ...(root.imports ?? [])] : [])].map((p) => new URL(p, location.href).href);
  });
  return { scripts, encoding, floorUrls };
}

const kb = (bytes: number) => bytes / 1024;

export async function jsPerPage(baseUrl: string, pages: JsPage[]): Promise<{ pages: { name: string; kb: number; scripts: number }[]; floorKb: number; encoding: string }> {
  const browser = await launchBrowser();
  try {
    const results: { name: string; kb: number; scripts: number }[] = [];
    let floor = 0;
    const encodings = new Set<string>();
    for (const spec of pages) {
      const context = await browser.newContext();
      if (spec.cookie) {
        const [name = '', ...value] = spec.cookie.split('=');
        await context.addCookies([{ name, value: value.join('='), url: baseUrl }]);
      }
      const page = await context.newPage();
      const loaded = await loadScripts(page, baseUrl + spec.path);
      await context.close();
      const total = [...loaded.scripts.values()].reduce((a, b) => a + b, 0);
      results.push({ name: spec.name, kb: kb(total), scripts: loaded.scripts.size });
      const floorBytes = loaded.floorUrls.reduce((sum, url) => sum + (loaded.scripts.get(url) ?? 0), 0);
      floor = Math.max(floor, floorBytes);
      for (const e of loaded.encoding) encodings.add(e);
    }
    return { pages: results, floorKb: kb(floor), encoding: [...encodings].join('/') };
  } finally {
    await browser.close();
  }
}
