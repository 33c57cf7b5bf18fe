import { beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { AuditLog, Ballot, Community, Competition, RECEIPT_PATTERN, Residency, User } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as verifyResidentsAction, loader as verifyResidentsLoader } from '~/routes/assist_.verify/route';
import { action as voteAction, loader as voteLoader } from '~/routes/competitions.$slug.vote._index/route';
import { loader as mineLoader } from '~/routes/competitions.$slug.vote.mine/route';
import { loader as resultsLoader } from '~/routes/competitions.$slug.vote.results/route';
import { action as paperAction, loader as paperLoader } from '~/routes/competitions.$slug.vote.paper/route';
import { action as tallyAction, loader as tallyLoader } from '~/routes/competitions.$slug.voting._index/route';
import { loader as anomaliesLoader } from '~/routes/competitions.$slug.voting.anomalies/route';
import { action as codesAction, loader as codesLoader } from '~/routes/competitions.$slug.voting.codes/route';
import { action as rulesAction, loader as rulesLoader } from '~/routes/competitions.$slug.voting.rules/route';
import { action as loginAction } from '~/routes/login/route';
import { action as redeemAction, loader as redeemLoader } from '~/routes/verify/route';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { inVisitorOrder } from '~/features/proposals/random-order.server';
import { sharedSeed } from '~/core/visitor.server';
import { cookieSecrets } from '~/core/session.server';
import { loader as proposalsLoader } from '~/routes/competitions.$slug.proposals._index/route';
import { IDENTIFIER_LOOKUP_LIMIT } from '~/features/voting/resident-search.server';
import { call, CookieJar, formRequest, getRequest, type Outcome } from '../support/http';

const DAY = 86_400_000;
const slug = 'vote-routes';
const futureSlug = 'vote-routes-future';
let street: Types.ObjectId;
let community: Types.ObjectId;
let otherCommunity: Types.ObjectId;
let competitionId: Types.ObjectId;
let numbers: number[] = [];
const jars: Record<string, CookieJar> = {};
const ids: Record<string, string> = {};

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

type Handler = Parameters<typeof call>[0];
const rulesForm = { method: 'budget', maxChoices: '3', ballotBudget: '60000', scope: 'district', residentWeight: '40', publicTotals: 'on' };

/** Every new page and action, with a harmless form for the actions. */
function endpoints(): { name: string; handler: Handler; path: string; params: Record<string, string>; form?: Record<string, string>; committee?: boolean }[] {
  const p = { slug };
  return [
    { name: 'vote loader', handler: voteLoader, path: `/competitions/${slug}/vote`, params: p },
    { name: 'vote action', handler: voteAction, path: `/competitions/${slug}/vote`, params: p, form: { choice: String(numbers[0]) } },
    { name: 'mine loader', handler: mineLoader, path: `/competitions/${slug}/vote/mine`, params: p },
    { name: 'paper loader', handler: paperLoader, path: `/competitions/${slug}/vote/paper`, params: p },
    { name: 'paper action', handler: paperAction, path: `/competitions/${slug}/vote/paper`, params: p, form: { residentId: ids.resident!, channel: 'paper', serial: 'P-X', choice: String(numbers[0]), confirmed: 'on' } },
    { name: 'tally loader', handler: tallyLoader, path: `/competitions/${slug}/voting`, params: p, committee: true },
    { name: 'tally action', handler: tallyAction, path: `/competitions/${slug}/voting`, params: p, form: { ballot: 'P-1', reason: '测试作废理由', confirm: 'yes' }, committee: true },
    { name: 'rules loader', handler: rulesLoader, path: `/competitions/${slug}/voting/rules`, params: p, committee: true },
    { name: 'rules action', handler: rulesAction, path: `/competitions/${slug}/voting/rules`, params: p, form: rulesForm, committee: true },
    { name: 'codes loader', handler: codesLoader, path: `/competitions/${slug}/voting/codes`, params: p, committee: true },
    { name: 'codes action', handler: codesAction, path: `/competitions/${slug}/voting/codes`, params: p, form: { communityId: String(community), count: '2', expiresOn: '2099-01-01' }, committee: true },
    { name: 'anomalies loader', handler: anomaliesLoader, path: `/competitions/${slug}/voting/anomalies`, params: p, committee: true },
    { name: 'verify loader', handler: redeemLoader, path: '/verify', params: {} },
    { name: 'verify action', handler: redeemAction, path: '/verify', params: {}, form: { code: 'ABCDE-FGHJK' } },
    { name: 'verify residents loader', handler: verifyResidentsLoader, path: '/assist/verify', params: {} },
    { name: 'verify residents action', handler: verifyResidentsAction, path: '/assist/verify', params: {}, form: { intent: 'verify', residentId: ids.resident!, scope: `competition:${slug}`, method: 'idCard' } },
  ];
}

