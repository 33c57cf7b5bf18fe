/**
 * Database round trips per page (issue 13): the proposal list, a proposal's page, the ballot
 * page, the ballot POST and the committee's tally, each called once as one request (a shared
 * load context, as server.ts gives every loader of a request), counted through mongoose's debug
 * hook (every collection call a model makes, aggregates included) at 1x and 10x the data. The
 * counts must not grow with the data, and the feature's own queries stay within their budget.
 * The session read of app/core (its user comes with it) is counted apart (its owner makes it once
 * per request); everything else, the competition included, is the feature's.
 */
import mongoose, { Types } from 'mongoose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ballot, Comment, Follow, Need, NeedDetail, NeedLink, ProposalVersion, Wish } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { loader as listLoader } from '~/routes/competitions.$slug.proposals._index/route';
import { loader as detailLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { action as voteAction, loader as voteLoader } from '~/routes/competitions.$slug.vote._index/route';
import { loader as tallyLoader } from '~/routes/competitions.$slug.voting._index/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as wishLoader } from '~/routes/wishes.$number/route';
import { loader as wallLoader } from '~/routes/wishes._index/route';
import { loader as needBoardLoader } from '~/routes/needs._index/route';
import { loader as needLoader } from '~/routes/needs.$number/route';
import { applyAsHelper, decideHelper } from '~/features/needs/helpers.server';
import { ensureNeedCategories, forgetNeedReference, needReference } from '~/features/needs/reference.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;

interface Counted {
  core: string[];
  feature: string[];
}

/** The operations sent while `run` runs, split by the innermost app file that sent them. */
async function counting(run: () => Promise<unknown>): Promise<Counted> {
  const counted: Counted = { core: [], feature: [] };
  const previous = mongoose.get('debug') as unknown;
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    const frame = (new Error().stack ?? '').split('\n').find((line) => line.includes('/app/') && !line.includes('node_modules')) ?? '';
    // The session read (with its user) is app/core's even when its stack shows only the session library.
    (frame.includes('/app/core/') || collection === 'sessions' ? counted.core : counted.feature).push(`${collection}.${method}`);
    // The index-coverage recorder keeps seeing every query.
    if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(collection, method, ...args);
  });
  try {
    await run();
  } finally {
    mongoose.set('debug', previous as boolean);
  }
  return counted;
}

interface Scale {
  slug: string;
  numbers: number[];
  detail: number;
  voter: CookieJar;
  committee: CookieJar;
}

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

