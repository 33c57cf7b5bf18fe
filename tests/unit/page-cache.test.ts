import { describe, expect, it } from 'vitest';
import { ByteLru } from '~/core/page-cache.server';

const entry = (bytes: number, expires = Number.POSITIVE_INFINITY) => ({ body: 'x'.repeat(bytes), etag: '"e"', contentType: 'text/html', expires, bytes });

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
