import { Types } from 'mongoose';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * A need's share page and its picture through the built server, on the demo data: a public need
 * shares its card (category, urgency, community, description, status, a QR code of its page) and
 * never any of the person's details, whoever asks, in Chinese or English, as HTML or as the page's
 * single-fetch data (`share.data`, what a client navigation fetches); a need that is not public
 * and any number that is not one answer 404 with nothing of the need; the picture is well-formed
 * SVG with a hostile description escaped.
 */
const SECRET = { name: '欧阳秘密', address: '沙子口街道某小区99号楼9单元909室', phone: '19987654321', situation: '这是只有社区知道的私密情况说明，不应出现在分享页。' };
const HOSTILE = '需要帮助 <script>alert(1)</script> & "引号" \'单引号\' ]]> <!-- x --> 结束';

let app: HttpApp;
let details: { name: string; address: string; phone: string; situation: string }[];
let publicNumbers: number[];
let hidden: number[];
let mine: { open: number; pending: number };

async function insertNeed(status: string, description: string): Promise<number> {
  const street = await app.db.collection('streets').findOne({ code: 'shazikou' });
  const community = await app.db.collection('communities').findOne({ street: street!._id });
  const raiser = await app.db.collection('users').findOne({ email: 'grid.shazikou@demo.laoshanxing.cn' });
  const [last] = await app.db.collection('needs').find({}).sort({ number: -1 }).limit(1).toArray();
  const number = (last!.number as number) + 1;
  const _id = new Types.ObjectId();
  const now = new Date();
  await app.db.collection('needs').insertOne({
    _id, number, category: 'meals', urgency: 'urgent', street: street!._id, community: community!._id, grid: '1号网格', description,
    raisedBy: raiser!._id, raisedAs: 'gridWorker', status, publishedAt: status === 'pending' ? undefined : now, claim: null, claims: [], reopenCount: 0, escalatedAt: null, createdAt: now, updatedAt: now,
  });
  await app.db.collection('needdetails').insertOne({ need: _id, ...SECRET, createdAt: now, updatedAt: now });
  return number;
}

beforeAll(async () => {
  app = await startHttpApp('needs_share', { PAGE_CACHE_SECONDS: '5' });
  const needs = await app.db.collection('needs').find({}).project({ number: 1, status: 1 }).sort({ number: 1 }).toArray();
  publicNumbers = needs.filter((n) => ['open', 'claimed', 'done', 'fulfilled'].includes(n.status as string)).map((n) => n.number as number);
  hidden = needs.filter((n) => ['pending', 'rejected', 'withdrawn'].includes(n.status as string)).map((n) => n.number as number);
  expect(publicNumbers.length).toBeGreaterThan(10);
  expect(hidden.length).toBeGreaterThanOrEqual(3);
  mine = { open: await insertNeed('open', HOSTILE), pending: await insertNeed('pending', '待核实的需求，不应公开。') };
  details = (await app.db.collection('needdetails').find({}).toArray()).map((d) => ({ name: d.name as string, address: d.address as string, phone: d.phone as string, situation: d.situation as string }));
});
afterAll(async () => {
  await app.stop();
});

const secretsIn = (body: string) =>
  details.flatMap((d) => [d.name, d.address, d.phone, d.situation].filter((value) => value && body.includes(value)));

describe('a need share page', () => {
  it('shows a public need as a card with its QR code and og:image, in Chinese and English, and no private detail of any need', async () => {
    const resident = await signIn(app.baseUrl, '13900000005');
    for (const number of [...publicNumbers, mine.open]) {
      for (const [query, headers] of [['', {}], ['?lng=en', {}], ['', { Cookie: resident }]] as const) {
        const page = await raw(app.baseUrl, `/needs/${number}/share${query}`, { headers });
        expect(page.status, `need ${number}`).toBe(200);
        expect(secretsIn(page.body), `need ${number}`).toEqual([]);
        expect(page.body).toMatch(new RegExp(`<meta property="og:image" content="https?://[^"]+/needs/${number}/card\\.svg`));
        expect(page.body).toContain(`/needs/${number}`);
        expect(page.body).toContain('<path d="M');
        // The page's loader data: the card itself is in it, the person's details are not.
        const data = await raw(app.baseUrl, `/needs/${number}/share.data${query}`, { headers });
        expect(data.status, `need ${number}`).toBe(200);
        expect(data.body, `need ${number}`).toContain('"description"');
        expect(data.body, `need ${number}`).toContain(`/needs/${number}"`);
        expect(secretsIn(data.body), `need ${number}`).toEqual([]);
      }
    }
    const zh = await raw(app.baseUrl, `/needs/${mine.open}/share`);
    expect(zh.body).toContain('助餐送餐需求');
    expect(zh.body).toContain('紧急');
    const en = await raw(app.baseUrl, `/needs/${mine.open}/share?lng=en`, { headers: { 'Accept-Language': 'en' } });
    expect(en.body).toContain('A need: Meals');
    // The hostile description is text, never markup.
    expect(zh.body).not.toContain('<script>alert(1)</script>');
  });

  it('draws the card as a 1200×630 SVG picture, escaped, with no private detail', async () => {
    for (const number of [...publicNumbers, mine.open]) {
      const card = await raw(app.baseUrl, `/needs/${number}/card.svg`);
      expect(card.status, `need ${number}`).toBe(200);
      expect(card.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(card.headers['content-security-policy']).toContain("default-src 'none'");
      expect(secretsIn(card.body), `need ${number}`).toEqual([]);
    }
    const hostile = await raw(app.baseUrl, `/needs/${mine.open}/card.svg`);
    expect(hostile.body).not.toContain('<script');
    expect(hostile.body).toContain('&lt;script&gt;');
    // Well-formed: sharp's SVG parser reads it at its size.
    const metadata = await sharp(Buffer.from(hostile.body)).metadata();
    expect(metadata).toMatchObject({ format: 'svg', width: 1200, height: 630 });
  });

  it('answers 404 with nothing of the need for needs that are not public, and for numbers that are not numbers', async () => {
    const pendingText = '待核实的需求，不应公开。';
    for (const number of [...hidden, mine.pending]) {
      for (const path of [`/needs/${number}/share`, `/needs/${number}/share.data`, `/needs/${number}/card.svg`]) {
        const response = await raw(app.baseUrl, path);
        expect(response.status, path).toBe(404);
        expect(secretsIn(response.body), path).toEqual([]);
        expect(response.body, path).not.toContain(pendingText);
      }
    }
    for (const bad of ['-1', '0', '1e9', '1000000000', 'abc', '1.5', '99999999999999999999', '%00', '1%20', '%201', '0x1', '01', '1e0', '+1']) {
      for (const path of [`/needs/${bad}/share`, `/needs/${bad}/card.svg`, `/needs/${bad}/share.data`]) {
        const response = await raw(app.baseUrl, path);
        expect(response.status, path).toBe(404);
      }
    }
  });

  it('is the same page for every anonymous visitor: served from the page cache the second time', async () => {
    const first = await raw(app.baseUrl, `/needs/${publicNumbers[0]}/share`);
    const second = await raw(app.baseUrl, `/needs/${publicNumbers[0]}/share`);
    expect(first.status).toBe(200);
    expect(second.headers['x-page-cache']).toBe('hit');
  });
});
