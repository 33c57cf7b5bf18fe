import type { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * Micro-wishes through the built server on the demo data, attacked as a client would: hostile
 * bodies (JSON, repeated fields, huge values, broken multipart) never give a 5xx; the public wall
 * and a wish's page (HTML and Remix data) never carry a claimer's or a worker's account id, phone
 * or e-mail; a worker of another street cannot confirm a delivery; and the claim's life across
 * requests (claim, give back, claimed by another; deliver after giving back; parallel claims).
 */
let app: HttpApp;
let zhonghan: ObjectId;
const cookies: Record<string, string> = {};

interface WishRow {
  _id: ObjectId;
  number: number;
  status: string;
  street: ObjectId;
  registeredBy: ObjectId;
  claim?: { by: ObjectId };
}

const wishes = () => app.db.collection<WishRow>('wishes');
const get = (path: string, cookie = '') => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, body: string | URLSearchParams | FormData, contentType?: string) =>
  fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

/** An open wish of a street no other test here uses, taken in the order of numbers. */
async function openWish(streetCode: string, skip = 0): Promise<WishRow> {
  const street = await app.db.collection('streets').findOne({ code: streetCode });
  const [wish] = await wishes().find({ status: 'open', street: street!._id }).sort({ number: 1 }).skip(skip).limit(1).toArray();
  return wish!;
}

