import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ballot, Project, ProjectRating } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, verifyResidentDirectly } from '#seeds/factories';
import { takeToast } from '~/core/toast.server';
import { ratingSummary } from '~/features/projects/ratings.server';
import { action as rateAction, loader as rateLoader } from '~/routes/competitions.$slug.projects.$number_.rate/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/**
 * Residents rate a completed project once each (issue 14): who may (voted in its competition,
 * or lives in its street), when (completed only), once (a unique index, 20 parallel tries), and
 * what the page shows (average, counts, comments without names).
 */
const slug = 'ratings-2026';
let competitionId: Types.ObjectId;
let street: Types.ObjectId;
let otherStreet: Types.ObjectId;
const people: Record<'voter' | 'neighbour' | 'outsider' | 'judgeOnly' | 'voided', CookieJar> = {} as never;
const ids: Record<string, Types.ObjectId> = {};

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

async function project(number: number, status: 'completed' | 'inProgress') {
  const proposal = await insertProposal({ competition: competitionId, author: ids.voter!, status: 'eligible', title: `评价项目${number}`, street, budget: [{ item: '服务', quantity: 1, unitPriceFen: 10_000_00 }] });
  return Project.create({ competition: competitionId, proposal: proposal._id, proposalNumber: proposal.number, number, title: `评价项目${number}`, street, fundedFen: 10_000_00, approvedBudgetFen: 10_000_00, status });
}

const rate = (jar: CookieJar | null, number: number, fields: Record<string, string>) =>
  call(rateAction, formRequest(`/competitions/${slug}/projects/${number}/rate`, fields, jar ? { jar } : {}), { slug, number: String(number) });

/** The toast a redirect set (its message key), read back as the next page would. */
async function toastKey(headers: Headers): Promise<string> {
  const cookie = new CookieJar().take(headers).header();
  return (await takeToast(new Request('http://localhost/', { headers: { Cookie: cookie } }))).toast?.key ?? '';
}

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  const community = (await createCommunity({ street }))._id;
  const otherCommunity = (await createCommunity({ street: otherStreet }))._id;
  competitionId = (await createCompetition({ slug }))._id;
  for (const name of ['voter', 'neighbour', 'outsider', 'judgeOnly', 'voided'] as const) {
    const roles = name === 'judgeOnly' ? [grant('judge', 'competition', competitionId)] : [grant('resident')];
    ids[name] = (await createUser({ email: `rating-${name}@example.test`, roles, community: name === 'outsider' ? otherCommunity : community }))._id;
  }
  // The voter voted; the neighbour lives in the project's street; the outsider lives elsewhere and did not vote.
  await Ballot.create({ competition: competitionId, voter: ids.voter, channel: 'online', choices: [], street: otherStreet, community: otherCommunity, submittedAt: new Date() });
  await Ballot.create({ competition: competitionId, voter: ids.voided, channel: 'online', choices: [], street: otherStreet, community: otherCommunity, submittedAt: new Date(), voided: { at: new Date(), by: ids.voter, reason: '重复' } });
  await verifyResidentDirectly(ids.neighbour!, community);
  await verifyResidentDirectly(ids.outsider!, otherCommunity);
  await verifyResidentDirectly(ids.judgeOnly!, community);
  for (const name of ['voter', 'neighbour', 'outsider', 'judgeOnly', 'voided'] as const) people[name] = await signIn(`rating-${name}@example.test`);
  await project(1, 'completed');
  await project(2, 'inProgress');
});

