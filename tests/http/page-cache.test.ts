import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';
import { startMongoCounter, type MongoCounter } from '../support/mongo-counter';
import { DEMO_SLUG, signIn } from './app';

/**
 * The anonymous page cache (docs/decisions/020), through the built server: hits send no database
 * command, ETag gives 304, languages and visitors' seeds never mix, anonymous first visits to the
 * list share the hour's order and so the cache, a signed-in visitor is never served from it, a
 * write shows on the next anonymous GET.
 */
const DB_NAME = 'lsx_http_page_cache';
const LIST = `/competitions/${DEMO_SLUG}/proposals`;
let counter: MongoCounter;
let db: Connection;
let app: AppProcess;
let resident: string;
let detail: string;

/** The proposal numbers of a list page, in the order shown. */
function order(html: string): number[] {
  return [...new Set([...html.matchAll(new RegExp(`href="${LIST}/(\\d+)"`, 'g'))].map((match) => Number(match[1])))];
}

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { 'Accept-Language': 'en', ...headers }, redirect: 'manual' });
  return { response, body: await response.text() };
}

beforeAll(async () => {
  db = await mongoose.createConnection(withDbName(inject('mongoUri'), DB_NAME)).asPromise();
  await db.dropDatabase();
  counter = await startMongoCounter(inject('mongoUri'));
  // Long enough that nothing expires during the test: what it checks is behaviour, not time.
  app = await startApp({ MONGODB_URI: counter.uri(DB_NAME), SEED_ON_EMPTY: 'true', PAGE_CACHE_SECONDS: '60' });
  resident = await signIn(app.baseUrl, '13900000005');
  const list = await get(LIST, { Cookie: resident });
  detail = new RegExp(`${LIST}/(\\d+)"`).exec(list.body)?.[0].slice(0, -1) ?? '';
});
afterAll(async () => {
  await stopApp(app);
  await counter.close();
  await db.close();
});

