/**
 * Proposals citing the needs they answer (issue 16), through their routes as each person: an
 * author cites only verified needs of the proposal's street, at most five, once each, and only
 * while the proposal may be edited (a later phase change does not reopen it); anyone else finds
 * no such page and changes nothing; the proposal's page shows its needs and the need's page the
 * public proposals citing it and the project one became, never a person's private details.
 */
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Competition, Need, NeedDetail, NeedLink, Proposal } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { ensureNeedCategories, forgetNeedReference } from '~/features/needs/reference.server';
import { action as citeAction, loader as citeLoader } from '~/routes/competitions.$slug.proposals.$number.needs/route';
import { loader as proposalLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { loader as needLoader } from '~/routes/needs.$number/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;
const SECRET = { name: '王秀英', phone: '13966602468', address: '松岭路88号2单元', situation: '独居，腿脚不便，需要有人定期探访' };
const SLUG = 'need-links';

let author: CookieJar;
let coAuthor: CookieJar;
let stranger: CookieJar;
let competitionId: Types.ObjectId;
let street: Types.ObjectId;
let community: Types.ObjectId;
let otherStreet: Types.ObjectId;
let otherCommunity: Types.ObjectId;
let raiser: Types.ObjectId;
let authorId: Types.ObjectId;
let coAuthorId: Types.ObjectId;
let proposal: number;
let nextNeed = 9000;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

async function need(status: 'open' | 'pending' | 'withdrawn', at: { street: Types.ObjectId; community: Types.ObjectId } = { street, community }) {
  const number = ++nextNeed;
  const _id = new Types.ObjectId();
  await Need.create({
    _id, number, category: 'companionship', urgency: 'normal', street: at.street, community: at.community, grid: '3号网格',
    description: `社区里一位独居老人需要定期探访（${number}）。`, raisedBy: raiser, raisedAs: 'gridWorker', status,
    publishedAt: status === 'pending' ? undefined : new Date(), claims: [], reopenCount: 0,
  });
  await NeedDetail.create({ need: _id, ...SECRET });
  return number;
}

/** A proposal of the author and the co-author, in the street unless placeless. */
async function newProposal(status: 'draft' | 'submitted', placed = true) {
  const p = await insertProposal({ competition: competitionId, author: authorId, status, ...(placed ? { street, community } : {}) });
  await Proposal.updateOne({ _id: p._id }, { $push: { authors: coAuthorId } });
  return p.number;
}

const params = (number: number) => ({ slug: SLUG, number: String(number) });
const cite = (number: number, jar: CookieJar, need: number, intent: 'cite' | 'uncite' = 'cite') =>
  call<{ errors: string[] }>(citeAction, formRequest(`/competitions/${SLUG}/proposals/${number}/needs`, { intent, need: String(need) }, { jar }), params(number));
const citePage = (number: number, jar: CookieJar) =>
  call<{ cited: { cards: { number: number }[] }; citable: { cards: { number: number }[] } | null; proposal: { editable: boolean } }>(citeLoader, getRequest(`/competitions/${SLUG}/proposals/${number}/needs`, { jar }), params(number));
const proposalPage = (number: number) => call<{ needs: { cards: { number: number }[] } }>(proposalLoader, getRequest(`/competitions/${SLUG}/proposals/${number}`), params(number));
const needPage = (number: number) => call<{ need: { answeredBy: { number: number; projectNumber: number | null; competition: { slug: string } }[] } }>(needLoader, getRequest(`/needs/${number}`), { number: String(number) });
const linksOf = async (number: number) => {
  const p = await Proposal.findOne({ competition: competitionId, number }).select('_id').lean();
  return NeedLink.find({ proposal: p!._id }).lean();
};

beforeAll(async () => {
  await ensureNeedCategories();
  street = (await createStreet({ code: 'links-street' }))._id;
  community = (await createCommunity({ street, code: 'links-community' }))._id;
  otherStreet = (await createStreet({ code: 'links-other' }))._id;
  otherCommunity = (await createCommunity({ street: otherStreet, code: 'links-other-community' }))._id;
  forgetNeedReference();
  // In its submission phase: proposals may still be edited.
  competitionId = (await createCompetition({ slug: SLUG, phases: phaseWindows(new Date(Date.now() - 5 * DAY)) }))._id;
  raiser = (await createUser({ email: 'links-grid@example.test', roles: [grant('resident'), grant('gridWorker', 'community', community)] }))._id;
  const authorDoc = await createUser({ email: 'links-author@example.test' });
  authorId = authorDoc._id;
  coAuthorId = (await createUser({ email: 'links-coauthor@example.test' }))._id;
  await createUser({ email: 'links-stranger@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionId)] });
  proposal = await newProposal('submitted');
  author = await signIn('links-author@example.test');
  coAuthor = await signIn('links-coauthor@example.test');
  stranger = await signIn('links-stranger@example.test');
});

describe('a proposal citing the needs it answers', () => {
  it('shows the street’s verified needs to its authors, and the cited need on both pages without any private detail', async () => {
    const open = await need('open');
    const pending = await need('pending');
    const elsewhere = await need('open', { street: otherStreet, community: otherCommunity });
    const page = await citePage(proposal, author);
    expect(page.status).toBe(200);
    const offered = page.data.citable!.cards.map((c) => c.number);
    expect(offered).toContain(open);
    expect(offered).not.toContain(pending);
    expect(offered).not.toContain(elsewhere);

    const cited = await cite(proposal, author, open);
    expect(cited.status).toBe(303);
    expect((await citePage(proposal, coAuthor)).data.cited.cards.map((c) => c.number)).toEqual([open]);
    const shown = await proposalPage(proposal);
    expect(shown.data.needs.cards.map((c) => c.number)).toEqual([open]);
    const onNeed = await needPage(open);
    expect(onNeed.data.need.answeredBy.map((p) => p.number)).toEqual([proposal]);
    expect(onNeed.data.need.answeredBy[0]!.competition.slug).toBe(SLUG);
    for (const body of [JSON.stringify(shown.data), JSON.stringify(onNeed.data)]) {
      for (const value of Object.values(SECRET)) expect(body).not.toContain(value);
      expect(body).not.toContain(String(raiser));
    }
    const entry = await AuditLog.findOne({ action: 'need.cited' }).lean();
    expect(entry?.actor && String(entry.actor)).toBe(String(authorId));

    // Citing it again changes nothing; dropping it takes it off both pages.
    expect((await cite(proposal, coAuthor, open)).status).toBe(303);
    expect(await linksOf(proposal)).toHaveLength(1);
    expect((await cite(proposal, author, open, 'uncite')).status).toBe(303);
    expect((await proposalPage(proposal)).data.needs.cards).toEqual([]);
    expect((await needPage(open)).data.need.answeredBy).toEqual([]);
  });

  it('refuses a need not verified, not public or of another street, and anyone who is not an author, changing nothing', async () => {
    const pending = await need('pending');
    const withdrawn = await need('withdrawn');
    const elsewhere = await need('open', { street: otherStreet, community: otherCommunity });
    const open = await need('open');
    const before = await NeedLink.countDocuments();
    const audits = await AuditLog.countDocuments();
    expect((await cite(proposal, author, pending)).status).toBe(404);
    expect((await cite(proposal, author, withdrawn)).status).toBe(404);
    expect((await cite(proposal, author, 999_999)).status).toBe(404);
    const other = await cite(proposal, author, elsewhere);
    expect(other.status).toBe(400);
    expect(other.data.errors).toEqual(['otherStreet']);
    // A committee member of this very competition is not an author: no such page for them.
    expect((await cite(proposal, stranger, open)).status).toBe(404);
    expect((await citePage(proposal, stranger)).status).toBe(404);
    expect((await call(citeAction, formRequest(`/competitions/${SLUG}/proposals/${proposal}/needs`, { intent: 'cite', need: String(open) }), params(proposal))).status).toBe(302);
    // Hostile bodies: a 400 with a message, never a 500.
    for (const fields of <Record<string, string>[]>[{ intent: 'cite', need: 'abc' }, { intent: 'steal', need: String(open) }, { intent: 'cite', need: '-1' }, { need: String(open) }]) {
      const res = await call<{ errors: string[] }>(citeAction, formRequest(`/competitions/${SLUG}/proposals/${proposal}/needs`, fields, { jar: author }), params(proposal));
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.data.errors).toEqual(['invalid']);
    }
    expect(await NeedLink.countDocuments()).toBe(before);
    expect(await AuditLog.countDocuments()).toBe(audits);
  });

  it('holds at most five needs, once each, when authors cite many at the same moment', async () => {
    const fresh = await newProposal('submitted');
    const needs = await Promise.all(Array.from({ length: 10 }, () => need('open')));
    const outcomes = await Promise.all(needs.map((n, i) => cite(fresh, i % 2 ? coAuthor : author, n)));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 409)).toHaveLength(5);
    const links = await linksOf(fresh);
    expect(links.map((l) => l.slot).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(links.map((l) => String(l.need))).size).toBe(5);

    // The same need cited ten times at once: one link.
    const another = await newProposal('submitted');
    const one = await need('open');
    await Promise.all(Array.from({ length: 10 }, (_, i) => cite(another, i % 2 ? coAuthor : author, one)));
    expect(await linksOf(another)).toHaveLength(1);
  });

  it('shows on the need only public proposals of its street, with the project one became; a need no longer public leaves the proposal', async () => {
    const open = await need('open');
    const draft = await newProposal('draft');
    const funded = await newProposal('submitted');
    expect((await cite(draft, author, open)).status).toBe(303);
    expect((await cite(funded, author, open)).status).toBe(303);
    expect((await needPage(open)).data.need.answeredBy.map((p) => p.number)).toEqual([funded]);
    await Proposal.updateOne({ competition: competitionId, number: funded }, { $set: { status: 'eligible', fundedAt: new Date(), project: { number: 7 } } });
    expect((await needPage(open)).data.need.answeredBy).toEqual([expect.objectContaining({ number: funded, projectNumber: 7, funded: true })]);
    // Moved to another street by an edit: it no longer answers this street's need.
    await Proposal.updateOne({ competition: competitionId, number: funded }, { $set: { street: otherStreet, community: otherCommunity } });
    expect((await needPage(open)).data.need.answeredBy).toEqual([]);
    await Proposal.updateOne({ competition: competitionId, number: funded }, { $set: { street, community } });
    // Withdrawn by its whistle-blower: off the proposal's page too.
    await Need.updateOne({ number: open }, { $set: { status: 'withdrawn' } });
    expect((await proposalPage(funded)).data.needs.cards).toEqual([]);
  });

  it('cannot be changed once the proposal’s edit window has closed, by a phase change or its status', async () => {
    const open = await need('open');
    const kept = await need('open');
    const closing = await newProposal('submitted');
    expect((await cite(closing, author, kept)).status).toBe(303);
    const phases = (await Competition.findById(competitionId).lean())!.phases;
    // The committee moves the competition on to screening.
    await Competition.updateOne({ _id: competitionId }, { $set: { phases: phaseWindows(new Date(Date.now() - 50 * DAY)) } });
    try {
      const before = await linksOf(closing);
      const page = await citePage(closing, author);
      expect(page.data.proposal.editable).toBe(false);
      expect(page.data.citable).toBeNull();
      expect(page.data.cited.cards.map((c) => c.number)).toEqual([kept]);
      const refused = await cite(closing, author, open);
      expect(refused.status).toBe(409);
      expect(refused.data.errors).toEqual(['closed']);
      expect((await cite(closing, author, kept, 'uncite')).status).toBe(409);
      expect(await linksOf(closing)).toEqual(before);
    } finally {
      await Competition.updateOne({ _id: competitionId }, { $set: { phases } });
    }
    // A proposal with no community cannot cite: the page says to choose one first.
    const placeless = await newProposal('draft', false);
    const page = await citePage(placeless, author);
    expect(page.data.citable).toBeNull();
    expect((await cite(placeless, author, open)).data.errors).toEqual(['noStreet']);
  });
});