describe('rating a completed project', () => {
  it('a resident who voted rates it once; the page shows the average and the comment, never the name', async () => {
    const first = await rate(people.voter, 1, { stars: '4', comment: '  老人们很满意  ' });
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/competitions/${slug}/projects/1#rating`);
    expect(await toastKey(first.headers)).toBe('projects:rating.thanks');
    const again = await rate(people.voter, 1, { stars: '1' });
    expect(await toastKey(again.headers)).toBe('projects:rating.error.alreadyRated');
    const stored = await ProjectRating.find({ rater: ids.voter }).lean();
    expect(stored.map((r) => [r.stars, r.comment, r.basis])).toEqual([[4, '老人们很满意', 'voted']]);
    const summary = await ratingSummary(String(stored[0]!.project), String(ids.voter));
    expect(summary).toMatchObject({ count: 1, average: 4, histogram: [0, 0, 0, 1, 0], mine: { stars: 4 } });
    expect(summary.comments.map((c) => [c.stars, c.comment, Number.isNaN(Date.parse(c.at))])).toEqual([[4, '老人们很满意', false]]);
    expect(JSON.stringify(summary)).not.toContain(String(ids.voter));
  });

  it('a resident of the project\'s street who did not vote may rate; others are refused and nothing is stored', async () => {
    expect(await toastKey((await rate(people.neighbour, 1, { stars: '5' })).headers)).toBe('projects:rating.thanks');
    const before = await ProjectRating.countDocuments();
    expect(await toastKey((await rate(people.outsider, 1, { stars: '5' })).headers)).toBe('projects:rating.error.notEligible');
    // A voided ballot is no vote.
    expect(await toastKey((await rate(people.voided, 1, { stars: '5' })).headers)).toBe('projects:rating.error.notEligible');
    // A judge without the resident role, though living in the street.
    expect(await toastKey((await rate(people.judgeOnly, 1, { stars: '5' })).headers)).toBe('projects:rating.error.notResident');
    expect(await ProjectRating.countDocuments()).toBe(before);
    const summary = await ratingSummary(String((await Project.findOne({ competition: competitionId, number: 1 }).lean())!._id), null);
    expect(summary).toMatchObject({ count: 2, average: 4.5, mine: null });
  });

  it('refuses a project still in progress, bad stars and an overlong comment with a translated reason, storing nothing', async () => {
    const before = await ProjectRating.countDocuments();
    expect(await toastKey((await rate(people.outsider, 2, { stars: '5' })).headers)).toBe('projects:rating.error.notCompleted');
    for (const stars of ['0', '6', '3.5', 'abc', '']) expect(await toastKey((await rate(people.voided, 1, { stars })).headers)).toBe('projects:rating.error.starsRequired');
    expect(await toastKey((await rate(people.voided, 1, { stars: '3', comment: '长'.repeat(501) })).headers)).toBe('projects:rating.error.commentTooLong');
    expect(await ProjectRating.countDocuments()).toBe(before);
  });

  it('asks anonymous visitors to sign in, 404s unknown projects, and a GET only leads back to the project', async () => {
    const anonymous = await rate(null, 1, { stars: '5' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
    expect((await rate(people.voter, 99, { stars: '5' })).status).toBe(404);
    const get = await call(rateLoader, getRequest(`/competitions/${slug}/projects/1/rate`), { slug, number: '1' });
    expect(get.location).toBe(`/competitions/${slug}/projects/1`);
  });

  it('twenty parallel ratings by one resident store exactly one', async () => {
    const resident = await createUser({ email: 'rating-parallel@example.test', roles: [grant('resident')] });
    await Ballot.create({ competition: competitionId, voter: resident._id, channel: 'online', choices: [], street, community: (await createCommunity({ street }))._id, submittedAt: new Date() });
    const jar = await signIn('rating-parallel@example.test');
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => rate(jar, 1, { stars: String((i % 5) + 1) })));
    const keys = await Promise.all(outcomes.map((o) => toastKey(o.headers)));
    expect(keys.filter((k) => k === 'projects:rating.thanks')).toHaveLength(1);
    expect(keys.filter((k) => k === 'projects:rating.error.alreadyRated')).toHaveLength(19);
    expect(await ProjectRating.countDocuments({ rater: resident._id })).toBe(1);
  });
});
