import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Wish } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createStreet, createUser, grant } from '#seeds/factories';
import { fixedT } from '~/core/i18n.server';
import type { WishStatus } from '~/features/wishes/rules';
import { action as loginAction } from '~/routes/login/route';
import { action as claimAction, loader as claimLoader } from '~/routes/wishes.$number_.claim/route';
import { action as manageOneAction, loader as manageOneLoader } from '~/routes/wishes.$number_.manage/route';
import { loader as wishLoader } from '~/routes/wishes.$number/route';
import { loader as wallLoader } from '~/routes/wishes._index/route';
import { loader as manageLoader } from '~/routes/wishes.manage/route';
import { action as mineAction, loader as mineLoader } from '~/routes/wishes.mine/route';
import { action as newAction } from '~/routes/wishes.new/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/**
 * The micro-wishes' pages through their loaders and actions: the claim flow as a phone does it
 * (sign-in and back, confirm, my wishes, delivered), the worker's list by community within the
 * area (a community grant sees only its community), a registration with bad input answered with
 * field errors that translate and nothing stored, and the public pages carrying nobody's id.
 */
let street: Types.ObjectId;
let community: Types.ObjectId;
let neighbour: Types.ObjectId;
const jars: Record<'resident' | 'streetWorker' | 'communityWorker', CookieJar> = {} as never;
const ids: Record<string, string> = {};

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

async function wish(number: number, place: Types.ObjectId, status: WishStatus = 'open') {
  await Wish.create({
    number,
    kind: 'item',
    title: `心愿${number}`,
    valueFen: 80_00,
    child: { initial: '悦', term: 'child', age: 5 },
    street,
    community: place,
    registeredBy: new Types.ObjectId(ids.streetWorker),
    status,
  });
}

beforeAll(async () => {
  street = (await createStreet({ code: 'routes-street' }))._id;
  community = (await createCommunity({ street, code: 'routes-a' }))._id;
  neighbour = (await createCommunity({ street, code: 'routes-b' }))._id;
  const people = {
    resident: { name: '认领居民', roles: [grant('resident')] },
    streetWorker: { name: '街道网格员', roles: [grant('resident'), grant('gridWorker', 'street', street)] },
    communityWorker: { name: '社区工作者', roles: [grant('resident'), grant('communityWorker', 'community', community)] },
  };
  for (const [key, person] of Object.entries(people)) {
    const user = await createUser({ ...person, email: `wish-routes-${key}@example.test`, phone: key === 'resident' ? '19912340001' : undefined });
    ids[key] = String(user._id);
    jars[key as keyof typeof jars] = await signIn(`wish-routes-${key}@example.test`);
  }
  await wish(1, community);
  await wish(2, neighbour);
  await wish(3, neighbour, 'withdrawn');
});