function hit(e: ReturnType<typeof endpoints>[number], jar?: CookieJar): Promise<Outcome> {
  const request = e.form ? formRequest(e.path, e.form, { jar }) : getRequest(e.path, { jar });
  return call(e.handler, request, e.params);
}

beforeAll(async () => {
  street = (await createStreet())._id;
  const otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  otherCommunity = (await createCommunity({ street: otherStreet }))._id;
  const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  competitionId = competition._id;
  await competition.updateOne({ $set: { voting: { ...DEFAULT_VOTING_RULES, maxChoices: 2 } } });
  const other = await createCompetition({ slug: 'vote-routes-other' });
  await createCompetition({ slug: futureSlug, phases: phaseWindows(new Date(Date.now() - 3 * DAY)) });
  const author = (await createUser())._id;
  numbers = [];
  for (let i = 0; i < 3; i++) numbers.push((await insertProposal({ competition: competitionId, author, status: 'eligible', street })).number);

  const people: Record<string, Parameters<typeof createUser>[0]> = {
    resident: { community },
    committee: { roles: [grant('resident'), grant('committee', 'competition', competitionId)] },
    otherCommittee: { roles: [grant('resident'), grant('committee', 'competition', other._id)] },
    worker: { roles: [grant('resident'), grant('gridWorker', 'street', street)] },
    otherWorker: { roles: [grant('resident'), grant('gridWorker', 'street', otherStreet)] },
    plain: { community: otherCommunity },
  };
  for (const [name, overrides] of Object.entries(people)) {
    const user = await createUser({ email: `${name}@vote.test`, ...overrides });
    ids[name] = String(user._id);
    jars[name] = await signIn(`${name}@vote.test`);
  }
  await verifyResidentDirectly(new Types.ObjectId(ids.resident), community);
  // The committee of this competition also runs the future one.
  const future = await Competition.findOne({ slug: futureSlug }).lean();
  await User.updateOne({ _id: ids.committee }, { $push: { roles: { role: 'committee', scopeType: 'competition', scopeId: future!._id } } });
  jars.committee = await signIn('committee@vote.test');
});