beforeAll(async () => {
  app = await startHttpApp('wishes');
  zhonghan = (await app.db.collection('streets').findOne({ code: 'zhonghan' }))!._id;
  for (const [name, identifier] of Object.entries({
    a: '13900000021',
    b: '13900000022',
    c: '13900000023',
    worker: 'community.zhonghan@demo.laoshanxing.cn',
    otherWorker: 'community.shazikou@demo.laoshanxing.cn',
  })) {
    cookies[name] = await signIn(app.baseUrl, identifier);
  }
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe('micro-wishes over HTTP', () => {
  it('hostile bodies on every wish form are answered without a server error', async () => {
    const wish = await openWish('beizhai');
    // A wish of the worker's own street: the guard lets the body through to the form's parser.
    const own = await openWish('zhonghan', 1);
    const claimed = await wishes().findOne({ status: 'claimed' });
    // Far past every field's limit (tens of characters), well within what a form body may be.
    const huge = 'x'.repeat(300_000);
    const attempts: [string, string, string | URLSearchParams | FormData, string?][] = [
      [`/wishes/${wish.number}/claim`, cookies.c!, JSON.stringify({ displayAs: { $ne: null } }), 'application/json'],
      [`/wishes/${wish.number}/claim`, cookies.c!, `displayAs=unit&displayAs=unit&unitName=${huge}`, 'application/x-www-form-urlencoded'],
      [`/wishes/${wish.number}/claim`, cookies.c!, 'displayAs[$ne]=x&displayAs=owner&unitName[]=a', 'application/x-www-form-urlencoded'],
      [`/wishes/${wish.number}/claim`, cookies.c!, '--x\r\nContent-Disposition: form-data; name="displayAs"\r\n\r\nunit', 'multipart/form-data; boundary=x'],
      ['/wishes/mine', cookies.c!, JSON.stringify({ intent: 'deliver', number: claimed!.number }), 'application/json'],
      ['/wishes/mine', cookies.c!, `intent=deliver&intent=release&number=${claimed!.number}&number=1e400&note=${huge}`, 'application/x-www-form-urlencoded'],
      ['/wishes/mine', cookies.c!, 'intent=deliver&number=-1', 'application/x-www-form-urlencoded'],
      ['/wishes/new', cookies.worker!, JSON.stringify({ kind: 'item', title: 'x' }), 'application/json'],
      [
        '/wishes/new',
        cookies.worker!,
        `kind=item&kind=experience&title=${huge}&value=${'9'.repeat(5000)}&childAge=1e9&childInitial=${'明'.repeat(10_000)}&community[$gt]=`,
        'application/x-www-form-urlencoded',
      ],
      [`/wishes/${own.number}/manage`, cookies.worker!, '--x\r\nbroken', 'multipart/form-data; boundary=x'],
      [`/wishes/${own.number}/manage`, cookies.worker!, JSON.stringify({ intent: 'withdraw', confirm: 'yes' }), 'application/json'],
      [`/wishes/${own.number}/manage`, cookies.worker!, `intent=withdraw&intent=confirm&confirm=yes&reason=${huge}`, 'application/x-www-form-urlencoded'],
      ['/wishes/99999999999999999999/claim', cookies.c!, 'displayAs=account', 'application/x-www-form-urlencoded'],
    ];
    const statuses: string[] = [];
    for (const [path, cookie, body, type] of attempts) {
      const response = await post(path, cookie, body, type);
      statuses.push(`${path} ${response.status}`);
      expect(response.status, `${path} ${typeof body === 'string' ? body.slice(0, 60) : 'form'}`).toBeLessThan(500);
    }
    for (const path of ['/wishes?page=99999999999', '/wishes?street[$ne]=x&kind=money&page=-1', '/wishes/0', '/wishes/1e3', '/wishes/abc', '/wishes/manage?status[$ne]=x&page=1e9']) {
      expect((await get(path, cookies.worker)).status, path).toBeLessThan(500);
    }
    // None of it withdrew, claimed or registered anything.
    expect((await wishes().findOne({ _id: wish._id }))?.status).toBe('open');
    expect((await wishes().findOne({ _id: own._id }))?.status).toBe('open');
    expect(await wishes().countDocuments()).toBe(100);
  });

  it("the wall and a claimed wish's page, as HTML and as data, carry no claimer's or worker's id, phone or e-mail", async () => {
    const claimed = await wishes()
      .find({ claim: { $exists: true } })
      .sort({ number: 1 })
      .limit(10)
      .toArray();
    const people = await app.db
      .collection('users')
      .find({ _id: { $in: [...claimed.map((w) => w.claim!.by), ...claimed.map((w) => w.registeredBy)] } })
      .toArray();
    const secrets = people.flatMap((u) => [String(u._id), u.phone as string | undefined, u.email as string | undefined].filter((s): s is string => Boolean(s)));
    expect(secrets.length).toBeGreaterThan(10);
    const pages = ['/wishes', '/wishes?street=zhonghan', '/wishes.data', ...claimed.flatMap((w) => [`/wishes/${w.number}`, `/wishes/${w.number}.data`])];
    for (const path of pages) {
      for (const cookie of ['', cookies.otherWorker!]) {
        const response = await get(path, cookie);
        expect(response.status, path).toBe(200);
        const body = await response.text();
        for (const secret of secrets) expect(body.includes(secret), `${path} contains ${secret}`).toBe(false);
        expect(body).not.toMatch(/(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])/);
      }
    }
  });

  it('a worker of another street cannot confirm or withdraw a Zhonghan wish, and nothing changes', async () => {
    const wish = (await wishes().find({ status: 'delivered', street: zhonghan }).sort({ number: 1 }).limit(1).toArray())[0]!;
    const before = await countAll(app.db);
    const confirm = await post(`/wishes/${wish.number}/manage`, cookies.otherWorker!, form({ intent: 'confirm', confirm: 'yes' }));
    expect(confirm.status).toBe(403);
    const withdraw = await post(`/wishes/${(await openWish('zhonghan')).number}/manage`, cookies.otherWorker!, form({ intent: 'withdraw', confirm: 'yes', reason: '越权撤回' }));
    expect(withdraw.status).toBe(403);
    expect((await get(`/wishes/${wish.number}/manage`, cookies.otherWorker)).status).toBe(403);
    expect((await wishes().findOne({ _id: wish._id }))?.status).toBe('delivered');
    expect(await countAll(app.db)).toEqual(before);
    // The street's own community worker can.
    const own = await post(`/wishes/${wish.number}/manage`, cookies.worker!, form({ intent: 'confirm', confirm: 'yes' }));
    expect(own.status).toBe(303);
    expect((await wishes().findOne({ _id: wish._id }))?.status).toBe('confirmed');
  });

  it('claim, give back, claimed by another: the first claimer can neither deliver nor give it back nor claim it again', async () => {
    const wish = await openWish('wanggezhuang');
    const claim = (who: string) => post(`/wishes/${wish.number}/claim`, cookies[who]!, form({ displayAs: 'account' }));
    expect((await claim('a')).headers.get('location')).toBe(`/wishes/mine#wish-${wish.number}`);
    const release = await post('/wishes/mine', cookies.a!, form({ intent: 'release', number: String(wish.number) }));
    expect(release.headers.get('location')).toBe(`/wishes/mine#wish-${wish.number}`);
    expect((await claim('b')).headers.get('location')).toBe(`/wishes/mine#wish-${wish.number}`);
    const b = await app.db.collection('users').findOne({ phone: '13900000022' });
    for (const body of [
      { intent: 'deliver', number: String(wish.number) },
      { intent: 'release', number: String(wish.number) },
    ]) {
      const refused = await post('/wishes/mine', cookies.a!, form(body));
      expect(refused.headers.get('location')).toBe('/wishes/mine');
    }
    expect((await claim('a')).headers.get('location')).toBe(`/wishes/${wish.number}`);
    const stored = await wishes().findOne({ _id: wish._id });
    expect(stored?.status).toBe('claimed');
    expect(String(stored?.claim?.by)).toBe(String(b!._id));
    // The one who holds it delivers it.
    const delivered = await post('/wishes/mine', cookies.b!, form({ intent: 'deliver', number: String(wish.number) }));
    expect(delivered.headers.get('location')).toBe(`/wishes/mine#wish-${wish.number}`);
    expect((await wishes().findOne({ _id: wish._id }))?.status).toBe('delivered');
    expect(await app.db.collection('auditlogs').countDocuments({ targetId: String(wish._id), action: { $in: ['wish.claimed', 'wish.released', 'wish.delivered'] } })).toBe(4);
  });

  it('three people claiming one wish at the same moment: one claim', async () => {
    const wish = await openWish('jinjialing');
    const answers = await Promise.all(['a', 'b', 'c'].map((who) => post(`/wishes/${wish.number}/claim`, cookies[who]!, form({ displayAs: 'anonymous' }))));
    expect(answers.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(answers.filter((r) => r.headers.get('location') === `/wishes/mine#wish-${wish.number}`)).toHaveLength(1);
    expect(await app.db.collection('auditlogs').countDocuments({ targetId: String(wish._id), action: 'wish.claimed' })).toBe(1);
  });
});
