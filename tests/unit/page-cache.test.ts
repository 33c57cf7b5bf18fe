import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { ByteLru, pageCache } from '~/core/page-cache.server';

const entry = (bytes: number, expires = Number.POSITIVE_INFINITY) => ({ parts: [Buffer.alloc(bytes, 'x')], etag: '"e"', contentType: 'text/html', expires, bytes });

describe('the page cache\'s LRU', () => {
  it('keeps its pages under the byte cap, least recently used out first', () => {
    const lru = new ByteLru(100);
    lru.set('a', entry(40));
    lru.set('b', entry(40));
    lru.get('a', 0);
    lru.set('c', entry(40));
    expect(lru.get('b', 0)).toBeUndefined();
    expect(lru.get('a', 0)).toBeDefined();
    expect(lru.get('c', 0)).toBeDefined();
    expect(lru.size).toBe(80);
  });

  it('never holds a page larger than the cap, and drops expired ones', () => {
    const lru = new ByteLru(100);
    lru.set('big', entry(101));
    expect(lru.get('big', 0)).toBeUndefined();
    lru.set('old', entry(10, 5));
    expect(lru.get('old', 4)).toBeDefined();
    expect(lru.get('old', 5)).toBeUndefined();
    expect(lru.size).toBe(0);
  });
});

describe('the page cache in front of a handler', () => {
  it('never keeps a response that sets a cookie, and keeps the same page without one', async () => {
    let rendered = 0;
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = 'n';
      next();
    });
    app.use(pageCache({ seconds: 60, maxBytes: 1024 * 1024 }));
    app.get('/', (req, res) => {
      rendered++;
      if (req.query.cookie) res.setHeader('Set-Cookie', 'lsx_other=1; Path=/');
      res.type('html').send('<p>page</p>');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cookie = await fetch(`${base}/?cookie=1`);
      expect(cookie.headers.get('cache-control')).toBe('private, no-store');
      expect((await fetch(`${base}/?cookie=1`)).headers.get('x-page-cache')).toBeNull();
      expect(rendered).toBe(2);
      expect((await fetch(base)).headers.get('x-page-cache')).toBe('miss');
      expect((await fetch(base)).headers.get('x-page-cache')).toBe('hit');
      expect(rendered).toBe(3);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("gives a page's .data its page's policy without keeping it, and keeps a personal page out of shared caches whatever its route said", async () => {
    let rendered = 0;
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = 'n';
      next();
    });
    app.use(pageCache({ seconds: 60, maxBytes: 1024 * 1024 }));
    app.get(['/needs', '/needs.data', '/profile', '/profile.data'], (req, res) => {
      rendered++;
      if (typeof req.query.said === 'string') res.setHeader('Cache-Control', req.query.said);
      if (req.query.cookie) res.setHeader('Set-Cookie', 'lsx_other=1; Path=/');
      if (req.path.endsWith('.data')) res.type('text/x-script').send('[]');
      else res.type('html').send('<p>page</p>');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const policy = async (path: string, cookie = '') => (await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} })).headers.get('cache-control');
    try {
      const shared = 'public, max-age=0, s-maxage=60, stale-while-revalidate=360';
      expect(await policy('/needs.data')).toBe(shared);
      expect(await policy('/needs.data')).toBe(shared);
      expect(rendered).toBe(2);
      expect(await policy('/needs.data', 'lsx_lng=ImVuIg%3D%3D')).toBe(shared);
      for (const path of ['/needs', '/needs.data', '/profile', '/profile.data']) {
        expect(await policy(path, 'lsx_session=s'), path).toBe('private, no-store');
        expect(await policy(`${path}?said=public, max-age=600`, 'lsx_session=s'), path).toBe('private, no-store');
        expect(await policy(`${path}?said=no-store`, 'lsx_session=s'), path).toBe('no-store');
        expect(await policy(`${path}?cookie=1`), path).toBe('private, no-store');
        expect(await policy(`${path}?cookie=1&said=public, max-age=600`), path).toBe('private, no-store');
      }
      expect(await policy('/profile.data')).toBe('private, no-store');
      // A route that says its own is heard on an anonymous page, and its public page is not kept.
      expect(await policy('/needs?said=private, max-age=30')).toBe('private, max-age=30');
      expect((await fetch(`${base}/needs?said=private, max-age=30`)).headers.get('x-page-cache')).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** An app whose page waits for the test to let each render finish. */
  async function heldPages(seconds: number) {
    let rendered = 0;
    let version = 'v1';
    const held: (() => void)[] = [];
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = `n${Math.random().toString(36).slice(2)}`;
      next();
    });
    app.use(pageCache({ seconds, maxBytes: 1024 * 1024 }));
    app.get('/', (_req, res) => {
      rendered++;
      const body = `<p nonce="${res.locals.cspNonce as string}">${version}</p>`;
      held.push(() => res.type('html').send(body));
    });
    app.post('/', (_req, res) => res.status(303).end());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(check()).toBe(true);
    };
    const get = () => fetch(base).then(async (r) => ({ kind: r.headers.get('x-page-cache'), body: await r.text() }));
    return {
      base,
      get,
      held,
      until,
      rendered: () => rendered,
      setVersion: (next: string) => (version = next),
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  it('gives visitors who come while a page renders that render, not one each, each with its own nonce', async () => {
    const app = await heldPages(60);
    try {
      const first = app.get();
      await app.until(() => app.held.length === 1);
      const others = Array.from({ length: 5 }, () => app.get());
      await new Promise((r) => setTimeout(r, 50));
      expect(app.rendered()).toBe(1);
      app.held.shift()!();
      const answers = await Promise.all([first, ...others]);
      expect(app.rendered()).toBe(1);
      expect(answers.map((a) => a.kind)).toEqual(['miss', 'hit', 'hit', 'hit', 'hit', 'hit']);
      const nonces = answers.map((a) => /nonce="([^"]+)"/.exec(a.body)?.[1]);
      expect(new Set(nonces).size).toBe(6);
      expect(answers.every((a) => a.body.endsWith('v1</p>'))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('serves the expired copy while one request renders the page again, then the new one', async () => {
    const app = await heldPages(0.2);
    try {
      const first = app.get();
      await app.until(() => app.held.length === 1);
      app.held.shift()!();
      expect((await first).kind).toBe('miss');
      await new Promise((r) => setTimeout(r, 250));
      app.setVersion('v2');
      const renewing = app.get();
      await app.until(() => app.held.length === 1);
      const meanwhile = await app.get();
      expect(meanwhile.kind).toBe('stale');
      expect(meanwhile.body).toContain('v1');
      app.held.shift()!();
      expect((await renewing).body).toContain('v2');
      const after = await app.get();
      expect([after.kind, after.body.includes('v2')]).toEqual(['hit', true]);
      expect(app.rendered()).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('does not keep a render that began before a write, and never serves a stale copy once a write cleared it', async () => {
    const app = await heldPages(60);
    try {
      const first = app.get();
      await app.until(() => app.held.length === 1);
      await fetch(app.base, { method: 'POST', redirect: 'manual' });
      app.held.shift()!();
      expect((await first).kind).toBe('miss');
      const again = app.get();
      await app.until(() => app.held.length === 1);
      app.held.shift()!();
      expect((await again).kind).toBe('miss');
      expect(app.rendered()).toBe(2);
    } finally {
      await app.close();
    }
  });
});