describe('permissions of the voting pages', () => {
  it('anonymous visitors are sent to log in, on every page and action', async () => {
    for (const e of endpoints()) {
      const outcome = await hit(e);
      expect(outcome, e.name).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: e.path })}`, 302);
    }
  });

  it('residents get 403 on committee pages, the paper-ballot page and the residents verification page', async () => {
    for (const e of endpoints().filter((x) => x.committee || x.name.startsWith('paper') || x.name.startsWith('verify residents'))) {
      expect((await hit(e, jars.plain)).status, e.name).toBe(403);
    }
  });

  it('the committee of another competition gets 403 on this one’s committee pages', async () => {
    for (const e of endpoints().filter((x) => x.committee)) {
      expect((await hit(e, jars.otherCommittee)).status, e.name).toBe(403);
    }
    expect(await AuditLog.countDocuments({ action: 'voting.rulesChanged' })).toBe(0);
  });

  it('a grid worker of another street can neither enter a ballot for nor verify a resident of this street', async () => {
    const paper = endpoints().find((e) => e.name === 'paper action')!;
    const entered = await hit(paper, jars.otherWorker);
    expect(entered.status).toBe(400);
    expect(entered.data).toMatchObject({ reason: 'outsideArea' });
    const verify = endpoints().find((e) => e.name === 'verify residents action')!;
    const verified = await hit(verify, jars.otherWorker);
    expect(verified.status).toBe(403);
    expect(verified.data).toMatchObject({ reason: 'notAllowed' });
    const ownStreet = String((await Community.findById(otherCommunity).select('street').lean())!.street);
    const inOwnArea = await hit({ ...verify, form: { ...verify.form, scope: `street:${ownStreet}`, until: '2099-01-01' } }, jars.otherWorker);
    expect(inOwnArea.status).toBe(400);
    expect(JSON.stringify(inOwnArea.data)).toContain('periodTooLong');
    const until = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const outside = await hit({ ...verify, form: { ...verify.form, scope: `street:${ownStreet}`, until } }, jars.otherWorker);
    expect(outside.status).toBe(403);
    expect(outside.data).toMatchObject({ reason: 'outsideArea' });
    expect(await Residency.countDocuments({ resident: new Types.ObjectId(ids.resident) })).toBe(1);
    expect(await Ballot.countDocuments({ competition: competitionId })).toBe(0);
  });
});

describe('the voting pages at work', () => {
  it('a verified resident casts a ballot, gets a receipt, and changes it; over K is refused with a reason', async () => {
    const page = await call<{ options: { number: number }[]; refusal: string | null }>(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: jars.resident }), { slug });
    expect(page.data.refusal).toBeNull();
    // In the visitor's random order (issue 12): the same proposals, not by number.
    expect(page.data.options.map((o) => o.number).sort((x, y) => x - y)).toEqual(numbers);
    const body = new URLSearchParams(numbers.map((n) => ['choice', String(n)]));
    const tooMany = await call(voteAction, new Request(`http://localhost/competitions/${slug}/vote`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jars.resident!.header(), 'x-laoshanxing-client-ip': '203.0.113.1' },
      body,
    }), { slug });
    expect(tooMany.status).toBe(400);
    expect(tooMany.data).toMatchObject({ reason: 'tooManyChoices' });
    const cast = await call(voteAction, formRequest(`/competitions/${slug}/vote`, { choice: String(numbers[1]) }, { jar: jars.resident }), { slug });
    expect(cast).toRedirectTo(`/competitions/${slug}/vote/mine`, 303);
    await expect(cast).toSendToast({ type: 'success', key: 'voting:toast.cast' });
    const mine = await call<{ mine: { receipt: string; choices: { number: number }[] } }>(mineLoader, getRequest(`/competitions/${slug}/vote/mine`, { jar: jars.resident }), { slug });
    expect(mine.data.mine.choices.map((c) => c.number)).toEqual([numbers[1]]);
    // The receipt is the ballot's random code, not its id (issue 11, finding 7).
    expect(mine.data.mine.receipt).toBe((await Ballot.findOne({ competition: competitionId, voter: ids.resident }).lean())!.receipt);
    expect(mine.data.mine.receipt).toMatch(RECEIPT_PATTERN);
  });

  it('an unverified resident sees why they cannot vote', async () => {
    const page = await call<{ refusal: string }>(voteLoader, getRequest(`/competitions/${slug}/vote`, { jar: jars.plain }), { slug });
    expect(page.data.refusal).toBe('notVerified');
  });

  it('rules: saved before voting opens, refused with 409 after', async () => {
    const saved = await call(rulesAction, formRequest(`/competitions/${futureSlug}/voting/rules`, rulesForm, { jar: jars.committee }), { slug: futureSlug });
    expect(saved).toRedirectTo(`/competitions/${futureSlug}/voting/rules`, 303);
    await expect(saved).toSendToast({ type: 'success', key: 'voting:toast.rulesSaved' });
    const refused = await call(rulesAction, formRequest(`/competitions/${slug}/voting/rules`, rulesForm, { jar: jars.committee }), { slug });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ reason: 'votingStarted' });
  });

  it('codes: a CSV batch is downloaded; a code verifies a resident once through /verify', async () => {
    const csv = await call<string>(codesAction, formRequest(`/competitions/${slug}/voting/codes`, { communityId: String(community), count: '3', expiresOn: '2099-12-31', format: 'csv' }, { jar: jars.committee }), { slug });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toMatch(/text\/csv/);
    const lines = csv.data.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    const code = lines[1]!.split(',')[0]!;
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const newcomer = await createUser({ email: 'newcomer@vote.test' });
    const jar = await signIn('newcomer@vote.test');
    const first = await call(redeemAction, formRequest('/verify', { code }, { jar }), {});
    expect(first).toRedirectTo('/verify', 303);
    const named = (await Community.findById(community).select('name').lean())!.name.zh;
    await expect(first).toSendToast({ type: 'success', key: 'voting:toast.verified', values: { community: named } });
    expect(await Residency.findOne({ resident: newcomer._id }).lean()).toMatchObject({ scope: 'competition', competition: competitionId, method: 'code', community });
    const again = await call(redeemAction, formRequest('/verify', { code }, { jar: jars.plain }), {});
    expect(again.status).toBe(400);
    expect(again.data).toMatchObject({ reason: 'codeInvalid' });
  });

  it('the worker of the street enters a paper ballot; the committee page shows it by channel and can void it', async () => {
    const voter = await createUser({ community });
    await verifyResidentDirectly(voter._id, community);
    const entered = await call(paperAction, formRequest(`/competitions/${slug}/vote/paper`, { residentId: String(voter._id), channel: 'paper', serial: 'P-1', choice: String(numbers[0]), confirmed: 'on' }, { jar: jars.worker }), { slug });
    const paperBallot = (await Ballot.findOne({ competition: competitionId, voter: voter._id }).select('_id').lean())!;
    expect(entered).toRedirectTo(`/competitions/${slug}/vote/paper?entered=${String(paperBallot._id)}`, 303);
    await expect(entered).toSendToast({ type: 'success', key: 'voting:toast.paperEntered', values: { serial: 'P-1' } });
    const refused = await call(paperAction, formRequest(`/competitions/${slug}/vote/paper`, { residentId: ids.resident!, channel: 'paper', serial: 'P-2', choice: String(numbers[0]), confirmed: 'on' }, { jar: jars.worker }), { slug });
    expect(refused.data).toMatchObject({ reason: 'alreadyVoted' });

    type TallyPage = { tally: { voters: number; votersByChannel: Record<string, number>; rows: { number: number; votes: number }[] } };
    const before = await call<TallyPage>(tallyLoader, getRequest(`/competitions/${slug}/voting`, { jar: jars.committee }), { slug });
    const ballots = await Ballot.find({ competition: competitionId, 'voided.at': mongoose.trusted({ $exists: false }) }).populate<{ choices: { number: number }[] }>('choices', 'number').lean();
    expect(before.data.tally.voters).toBe(ballots.length);
    expect(before.data.tally.votersByChannel).toMatchObject({ paper: 1, online: ballots.length - 1 });
    for (const row of before.data.tally.rows) {
      expect(row.votes).toBe(ballots.filter((b) => b.choices.some((c) => c.number === row.number)).length);
    }
    // Without the confirmation tick: 400, the typed fields come back, the ballot still counts, nothing audited.
    const voidedCount = () => Ballot.countDocuments({ competition: competitionId, 'voided.at': mongoose.trusted({ $exists: true }) });
    const [voidedBefore, auditedBefore] = [await voidedCount(), await AuditLog.countDocuments({ action: 'ballot.voided' })];
    const unconfirmed = await call(tallyAction, formRequest(`/competitions/${slug}/voting`, { ballot: 'P-1', reason: '纸质选票字迹无法辨认' }, { jar: jars.committee }), { slug });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ errors: { confirm: ['confirmRequired'] }, typed: { ballot: 'P-1', reason: '纸质选票字迹无法辨认' } });
    expect(await voidedCount()).toBe(voidedBefore);
    expect(await AuditLog.countDocuments({ action: 'ballot.voided' })).toBe(auditedBefore);
    const voided = await call(tallyAction, formRequest(`/competitions/${slug}/voting`, { ballot: 'P-1', reason: '纸质选票字迹无法辨认', confirm: 'yes' }, { jar: jars.committee }), { slug });
    expect(voided).toRedirectTo(`/competitions/${slug}/voting`, 303);
    await expect(voided).toSendToast({ type: 'success', key: 'voting:toast.voided' });
    const after = await call<TallyPage>(tallyLoader, getRequest(`/competitions/${slug}/voting`, { jar: jars.committee }), { slug });
    expect(after.data.tally.votersByChannel.paper).toBe(0);
    expect(after.data.tally.rows.find((r) => r.number === numbers[0])!.votes).toBe(before.data.tally.rows.find((r) => r.number === numbers[0])!.votes - 1);
  });

  it('public results: hidden during voting unless the rules say so (the committee always sees them), shown after', async () => {
    type Results = { results: { voters: number; rows: { number: number; votes: number }[] } | null };
    const hidden = await call<Results>(resultsLoader, getRequest(`/competitions/${slug}/vote/results`), { slug });
    expect(hidden.status).toBe(200);
    expect(hidden.data.results).toBeNull();
    const forCommittee = await call<Results>(resultsLoader, getRequest(`/competitions/${slug}/vote/results`, { jar: jars.committee }), { slug });
    expect(forCommittee.data.results?.voters).toBeGreaterThan(0);
    await Competition.updateOne({ _id: competitionId }, { $set: { 'voting.publicTotals': true } });
    const live = await call<Results>(resultsLoader, getRequest(`/competitions/${slug}/vote/results`), { slug });
    expect(live.data.results?.voters).toBe(forCommittee.data.results?.voters);
    await Competition.updateOne({ _id: competitionId }, { $set: { 'voting.publicTotals': false } });
    const closed = await createCompetition({ slug: 'vote-routes-closed', phases: phaseWindows(new Date(Date.now() - 100 * DAY)) });
    const after = await call<Results>(resultsLoader, getRequest('/competitions/vote-routes-closed/vote/results'), { slug: closed.slug });
    expect(after.data.results).toEqual({ voters: 0, rows: [] });
  });
});

