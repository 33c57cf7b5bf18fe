import mongoose, { Types } from 'mongoose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { User } from '#models';
import { createCommunity, createStreet, createUser, grant } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { listAssistableResidents, RESIDENTS_PER_PAGE } from '~/features/accounts/assist.server';
import type { SessionUser } from '~/core/auth.server';
import { action as assistAction, headers as assistHeaders, loader as assistLoader } from '~/routes/assist/route';
import { action as loginAction } from '~/routes/login/route';
import { action as verifyAction, loader as verifyLoader } from '~/routes/assist_.verify/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/**
 * Issue 12, items 10 and 12: the grid worker's resident list is paged and searched by name or by
 * the last four digits of a number, only ever within the worker's area, in a constant number of
 * round trips; a claim code is answered once, never stored by a cache, never shown by a reload.
 */
type Listed = { id: string; name: string; phone: string | null };
type Page = { residents: Listed[]; page: number; pages: number; total: number; q: string };
type ClaimAnswer = { error: string | null; claim: { code: string; residentName: string; residentHint: string; slip: Record<string, string> } | null };

let street: Types.ObjectId;
let community: Types.ObjectId;
let elsewhere: Types.ObjectId;
let workerJar: CookieJar;
let worker: SessionUser;
let inArea: string[];
let offlineId: string;
const PAGED = 45;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

const list = (query: string) => call<Page>(assistLoader, getRequest(`/assist?${new URLSearchParams({ q: query })}`, { jar: workerJar }));

beforeAll(async () => {
  street = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  elsewhere = (await createCommunity())._id;
  const workerDoc = await createUser({ email: 'list-worker@example.test', roles: [grant('resident'), grant('gridWorker', 'street', street)] });
  worker = { id: String(workerDoc._id), name: workerDoc.name, language: 'zh', streetId: null, communityId: null, roles: [{ role: 'gridWorker', scopeType: 'street', scopeId: String(street) }] };
  for (let i = 0; i < PAGED; i++) {
    await createUser({ name: `分页居民${String(i).padStart(2, '0')}`, phone: `1390000${String(1000 + i)}`, street, community, roles: [grant('resident')] });
  }
  // Outside the worker's street: same kind of name, a number the worker must never learn.
  await createUser({ name: '外区居民甲', phone: '13812345678', street: (await createStreet())._id, community: elsewhere, roles: [grant('resident')] });
  const offline = await User.create({ name: '待认领居民', phone: '13655550001', street, community, roles: [{ role: 'resident', scopeType: 'platform' }], assistedBy: workerDoc._id });
  offlineId = String(offline._id);
  inArea = (await User.find({ street, 'roles.role': 'resident' }).select('_id').lean()).map((u) => String(u._id));
  workerJar = await signIn('list-worker@example.test');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the assist list is paged', () => {
  it(`shows ${RESIDENTS_PER_PAGE} residents a page; together the pages hold each resident of the area exactly once`, async () => {
    const first = await call<Page>(assistLoader, getRequest('/assist', { jar: workerJar }));
    expect(first.data.total).toBe(inArea.length);
    expect(first.data.pages).toBe(Math.ceil(inArea.length / RESIDENTS_PER_PAGE));
    expect(first.data.residents).toHaveLength(RESIDENTS_PER_PAGE);
    // The resident the worker registered comes first: they most need help.
    expect(first.data.residents[0]?.name).toBe('待认领居民');
    const seen = [...first.data.residents.map((r) => r.id)];
    for (let page = 2; page <= first.data.pages; page++) {
      const next = await call<Page>(assistLoader, getRequest(`/assist?page=${page}`, { jar: workerJar }));
      expect(next.data.page).toBe(page);
      seen.push(...next.data.residents.map((r) => r.id));
    }
    expect(seen).toHaveLength(inArea.length);
    expect(new Set(seen)).toEqual(new Set(inArea));
  });

  it('a page number past the end, below one or not a number shows the last or first page', async () => {
    const last = await call<Page>(assistLoader, getRequest('/assist?page=999', { jar: workerJar }));
    expect(last.data.page).toBe(last.data.pages);
    expect(last.data.residents.length).toBeGreaterThan(0);
    for (const odd of ['0', '-3', 'abc']) expect((await call<Page>(assistLoader, getRequest(`/assist?page=${odd}`, { jar: workerJar }))).data.page).toBe(1);
  });

  it('costs the same three round trips for a page of an area with one resident as for one with 47', async () => {
    const small: SessionUser = { ...worker, roles: [{ role: 'gridWorker', scopeType: 'community', scopeId: String(elsewhere) }] };
    const exec = vi.spyOn(mongoose.Query.prototype, 'exec');
    await listAssistableResidents(small, { query: '', page: 1 });
    const few = exec.mock.calls.length;
    exec.mockClear();
    await listAssistableResidents(worker, { query: '', page: 2 });
    const many = exec.mock.calls.length;
    expect(many).toBeLessThanOrEqual(3);
    expect(many).toBe(few);
  });
});