describe('the anonymous page cache', () => {
  it('serves the second anonymous GET from memory, with an ETag that answers 304', async () => {
    expect(detail).toMatch(/proposals\/\d+$/);
    const first = await get(detail);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('cache-control')).toMatch(/^public, max-age=0, s-maxage=60/);
    expect(first.response.headers.get('vary')).toMatch(/Cookie/);
    expect(first.response.headers.get('vary')).toMatch(/Accept-Language/);

    counter.reset();
    const second = await get(detail);
    expect(counter.commands()).toHaveLength(0);
    expect(second.response.headers.get('x-page-cache')).toBe('hit');
    const etag = second.response.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    // Same page, a fresh nonce in both the policy and the scripts.
    const nonce = /'nonce-([^']+)'/.exec(second.response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(second.body).toContain(`nonce="${nonce}"`);
    const withoutNonce = (html: string) => html.replaceAll(/nonce="[^"]*"/g, 'nonce=""');
    expect(withoutNonce(second.body)).toBe(withoutNonce(first.body));

    const notModified = await get(detail, { 'If-None-Match': etag ?? '' });
    expect(notModified.response.status).toBe(304);
    expect(notModified.body).toBe('');
  });

  it('keeps languages apart', async () => {
    const en = await get(detail);
    const zh = await get(detail, { 'Accept-Language': 'zh-CN,zh;q=0.9' });
    expect(en.body).toMatch(/<html [^>]*data-lng="en"/);
    expect(zh.body).toMatch(/<html [^>]*data-lng="zh"/);
    const byQuality = await get(detail, { 'Accept-Language': 'en;q=0.2, zh;q=0.8' });
    expect(byQuality.body).toMatch(/<html [^>]*data-lng="zh"/);
    const byCookie = await get(detail, { Cookie: `lsx_lng=${Buffer.from(JSON.stringify('zh')).toString('base64')}` });
    expect(byCookie.body).toMatch(/<html [^>]*data-lng="zh"/);
    // ?lng= comes before the cookie, and the same inputs again (the remembered answer) agree.
    for (let i = 0; i < 2; i++) {
      const byQuery = await get(`${detail}?lng=en`, { Cookie: `lsx_lng=${Buffer.from(JSON.stringify('zh')).toString('base64')}` });
      expect(byQuery.body).toMatch(/<html [^>]*data-lng="en"/);
      expect((await get(detail, { 'Accept-Language': 'en;q=0.2, zh;q=0.8' })).body).toMatch(/<html [^>]*data-lng="zh"/);
    }
  });

  it("gives anonymous first visits to the list the hour's shared order, without a cookie, the second from memory", async () => {
    const first = await get(LIST);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.getSetCookie()).toEqual([]);
    expect(first.response.headers.get('cache-control')).toMatch(/^public, max-age=0, s-maxage=60/);
    counter.reset();
    const second = await get(LIST);
    expect(second.response.headers.get('x-page-cache')).toBe('hit');
    expect(counter.commands()).toHaveLength(0);
    expect(order(first.body).length).toBeGreaterThan(1);
    expect(order(second.body)).toEqual(order(first.body));
  });

  it('keeps a returning visitor in their own order, cached under their seed, and gives a signed-in visitor a seed of their own', async () => {
    const seed = `lsx_seed=${encodeURIComponent(Buffer.from(JSON.stringify('0123456789abcdef')).toString('base64'))}`;
    await get(LIST);
    const own = await get(LIST, { Cookie: seed });
    // Not the shared page: their seed is in the key.
    expect(own.response.headers.get('x-page-cache')).toBe('miss');
    counter.reset();
    const again = await get(LIST, { Cookie: seed });
    expect(again.response.headers.get('x-page-cache')).toBe('hit');
    expect(counter.commands()).toHaveLength(0);
    expect(order(again.body)).toEqual(order(own.body));
    // A signed-in visitor bypasses the cache; the list gives them the seed their ballot will show.
    const signedIn = await get(LIST, { Cookie: resident });
    expect(signedIn.response.headers.get('x-page-cache')).toBeNull();
    expect(signedIn.response.headers.getSetCookie().some((line) => line.startsWith('lsx_seed='))).toBe(true);
    expect(signedIn.response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('is bypassed by a signed-in visitor', async () => {
    await get(detail);
    counter.reset();
    const signedIn = await get(detail, { Cookie: resident });
    expect(signedIn.response.headers.get('x-page-cache')).toBeNull();
    expect(signedIn.response.headers.get('cache-control')).toBe('private, no-store');
    expect(signedIn.response.headers.get('vary')).toMatch(/Cookie/);
    expect(counter.commands().length).toBeGreaterThan(0);
  });

  it('shows a new comment on the next anonymous GET', async () => {
    await get(detail);
    expect((await get(detail)).response.headers.get('x-page-cache')).toBe('hit');
    const text = `Cache check ${Date.now()}`;
    const posted = await fetch(`${app.baseUrl}${detail}/comments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: resident },
      body: new URLSearchParams({ intent: 'add', body: text }),
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toMatch(/#comment-/);
    const after = await get(detail);
    expect(after.response.headers.get('x-page-cache')).not.toBe('hit');
    expect(after.body).toContain(text);
  });

  it('keeps the micro-wishes wall and a wish for visitors, never for the signed-in, and shows a claim on the next anonymous GET', async () => {
    const wish = (await db.collection('wishes').find({ status: 'open' }).sort({ number: 1 }).limit(1).toArray())[0]!;
    const page = `/wishes/${wish.number as number}`;
    for (const path of ['/wishes', page]) {
      await get(path);
      counter.reset();
      const again = await get(path);
      expect(again.response.headers.get('x-page-cache'), path).toBe('hit');
      expect(counter.commands(), path).toHaveLength(0);
      expect((await get(path, { Cookie: resident })).response.headers.get('x-page-cache'), path).toBeNull();
    }
    expect((await get(page)).body).toContain('data-testid="claim-button"');
    const claimed = await fetch(`${app.baseUrl}${page}/claim`, { method: 'POST', redirect: 'manual', headers: { Cookie: resident }, body: new URLSearchParams({ displayAs: 'anonymous' }) });
    expect(claimed.headers.get('location')).toBe(`/wishes/mine#wish-${wish.number as number}`);
    const after = await get(page);
    expect(after.response.headers.get('x-page-cache')).not.toBe('hit');
    expect(after.body).not.toContain('data-testid="claim-button"');
  });
});