describe('claiming from a phone', () => {
  it('a visitor tapping 认领 is sent to sign in and back to the same wish', async () => {
    const outcome = await call(claimLoader, getRequest('/wishes/1/claim'), { number: '1' });
    expect(outcome).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: '/wishes/1/claim' })}`);
  });

  it('the claim step defaults to the account name, claims with one post and lands on "my wishes" with a toast; it is then marked delivered', async () => {
    const page = await call<{ accountName: string; atLimit: boolean }>(claimLoader, getRequest('/wishes/1/claim', { jar: jars.resident }), { number: '1' });
    expect(page.data).toMatchObject({ accountName: '认领居民', atLimit: false });
    const claimed = await call(claimAction, formRequest('/wishes/1/claim', { displayAs: 'account' }, { jar: jars.resident }), { number: '1' });
    expect(claimed).toRedirectTo('/wishes/mine#wish-1', 303);
    await expect(claimed).toSendToast({ type: 'success', key: 'wishes:toast.claimed', values: { number: 1, days: 14 } });
    const mine = await call<{ claims: { number: number; status: string; displayName: string }[]; open: number }>(mineLoader, getRequest('/wishes/mine', { jar: jars.resident }));
    expect(mine.data.claims.map((c) => [c.number, c.status, c.displayName])).toEqual([[1, 'claimed', '认领居民']]);
    expect(mine.data.open).toBe(1);
    const delivered = await call(mineAction, formRequest('/wishes/mine', { intent: 'deliver', number: '1', note: '已交给社区' }, { jar: jars.resident }));
    await expect(delivered).toSendToast({ type: 'success', key: 'wishes:toast.delivered', values: { number: 1 } });
    expect((await Wish.findOne({ number: 1 }).lean())?.status).toBe('delivered');
  });

  it('a unit name is required when chosen: 400 with the field error, what was typed kept, nothing claimed', async () => {
    const outcome = await call<{ errors: Record<string, string[]>; typed: { displayAs: string } }>(
      claimAction,
      formRequest('/wishes/2/claim', { displayAs: 'unit', unitName: '  ' }, { jar: jars.resident }),
      { number: '2' },
    );
    expect(outcome.status).toBe(400);
    expect(outcome.data.errors).toEqual({ unitName: ['unitNameRequired'] });
    expect(outcome.data.typed.displayAs).toBe('unit');
    expect(fixedT('zh', ['wishes'])('wishes:error.unitNameRequired')).toMatch(/单位/);
    expect((await Wish.findOne({ number: 2 }).lean())?.status).toBe('open');
  });

  it('the public wish page and wall never carry an account id, and a withdrawn wish is not found', async () => {
    const page = await call<{ wish: { community: { zh: string } | null } }>(wishLoader, getRequest('/wishes/1'), { number: '1' });
    expect(page.data.wish.community?.zh).toBe('routes-a社区');
    const wall = await call(wallLoader, getRequest('/wishes?community=routes-b'));
    for (const text of [JSON.stringify(page.data), JSON.stringify(wall.data)]) {
      for (const id of Object.values(ids)) expect(text).not.toContain(id);
      expect(text).not.toContain('19912340001');
    }
    expect((wall.data as { cards: { number: number }[] }).cards.map((c) => c.number)).toEqual([2]);
    expect((await call(wishLoader, getRequest('/wishes/3'), { number: '3' })).status).toBe(404);
  });
});

describe("a worker's pages", () => {
  it('a community worker lists only their community; the street worker the whole street, by community on request', async () => {
    type List = { wishes: { number: number }[] };
    const numbers = (outcome: { data: unknown }) => (outcome.data as List).wishes.map((w) => w.number).sort((a, b) => a - b);
    expect(numbers(await call(manageLoader, getRequest('/wishes/manage', { jar: jars.communityWorker })))).toEqual([1]);
    expect(numbers(await call(manageLoader, getRequest('/wishes/manage', { jar: jars.streetWorker })))).toEqual([1, 2, 3]);
    expect(numbers(await call(manageLoader, getRequest('/wishes/manage?community=routes-b&status=open', { jar: jars.streetWorker })))).toEqual([2]);
    // A community outside their area reads as nothing, not as the other community's wishes.
    expect(numbers(await call(manageLoader, getRequest('/wishes/manage?community=routes-b', { jar: jars.communityWorker })))).toEqual([]);
    expect((await call(manageOneLoader, getRequest('/wishes/2/manage', { jar: jars.communityWorker }), { number: '2' })).status).toBe(403);
  });

  it('registration with bad input answers 400 with translatable field errors and keeps what was typed; nothing is stored', async () => {
    const before = await Wish.countDocuments();
    const fields = { kind: 'item', title: '', value: '888', childInitial: '王小明', childTerm: 'student', childAge: '30', community: String(community), description: '妈妈电话13912345678' };
    const outcome = await call<{ result: { error: Record<string, string[]>; initialValue: Record<string, string> } }>(newAction, formRequest('/wishes/new', fields, { jar: jars.communityWorker }));
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toEqual({
      title: ['titleRequired'],
      value: ['valueTooLarge'],
      childInitial: ['initialOneCharacter'],
      childAge: ['ageInvalid'],
      description: ['identifyingDetail'],
    });
    expect(outcome.data.result.initialValue).toMatchObject({ value: '888', childInitial: '王小明' });
    const t = fixedT('en', ['wishes']);
    for (const key of Object.values(outcome.data.result.error).flat()) expect(t(`wishes:error.${key}`)).not.toMatch(/^wishes:/);
    expect(await Wish.countDocuments()).toBe(before);
    // The neighbouring community is not this worker's: the community field's error, 403, nothing stored.
    const outside = await call(
      newAction,
      formRequest('/wishes/new', { ...fields, title: '一本字典', value: '45', childInitial: '明', childAge: '9', description: '', community: String(neighbour) }, { jar: jars.communityWorker }),
    );
    expect(outside.status).toBe(403);
    expect(await Wish.countDocuments()).toBe(before);
  });

  it('confirming needs the tick: without it 400 and nothing changes; with it confirmed and audited', async () => {
    const unticked = await call<{ errors: Record<string, string[]> }>(manageOneAction, formRequest('/wishes/1/manage', { intent: 'confirm' }, { jar: jars.communityWorker }), { number: '1' });
    expect(unticked.status).toBe(400);
    expect(unticked.data.errors.confirm).toEqual(['confirmRequired']);
    expect((await Wish.findOne({ number: 1 }).lean())?.status).toBe('delivered');
    const ticked = await call(manageOneAction, formRequest('/wishes/1/manage', { intent: 'confirm', confirm: 'yes' }, { jar: jars.communityWorker }), { number: '1' });
    await expect(ticked).toSendToast({ type: 'success', key: 'wishes:toast.confirmed', values: { number: 1 } });
    expect((await Wish.findOne({ number: 1 }).lean())?.status).toBe('confirmed');
    expect(await AuditLog.countDocuments({ action: 'wish.confirmed', actor: new Types.ObjectId(ids.communityWorker) })).toBe(1);
  });
});
