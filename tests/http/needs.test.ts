import type { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAll, raw, signIn, startHttpApp, type HttpApp, type RawResponse } from './app';

/**
 * The needs whistle (红哨子) through the built server with the page cache on, as production runs
 * it, on the demo data. Information flow: no sequence of permitted requests shows a need's private
 * details (name, address, phone, situation) to anyone but its chain (the raiser, the area's
 * community workers, the street's committee) and the helper whose claim lasts: not the board under
 * any filter or page, not a need's page, `/needs/work`, the helper pages, in zh or en, as HTML or
 * data, for a visitor, a resident, a helper without the claim, a grid worker who did not raise it,
 * another street's workers; a need that is not public is a 404 outside its chain. Stateful abuse:
 * the claim's life across requests (claim, release, claim by another, done, reopen, confirm) moves
 * the access with it; refused acts write nothing; hostile bodies never reach a 5xx.
 *
 * This app uses Remix's single fetch: a page's loader data is at `<path>.data` (turbo-stream),
 * which is what the browser fetches. The older `?_data=<route id>` still answers, with no loader
 * data in it (pinned below); it is attacked too, in case that changes.
 */
let app: HttpApp;

const STREETS = ['zhonghan', 'shazikou', 'wanggezhuang', 'beizhai', 'jinjialing'] as const;
const WORKER_STREETS = ['zhonghan', 'shazikou'] as const;
const HELPER_KEYS = ['enterprise', 'organization', 'individual1', 'individual2'] as const;
const STATUSES = ['pending', 'rejected', 'open', 'claimed', 'done', 'fulfilled', 'withdrawn'];
const PUBLIC = ['open', 'claimed', 'done', 'fulfilled'];
const URGENCIES = ['low', 'normal', 'high', 'urgent'];
const PAGE_SIZE = 20;
const FORM = 'application/x-www-form-urlencoded';
const NEED_DATA = `_data=${encodeURIComponent('routes/needs.$number')}`;
const BOARD_DATA = `_data=${encodeURIComponent('routes/needs._index')}`;
const PRIVATE = 'private, no-store';

interface Grant {
  role: string;
  scopeType: string;
  scopeId?: ObjectId | null;
}

interface Viewer {
  key: string;
  cookie: string;
  id: string | null;
  name: string | null;
  roles: Grant[];
  /** The helper the account is a member of. */
  helper: string | null;
}

interface NeedRow {
  _id: ObjectId;
  number: number;
  status: string;
  street: ObjectId;
  community: ObjectId;
  streetCode: string;
  category: string;
  urgency: string;
  description: string;
  grid: string;
  raisedBy: ObjectId;
  publishedAt?: Date | null;
  claim?: { helper: ObjectId } | null;
  verification?: { note?: string } | null;
  withdrawnReason?: string | null;
}

const viewers: Record<string, Viewer> = {};
const v = (key: string) => viewers[key]!;
let needs: NeedRow[] = [];
/** Every non-empty value of every needdetails document, by the need's number. */
let details = new Map<number, string[]>();
/** What a need that is not public says of itself (description, notes, reasons): its chain's only. */
let hiddenTexts = new Map<number, string[]>();

