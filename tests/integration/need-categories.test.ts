/**
 * The needs whistle's service categories, edited by admins through their page: a rename shows on
 * the board at once, a retired category leaves the board's filter, an edit made from an old copy
 * of the page is refused (someone else saved in between), a taken code is refused, anyone but an
 * admin gets 403, and a refusal changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, NeedCategory } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createUser, grant } from '#seeds/factories';
import { ensureNeedCategories, forgetNeedReference } from '~/features/needs/reference.server';
import { action, loader } from '~/routes/needs.categories/route';
import { loader as boardLoader } from '~/routes/needs._index/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

let admin: CookieJar;
let committee: CookieJar;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

type Row = { code: string; zh: string; en: string; order: number; active: boolean; revision: string };
const page = async (jar: CookieJar) => (await call<{ categories: Row[] }>(loader, getRequest('/needs/categories', { jar }), {})).data.categories;
const post = (jar: CookieJar, fields: Record<string, string>) => call<{ errors: string[] }>(action, formRequest('/needs/categories', fields, { jar }), {});
const boardCategories = async () => (await call<{ categories: { code: string; name: { zh: string } }[] }>(boardLoader, getRequest('/needs'), {})).data.categories;
const save = (row: Row, over: Partial<Record<'zh' | 'en' | 'order' | 'active' | 'revision', string>> = {}) => ({
  intent: 'save', code: row.code, revision: row.revision, zh: row.zh, en: row.en, order: String(row.order), ...(row.active ? { active: 'yes' } : {}), ...over,
});

beforeAll(async () => {
  await ensureNeedCategories();
  forgetNeedReference();
  await createUser({ email: 'categories-admin@example.test', roles: [grant('resident'), grant('admin')] });
  await createUser({ email: 'categories-street@example.test', roles: [grant('resident')] });
  admin = await signIn('categories-admin@example.test');
  committee = await signIn('categories-street@example.test');
});

describe('need categories', () => {
  it('renames and retires a category for every page at once; an edit from an old copy of the page is refused', async () => {
    const rows = await page(admin);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const meals = rows.find((r) => r.code === 'meals')!;
    const renamed = await post(admin, save(meals, { zh: '助餐和送餐' }));
    expect(renamed.status, JSON.stringify(renamed.data)).toBe(303);
    expect((await boardCategories()).find((c) => c.code === 'meals')?.name.zh).toBe('助餐和送餐');
    // The same old copy again: someone saved in between.
    const stale = await post(admin, save(meals, { zh: '旧页面上的名字' }));
    expect(stale.status).toBe(409);
    expect(stale.data.errors).toEqual(['stale']);
    expect((await NeedCategory.findOne({ code: 'meals' }).lean())?.name?.zh).toBe('助餐和送餐');
    // Retired: off the board's filter, kept in the list.
    const fresh = (await page(admin)).find((r) => r.code === 'meals')!;
    const { active: _on, ...unticked } = save(fresh);
    expect(_on).toBe('yes');
    expect((await post(admin, unticked)).status).toBe(303);
    expect((await boardCategories()).some((c) => c.code === 'meals')).toBe(false);
    expect((await page(admin)).find((r) => r.code === 'meals')?.active).toBe(false);
    expect(await AuditLog.countDocuments({ action: 'needCategory.saved', targetId: 'meals' })).toBe(2);
  });

  it('adds a category once; a taken code, bad input and anyone but an admin are refused with nothing changed', async () => {
    expect((await post(admin, { intent: 'add', code: 'elderCare', zh: '长者照护', en: 'Elder care', order: '30' })).status).toBe(303);
    expect((await boardCategories()).some((c) => c.code === 'elderCare')).toBe(true);
    const count = await NeedCategory.countDocuments();
    const audits = await AuditLog.countDocuments();
    const taken = await post(admin, { intent: 'add', code: 'elderCare', zh: '重复', en: 'Again', order: '31' });
    expect(taken.status).toBe(409);
    expect(taken.data.errors).toEqual(['codeTaken']);
    for (const fields of <Record<string, string>[]>[
      { intent: 'add', code: '1bad', zh: '坏代码', en: 'Bad', order: '1' },
      { intent: 'add', code: 'ok', zh: '', en: 'Empty', order: '1' },
      { intent: 'add', code: 'ok', zh: '顺序', en: 'Order', order: '-3' },
      { intent: 'save', code: 'health', zh: '健康', en: 'Health', order: '1', revision: 'yesterday' },
      { intent: 'drop', code: 'health' },
    ]) {
      const res = await post(admin, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
    }
    const health = (await page(admin)).find((r) => r.code === 'health')!;
    const refused = await call(action, formRequest('/needs/categories', save(health, { zh: '被改了' }), { jar: committee }), {});
    expect(refused.status).toBe(403);
    expect((await call(loader, getRequest('/needs/categories', { jar: committee }), {})).status).toBe(403);
    expect(await NeedCategory.countDocuments()).toBe(count);
    expect(await AuditLog.countDocuments()).toBe(audits);
    expect((await NeedCategory.findOne({ code: 'health' }).lean())?.name?.zh).toBe(health.zh);
  });
});
