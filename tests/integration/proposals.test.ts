import { beforeAll, describe, expect, it } from 'vitest';
import { Proposal, ProposalVersion } from '#models';
import { createCommunity, createCompetition, createUser, phaseWindows } from '#seeds/factories';
import { followProposal, getProposalView, listProposals, unfollowProposal } from '~/features/proposals/browse.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { createProposal, updateProposal, withdrawProposal } from '~/features/proposals/drafts.server';
import { proposalListQuery } from '~/features/proposals/proposal.schema';
import { completeForm } from '../support/proposals';

const DAY = 86_400_000;
let rules: CompetitionRules;
let communityId: string;
let streetId: string;
let author: string;
let stranger: string;

beforeAll(async () => {
  const community = await createCommunity({ zh: '王家麦岛社区' });
  communityId = String(community._id);
  streetId = String(community.street);
  // Submission opened 10 days ago and lasts 45 days (phaseWindows' default).
  const competition = await createCompetition({ slug: 'prop-test', phases: phaseWindows(new Date(Date.now() - 10 * DAY)) });
  rules = (await getCompetitionRules(competition.slug))!;
  author = String((await createUser())._id);
  stranger = String((await createUser())._id);
});

const form = (overrides = {}) => completeForm({ communityId, ...overrides });

describe('submitting proposals', () => {
  it('a complete proposal is submitted with a sequential number and a server-computed total', async () => {
    const result = await createProposal({ rules, authorId: author, form: form() });
    expect(result).toMatchObject({ ok: true, status: 'submitted' });
    const saved = await Proposal.findOne({ competition: rules.id, number: result.ok ? result.number : 0 }).lean();
    expect(saved?.totalFen).toBe(1440 * 1500 + 20 * 10000);
    expect(saved?.budget[0]).toEqual({ item: '送餐补贴', quantity: 1440, unitPriceFen: 1500 });
    // The street is the community's, worked out by the server (the form names only the community).
    expect(String(saved?.community)).toBe(communityId);
    expect(String(saved?.street)).toBe(streetId);
    expect(saved?.statusHistory.map((h) => h.status)).toEqual(['draft', 'submitted']);
  });

  it('numbers stay unique when ten residents submit at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => createProposal({ rules, authorId: author, form: form() })));
    const numbers = results.map((r) => (r.ok ? r.number : -1));
    expect(new Set(numbers).size).toBe(10);
    expect(numbers.every((n) => n > 0)).toBe(true);
  });

  it('refuses a budget outside the competition\'s limits and saves nothing', async () => {
    const before = await Proposal.countDocuments();
    const tooBig = await createProposal({ rules, authorId: author, form: form({ budget: [{ item: '设备', quantity: 2, unitPrice: 60_000_00 }] }) });
    expect(tooBig).toEqual({ ok: false, reason: 'budgetAboveMaximum', field: 'budget' });
    const tooSmall = await createProposal({ rules, authorId: author, form: form({ budget: [{ item: '文具', quantity: 1, unitPrice: 100_00 }] }) });
    expect(tooSmall).toMatchObject({ ok: false, reason: 'budgetBelowMinimum' });
    const overflow = await createProposal({ rules, authorId: author, form: form({ budget: [{ item: 'x', quantity: 100_000, unitPrice: Number.MAX_SAFE_INTEGER }] }) });
    expect(overflow).toMatchObject({ ok: false, reason: 'budgetOverflow' });
    expect(await Proposal.countDocuments()).toBe(before);
  });

  it('a draft may be incomplete and over budget; submitting it later applies every check', async () => {
    const draft = await createProposal({ rules, authorId: author, form: form({ intent: 'save', budget: [{ item: '设备', quantity: 2, unitPrice: 60_000_00 }] }) });
    expect(draft).toMatchObject({ ok: true, status: 'draft' });
    const number = draft.ok ? draft.number : 0;
    const refused = await updateProposal({ rules, number, editorId: author, form: form({ budget: [{ item: '设备', quantity: 2, unitPrice: 60_000_00 }] }) });
    expect(refused).toMatchObject({ ok: false, reason: 'budgetAboveMaximum' });
    const submitted = await updateProposal({ rules, number, editorId: author, form: form() });
    expect(submitted).toMatchObject({ ok: true, status: 'submitted' });
  });

  it('refuses an unknown category or a community outside the eligible streets', async () => {
    expect(await createProposal({ rules, authorId: author, form: form({ category: 'space-travel' }) })).toMatchObject({ reason: 'categoryInvalid' });
    const limited = await createCompetition({ slug: 'limited', eligibleStreets: [(await createCommunity()).street] });
    const limitedRules = (await getCompetitionRules(limited.slug))!;
    expect(await createProposal({ rules: limitedRules, authorId: author, form: form() })).toMatchObject({ reason: 'communityInvalid' });
  });

  it('refuses submitting or editing after the submission deadline', async () => {
    const closed = await createCompetition({ slug: 'closed-sub', phases: phaseWindows(new Date(Date.now() - 50 * DAY)) });
    const closedRules = (await getCompetitionRules(closed.slug))!;
    expect(closedRules.phase).toBe('screening');
    expect(await createProposal({ rules: closedRules, authorId: author, form: form() })).toEqual({ ok: false, reason: 'phaseClosed' });

    const created = await createProposal({ rules, authorId: author, form: form() });
    const number = created.ok ? created.number : 0;
    const afterDeadline = new Date(Date.now() + 40 * DAY);
    expect(await updateProposal({ rules, number, editorId: author, form: form({ title: '改名' }), now: afterDeadline })).toMatchObject({ ok: false, reason: 'phaseClosed' });
  });
});

