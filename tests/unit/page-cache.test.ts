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
});
