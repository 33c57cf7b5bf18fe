import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHttpApp, type HttpApp } from './app';

/**
 * A claim code through the running server (issue 12, item 10): the answer that carries it, as a
 * page (a browser without JavaScript) and at the data URL (with JavaScript), is marked
 * Cache-Control: no-store, and loading the page again, either way, does not carry it. A worker of
 * another street gets no code and finds nobody by the resident's name.
 */
let app: HttpApp;
let shazikou: string;
let zhonghan: string;
let residentId: string;
const CODE = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/;

beforeAll(async () => {
  app = await startHttpApp('assist');
  shazikou = await signIn(app.baseUrl, 'grid.shazikou@demo.laoshanxing.cn');
  zhonghan = await signIn(app.baseUrl, 'grid.zhonghan@demo.laoshanxing.cn');
  // An offline demo resident the Shazikou worker registered.
  const resident = await app.db.collection('users').findOne({ name: '姜桂芳' });
  residentId = String(resident!._id);
});
afterAll(async () => {
  await app.stop();
});

function post(path: string, cookie: string) {
  return fetch(`${app.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie }, body: new URLSearchParams({ intent: 'claimCode', residentId }) });
}
function get(path: string, cookie: string) {
  return fetch(`${app.baseUrl}${path}`, { redirect: 'manual', headers: { Cookie: cookie } });
}

describe('registering a resident without JavaScript', () => {
  it('still sets the toast cookie beside no-store', async () => {
    const community = await app.db.collection('communities').findOne({ code: 'dengying' });
    const answer = await fetch(`${app.baseUrl}/assist`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: shazikou },
      body: new URLSearchParams({ name: '冼海英', communityId: String(community!._id), phone: '' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.getSetCookie().some((c) => c.startsWith('lsx_toast='))).toBe(true);
  });
});

describe('a claim code over HTTP', () => {
  it('as a page: no-store, the code at the resident card, and not there when the page is loaded again', async () => {
    const answer = await post('/assist?q=%E5%A7%9C%E6%A1%82%E8%8A%B3', shazikou);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const html = await answer.text();
    const code = html.match(CODE)?.[0];
    expect(code).toBeDefined();
    // At the card: after the card's opening tag, before the next card.
    const card = html.indexOf(`id="resident-${residentId}"`);
    expect(card).toBeGreaterThan(0);
    expect(html.indexOf(code!)).toBeGreaterThan(card);

    const again = await get('/assist?q=%E5%A7%9C%E6%A1%82%E8%8A%B3', shazikou);
    expect(again.status).toBe(200);
    expect(again.headers.get('cache-control')).toBe('no-store');
    const reloaded = await again.text();
    expect(reloaded).toContain('姜桂芳');
    expect(reloaded).not.toContain(code!);
    expect(reloaded).not.toMatch(/data-testid="claim-code"/);
  });

  it('at the data URL: no-store, and the data loaded again does not carry it', async () => {
    const answer = await post('/assist.data', shazikou);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const code = (await answer.text()).match(CODE)?.[0];
    expect(code).toBeDefined();
    const again = await get('/assist.data', shazikou);
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(await again.text()).not.toContain(code!);
  });

  it("another street's worker gets no code for her, and finds nobody by her name", async () => {
    const refused = await post('/assist', zhonghan);
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toMatch(CODE);
    const search = await get('/assist.data?q=%E5%A7%9C%E6%A1%82%E8%8A%B3', zhonghan);
    expect(search.status).toBe(200);
    const body = await search.text();
    expect(body).not.toContain(residentId);
    const none = await get('/assist.data?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E4%BA%BA', zhonghan);
    // Searching her looks exactly like searching someone who does not exist, but for the query.
    expect(body.replace(/姜桂芳/g, '')).toBe((await none.text()).replace(/没有这个人/g, ''));
  });
});