describe('editing', () => {
  it('only authors can edit; another resident changing the number gets "not found" and changes nothing', async () => {
    const created = await createProposal({ rules, authorId: author, form: form() });
    const number = created.ok ? created.number : 0;
    const attempt = await updateProposal({ rules, number, editorId: stranger, form: form({ title: '被别人改了' }) });
    expect(attempt).toEqual({ ok: false, reason: 'notFound' });
    expect((await Proposal.findOne({ competition: rules.id, number }).lean())?.title).toBe('独居老人助餐与陪伴计划');
    expect(await withdrawProposal({ rules, number, userId: stranger })).toEqual({ ok: false, reason: 'notFound' });
  });

  it('keeps a version for every saved change: who, when, which fields, before and after', async () => {
    const created = await createProposal({ rules, authorId: author, form: form() });
    const number = created.ok ? created.number : 0;
    await updateProposal({ rules, number, editorId: author, form: form({ title: '独居老人助餐计划', revision: 0 }) });
    await updateProposal({ rules, number, editorId: author, form: form({ title: '独居老人助餐计划', budget: [{ item: '送餐补贴', quantity: 1000, unitPrice: 1500 }], revision: 1 }) });
    const proposal = await Proposal.findOne({ competition: rules.id, number }).lean();
    const versions = await ProposalVersion.find({ proposal: proposal?._id }).sort({ revision: 1 }).lean();
    expect(versions.map((v) => v.changes.map((c) => c.field))).toEqual([['title'], ['budget']]);
    expect(versions[0]?.changes[0]).toMatchObject({ before: '独居老人助餐与陪伴计划', after: '独居老人助餐计划' });
    expect(String(versions[0]?.editor)).toBe(author);
    expect(proposal?.totalFen).toBe(1000 * 1500);
    // The page shows the history newest first, with the editor's name and the fields changed.
    const shown = (await getProposalView(rules, number, null))?.versions;
    expect(shown?.map((v) => v.revision)).toEqual([2, 1]);
    expect(shown?.map((v) => v.fields)).toEqual([['budget'], ['title']]);
    expect(shown?.[0]?.editor).toBeTruthy();
  });

  it('an edit started from an old revision is refused instead of overwriting a newer one', async () => {
    const created = await createProposal({ rules, authorId: author, form: form() });
    const number = created.ok ? created.number : 0;
    expect(await updateProposal({ rules, number, editorId: author, form: form({ title: '第一次修改', revision: 0 }) })).toMatchObject({ ok: true });
    expect(await updateProposal({ rules, number, editorId: author, form: form({ title: '旧页面的修改', revision: 0 }) })).toEqual({ ok: false, reason: 'staleRevision' });
  });

  it('a withdrawn proposal leaves the public list and cannot be edited', async () => {
    const created = await createProposal({ rules, authorId: author, form: form({ title: '将被撤回的提案' }) });
    const number = created.ok ? created.number : 0;
    expect(await withdrawProposal({ rules, number, userId: author })).toEqual({ ok: true });
    expect(await updateProposal({ rules, number, editorId: author, form: form() })).toMatchObject({ ok: false, reason: 'notEditable' });
    expect(await getProposalView(rules, number, stranger)).toBeNull();
    expect((await getProposalView(rules, number, author))?.status).toBe('withdrawn');
    const list = await listProposals(rules, proposalListQuery.parse({ q: '撤回' }), 'seed');
    expect(list.total).toBe(0);
  });
});