describe('verifying residents through the page (issue 11, finding 1)', () => {
  it('the committee verifies for its own competition and withdraws only with the box ticked; an ended competition\'s committee and an admin without the grant are refused', async () => {
    const voter = await createUser({ community, name: `待核实居民${Date.now()}` });
    const scope = `competition:${slug}`;
    type Page = { scopes: { value: string }[]; residents: { id: string; verifications: { id: string; revocable: boolean }[] }[] };
    const page = await call<Page>(verifyResidentsLoader, getRequest(`/assist/verify?${new URLSearchParams({ scope, q: voter.name })}`, { jar: jars.committee }), {});
    expect(page.data.scopes.map((s) => s.value).sort()).toEqual([`competition:${futureSlug}`, scope].sort());
    expect(page.data.residents.map((r) => r.id)).toEqual([String(voter._id)]);

    const verified = await call(verifyResidentsAction, formRequest('/assist/verify', { intent: 'verify', residentId: String(voter._id), scope, method: 'idCard' }, { jar: jars.committee }), {});
    expect(verified).toRedirectTo(`/assist/verify?${new URLSearchParams({ scope })}`, 303);
    await expect(verified).toSendToast({ type: 'success', key: 'voting:toast.residentVerified' });
    const doc = (await Residency.findOne({ resident: voter._id }).lean())!;
    expect(doc).toMatchObject({ scope: 'competition', competition: competitionId, method: 'idCard', evidence: { document: 'idCard' } });

    const unticked = await call(verifyResidentsAction, formRequest('/assist/verify', { intent: 'revoke', verificationId: String(doc._id), reason: '核实有误，需要撤销' }, { jar: jars.committee }), {});
    expect(unticked.status).toBe(400);
    expect((await Residency.findById(doc._id).lean())?.revokedAt).toBeUndefined();
    const revoked = await call(verifyResidentsAction, formRequest('/assist/verify', { intent: 'revoke', verificationId: String(doc._id), reason: '核实有误，需要撤销', confirm: 'yes', scope }, { jar: jars.committee }), {});
    expect(revoked).toRedirectTo(`/assist/verify?${new URLSearchParams({ scope })}`, 303);
    await expect(revoked).toSendToast({ type: 'success', key: 'voting:toast.verificationRevoked' });
    expect((await Residency.findById(doc._id).lean())?.revokedAt).toBeInstanceOf(Date);

    const ended = await createCompetition({ slug: 'vote-routes-ended', phases: phaseWindows(new Date(Date.now() - 400 * DAY)) });
    await createUser({ email: 'ended-committee@vote.test', roles: [grant('resident'), grant('committee', 'competition', ended._id)] });
    await createUser({ email: 'admin@vote.test', roles: [grant('resident'), grant('admin')] });
    const fresh = await createUser({ community });
    const attempt = (jar: CookieJar, scopeValue: string) => call(verifyResidentsAction, formRequest('/assist/verify', { intent: 'verify', residentId: String(fresh._id), scope: scopeValue, method: 'knownInPerson' }, { jar }), {});
    const late = await attempt(await signIn('ended-committee@vote.test'), `competition:${ended.slug}`);
    expect(late.status).toBe(409);
    expect(late.data).toMatchObject({ reason: 'votingOver' });
    const adminJar = await signIn('admin@vote.test');
    expect((await attempt(adminJar, scope)).status).toBe(403);
    const byArea = await call(verifyResidentsAction, formRequest('/assist/verify', { intent: 'verify', residentId: String(fresh._id), scope: `street:${String(street)}`, method: 'idCard', until: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10) }, { jar: adminJar }), {});
    expect(byArea.status).toBe(403);
    expect(await Residency.countDocuments({ resident: fresh._id })).toBe(0);
  });

  it('when whole-number look-ups are used up the page says so, instead of showing nobody', async () => {
    const phone = `1990${String(Date.now()).slice(-7)}`;
    await createUser({ community, phone });
    const area = `street:${String(street)}`;
    type Page = { residents: { id: string }[]; reason: string | null };
    const look = () => call<Page>(verifyResidentsLoader, getRequest(`/assist/verify?${new URLSearchParams({ scope: area, q: phone })}`, { jar: jars.worker }), {});
    for (let i = 0; i < IDENTIFIER_LOOKUP_LIMIT.max; i++) expect((await look()).data).toMatchObject({ residents: [expect.anything()], reason: null });
    expect((await look()).data).toMatchObject({ residents: [], reason: 'lookupLimited' });
  });
});

