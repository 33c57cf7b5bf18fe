import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAll, DEMO_SLUG, raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * A proposal citing the needs it answers, through the built server with the page cache on, on the
 * demo data: the demo resident cites a verified need of their street on their own proposal (sent
 * back for changes, so still editable); the proposal's page and the need's page then show each
 * other to anyone, never a person's details; another resident, the need's own grid worker and a
 * visitor cannot see the page or cite, and hostile bodies change nothing.
 */
const FORM = 'application/x-www-form-urlencoded';
let app: HttpApp;
let proposal: number;
let need: number;
let otherStreetNeed: number;
let secrets: string[];
let resident: string;

const page = (number: number) => `/competitions/${DEMO_SLUG}/proposals/${number}`;
const post = (path: string, cookie: string, body: string, type = FORM) => raw(app.baseUrl, path, { method: 'POST', headers: { ...(cookie ? { cookie } : {}), 'content-type': type }, body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const leaks = (body: string) => secrets.filter((s) => body.includes(s));

beforeAll(async () => {
  app = await startHttpApp('need_links', { PAGE_CACHE_SECONDS: '5' });
  const db = app.db;
  const demo = await db.collection('users').findOne({ phone: '13900000005' });
  const competition = await db.collection('competitions').findOne({ slug: DEMO_SLUG });
  const own = await db.collection('proposals').findOne({ competition: competition!._id, authors: demo!._id, status: 'changesRequested' });
  proposal = own!.number as number;
  const open = await db.collection('needs').find({ street: own!.street, status: 'open' }).sort({ number: 1 }).toArray();
  need = open[0]!.number as number;
  otherStreetNeed = (await db.collection('needs').findOne({ street: { $ne: own!.street as unknown }, status: 'open' }))!.number as number;
  secrets = (await db.collection('needdetails').find({}).toArray()).flatMap((d) => [d.name, d.address, d.phone, d.situation].filter((x): x is string => typeof x === 'string' && x.length > 1));
  resident = await signIn(app.baseUrl, '13900000005');
});
afterAll(async () => {
  await app.stop();
});

describe('a proposal citing a need, over HTTP', () => {
  it('is cited by its author and shown on both pages to a visitor, with no private detail, in zh and en', async () => {
    const before = await raw(app.baseUrl, page(proposal));
    expect(before.status).toBe(200);
    const cited = await post(`${page(proposal)}/needs`, resident, form({ intent: 'cite', need: String(need) }));
    expect(cited.status).toBe(303);
    expect(cited.headers.location).toBe(`${page(proposal)}/needs`);
    const demo = await app.db.collection('users').findOne({ phone: '13900000005' });
    const links = await app.db.collection('needlinks').find({ citedBy: demo!._id }).toArray();
    expect(links).toHaveLength(1);

    // The page cache keeps no render begun before the write: the next visitor sees the need.
    for (const query of ['', '?lng=en']) {
      const shown = await raw(app.baseUrl, `${page(proposal)}${query}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain(`href="/needs/${need}"`);
      expect(leaks(shown.body)).toEqual([]);
      const onNeed = await raw(app.baseUrl, `/needs/${need}${query}`);
      expect(onNeed.body).toContain(`href="${page(proposal)}"`);
      expect(leaks(onNeed.body)).toEqual([]);
      const data = await raw(app.baseUrl, `/needs/${need}.data${query}`);
      expect(data.body).toContain(String(proposal));
      expect(leaks(data.body)).toEqual([]);
    }
    const zh = await raw(app.baseUrl, page(proposal));
    expect(zh.body).toContain('回应的真实需求');
    const en = await raw(app.baseUrl, `${page(proposal)}?lng=en`, { headers: { 'Accept-Language': 'en' } });
    expect(en.body).toContain('Real needs it answers');
    // The authors' page is theirs: private, never from the shared cache.
    const own = await raw(app.baseUrl, `${page(proposal)}/needs`, { headers: { cookie: resident } });
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toContain('no-store');
  });

  it('refuses everyone but its authors, another street’s need and hostile bodies, changing nothing', async () => {
    const other = await signIn(app.baseUrl, '13900000006');
    const grid = await signIn(app.baseUrl, 'grid.shazikou@demo.laoshanxing.cn');
    const before = await countAll(app.db);
    for (const cookie of [other, grid]) {
      expect((await raw(app.baseUrl, `${page(proposal)}/needs`, { headers: { cookie } })).status).toBe(404);
      expect((await raw(app.baseUrl, `${page(proposal)}/needs.data`, { headers: { cookie } })).status).toBe(404);
      expect((await post(`${page(proposal)}/needs`, cookie, form({ intent: 'uncite', need: String(need) }))).status).toBe(404);
    }
    const anonymous = await post(`${page(proposal)}/needs`, '', form({ intent: 'cite', need: String(need) }));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login\?redirectTo=/);
    const elsewhere = await post(`${page(proposal)}/needs`, resident, form({ intent: 'cite', need: String(otherStreetNeed) }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toContain('只能关联本提案所在街道的需求');
    for (const [body, type] of [
      [JSON.stringify({ intent: 'cite', need }), 'application/json'],
      ['intent=cite&need=1e3', FORM],
      ['intent=cite&need=' + '9'.repeat(5000), FORM],
      ['need=1', FORM],
    ] as const) {
      const res = await post(`${page(proposal)}/needs`, resident, body, type);
      expect(res.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status, body.slice(0, 40)).toBeLessThan(500);
    }
    expect((await raw(app.baseUrl, `${page(proposal)}/needs`.replace(String(proposal), `0${proposal}`), { headers: { cookie: resident } })).status).toBe(404);
    expect(await countAll(app.db)).toEqual(before);
  });
});