describe('browsing', () => {
  it('search finds a proposal by a two-character Chinese substring of its title', async () => {
    await createProposal({ rules, authorId: author, form: form({ title: '困境儿童暑期阅读营' }) });
    const found = await listProposals(rules, proposalListQuery.parse({ q: '阅读' }), 'seed');
    expect(found.cards.map((c) => c.title)).toEqual(['困境儿童暑期阅读营']);
    const middle = await listProposals(rules, proposalListQuery.parse({ q: '暑期' }), 'seed');
    expect(middle.cards.map((c) => c.title)).toContain('困境儿童暑期阅读营');
    const none = await listProposals(rules, proposalListQuery.parse({ q: '阅营' }), 'seed');
    expect(none.total).toBe(0);
  });

  it('drafts are visible to their authors only', async () => {
    const draft = await createProposal({ rules, authorId: author, form: form({ intent: 'save', title: '草稿里的想法' }) });
    const number = draft.ok ? draft.number : 0;
    expect(await getProposalView(rules, number, null)).toBeNull();
    expect(await getProposalView(rules, number, stranger)).toBeNull();
    expect((await getProposalView(rules, number, author))?.canEdit).toBe(true);
    expect((await listProposals(rules, proposalListQuery.parse({ q: '草稿' }), 's')).total).toBe(0);
  });

  it('random order is stable for one visitor across pages and differs between visitors', async () => {
    const q = proposalListQuery.parse({ sort: 'random' });
    const first = await listProposals(rules, q, 'visitor-a');
    const again = await listProposals(rules, q, 'visitor-a');
    const other = await listProposals(rules, q, 'visitor-b');
    expect(first.cards.map((c) => c.number)).toEqual(again.cards.map((c) => c.number));
    expect(first.cards.map((c) => c.number)).not.toEqual(other.cards.map((c) => c.number));
    const page2 = await listProposals(rules, { ...q, page: 2 }, 'visitor-a');
    const seen = new Set(first.cards.map((c) => c.number));
    expect(page2.cards.every((c) => !seen.has(c.number))).toBe(true);
  });

  it('counts per category ignore the category filter itself, so every option shows its count', async () => {
    const all = await listProposals(rules, proposalListQuery.parse({}), 's');
    const filtered = await listProposals(rules, proposalListQuery.parse({ category: 'children' }), 's');
    expect(filtered.counts.category).toEqual(all.counts.category);
    expect(filtered.total).toBe(all.counts.category.children ?? 0);
  });

  it('filters by community, with counts per community', async () => {
    const other = await createCommunity({ zh: '南窑社区', code: 'nanyao-test' });
    await createProposal({ rules, authorId: author, form: form({ communityId: String(other._id), title: '南窑的提案' }) });
    const list = await listProposals(rules, proposalListQuery.parse({ community: 'nanyao-test' }), 's');
    expect(list.cards.map((c) => c.title)).toEqual(['南窑的提案']);
    expect(list.counts.community[String(other._id)]).toBe(1);
    expect(list.counts.community[communityId]).toBeGreaterThan(1);
  });

  it('following twice counts once; unfollowing counts down', async () => {
    const created = await createProposal({ rules, authorId: author, form: form() });
    const number = created.ok ? created.number : 0;
    await Promise.all(Array.from({ length: 5 }, () => followProposal(rules, number, stranger)));
    expect((await getProposalView(rules, number, stranger))).toMatchObject({ following: true, followerCount: 1 });
    await unfollowProposal(rules, number, stranger);
    await unfollowProposal(rules, number, stranger);
    expect((await getProposalView(rules, number, stranger))).toMatchObject({ following: false, followerCount: 0 });
  });
});
