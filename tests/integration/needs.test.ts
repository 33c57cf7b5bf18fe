/**
 * The needs whistle (issue 16) through its routes, as each person of the story: private details
 * never reach the board, a need's page for anyone outside the chain, a helper before the claim
 * or after it ends, or another street's worker; twenty helpers claiming at once make one claim;
 * only the whistle-blower or the street's committee confirms; unverified needs are not public;
 * escalation is idempotent.
 */
import mongoose, { type Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Helper, Need, NeedDetail, Notification } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createStreet, createUser, grant } from '#seeds/factories';
import type { SessionUser } from '~/core/auth.server';
import { escalateStaleNeeds } from '~/features/needs/escalation.server';
import { applyAsHelper, decideHelper, listHelpers } from '~/features/needs/helpers.server';
import { claimNeed, verifyNeed } from '~/features/needs/lifecycle.server';
import { ensureNeedCategories, forgetNeedReference } from '~/features/needs/reference.server';
import { loader as boardLoader } from '~/routes/needs._index/route';
import { action as needAction, loader as needLoader } from '~/routes/needs.$number/route';
import { action as raiseAction } from '~/routes/needs.new/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const SECRET = { name: '李桂芳', phone: '13955501234', address: '海口路66号3单元', situation: '独居，有高血压，儿子在外地' };
const DAY = 86_400_000;

type Person = 'raiser' | 'verifier' | 'verifierOther' | 'streetCommittee' | 'streetCommitteeOther' | 'helper' | 'helper2' | 'resident' | 'pendingHelper';
const jars = {} as Record<Person, CookieJar>;
const users = {} as Record<Person, SessionUser>;
let community: Types.ObjectId;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

const session = (doc: { _id: Types.ObjectId; name: string; roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[] }): SessionUser => ({
  id: String(doc._id),
  name: doc.name,
  language: 'zh',
  streetId: null,
  communityId: null,
  roles: doc.roles.map((g) => ({ role: g.role as never, scopeType: g.scopeType as never, scopeId: g.scopeId ? String(g.scopeId) : null })),
});

const page = (number: number, who?: Person) => call<{ need: Record<string, unknown> }>(needLoader, getRequest(`/needs/${number}`, who ? { jar: jars[who] } : {}), { number: String(number) });
const act = (number: number, who: Person, fields: Record<string, string>) => call<{ errors: string[] }>(needAction, formRequest(`/needs/${number}`, fields, { jar: jars[who] }), { number: String(number) });
const board = async () => JSON.stringify((await call(boardLoader, getRequest('/needs'))).data);
const leaks = (text: string) => Object.values(SECRET).filter((value) => text.includes(value));

async function raise(description = '一位独居老人行动不便，需要每周两次陪同就医。') {
  const res = await call(
    raiseAction,
    formRequest('/needs/new', { category: 'medicalVisit', urgency: 'high', community: String(community), grid: '第2网格', description, raisedAs: 'residentRep', ...SECRET }, { jar: jars.raiser }),
  );
  expect(res.status, JSON.stringify(res.data)).toBe(303);
  return Number(res.location!.split('/').pop());
}

beforeAll(async () => {
  await ensureNeedCategories();
  forgetNeedReference();
  const street = await createStreet({ code: 'needs-street' });
  const otherStreet = await createStreet({ code: 'needs-other' });
  community = (await createCommunity({ street: street._id, code: 'needs-community' }))._id;
  await createCommunity({ street: otherStreet._id, code: 'needs-other-community' });
  forgetNeedReference();
  const make = async (key: Person, roles: ReturnType<typeof grant>[]) => {
    const doc = await createUser({ email: `needs-${key.toLowerCase()}@example.test`, roles: [grant('resident'), ...roles] });
    users[key] = session(doc);
    jars[key] = await signIn(doc.email!);
  };
  await make('raiser', [grant('whistleBlower', 'community', community)]);
  await make('verifier', [grant('communityWorker', 'street', street._id)]);
  await make('verifierOther', [grant('communityWorker', 'street', otherStreet._id)]);
  await make('streetCommittee', [grant('streetCommittee', 'street', street._id)]);
  await make('streetCommitteeOther', [grant('streetCommittee', 'street', otherStreet._id)]);
  await make('helper', []);
  await make('helper2', []);
  await make('resident', []);
  await make('pendingHelper', []);
  for (const key of ['helper', 'helper2', 'pendingHelper'] as const) {
    const applied = await applyAsHelper({ user: users[key], kind: 'enterprise', name: `${key} 爱心企业`, introduction: '', contactPhone: '0532-80000000' });
    expect(applied.ok).toBe(true);
    if (key !== 'pendingHelper' && applied.ok) expect((await decideHelper({ actor: users.streetCommittee, helperId: applied.id, decision: 'certify' })).ok).toBe(true);
  }
});