describe('the ballot keeps the list’s per-visitor order and asks for a review before casting (issue 12, item 2)', () => {
  const reviewSlug = 'vote-review';
  const path = `/competitions/${reviewSlug}/vote`;
  let reviewCompetition: Types.ObjectId;
  let reviewNumbers: number[] = [];
  let jar: CookieJar;
  let voterId: Types.ObjectId;
  // The visitor-seed cookie as app/core/visitor.server.ts writes it (Remix's base64 of the JSON value).
  const seedCookie = (seed: string) => `lsx_seed=${encodeURIComponent(Buffer.from(JSON.stringify(seed)).toString('base64'))}`;
  const withSeed = (seed: string) => `${jar.header()}; ${seedCookie(seed)}`;
  type BallotPage = { options: { id: string; number: number; totalFen: number }[] };
  type Answer = { reason: string | null; choices: number[]; review: { items: { number: number; title: string; totalFen: number }[]; totalFen: number } | null };
  const post = (fields: [string, string][], cookie: string) =>
    call<Answer>(voteAction, new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, 'x-laoshanxing-client-ip': '203.0.113.9' },
      body: new URLSearchParams(fields),
    }), { slug: reviewSlug });
  const choose = (intent: string, chosen: number[]) => [['intent', intent], ...chosen.map((n) => ['choice', String(n)] as [string, string])] as [string, string][];

  beforeAll(async () => {
    const competition = await createCompetition({ slug: reviewSlug, phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
    reviewCompetition = competition._id;
    await competition.updateOne({ $set: { voting: { ...DEFAULT_VOTING_RULES, method: 'approval', maxChoices: 3 } } });
    const author = (await createUser())._id;
    reviewNumbers = [];
    for (let i = 0; i < 8; i++) {
      reviewNumbers.push((await insertProposal({ competition: reviewCompetition, author, status: 'eligible', street, budget: [{ item: '服务', quantity: 1, unitPriceFen: (i + 1) * 1000_00 }] })).number);
    }
    voterId = (await createUser({ email: 'reviewer@vote.test', community }))._id;
    await verifyResidentDirectly(voterId, community);
    jar = await signIn('reviewer@vote.test');
  });

  it('orders items by the visitor’s seed: stable for one visitor, different between two, the same set', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: new Types.ObjectId().toHexString(), number: i + 1 }));
    const first = inVisitorOrder(items, '0123456789abcdef');
    expect(inVisitorOrder(items, '0123456789abcdef')).toEqual(first);
    expect(inVisitorOrder([...items].reverse(), '0123456789abcdef')).toEqual(first);
    const other = inVisitorOrder(items, 'fedcba9876543210');
    expect(other.map((i) => i.number)).not.toEqual(first.map((i) => i.number));
    expect(new Set(other)).toEqual(new Set(items));
    expect(first.map((i) => i.number)).not.toEqual(items.map((i) => i.number));
  });

  it('the ballot shows the proposals in the list’s order for this visitor, the same on reload, and another visitor’s differs', async () => {
    const load = (seed: string) => call<BallotPage>(voteLoader, new Request(`http://localhost${path}`, { headers: { Cookie: withSeed(seed) } }), { slug: reviewSlug });
    const mineA = (await load('0123456789abcdef')).data.options.map((o) => o.number);
    expect((await load('0123456789abcdef')).data.options.map((o) => o.number)).toEqual(mineA);
    const mineB = (await load('fedcba9876543210')).data.options.map((o) => o.number);
    expect(mineB).not.toEqual(mineA);
    expect([...mineA].sort((a, b) => a - b)).toEqual(reviewNumbers);
    const list = await call<{ cards: { number: number }[] }>(
      proposalsLoader,
      new Request(`http://localhost/competitions/${reviewSlug}/proposals`, { headers: { Cookie: seedCookie('0123456789abcdef') } }),
      { slug: reviewSlug },
    );
    expect(list.data.cards.map((c) => c.number)).toEqual(mineA);
    // A first visit without a seed gets one, so the next page load keeps the order.
    const fresh = await call(voteLoader, getRequest(path, { jar }), { slug: reviewSlug });
    expect(fresh.headers.getSetCookie().some((c) => c.startsWith('lsx_seed='))).toBe(true);
  });

  it('an anonymous first visit to the list gets the hour’s shared order and no cookie; a signed-in one a seed of their own, which the ballot keeps', async () => {
    type List = { cards: { number: number }[] };
    const listPath = `/competitions/${reviewSlug}/proposals`;
    const numbersOf = (list: Outcome<List>) => list.data.cards.map((c) => c.number);
    const anonymous = await call<List>(proposalsLoader, new Request(`http://localhost${listPath}`), { slug: reviewSlug });
    expect(anonymous.headers.getSetCookie()).toEqual([]);
    expect(numbersOf(await call<List>(proposalsLoader, new Request(`http://localhost${listPath}`), { slug: reviewSlug }))).toEqual(numbersOf(anonymous));
    // The shared order is the one the hour's seed gives, and that seed is no visitor's own.
    const shared = (await call<BallotPage>(voteLoader, new Request(`http://localhost${path}`, { headers: { Cookie: withSeed(sharedSeed(cookieSecrets()[0]!, Date.now())) } }), { slug: reviewSlug })).data.options;
    expect(shared.map((o) => o.number)).toEqual(numbersOf(anonymous));

    const signedIn = await call<List>(proposalsLoader, getRequest(listPath, { jar }), { slug: reviewSlug });
    const own = signedIn.headers.getSetCookie().find((line) => line.startsWith('lsx_seed='))?.split(';')[0];
    expect(own).toBeDefined();
    const ballot = await call<BallotPage>(voteLoader, new Request(`http://localhost${path}`, { headers: { Cookie: `${jar.header()}; ${own}` } }), { slug: reviewSlug });
    expect(ballot.headers.getSetCookie()).toEqual([]);
    expect(ballot.data.options.map((o) => o.number)).toEqual(numbersOf(signedIn));
  });

  it('intent=review writes nothing and answers with the chosen items in the ballot’s order and their total', async () => {
    const seed = '0123456789abcdef';
    const order = (await call<BallotPage>(voteLoader, new Request(`http://localhost${path}`, { headers: { Cookie: withSeed(seed) } }), { slug: reviewSlug })).data.options;
    const picked = [order[5]!, order[1]!, order[3]!];
    const audits = await AuditLog.countDocuments();
    const review = await post(choose('review', picked.map((o) => o.number)), withSeed(seed));
    expect(review.status).toBe(200);
    expect(review.data.reason).toBeNull();
    const inOrder = order.filter((o) => picked.includes(o));
    expect(review.data.review!.items.map((i) => i.number)).toEqual(inOrder.map((o) => o.number));
    expect(review.data.review!.items.every((i) => typeof i.title === 'string' && i.title.length > 0)).toBe(true);
    expect(review.data.review!.totalFen).toBe(picked.reduce((sum, o) => sum + o.totalFen, 0));
    expect(await Ballot.countDocuments({ competition: reviewCompetition })).toBe(0);
    expect(await AuditLog.countDocuments()).toBe(audits);
  });

  it('invalid sets are refused at the review and at the cast, and nothing is written', async () => {
    const cookie = withSeed('0123456789abcdef');
    const [a, b, c, d] = reviewNumbers as [number, number, number, number];
    const cases: [number[], string][] = [
      [[a, b, c, d], 'tooManyChoices'],
      [[a, a], 'duplicateChoice'],
      [[a, 999_999], 'notOnBallot'],
      [[], 'emptyBallot'],
    ];
    for (const [chosen, reason] of cases) {
      for (const intent of ['review', 'cast']) {
        const refused = await post(choose(intent, chosen), cookie);
        expect(refused.status, `${intent} ${reason}`).toBe(400);
        expect(refused.data, `${intent} ${reason}`).toMatchObject({ reason, review: null });
      }
    }
    const odd = await post([['intent', 'publish'], ['choice', String(a)]], cookie);
    expect(odd.status).toBe(400);
    expect(odd.data).toMatchObject({ reason: 'invalidForm' });
    expect(await Ballot.countDocuments({ competition: reviewCompetition })).toBe(0);
  });

  it('intent=cast (the review’s confirm, with the choices as hidden fields) writes the ballot', async () => {
    const chosen = [reviewNumbers[6]!, reviewNumbers[2]!];
    const reviewed = await post(choose('review', chosen), withSeed('0123456789abcdef'));
    const fields = reviewed.data.review!.items.map((i) => ['choice', String(i.number)] as [string, string]);
    const cast = await post([['intent', 'cast'], ...fields], withSeed('0123456789abcdef'));
    expect(cast).toRedirectTo(`${path}/mine`, 303);
    const ballot = await Ballot.findOne({ competition: reviewCompetition, voter: voterId }).populate<{ choices: { number: number }[] }>('choices', 'number').lean();
    expect(ballot!.choices.map((p) => p.number).sort((x, y) => x - y)).toEqual([...chosen].sort((x, y) => x - y));
    expect(ballot!.channel).toBe('online');
  });

  it('the review’s way back pre-ticks the carried choices, and ignores malformed ones', async () => {
    const back = await call<{ carried: number[] }>(voteLoader, getRequest(`${path}?choice=${reviewNumbers[0]}&choice=${reviewNumbers[4]}`, { jar }), { slug: reviewSlug });
    expect(back.data.carried).toEqual([reviewNumbers[0], reviewNumbers[4]]);
    const odd = await call<{ carried: number[] }>(voteLoader, getRequest(`${path}?choice=1&choice=%24gt`, { jar }), { slug: reviewSlug });
    expect(odd.data.carried).toEqual([]);
    expect(await Ballot.countDocuments({ competition: reviewCompetition })).toBe(1);
  });
});