/** A competition in its voting phase with 12k eligible proposals, 20k ballots, and 5k comments, 3k edits and 5k follows on one proposal. */
async function scale(k: number, street: Types.ObjectId, community: Types.ObjectId): Promise<Scale> {
  const slug = `round-trips-${k}x`;
  const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  const author = (await createUser())._id;
  const numbers: number[] = [];
  const ids: Types.ObjectId[] = [];
  for (let i = 0; i < 12 * k; i++) {
    const p = await insertProposal({ competition: competition._id, author, status: 'eligible', street, community, budget: [{ item: '服务', quantity: 1, unitPriceFen: 10_000_00 }] });
    numbers.push(p.number);
    ids.push(p._id);
  }
  const detail = ids[0]!;
  await Comment.insertMany(Array.from({ length: 5 * k }, (_, i) => ({ proposal: detail, author, body: `评论 ${i}` })));
  await ProposalVersion.insertMany(Array.from({ length: 3 * k }, (_, i) => ({ proposal: detail, revision: i + 1, editor: author, changes: [{ field: 'title', before: 'a', after: 'b' }] })));
  await Follow.insertMany(Array.from({ length: 5 * k }, () => ({ proposal: detail, user: new Types.ObjectId() })));
  await Ballot.insertMany(
    Array.from({ length: 20 * k }, (_, i) => ({
      competition: competition._id,
      voter: new Types.ObjectId(),
      channel: 'online',
      choices: [ids[i % ids.length]!, ids[(i + 1) % ids.length]!],
      street,
      community,
      submittedAt: new Date(),
    })),
  );
  const voterEmail = `voter-${k}x@example.test`;
  const voter = await createUser({ email: voterEmail, community });
  await verifyResidentDirectly(voter._id, community);
  const committeeEmail = `committee-${k}x@example.test`;
  await createUser({ email: committeeEmail, roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
  return { slug, numbers, detail: numbers[0]!, voter: await signIn(voterEmail), committee: await signIn(committeeEmail) };
}

const scales: Record<'1x' | '10x', Scale> = {} as never;
const results: Record<string, Record<string, Counted>> = {};

beforeAll(async () => {
  const street = (await createStreet())._id;
  const community = (await createCommunity({ street }))._id;
  scales['1x'] = await scale(1, street, community);
  scales['10x'] = await scale(10, street, community);
}, 120_000);

/** Each page once, as one request each, at the given scale. */
async function measure(at: '1x' | '10x'): Promise<Record<string, Counted>> {
  const s = scales[at];
  const params = { slug: s.slug };
  const out: Record<string, Counted> = {};
  out.listAnonymous = await counting(() => call(listLoader, getRequest(`/competitions/${s.slug}/proposals`), params));
  out.listFiltered = await counting(() => call(listLoader, getRequest(`/competitions/${s.slug}/proposals?sort=newest&q=服务&page=1`, { jar: s.voter }), params));
  out.detail = await counting(() => call(detailLoader, getRequest(`/competitions/${s.slug}/proposals/${s.detail}`, { jar: s.voter }), { ...params, number: String(s.detail) }));
  out.votePage = await counting(() => call(voteLoader, getRequest(`/competitions/${s.slug}/vote`, { jar: s.voter }), params));
  out.ballotPost = await counting(async () => {
    const outcome = await call(voteAction, formRequest(`/competitions/${s.slug}/vote`, { intent: 'cast', choice: String(s.numbers[1]) }, { jar: s.voter }), params);
    expect(outcome.status).toBe(303);
  });
  // The ballot just cast made the cached tally stale: the first view counts again, the second reuses it.
  out.tallyAfterBallot = await counting(() => call(tallyLoader, getRequest(`/competitions/${s.slug}/voting`, { jar: s.committee }), params));
  out.tally = await counting(() => call(tallyLoader, getRequest(`/competitions/${s.slug}/voting`, { jar: s.committee }), params));
  return out;
}

describe('database round trips per page', () => {
  afterEach(() => {
    // Printed for the table.
    for (const [at, pages] of Object.entries(results)) {
      for (const [page, c] of Object.entries(pages)) console.log(`round trips ${at} ${page}: ${c.feature.length} feature + ${c.core.length} core [${c.feature.join(', ')}] [${c.core.join(', ')}]`);
    }
  });

  it('stay the same at 10x the data as at 1x, and within budget: 3 per page (feature queries), 4 per ballot POST, 2 per unchanged tally view', async () => {
    results['1x'] = await measure('1x');
    results['10x'] = await measure('10x');
    const total = (c: Counted) => c.feature.length + c.core.length;
    for (const page of Object.keys(results['1x'])) {
      expect(total(results['10x'][page]!), `${page} at 10x vs 1x`).toBe(total(results['1x'][page]!));
    }
    const at1 = results['1x'];
    // The competition (the request context), the places, the one facet aggregate.
    expect(at1.listAnonymous!.feature.length).toBeLessThanOrEqual(3);
    expect(at1.listFiltered!.feature.length).toBeLessThanOrEqual(3);
    expect(at1.listAnonymous!.feature.filter((op) => op === 'proposals.aggregate')).toHaveLength(1);
    // The competition, the ballot page's one aggregate (standing, options, own ballot).
    expect(at1.votePage!.feature.length).toBeLessThanOrEqual(2);
    // The competition, the standing and options, the upsert (returning its id), the tally version bump.
    expect(at1.ballotPost!.feature).toEqual(['competitions.findOne', 'residencies.aggregate', 'ballots.findOneAndUpdate', 'competitions.updateOne']);
    // app/core reads the session and its user in one round trip ($lookup), once per request.
    for (const page of ['listFiltered', 'detail', 'votePage', 'ballotPost', 'tally'] as const) expect(at1[page]!.core, page).toEqual(['sessions.aggregate']);
    // Unchanged since the last view: the competition and one aggregate (version, cache, proposals, streets); no ballot is read.
    expect(at1.tally!.feature).toEqual(['competitions.findOne', 'competitions.aggregate']);
    expect(at1.tallyAfterBallot!.feature.filter((op) => op.startsWith('ballots.'))).toHaveLength(3);
    // The competition, the proposal with its names, places, history and the viewer's follow, and the comments section.
    expect(at1.detail!.feature).toEqual(['competitions.findOne', 'proposals.aggregate', 'comments.aggregate']);
  });
});

/**
 * The micro-wishes' wall and a wish's page (issue 16), anonymous and signed in, at 60 and 600
 * wishes: the wall is the places (streets, communities) and one aggregate (counts, cards, total);
 * a wish is one aggregate (with its community's name).
 */
describe('database round trips of the micro-wishes pages', () => {
  async function addWishes(count: number, street: Types.ObjectId, communities: Types.ObjectId[], worker: Types.ObjectId) {
    const from = ((await Wish.findOne().sort({ number: -1 }).select('number').lean())?.number ?? 0) + 1;
    await Wish.insertMany(
      Array.from({ length: count }, (_, i) => ({
        number: from + i,
        kind: i % 3 ? 'item' : 'experience',
        title: `心愿${from + i}`,
        valueFen: 50_00,
        child: { initial: '明', term: 'student', age: 9 },
        street,
        community: communities[i % communities.length],
        registeredBy: worker,
        status: ['open', 'open', 'claimed', 'delivered', 'confirmed'][i % 5],
        ...(i % 5 >= 2 ? { claim: { by: worker, displayAs: 'account', displayName: '爱心人士', at: new Date(), dueAt: new Date() } } : {}),
      })),
    );
  }

  it('stay the same at 10x the data: the wall 3 (places and one aggregate), a wish 1', async () => {
    const street = (await createStreet())._id;
    const communities = [(await createCommunity({ street }))._id, (await createCommunity({ street }))._id];
    const worker = await createUser({ email: 'wish-worker@example.test', roles: [grant('resident'), grant('communityWorker', 'street', street)] });
    const viewer = await signIn('wish-worker@example.test');
    const measured: Record<string, Record<string, Counted>> = {};
    for (const [at, count] of [['1x', 60], ['10x', 540]] as const) {
      await addWishes(count, street, communities, worker._id);
      measured[at] = {
        wall: await counting(() => call(wallLoader, getRequest('/wishes'), {})),
        wallFiltered: await counting(() => call(wallLoader, getRequest('/wishes?kind=item&page=2', { jar: viewer }), {})),
        wish: await counting(() => call(wishLoader, getRequest('/wishes/7'), { number: '7' })),
        wishSignedIn: await counting(() => call(wishLoader, getRequest('/wishes/7', { jar: viewer }), { number: '7' })),
      };
    }
    for (const [page, c] of Object.entries(measured['1x']!)) console.log(`round trips wishes ${page}: ${c.feature.length} feature + ${c.core.length} core [${c.feature.join(', ')}] [${c.core.join(', ')}]`);
    for (const page of Object.keys(measured['1x']!)) {
      const total = (c: Counted) => c.feature.length + c.core.length;
      expect(total(measured['10x']![page]!), `${page} at 10x vs 1x`).toBe(total(measured['1x']![page]!));
    }
    const at1 = measured['1x']!;
    expect([...at1.wall!.feature].sort()).toEqual(['communities.find', 'streets.find', 'wishes.aggregate']);
    expect([...at1.wallFiltered!.feature].sort()).toEqual(['communities.find', 'streets.find', 'wishes.aggregate']);
    expect(at1.wish!.feature).toEqual(['wishes.aggregate']);
    expect(at1.wishSignedIn!.feature).toEqual(['wishes.aggregate']);
    expect(at1.wishSignedIn!.core).toEqual(['sessions.aggregate']);
  });
});

/**
 * The needs whistle's pages (issue 16) at 20 and 200 needs, a need cited by 2 and 20 proposals, a
 * proposal citing 2 and 5 needs: the board is one aggregate; a need's page one aggregate (its
 * helpers and the proposals citing it looked up), plus the viewer's helper when signed in and the
 * private details for the chain; a proposal's page stays three with the needs it cites. The
 * categories and places are the memoised reference (read once a minute), warmed first.
 */
describe('database round trips of the needs pages', () => {
  it('stay the same at 10x the data: the board 1, a need 1 to 3, a proposal citing needs 3', async () => {
    const street = (await createStreet({ code: 'trips-needs' }))._id;
    const community = (await createCommunity({ street, code: 'trips-needs-c' }))._id;
    forgetNeedReference();
    await ensureNeedCategories();
    const raiserDoc = await createUser({ email: 'trips-raiser@example.test', roles: [grant('resident'), grant('gridWorker', 'community', community)] });
    const committee = await createUser({ email: 'trips-street@example.test', roles: [grant('resident'), grant('streetCommittee', 'street', street)] });
    const helperDoc = await createUser({ email: 'trips-helper@example.test' });
    const session = (doc: typeof committee) => ({ id: String(doc._id), name: doc.name, language: 'zh' as const, streetId: null, communityId: null, roles: doc.roles.map((g) => ({ role: g.role as never, scopeType: g.scopeType as never, scopeId: g.scopeId ? String(g.scopeId) : null })) });
    const applied = await applyAsHelper({ user: session(helperDoc), kind: 'individual', name: '热心居民', introduction: '', contactPhone: '' });
    if (!applied.ok) throw new Error('helper');
    expect((await decideHelper({ actor: session(committee), helperId: applied.id, decision: 'certify' })).ok).toBe(true);
    const competition = await createCompetition({ slug: 'trips-needs', phases: phaseWindows(new Date(Date.now() - 5 * DAY)) });
    const author = (await createUser())._id;
    const raiser = await signIn('trips-raiser@example.test');
    const helper = await signIn('trips-helper@example.test');
    let number = 50_000;
    const addNeeds = async (count: number) => {
      const docs = Array.from({ length: count }, () => ({
        number: ++number, category: 'meals', urgency: 'normal', street, community, description: `需要助餐送餐（${number}）`,
        raisedBy: raiserDoc._id, raisedAs: 'gridWorker', status: 'open', publishedAt: new Date(), claims: [], reopenCount: 0,
      }));
      const inserted = await Need.insertMany(docs);
      await NeedDetail.insertMany(inserted.map((n) => ({ need: n._id, name: '某某', phone: '13900001111' })));
      return inserted;
    };
    const first = (await addNeeds(20))[0]!;
    const cite = async (proposals: number, needs: typeof first[]) => {
      for (let i = 0; i < proposals; i++) {
        const p = await insertProposal({ competition: competition._id, author, status: 'submitted', street, community });
        await NeedLink.create({ need: first._id, proposal: p._id, competition: competition._id, slot: 0, citedBy: author });
        for (const [slot, n] of needs.entries()) await NeedLink.create({ need: n._id, proposal: p._id, competition: competition._id, slot: slot + 1, citedBy: author });
      }
    };
    const citing = await insertProposal({ competition: competition._id, author, status: 'submitted', street, community });
    const measured: Record<string, Record<string, Counted>> = {};
    for (const [at, needs, citingProposals, citedByOne] of [['1x', 0, 2, 2], ['10x', 180, 18, 5]] as const) {
      const more = needs ? await addNeeds(needs) : [];
      await cite(citingProposals, []);
      const already = await NeedLink.countDocuments({ proposal: citing._id });
      const pool = (await Need.find({ street }).sort({ number: 1 }).limit(citedByOne + 1).lean()).filter((n) => !n._id.equals(first._id)).slice(0, citedByOne);
      for (const [slot, n] of pool.entries()) if (slot >= already) await NeedLink.create({ need: n._id, proposal: citing._id, competition: competition._id, slot, citedBy: author });
      expect(more.length).toBe(needs);
      await needReference();
      const url = `/needs/${first.number}`;
      const params = { number: String(first.number) };
      measured[at] = {
        board: await counting(() => call(needBoardLoader, getRequest('/needs'), {})),
        boardFiltered: await counting(() => call(needBoardLoader, getRequest('/needs?street=trips-needs&category=meals&page=2', { jar: helper }), {})),
        need: await counting(() => call(needLoader, getRequest(url), params)),
        needHelper: await counting(() => call(needLoader, getRequest(url, { jar: helper }), params)),
        needRaiser: await counting(() => call(needLoader, getRequest(url, { jar: raiser }), params)),
        proposal: await counting(() => call(detailLoader, getRequest(`/competitions/trips-needs/proposals/${citing.number}`), { slug: 'trips-needs', number: String(citing.number) })),
      };
      const answered = await call<{ need: { answeredBy: unknown[] } }>(needLoader, getRequest(url), params);
      expect(answered.data.need.answeredBy).toHaveLength(at === '1x' ? 2 : 20);
      const cited = await call<{ needs: { cards: unknown[] } }>(detailLoader, getRequest(`/competitions/trips-needs/proposals/${citing.number}`), { slug: 'trips-needs', number: String(citing.number) });
      expect(cited.data.needs.cards).toHaveLength(citedByOne);
    }
    for (const [page, c] of Object.entries(measured['1x']!)) console.log(`round trips needs ${page}: ${c.feature.length} feature + ${c.core.length} core [${c.feature.join(', ')}] [${c.core.join(', ')}]`);
    for (const page of Object.keys(measured['1x']!)) {
      const total = (c: Counted) => c.feature.length + c.core.length;
      expect(total(measured['10x']![page]!), `${page} at 10x vs 1x`).toBe(total(measured['1x']![page]!));
    }
    const at1 = measured['1x']!;
    expect(at1.board!.feature).toEqual(['needs.aggregate']);
    expect(at1.boardFiltered!.feature).toEqual(['needs.aggregate']);
    // A need's pledges (charity resources, decision 031) are one aggregate in the page's first parallel wave,
    // beside the helper and the categories: one more query, no extra sequential round trip.
    expect([...at1.need!.feature].sort()).toEqual(['needs.aggregate', 'pledges.aggregate']);
    expect([...at1.needHelper!.feature].sort()).toEqual(['helpers.findOne', 'needs.aggregate', 'pledges.aggregate']);
    expect([...at1.needRaiser!.feature].sort()).toEqual(['helpers.findOne', 'needdetails.findOne', 'needs.aggregate', 'pledges.aggregate']);
    expect(at1.proposal!.feature).toEqual(['competitions.findOne', 'proposals.aggregate', 'comments.aggregate']);
  });
});