describe('the needs whistle', () => {
  it('warns about identifying details in the public text and stores nothing until the whistle-blower rewrites or confirms', async () => {
    const before = await Need.countDocuments();
    const warned = await call<{ identifying: string[] }>(
      raiseAction,
      formRequest('/needs/new', { category: 'meals', urgency: 'normal', community: String(community), description: '李桂芳老人电话13955501234，需要送餐', raisedAs: 'residentRep', ...SECRET }, { jar: jars.raiser }),
    );
    expect(warned.status).toBe(400);
    expect(warned.data.identifying.sort()).toEqual(['name', 'phone']);
    expect(await Need.countDocuments()).toBe(before);
    expect(await NeedDetail.countDocuments()).toBe(before);
  });

  it('an unverified need is the chain’s only: not on the board, 404 to everyone else, its details to the raiser, the verifier and the street committee', async () => {
    const number = await raise();
    expect(await board()).not.toContain(`"number":${number}`);
    for (const who of [undefined, 'resident', 'helper', 'verifierOther', 'streetCommitteeOther'] as const) expect((await page(number, who)).status, String(who)).toBe(404);
    for (const who of ['raiser', 'verifier', 'streetCommittee'] as const) {
      const res = await page(number, who);
      expect(res.status, who).toBe(200);
      expect((res.data.need.details as { name: string }).name, who).toBe(SECRET.name);
    }
    // The verifier of another street cannot publish it, nor can its raiser.
    expect((await act(number, 'verifierOther', { intent: 'verify', authentic: 'yes' })).status).toBe(403);
    expect((await act(number, 'raiser', { intent: 'verify', authentic: 'yes' })).status).toBe(403);
    expect((await Need.findOne({ number }).lean())!.status).toBe('pending');
  });

  it('once verified it is public without any private detail, to anyone, on the board and its page', async () => {
    const number = await raise();
    expect((await act(number, 'verifier', { intent: 'verify', authentic: 'yes', note: '电话核实' })).status).toBe(303);
    expect(await board()).toContain(`"number":${number}`);
    expect(leaks(await board())).toEqual([]);
    for (const who of [undefined, 'resident', 'helper', 'verifierOther', 'streetCommitteeOther', 'pendingHelper'] as const) {
      const res = await page(number, who);
      expect(res.status, String(who)).toBe(200);
      expect(leaks(JSON.stringify(res.data)), String(who)).toEqual([]);
      expect(res.data.need.grid, String(who)).toBeNull();
    }
    const audit = JSON.stringify(await AuditLog.find({ targetType: 'Need' }).lean());
    const notes = JSON.stringify(await Notification.find({ type: mongoose.trusted({ $in: ['needRaised', 'needVerified'] }) }).lean());
    expect(leaks(audit + notes)).toEqual([]);
  });

  it('twenty certified helpers claiming at the same moment make exactly one claim; an uncertified one is refused', async () => {
    const number = await raise();
    await act(number, 'verifier', { intent: 'verify', authentic: 'yes' });
    expect((await act(number, 'pendingHelper', { intent: 'claim' })).status).toBe(403);
    const extra = await Promise.all(
      Array.from({ length: 18 }, async (_, i) => {
        const doc = await createUser({ email: `needs-crowd-${i}@example.test` });
        const user = session(doc);
        const applied = await applyAsHelper({ user, kind: 'individual', name: `爱心个人${i}`, introduction: '', contactPhone: '' });
        if (applied.ok) await decideHelper({ actor: users.streetCommittee, helperId: applied.id, decision: 'certify' });
        return user;
      }),
    );
    const results = await Promise.all([users.helper, users.helper2, ...extra].map((actor) => claimNeed({ actor, number })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'wrongStatus')).toHaveLength(19);
    const need = await Need.findOne({ number }).lean();
    expect(need!.status).toBe('claimed');
    const helpers = await Helper.find({ members: mongoose.trusted({ $in: [users.helper, users.helper2, ...extra].map((u) => new mongoose.Types.ObjectId(u.id)) }) }).lean();
    expect(helpers.reduce((sum, h) => sum + h.openClaims, 0)).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'need.claimed', targetId: String(need!._id) })).toBe(1);
  });

  it('the claiming helper sees the details only while the claim lasts; only the raiser or the street committee confirms', async () => {
    const number = await raise();
    await act(number, 'verifier', { intent: 'verify', authentic: 'yes' });
    expect((await page(number, 'helper')).data.need.details).toBeNull();
    expect((await act(number, 'helper', { intent: 'claim' })).status).toBe(303);
    expect(((await page(number, 'helper')).data.need.details as { phone: string }).phone).toBe(SECRET.phone);
    expect((await page(number, 'helper2')).data.need.details).toBeNull();
    // Another helper cannot report it done, nor release it.
    expect((await act(number, 'helper2', { intent: 'done', note: '已陪同就医' })).status).toBe(403);
    expect((await act(number, 'helper2', { intent: 'release' })).status).toBe(403);
    expect((await act(number, 'helper', { intent: 'done', note: '12月2日陪同到区医院复诊。' })).status).toBe(303);
    // Nobody but the raiser or the street's committee confirms: not the helper, another street's committee, the verifier.
    for (const who of ['helper', 'streetCommitteeOther', 'verifier', 'resident'] as const) {
      expect((await act(number, who, { intent: 'confirm', confirm: 'yes' })).status, who).toBe(403);
    }
    expect((await act(number, 'raiser', { intent: 'confirm' })).status).toBe(400);
    expect((await Need.findOne({ number }).lean())!.status).toBe('done');
    expect((await act(number, 'streetCommittee', { intent: 'confirm', confirm: 'yes' })).status).toBe(303);
    const done = await Need.findOne({ number }).lean();
    expect(done!.status).toBe('fulfilled');
    expect(done!.fulfilMs).toBeGreaterThanOrEqual(0);
    // The claim ended: the helper no longer sees the person.
    const after = await page(number, 'helper');
    expect(after.data.need.details).toBeNull();
    expect(leaks(JSON.stringify(after.data))).toEqual([]);
  });

  it('a reopened need ends the claim and its access, and goes back on the board for another helper', async () => {
    const number = await raise();
    await act(number, 'verifier', { intent: 'verify', authentic: 'yes' });
    await act(number, 'helper', { intent: 'claim' });
    expect((await act(number, 'raiser', { intent: 'reopen', reason: '还没有联系老人' })).status).toBe(400);
    expect((await act(number, 'raiser', { intent: 'reopen', reason: '还没有联系老人', confirm: 'yes' })).status).toBe(303);
    expect((await page(number, 'helper')).data.need.details).toBeNull();
    expect((await act(number, 'helper', { intent: 'done', note: '迟到的报告' })).status).toBe(403);
    expect((await act(number, 'helper2', { intent: 'claim' })).status).toBe(303);
    const need = await Need.findOne({ number }).lean();
    expect(need!.claims.map((c) => c.outcome)).toEqual(['reopened']);
    expect(need!.reopenCount).toBe(1);
  });

  it('escalates a need left unclaimed for N days once, whether run twice or in parallel, telling only its street committee', async () => {
    const number = await raise();
    const need = await Need.findOne({ number }).select('_id').lean();
    const long = new Date(Date.now() - 10 * DAY);
    expect((await verifyNeed({ actor: users.verifier, number, authentic: true, note: '', now: long })).ok).toBe(true);
    const runs = await Promise.all([escalateStaleNeeds({ days: 7 }), escalateStaleNeeds({ days: 7 }), escalateStaleNeeds({ days: 7 })]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await escalateStaleNeeds({ days: 7 })).toBe(0);
    const told = await Notification.find({ type: 'needEscalated', 'data.needNumber': number }).lean();
    expect(told.map((n) => String(n.recipient))).toEqual([users.streetCommittee.id]);
    expect((await Need.findById(need!._id).lean())!.escalatedAt).toBeInstanceOf(Date);
    // A claimed need is never escalated.
    const claimed = await raise();
    await verifyNeed({ actor: users.verifier, number: claimed, authentic: true, note: '', now: long });
    await claimNeed({ actor: users.helper2, number: claimed });
    await escalateStaleNeeds({ days: 7 });
    expect((await Need.findOne({ number: claimed }).lean())!.escalatedAt).toBeNull();
  });

  it('the street committee finds the applications waiting for a decision first, before the certified helpers, across pages', async () => {
    const [first, second] = await Promise.all([listHelpers(null, 1), listHelpers(null, 2)]);
    const rank = { pending: 0, certified: 1, revoked: 2 } as const;
    const ranks = [...first.items, ...second.items].map((h) => rank[h.status]);
    expect(ranks[0]).toBe(rank.pending);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks.length).toBe(first.total);
    expect(first.items.length).toBe(Math.min(20, first.total));
    expect((await listHelpers('certified', 1)).items.every((h) => h.status === 'certified')).toBe(true);
  });

  it('refuses hostile input without a 500 and without a change', async () => {
    const number = await raise();
    const before = JSON.stringify(await Need.findOne({ number }).lean());
    const hostile: Record<string, string>[] = [{ intent: 'nonsense' }, { intent: 'verify', authentic: 'maybe' }, { intent: 'withdraw', reason: 'x'.repeat(5000), confirm: 'yes' }, { intent: 'done', note: '' }];
    for (const fields of hostile) {
      const res = await act(number, 'verifier', fields);
      expect([400, 403, 409]).toContain(res.status);
    }
    const json = await call(needAction, new Request(`http://localhost/needs/${number}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: jars.raiser.header() }, body: '{"intent":"withdraw"}' }), { number: String(number) });
    expect(json.status).toBeLessThan(500);
    expect(JSON.stringify(await Need.findOne({ number }).lean())).toBe(before);
    for (const bad of ['0', '-1', 'abc', '1.5', '99999999999']) expect((await call(needLoader, getRequest(`/needs/${bad}`), { number: bad })).status, bad).toBe(404);
  });
});