const get = (path: string, cookie = '', headers: Record<string, string> = {}) => raw(app.baseUrl, path, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
const post = (path: string, cookie: string, body: string, type = FORM) =>
  raw(app.baseUrl, path, { method: 'POST', headers: { ...(cookie ? { cookie } : {}), 'content-type': type }, body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Runs `task` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

/**
 * What of the needs' private side is in `body`, as "#number value": every need's details but
 * those in `shows.details`, and what a need that is not public says but those in `shows.hidden`.
 */
function leaks(body: string, shows: { details?: readonly number[]; hidden?: readonly number[]; except?: ReadonlySet<string> } = {}): string[] {
  const found: string[] = [];
  for (const [number, values] of details) {
    if (shows.details?.includes(number)) continue;
    for (const value of values) if (!shows.except?.has(value) && body.includes(value)) found.push(`#${number} ${value.slice(0, 20)}`);
  }
  for (const [number, texts] of hiddenTexts) {
    if (shows.hidden?.includes(number)) continue;
    for (const text of texts) if (body.includes(text)) found.push(`#${number} (not public) ${text.slice(0, 20)}`);
  }
  return found;
}

/** How much of need `number`'s details `body` holds. */
function shown(body: string, number: number): 'all' | 'none' | 'some' {
  const own = details.get(number)!;
  const count = own.filter((value) => body.includes(value)).length;
  return count === 0 ? 'none' : count === own.length ? 'all' : 'some';
}

const need = (number: number) => needs.find((n) => n.number === number)!;
const isPublic = (n: NeedRow) => PUBLIC.includes(n.status);
/** The needs a page links to as cards. */
const listed = (html: string) => [...html.matchAll(/href="\/needs\/(\d+)"/g)].map((m) => Number(m[1]));

/** The whistle-blower's chain, as decision 028 draws it: the raiser, the area's community workers, the street's committee. */
function inChain(viewer: Viewer, n: NeedRow): boolean {
  if (viewer.id && String(n.raisedBy) === viewer.id) return true;
  return viewer.roles.some(
    (g) => (g.role === 'communityWorker' || g.role === 'streetCommittee') && (String(g.scopeId) === String(n.street) || String(g.scopeId) === String(n.community)),
  );
}

/** The chain, and the members of the helper whose claim lasts (claimed or reported done). */
function seesDetails(viewer: Viewer, n: NeedRow): boolean {
  if (inChain(viewer, n)) return true;
  return Boolean(viewer.helper && n.claim && String(n.claim.helper) === viewer.helper && (n.status === 'claimed' || n.status === 'done'));
}

async function loadNeeds(): Promise<void> {
  const streets = new Map((await app.db.collection('streets').find({}).toArray()).map((s) => [String(s._id), s.code as string]));
  needs = (await app.db.collection<NeedRow>('needs').find({}).sort({ number: 1 }).toArray()).map((n) => ({ ...n, streetCode: streets.get(String(n.street))! }));
  const numbers = new Map(needs.map((n) => [String(n._id), n.number]));
  details = new Map();
  for (const d of await app.db.collection('needdetails').find({}).toArray()) {
    details.set(numbers.get(String(d.need))!, [d.name, d.address, d.phone, d.situation].filter((value): value is string => typeof value === 'string' && value.length > 0));
  }
  // A note a public need shares ("已入户核实。") is its chain's to read there: only a hidden need's own words count.
  const publicNotes = new Set(needs.filter(isPublic).flatMap((n) => n.verification?.note ?? []));
  hiddenTexts = new Map();
  for (const n of needs.filter((row) => !isPublic(row))) {
    const notes = [n.withdrawnReason, n.verification?.note].filter((text): text is string => typeof text === 'string' && text.length > 0 && !publicNotes.has(text));
    hiddenTexts.set(n.number, [n.description, ...notes]);
  }
}

async function addViewer(key: string, identifier: string | null): Promise<void> {
  if (!identifier) {
    viewers[key] = { key, cookie: '', id: null, name: null, roles: [], helper: null };
    return;
  }
  const user = (await app.db.collection('users').findOne({ $or: [{ email: identifier }, { phone: identifier }] }))!;
  const helper = await app.db.collection('helpers').findOne({ members: user._id });
  viewers[key] = { key, cookie: await signIn(app.baseUrl, identifier), id: String(user._id), name: user.name as string, roles: user.roles as Grant[], helper: helper ? String(helper._id) : null };
}

/** Every count, and the needs, their details and the helpers as stored: a refused act changes none of it. */
async function snapshot(): Promise<string> {
  const docs = await Promise.all(['needs', 'needdetails', 'helpers'].map((name) => app.db.collection(name).find({}).sort({ _id: 1 }).toArray()));
  return JSON.stringify({ counts: await countAll(app.db), docs });
}

const statusOf = async (number: number) => (await app.db.collection('needs').findOne({ number }))?.status as string;

beforeAll(async () => {
  app = await startHttpApp('needs', { PAGE_CACHE_SECONDS: '5' });
  const accounts: [string, string | null][] = [
    ['visitor', null],
    ['resident', '13900000005'],
    ...HELPER_KEYS.map((key): [string, string] => [`helper.${key}`, `helper.${key}@demo.laoshanxing.cn`]),
    ...WORKER_STREETS.flatMap((code): [string, string][] => [
      [`community.${code}`, `community.${code}@demo.laoshanxing.cn`],
      [`street.${code}`, `street.${code}@demo.laoshanxing.cn`],
    ]),
    ['grid.shazikou', 'grid.shazikou@demo.laoshanxing.cn'],
    ['whistle.shazikou', 'whistle.shazikou@demo.laoshanxing.cn'],
  ];
  await inParallel(accounts, 3, ([key, identifier]) => addViewer(key, identifier));
  await loadNeeds();
  // The demo has needs in every state, each with its details, and every helper certified.
  expect(new Set(needs.map((n) => n.status))).toEqual(new Set(STATUSES));
  expect(details.size).toBe(needs.length);
  expect(HELPER_KEYS.every((key) => v(`helper.${key}`).helper)).toBe(true);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

/** The board's cards for a query, by the loader's rules (boardQuerySchema, listBoard). */
function expectedBoard(query: URLSearchParams, categories: ReadonlySet<string>): number[] {
  const street = query.get('street');
  const category = query.get('category');
  const urgency = query.get('urgency');
  const status = query.get('status');
  const page = Number(query.get('page'));
  const pageNumber = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
  return needs
    .filter((n) => (status && PUBLIC.includes(status) ? n.status === status : isPublic(n)))
    .filter((n) => !(street && (STREETS as readonly string[]).includes(street)) || n.streetCode === street)
    .filter((n) => !(category && categories.has(category)) || n.category === category)
    .filter((n) => !(urgency && URGENCIES.includes(urgency)) || n.urgency === urgency)
    .sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime() || b.number - a.number)
    .slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE)
    .map((n) => n.number);
}

describe('the needs whistle over HTTP: information flow', () => {
  it('the board lists exactly the public needs its filters ask for, on every page, with no private detail: zh and en, HTML (cached too) and data, visitor and resident', async () => {
    const categories = new Set((await app.db.collection('needcategories').find({}).toArray()).map((c) => c.code as string));
    const queries: Record<string, string>[] = [
      {},
      ...STREETS.map((street) => ({ street })),
      ...[...categories].map((category) => ({ category })),
      ...URGENCIES.map((urgency) => ({ urgency })),
      ...STATUSES.map((status) => ({ status })),
      // Each hidden status in the street that has a need in it, and a public one beside it.
      ...needs.filter((n) => !isPublic(n)).map((n) => ({ street: n.streetCode, status: n.status })),
      ...STREETS.map((street) => ({ street, status: 'open' })),
      ...['2', '3', '0', '-1', 'abc', '1e9', '2.5', '99'].map((page) => ({ page })),
      { status: 'pending', page: '2' },
      { status: 'fulfilled', urgency: 'high', street: 'zhonghan' },
    ];
    const searches = queries.map((q) => `?${new URLSearchParams(q).toString()}`);
    // Hostile spellings: repeated keys (the first counts), operators, case, prototype keys, patterns.
    searches.push('?status=pending&status=open', '?status[$ne]=open', '?street=zhonghan&street=shazikou', '?urgency=URGENT', '?category=__proto__', '?street=.*', '?status=');
    expect(searches.length).toBeGreaterThan(50);
    const failures: string[] = [];
    const shownOn = new Map<string, number[]>();
    let hits = 0;
    const and = (search: string) => (search === '?' ? '?' : `${search}&`);
    await inParallel(searches, 4, async (search) => {
      const expected = expectedBoard(new URLSearchParams(search), categories);
      const descriptions = expected.map((number) => need(number).description);
      const check = (label: string, response: RawResponse, html: boolean) => {
        if (response.status !== 200) {
          failures.push(`${label}: ${response.status}`);
          return;
        }
        const found = leaks(response.body);
        if (found.length) failures.push(`${label}: ${found.join(', ')}`);
        if (html && listed(response.body).join() !== expected.join()) failures.push(`${label}: lists ${listed(response.body).join()}, not ${expected.join()}`);
        // The data does carry the cards: every expected description is in it.
        if (!descriptions.every((d) => response.body.includes(d))) failures.push(`${label}: a card is missing`);
      };
      const first = await get(`/needs${search}`);
      check(`visitor ${search}`, first, true);
      shownOn.set(search, listed(first.body));
      const again = await get(`/needs${search}`);
      if (again.headers['x-page-cache'] === 'hit') hits++;
      check(`visitor again ${search}`, again, true);
      check(`visitor .data ${search}`, await get(`/needs.data${search}`), false);
      const legacy = await get(`/needs${and(search)}${BOARD_DATA}`);
      if (legacy.status !== 200 || leaks(legacy.body).length) failures.push(`visitor ?_data ${search}: ${legacy.status} ${leaks(legacy.body).join(', ')}`);
    });
    // English, and a resident (past the cache), on the unfiltered pages and one filter of each kind.
    const sample = ['?', '?page=2', '?status=pending', '?street=shazikou&status=pending', '?category=meals', '?urgency=urgent', '?status[$ne]=open'];
    await inParallel(sample, 4, async (search) => {
      const expected = expectedBoard(new URLSearchParams(search), categories);
      const descriptions = expected.map((number) => need(number).description);
      for (const [label, path, cookie] of [
        ['visitor en', `/needs${and(search)}lng=en`, ''],
        ['resident', `/needs${search}`, v('resident').cookie],
        ['resident .data', `/needs.data${search}`, v('resident').cookie],
      ] as const) {
        const response = await get(path, cookie);
        const found = leaks(response.body);
        if (response.status !== 200 || found.length || !descriptions.every((d) => response.body.includes(d))) failures.push(`${label} ${search}: ${response.status} ${found.join(', ')}`);
        if (!label.endsWith('.data') && listed(response.body).join() !== expected.join()) failures.push(`${label} ${search}: lists ${listed(response.body).join()}`);
      }
    });
    expect(failures).toEqual([]);
    // The second visit of a URL came from the page cache: the cached copies were checked too.
    expect(hits).toBeGreaterThan(searches.length * 0.9);
    // The unfiltered board's pages hold every public need once, and nothing else.
    const all = ['?', '?page=2', '?page=3'].flatMap((search) => shownOn.get(search)!);
    expect(all.sort((a, b) => a - b)).toEqual(needs.filter(isPublic).map((n) => n.number));
  }, 120_000);

  it("a public need's page shows no private detail of any need, nor its grid or verification note, outside its chain and current claim, in zh and en, as HTML and data; its chain and its claim see its details and no other need's", async () => {
    const helpers = HELPER_KEYS.map((key) => v(`helper.${key}`));
    const visits: { n: NeedRow; who: Viewer; paths: string[] }[] = [];
    for (const n of needs.filter(isPublic)) {
      const page = `/needs/${n.number}`;
      const other = n.streetCode === 'zhonghan' ? 'shazikou' : 'zhonghan';
      const outsiders = [
        { who: v('visitor'), paths: [page, `${page}?lng=en`, `${page}.data`, `${page}?${NEED_DATA}`] },
        { who: v('resident'), paths: [page] },
        // A certified helper that does not hold the claim (for a need once claimed: one that did).
        { who: helpers.find((h) => !seesDetails(h, n))!, paths: [page, `${page}.data`] },
        { who: v(`community.${other}`), paths: [`${page}.data`] },
        { who: v(`street.${other}`), paths: [page] },
        ...['grid.shazikou', 'whistle.shazikou'].filter((key) => n.streetCode === 'shazikou' && !inChain(v(key), n)).map((key) => ({ who: v(key), paths: [page] })),
      ];
      const insiders = Object.values(viewers)
        .filter((who) => seesDetails(who, n))
        .map((who) => ({ who, paths: [page, `${page}.data`] }));
      for (const visit of outsiders) expect(seesDetails(visit.who, n), `${visit.who.key} #${n.number}`).toBe(false);
      visits.push(...[...outsiders, ...insiders].map((visit) => ({ n, ...visit })));
    }
    // Each side was seen: the chain of Zhonghan's and Shazikou's needs, the helpers holding claims.
    const inside = visits.filter(({ n, who }) => seesDetails(who, n));
    expect(inside.filter(({ who }) => who.key.startsWith('community.')).length).toBeGreaterThanOrEqual(8);
    expect(inside.filter(({ who }) => who.helper).length).toBeGreaterThanOrEqual(5);
    expect(visits.filter(({ who }) => who.key === 'grid.shazikou').length).toBeGreaterThan(0);
    const failures: string[] = [];
    await inParallel(
      visits.flatMap((visit) => visit.paths.map((path) => ({ ...visit, path }))),
      6,
      async ({ n, who, path }) => {
        const sees = seesDetails(who, n);
        const response = await get(path, who.cookie);
        const label = `${who.key} ${path}`;
        if (response.status !== 200) {
          failures.push(`${label}: ${response.status}`);
          return;
        }
        const found = leaks(response.body, sees ? { details: [n.number] } : {});
        if (found.length) failures.push(`${label}: ${found.join(', ')}`);
        if (path.includes('_data')) return;
        if (!response.body.includes(n.description)) failures.push(`${label}: not the need's page`);
        if (sees && shown(response.body, n.number) !== 'all') failures.push(`${label}: its own details are missing`);
        if (!sees && response.body.includes(n.grid)) failures.push(`${label}: the grid`);
        if (!sees && n.verification?.note && response.body.includes(n.verification.note)) failures.push(`${label}: the verification note`);
      },
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('/needs/work, the helper pages and notifications show no private detail to anyone, and list a need that is not public only to its chain', async () => {
    const signedIn = Object.values(viewers).filter((who) => who.cookie);
    const paths = ['/needs/work', '/needs/work.data', '/needs/work?view=verify', '/needs/work?view=street&page=2', '/needs/work?view=claims', '/needs/work?view=mine&page=abc', '/needs/helpers/mine', '/needs/helpers', '/needs/helpers.data', '/needs/new', '/notifications'];
    // A demo resident who shares a name with a person in need is shown on notifications as that
    // resident ("王秀英认领了第 7 号微心愿"): an account's own name, not a leak.
    const accountNames = new Set((await app.db.collection('users').find({}).project({ name: 1 }).toArray()).map((u) => u.name as string));
    const failures: string[] = [];
    let hiddenListed = 0;
    await inParallel(
      signedIn.flatMap((who) => paths.map((path) => ({ who, path }))),
      6,
      async ({ who, path }) => {
        const response = await get(path, who.cookie);
        const label = `${who.key} ${path}`;
        if (response.status >= 500) failures.push(`${label}: ${response.status}`);
        const chain = needs.filter((n) => inChain(who, n)).map((n) => n.number);
        const found = leaks(response.body, { hidden: chain, except: path === '/notifications' ? accountNames : undefined });
        if (found.length) failures.push(`${label}: ${found.join(', ')}`);
        const strangers = listed(response.body).filter((number) => !isPublic(need(number)) && !chain.includes(number));
        if (strangers.length) failures.push(`${label}: lists ${strangers.join()}`);
        hiddenListed += listed(response.body).filter((number) => !isPublic(need(number))).length;
      },
    );
    expect(failures).toEqual([]);
    // The chain's lists did show needs that are not public: the check above had something to catch.
    expect(hiddenListed).toBeGreaterThan(0);
    // The committee's list of helpers (with their contact phones) is the committee's only.
    for (const key of ['resident', 'helper.enterprise', 'community.shazikou', 'grid.shazikou']) expect((await get('/needs/helpers', v(key).cookie)).status, key).toBe(403);
    expect((await get('/needs/helpers', v('street.shazikou').cookie)).status).toBe(200);
  }, 120_000);

  it('a pending, rejected or withdrawn need is a 404 with nothing of it outside its chain, as HTML and data; its chain sees it with its details', async () => {
    const hidden = needs.filter((n) => !isPublic(n));
    expect(new Set(hidden.map((n) => n.status))).toEqual(new Set(['pending', 'rejected', 'withdrawn']));
    const visits = hidden.flatMap((n) =>
      Object.values(viewers).flatMap((who) => {
        const page = `/needs/${n.number}`;
        if (inChain(who, n)) return [page, `${page}.data`].map((path) => ({ n, who, path, chain: true }));
        const paths = who.key === 'visitor' ? [page, `${page}?lng=en`, `${page}.data`, `${page}?${NEED_DATA}`] : [page, `${page}.data`];
        return paths.map((path) => ({ n, who, path, chain: false }));
      }),
    );
    expect(new Set(visits.filter((visit) => visit.chain).map((visit) => visit.n.number)).size).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    await inParallel(visits, 6, async ({ n, who, path, chain }) => {
      const response = await get(path, who.cookie);
      const label = `${who.key} ${path} (${n.status})`;
      if (response.status !== (chain ? 200 : 404)) failures.push(`${label}: ${response.status}`);
      const found = leaks(response.body, chain ? { details: [n.number], hidden: [n.number] } : {});
      if (found.length) failures.push(`${label}: ${found.join(', ')}`);
      if (chain && (shown(response.body, n.number) !== 'all' || !response.body.includes(n.description))) failures.push(`${label}: the need or its details are missing`);
    });
    expect(failures).toEqual([]);
  }, 120_000);

  it('?_data= answers carry no loader data at all here, not even for the chain: the .data URL is where a page’s data goes', async () => {
    const n = needs.find((row) => row.status === 'claimed' && row.streetCode === 'shazikou')!;
    const chain = v('community.shazikou').cookie;
    const legacy = await get(`/needs/${n.number}?${NEED_DATA}`, chain);
    expect(legacy.status).toBe(200);
    expect(legacy.body).toBe('');
    const data = await get(`/needs/${n.number}.data`, chain);
    expect(data.headers['content-type']).toBe('text/x-script; charset=utf-8');
    expect(shown(data.body, n.number)).toBe('all');
  });

  it('a page that shows details is private, no-store as HTML and as data and never comes from the page cache; the board is cached for anonymous visitors only', async () => {
    const n = needs.find((row) => row.status === 'claimed' && row.streetCode === 'shazikou')!;
    const page = `/needs/${n.number}`;
    for (const path of [page, `${page}.data`]) {
      const detailed = await get(path, v('community.shazikou').cookie);
      expect(shown(detailed.body, n.number), path).toBe('all');
      expect(detailed.headers['cache-control'], path).toBe(PRIVATE);
      expect(detailed.headers['x-page-cache'], path).toBeUndefined();
      // The same page for a visitor, twice: never stored, so never a hit.
      for (let i = 0; i < 2; i++) {
        const anonymous = await get(path);
        expect(shown(anonymous.body, n.number), path).toBe('none');
        expect(anonymous.headers['cache-control'], path).toBe(PRIVATE);
        expect(anonymous.headers['x-page-cache'], path).toBeUndefined();
      }
    }
    const helpers = await get('/needs/helpers.data', v('street.shazikou').cookie);
    expect(helpers.body).toContain('19900000300');
    expect(helpers.headers['cache-control']).toBe(PRIVATE);
    await get('/needs?urgency=high');
    const board = await get('/needs?urgency=high');
    expect(board.headers['x-page-cache']).toBe('hit');
    expect(board.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=5/);
    const signedIn = await get('/needs?urgency=high', v('helper.enterprise').cookie);
    expect(signedIn.headers['x-page-cache']).toBeUndefined();
    expect(signedIn.headers['cache-control']).toBe(PRIVATE);
  });
});

describe('the needs whistle over HTTP: stateful abuse', () => {
  it("claim, release, claim by another, done, reopen, claim, confirm: the details follow the current claim across requests, never reach a visitor after a helper's detailed view, and an ended claim can neither report done nor release", async () => {
    const n = needs.find((row) => row.status === 'open' && row.streetCode === 'shazikou')!;
    const page = `/needs/${n.number}`;
    const raiser = Object.values(viewers).find((who) => who.id === String(n.raisedBy))!;
    expect(raiser.key).toBe('whistle.shazikou');
    const a = v('helper.enterprise');
    const b = v('helper.organization');
    const act = (who: Viewer, fields: Record<string, string>) => post(page, who.cookie, form(fields));
    /** What `who` sees of the need's details, on its page and in its data. */
    const sees = async (who: Viewer) => {
      const [html, data] = await Promise.all([get(page, who.cookie), get(`${page}.data`, who.cookie)]);
      expect([html.status, data.status]).toEqual([200, 200]);
      return [shown(html.body, n.number), shown(data.body, n.number)];
    };
    /** A refused act: its status, nothing written, and the page it answers with shows what `who` may see. */
    const refused = async (who: Viewer, fields: Record<string, string>, status: number, seesNow = false) => {
      const before = await snapshot();
      const response = await act(who, fields);
      expect(response.status, `${who.key} ${fields.intent}`).toBe(status);
      expect(leaks(response.body, seesNow ? { details: [n.number] } : {}), `${who.key} ${fields.intent}`).toEqual([]);
      expect(await snapshot(), `${who.key} ${fields.intent}`).toBe(before);
    };
    const moved = async (who: Viewer, fields: Record<string, string>, status: string) => {
      const response = await act(who, fields);
      expect(response.status, `${who.key} ${fields.intent}`).toBe(303);
      expect(response.headers.location).toBe(page);
      expect(await statusOf(n.number)).toBe(status);
    };

    const audited = () => app.db.collection('auditlogs').countDocuments({ targetId: String(n._id), action: { $in: ['need.claimed', 'need.released', 'need.done', 'need.reopened', 'need.fulfilled'] } });
    const auditedBefore = await audited();
    expect(await sees(a)).toEqual(['none', 'none']);
    await moved(a, { intent: 'claim' }, 'claimed');
    expect(await sees(a)).toEqual(['all', 'all']);
    // Right after the helper's detailed view, and at the same moment as another: nothing of it for a visitor.
    const [helperView, ...others] = await Promise.all([
      get(page, a.cookie),
      get(page),
      get(page, 'lsx_lng=zh'),
      get(page, 'lsx_session=forged'),
      get(`${page}.data`),
      get(`${page}?${NEED_DATA}`),
    ]);
    expect(shown(helperView.body, n.number)).toBe('all');
    for (const response of [helperView, ...others]) expect(response.headers['x-page-cache']).toBeUndefined();
    for (const response of others) {
      expect(response.status).toBe(200);
      expect(leaks(response.body)).toEqual([]);
    }
    expect(await sees(b)).toEqual(['none', 'none']);
    // The other helper can neither give back nor report a claim that is not theirs.
    await refused(b, { intent: 'release' }, 403);
    await refused(b, { intent: 'done', note: '已经上门辅导。' }, 403);
    await refused(b, { intent: 'claim' }, 409);

    await moved(a, { intent: 'release' }, 'open');
    expect(await sees(a)).toEqual(['none', 'none']);
    // Given back: no report of it, no second giving back.
    await refused(a, { intent: 'done', note: '已经上门辅导了三次。' }, 403);
    await refused(a, { intent: 'release' }, 403);

    await moved(b, { intent: 'claim' }, 'claimed');
    expect(await sees(b)).toEqual(['all', 'all']);
    expect(await sees(a)).toEqual(['none', 'none']);
    await refused(a, { intent: 'done', note: '我来报告完成。' }, 403);
    await refused(a, { intent: 'release' }, 403);
    await moved(b, { intent: 'done', note: '志愿者每周上门陪孩子读书一次，已坚持一个月。' }, 'done');
    expect(await sees(b)).toEqual(['all', 'all']);

    // The raiser reopens it: the claim ends, and with it the helper's sight and its acts.
    await refused(raiser, { intent: 'reopen', reason: '孩子说志愿者只来过一次。' }, 400, true);
    await moved(raiser, { intent: 'reopen', reason: '孩子说志愿者只来过一次。', confirm: 'yes' }, 'open');
    expect(await sees(b)).toEqual(['none', 'none']);
    await refused(b, { intent: 'done', note: '补交的报告。' }, 403);
    await refused(b, { intent: 'release' }, 403);

    // Claimed again and reported done; the raiser confirms, and the helper no longer sees the person.
    await moved(a, { intent: 'claim' }, 'claimed');
    await moved(a, { intent: 'done', note: '每周六上午陪孩子读书写作业，持续四周。' }, 'done');
    await moved(raiser, { intent: 'confirm', confirm: 'yes' }, 'fulfilled');
    expect(await sees(a)).toEqual(['none', 'none']);
    expect(await sees(raiser)).toEqual(['all', 'all']);
    await refused(a, { intent: 'done', note: '再报一次。' }, 403);
    await refused(a, { intent: 'release' }, 403);
    const stored = (await app.db.collection('needs').findOne({ _id: n._id }))!;
    expect((stored.claims as { outcome: string }[]).slice(-4).map((c) => c.outcome)).toEqual(['released', 'released', 'reopened', 'fulfilled']);
    // Three claims, one release, two reports, one reopening, one confirmation: each act once, the refused ones not at all.
    expect((await audited()) - auditedBefore).toBe(8);
  }, 120_000);

  it("nobody but the raiser or the street's committee confirms a need reported done: refused, and nothing is written", async () => {
    const n = needs.find((row) => row.status === 'done' && row.streetCode === 'zhonghan')!;
    const page = `/needs/${n.number}`;
    const claimant = HELPER_KEYS.map((key) => v(`helper.${key}`)).find((who) => seesDetails(who, n))!;
    expect(claimant).toBeDefined();
    const outsiders = [claimant, v('helper.enterprise'), v('resident'), v('community.zhonghan'), v('street.shazikou'), v('community.shazikou'), v('grid.shazikou'), v('whistle.shazikou')];
    const before = await snapshot();
    for (const who of outsiders) {
      const response = await post(page, who.cookie, form({ intent: 'confirm', confirm: 'yes' }));
      expect(response.status, who.key).toBe(403);
    }
    // Signed out: sent to sign in.
    const anonymous = await post(page, '', form({ intent: 'confirm', confirm: 'yes' }));
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    // The committee without the confirming tick: asked to confirm, nothing done.
    expect((await post(page, v('street.zhonghan').cookie, form({ intent: 'confirm' }))).status).toBe(400);
    expect(await snapshot()).toBe(before);
    expect(await statusOf(n.number)).toBe('done');
    const confirmed = await post(page, v('street.zhonghan').cookie, form({ intent: 'confirm', confirm: 'yes' }));
    expect(confirmed.status).toBe(303);
    expect(await statusOf(n.number)).toBe('fulfilled');
    const after = await get(`${page}.data`, claimant.cookie);
    expect(shown(after.body, n.number)).toBe('none');
    expect((await post(page, claimant.cookie, form({ intent: 'done', note: '再报告一次。' }))).status).toBe(403);
  });

  it("another street's workers can neither verify nor withdraw nor see a Shazikou need raised over HTTP; Shazikou's own worker publishes it, without its details", async () => {
    const shazikou = await app.db.collection('streets').findOne({ code: 'shazikou' });
    const community = await app.db.collection('communities').findOne({ street: shazikou!._id });
    const secret = { name: '欧阳测试', address: '沙子口街道测试小区东门旁平房', phone: '19912340000', situation: '只有社区知道的情况：独居，不愿意让邻居知道。' };
    const raised = await post(
      '/needs/new',
      v('grid.shazikou').cookie,
      form({ category: 'errands', urgency: 'normal', community: String(community!._id), grid: '测试网格甲', description: '一位行动不便的老人需要有人每周帮忙买一次菜。', raisedAs: 'gridWorker', ...secret }),
    );
    expect(raised.status).toBe(303);
    const number = Number(/^\/needs\/(\d+)$/.exec(raised.headers.location as string)?.[1]);
    await loadNeeds();
    expect(need(number).status).toBe('pending');
    expect(details.get(number)).toEqual([secret.name, secret.address, secret.phone, secret.situation]);
    const page = `/needs/${number}`;
    const before = await snapshot();
    const attempts: Record<string, string>[] = [
      { intent: 'verify', authentic: 'yes', note: '越权核实' },
      { intent: 'verify', authentic: 'no', confirm: 'yes', note: '越权驳回' },
    ];
    for (const fields of attempts) {
      expect((await post(page, v('community.zhonghan').cookie, form(fields))).status).toBe(403);
    }
    expect((await post(page, v('street.zhonghan').cookie, form({ intent: 'withdraw', reason: '越权撤回', confirm: 'yes' }))).status).toBe(403);
    // Nor, in Shazikou, the grid worker who raised it or a whistle-blower: verifying is the community workers'.
    for (const key of ['grid.shazikou', 'whistle.shazikou']) expect((await post(page, v(key).cookie, form({ intent: 'verify', authentic: 'yes' }))).status, key).toBe(403);
    expect(await snapshot()).toBe(before);
    for (const key of ['community.zhonghan', 'street.zhonghan', 'whistle.shazikou', 'helper.organization']) {
      for (const path of [page, `${page}.data`]) {
        const response = await get(path, v(key).cookie);
        expect(response.status, `${key} ${path}`).toBe(404);
        expect(leaks(response.body), `${key} ${path}`).toEqual([]);
      }
    }
    expect(listed((await get('/needs/work?view=verify', v('community.zhonghan').cookie)).body)).not.toContain(number);
    expect(listed((await get('/needs/work?view=verify', v('community.shazikou').cookie)).body)).toContain(number);

    const verified = await post(page, v('community.shazikou').cookie, form({ intent: 'verify', authentic: 'yes', note: '已电话核实。' }));
    expect(verified.status).toBe(303);
    expect(await statusOf(number)).toBe('open');
    for (const path of [page, `${page}.data`]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.body, path).toContain('一位行动不便的老人需要有人每周帮忙买一次菜。');
      expect(shown(response.body, number), path).toBe('none');
      expect(response.body, path).not.toContain('测试网格甲');
    }
    expect(listed((await get('/needs?street=shazikou')).body)).toContain(number);
  });

  it('hostile bodies and malformed numbers get a 4xx, never a 5xx, and change nothing', async () => {
    const pending = needs.find((n) => n.status === 'pending' && n.streetCode === 'shazikou')!;
    const claimed = needs.find((n) => n.status === 'claimed' && n.streetCode === 'shazikou')!;
    const claimant = HELPER_KEYS.map((key) => v(`helper.${key}`)).find((who) => seesDetails(who, claimed))!;
    const raiser = Object.values(viewers).find((who) => who.id === String(pending.raisedBy))!;
    expect(claimant).toBeDefined();
    expect(raiser).toBeDefined();
    const verifier = v('community.shazikou').cookie;
    // Far past every field's limit (1,000 characters), well within what a form body may be.
    const huge = 'x'.repeat(300_000);
    const multipart = (parts: { name: string; value: string; filename?: string }[]) =>
      parts.map((p) => `--b\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"\r\nContent-Type: image/png` : ''}\r\n\r\n${p.value}\r\n`).join('') + '--b--\r\n';
    const notAnImage = { name: 'photos', value: 'GIF89a<script>alert(1)</script>', filename: 'photo.png' };
    const attempts: { path: string; cookie: string; body: string; type?: string; status: number }[] = [
      { path: `/needs/${pending.number}`, cookie: verifier, body: JSON.stringify({ intent: 'verify', authentic: 'yes' }), type: 'application/json', status: 415 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: 'intent=verify&authentic=yes', type: 'text/plain', status: 415 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: 'intent=verify&authentic=yes', type: 'multipart/form-data', status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ authentic: 'yes' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ intent: '' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ intent: 'VERIFY', authentic: 'yes' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: 'intent[$ne]=x&authentic=yes', status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ intent: 'verify', authentic: 'maybe' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: 'intent=verify&authentic[$in]=yes', status: 400 },
      // Not authentic closes it for good: asked first.
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ intent: 'verify', authentic: 'no' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: verifier, body: form({ intent: 'verify', authentic: 'yes', note: huge }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: raiser.cookie, body: form({ intent: 'withdraw', reason: huge, confirm: 'yes' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: raiser.cookie, body: form({ intent: 'withdraw', reason: '不需要了' }), status: 400 },
      { path: `/needs/${pending.number}`, cookie: raiser.cookie, body: form({ intent: 'withdraw', reason: '不需要了', confirm: 'YES' }), status: 400 },
      { path: `/needs/${claimed.number}`, cookie: claimant.cookie, body: form({ intent: 'done', note: huge }), status: 400 },
      { path: `/needs/${claimed.number}`, cookie: claimant.cookie, body: form({ intent: 'done', note: '   ' }), status: 400 },
      { path: `/needs/${claimed.number}`, cookie: claimant.cookie, body: '--b\r\nbroken', type: 'multipart/form-data; boundary=b', status: 400 },
      { path: `/needs/${claimed.number}`, cookie: claimant.cookie, body: multipart([{ name: 'intent', value: 'done' }, { name: 'note', value: huge }]), type: 'multipart/form-data; boundary=b', status: 400 },
      {
        path: `/needs/${claimed.number}`,
        cookie: claimant.cookie,
        body: multipart([{ name: 'intent', value: 'done' }, { name: 'note', value: '已陪同就医。' }, { name: 'peopleConsent', value: 'yes' }, notAnImage]),
        type: 'multipart/form-data; boundary=b',
        status: 400,
      },
      {
        path: `/needs/${claimed.number}`,
        cookie: claimant.cookie,
        body: multipart([{ name: 'intent', value: 'done' }, { name: 'note', value: '已陪同就医。' }, { name: 'peopleConsent', value: 'yes' }, notAnImage, notAnImage, notAnImage, notAnImage]),
        type: 'multipart/form-data; boundary=b',
        status: 400,
      },
      // Repeated, the last intent counts: claiming a need the helper already holds.
      { path: `/needs/${claimed.number}`, cookie: claimant.cookie, body: 'intent=release&intent=claim', status: 409 },
    ];
    // A need's number written any way but the one a link writes (here, an open need's): no need is
    // found, so a certified helper's claim lands nowhere.
    const open = needs.find((n) => n.status === 'open' && n.streetCode === 'jinjialing')!.number;
    const spellings = ['0', '-1', 'abc', '1.5', `${open}.0`, `${open / 10}e1`, `0x${open.toString(16)}`, `0${open}`, `+${open}`, `%20${open}`, `${open}%20`, `${open}%00`, '99999999999999999999', '1000000000000000'];
    for (const spelling of spellings) attempts.push({ path: `/needs/${spelling}`, cookie: v('helper.individual2').cookie, body: form({ intent: 'claim' }), status: 404 });
    const before = await snapshot();
    for (const attempt of attempts) {
      const response = await post(attempt.path, attempt.cookie, attempt.body, attempt.type);
      const label = `${attempt.path} ${attempt.body.slice(0, 80)}`;
      expect(response.status, label).toBe(attempt.status);
      expect(leaks(response.body, { details: [pending.number, claimed.number], hidden: [pending.number] }), label).toEqual([]);
    }
    for (const spelling of spellings) {
      for (const path of [`/needs/${spelling}`, `/needs/${spelling}.data`, `/needs/${spelling}/share`]) expect((await get(path, v('community.shazikou').cookie)).status, path).toBe(404);
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);
});