describe('the assist list is searched, within the area only', () => {
  it('by part of a name, across pages', async () => {
    const found = await list('分页居民4');
    expect(found.data.residents.map((r) => r.name).sort()).toEqual(['分页居民40', '分页居民41', '分页居民42', '分页居民43', '分页居民44']);
    expect(found.data.total).toBe(5);
  });

  it('by the last four digits of a number, which the list shows masked anyway', async () => {
    const found = await list('1007');
    expect(found.data.residents.map((r) => [r.name, r.phone])).toEqual([['分页居民07', '139****1007']]);
  });

  it('an out-of-area resident is not found by name, by the end of the number or by the whole number, and the answer is that for nobody at all', async () => {
    const nobody = await list('不存在的名字');
    for (const query of ['外区居民甲', '外区', '5678', '13812345678', '1381234', '2345678']) {
      const answer = await list(query);
      expect(answer.status).toBe(200);
      expect({ ...answer.data, q: '' }).toEqual({ ...nobody.data, q: '' });
    }
    expect(JSON.stringify((await list('')).data)).not.toContain('13812345678');
  });

  it('digits other than exactly four are taken as a name, so a number cannot be confirmed piece by piece', async () => {
    for (const query of ['13900001007', '00001007', '1390000', '007']) expect((await list(query)).data.total).toBe(0);
  });

  it('searching an out-of-area name costs the same round trips as an in-area one (no timing hint)', async () => {
    const exec = vi.spyOn(mongoose.Query.prototype, 'exec');
    await listAssistableResidents(worker, { query: '外区居民甲', page: 1 });
    const outside = exec.mock.calls.length;
    exec.mockClear();
    await listAssistableResidents(worker, { query: '不存在的名字', page: 1 });
    expect(exec.mock.calls.length).toBe(outside);
  });
});

describe('a claim code is shown once', () => {
  it('is answered with Cache-Control: no-store and the slip in Chinese, and the page loaded again does not hold it', async () => {
    const issued = await call<ClaimAnswer>(assistAction, formRequest('/assist', { intent: 'claimCode', residentId: offlineId }, { jar: workerJar }));
    expect(issued.status).toBe(200);
    expect(issued.headers.get('Cache-Control')).toBe('no-store');
    const claim = issued.data.claim!;
    expect(claim.code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(claim.residentName).toBe('待认领居民');
    expect(claim.residentHint).toBe('136****0001');
    expect(claim.slip.how).toContain('/claim');
    expect(claim.slip.title).toContain('认领单');
    expect(JSON.stringify(issued.data)).not.toContain('13655550001');

    const reload = await call<Page>(assistLoader, getRequest('/assist', { jar: workerJar }));
    expect(reload.headers.get('Cache-Control')).toBe('no-store');
    const text = JSON.stringify(reload.data);
    expect(text).not.toContain(claim.code);
    expect(text).not.toContain(claim.code.replace('-', ''));
    // The document response, too, whatever answered.
    expect(new Headers(assistHeaders({ actionHeaders: new Headers(), loaderHeaders: new Headers(), parentHeaders: new Headers(), errorHeaders: undefined })).get('Cache-Control')).toBe('no-store');
  });

  it('is refused for a resident outside the area with the same answer as for one who does not exist', async () => {
    const outside = await User.findOne({ name: '外区居民甲' }).lean();
    const refused = await call<ClaimAnswer>(assistAction, formRequest('/assist', { intent: 'claimCode', residentId: String(outside!._id) }, { jar: workerJar }));
    const missing = await call<ClaimAnswer>(assistAction, formRequest('/assist', { intent: 'claimCode', residentId: String(new Types.ObjectId()) }, { jar: workerJar }));
    expect(refused.status).toBe(400);
    expect(refused.data.claim).toBeNull();
    expect({ ...refused.data, residentId: '' }).toEqual({ ...missing.data, residentId: '' });
  });
});

describe('the verify page is short on a phone', () => {
  type VerifyPage = { scope: string; residents: { id: string; name: string; verifiedHere: boolean }[]; page: number; pages: number; total: number };
  const verifyPage = (query: string) => call<VerifyPage>(verifyLoader, getRequest(`/assist/verify${query}`, { jar: workerJar }));

  it('lists the area ten residents a page, filtered by verified or not; saving comes back to the same page and filter', async () => {
    const first = await verifyPage('');
    expect(first.data.residents).toHaveLength(10);
    expect(first.data.total).toBe(inArea.length);
    const all: string[] = [];
    for (let page = 1; page <= first.data.pages; page++) all.push(...(await verifyPage(`?page=${page}`)).data.residents.map((r) => r.id));
    expect(new Set(all)).toEqual(new Set(inArea));
    expect(all).toHaveLength(inArea.length);

    const target = first.data.residents[3]!;
    const form = { intent: 'verify', residentId: target.id, scope: first.data.scope, method: 'knownInPerson', until: `${new Date().getUTCFullYear()}-12-31`, q: '', shown: 'unverified', page: '2' };
    const saved = await call(verifyAction, formRequest('/assist/verify', form, { jar: workerJar }));
    expect(saved).toRedirectTo(`/assist/verify?${new URLSearchParams({ scope: first.data.scope, shown: 'unverified', page: '2' })}`, 303);

    const verified = await verifyPage('?shown=verified');
    expect(verified.data.residents.map((r) => r.id)).toEqual([target.id]);
    const unverified = await verifyPage('?shown=unverified');
    expect(unverified.data.total).toBe(inArea.length - 1);
    expect(unverified.data.residents.every((r) => !r.verifiedHere)).toBe(true);
  });

  it('an out-of-area resident is on no page and found by no search', async () => {
    const outside = (await User.findOne({ name: '外区居民甲' }).lean())!;
    const pages = (await verifyPage('')).data.pages;
    for (let page = 1; page <= pages; page++) expect((await verifyPage(`?page=${page}`)).data.residents.map((r) => r.id)).not.toContain(String(outside._id));
    expect((await verifyPage(`?q=${encodeURIComponent('外区居民甲')}`)).data.residents).toEqual([]);
  });
});
