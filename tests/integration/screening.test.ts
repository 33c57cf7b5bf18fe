import { beforeAll, describe, expect, it } from 'vitest';
import mongoose, { Types } from 'mongoose';
import { AuditLog, Follow, Notification, Proposal } from '#models';
import { createCommunity, createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { CATEGORIES, DEMO_PASSWORD } from '#seeds/data';
import { action as screeningAction, loader as screeningLoader } from '~/routes/competitions.$slug.screening/route';
import { action as loginAction } from '~/routes/login/route';
import { getProposalView, listEligibleProposals } from '~/features/proposals/browse.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { updateProposal } from '~/features/proposals/drafts.server';
import { mergeProposals, screeningQueue, screenProposal } from '~/features/proposals/screening.server';
import { takeToast } from '~/core/toast.server';
import { endOfShanghaiDay } from '~/utils/dates';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { completeForm } from '../support/proposals';

const DAY = 86_400_000;
let rules: CompetitionRules;
let competitionId: Types.ObjectId;
let committee: string;
let committeeJar: CookieJar;
let author: Types.ObjectId;
let communityId: string;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  return new CookieJar().take(outcome.headers);
}

beforeAll(async () => {
  communityId = String((await createCommunity())._id);
  // Submission ended two days ago: screening now.
  const competition = await createCompetition({ slug: 'screening-test', phases: phaseWindows(new Date(Date.now() - 47 * DAY)) });
  competitionId = competition._id;
  rules = (await getCompetitionRules(competition.slug))!;
  expect(rules.phase).toBe('screening');
  committee = String((await createUser({ email: 'committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] }))._id);
  committeeJar = await signIn('committee@example.test');
  author = (await createUser({ email: 'author@example.test' }))._id;
});

describe('screening decisions', () => {
  it('ineligible with a reason: the authors see the reason; the decision is audited', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const result = await screenProposal({ rules, number: p.number, actorId: committee, decision: 'ineligible', reason: '不属于救助服务范围。' });
    expect(result.ok).toBe(true);
    const view = await getProposalView(rules, p.number, String(author));
    expect(view).toMatchObject({ status: 'ineligible', screeningReason: '不属于救助服务范围。' });
    expect(view?.statusHistory.at(-1)).toMatchObject({ status: 'ineligible', reason: '不属于救助服务范围。' });
    const entry = await AuditLog.findOne({ action: 'proposal.screened', targetId: String(p._id) }).lean();
    expect(entry).toMatchObject({ before: { status: 'submitted' }, after: { status: 'ineligible' } });
    expect(String(entry?.actor)).toBe(committee);
  });

  it('authors are told the result and followers the new status, once each, and nobody else', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const follower = await createUser();
    await Follow.create({ proposal: p._id, user: follower._id });
    const before = await Notification.countDocuments();
    await screenProposal({ rules, number: p.number, actorId: committee, decision: 'eligible', reason: '' });
    expect(await Notification.countDocuments()).toBe(before + 2);
    const notes = await Notification.find({ proposal: p._id }).lean();
    expect(notes.map((n) => [String(n.recipient), n.type]).sort()).toEqual(
      [[String(author), 'screeningResult'], [String(follower._id), 'followedUpdate']].sort(),
    );
  });

  it('ineligible, withdrawn, merged, draft and unscreened proposals take no part in later phases', async () => {
    const statuses = ['eligible', 'ineligible', 'withdrawn', 'draft', 'submitted', 'changesRequested'] as const;
    const made = [];
    for (const status of statuses) made.push(await insertProposal({ competition: competitionId, author, status, title: `阶段测试-${status}` }));
    const eligible = await listEligibleProposals(String(competitionId));
    const titles = eligible.map((p) => p.title).filter((t) => t.startsWith('阶段测试'));
    expect(titles).toEqual(['阶段测试-eligible']);
  });

  it('changes requested: the authors may edit until the date and resubmit; after it, not', async () => {
    const p = await insertProposal({ competition: competitionId, author, community: new Types.ObjectId(communityId) });
    const due = new Date(Date.now() + 3 * DAY);
    expect(await screenProposal({ rules, number: p.number, actorId: committee, decision: 'changesRequested', reason: '请补充预算明细。', changesDueAt: due })).toEqual(expect.objectContaining({ ok: true }));
    const resubmitted = await updateProposal({ rules, number: p.number, editorId: String(author), form: completeForm({ communityId }) });
    expect(resubmitted).toMatchObject({ ok: true, status: 'submitted' });

    expect(await screenProposal({ rules, number: p.number, actorId: committee, decision: 'changesRequested', reason: '还需要修改。', changesDueAt: due })).toMatchObject({ ok: true });
    const late = await updateProposal({ rules, number: p.number, editorId: String(author), form: completeForm({ communityId }), now: new Date(due.getTime() + 1000) });
    expect(late).toMatchObject({ ok: false, reason: 'notEditable' });
  });

  it('a due date in the past is refused, and so are decisions after screening closed', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    expect(await screenProposal({ rules, number: p.number, actorId: committee, decision: 'changesRequested', reason: '请修改。', changesDueAt: new Date(Date.now() - DAY) })).toEqual({ ok: false, reason: 'dueDateInPast' });
    const later = new Date(Date.now() + 30 * DAY);
    expect(await screenProposal({ rules, number: p.number, actorId: committee, decision: 'eligible', reason: '', now: later })).toEqual({ ok: false, reason: 'phaseClosed' });
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');
  });

  it('a withdrawn proposal cannot be screened', async () => {
    const p = await insertProposal({ competition: competitionId, author, status: 'withdrawn' });
    expect(await screenProposal({ rules, number: p.number, actorId: committee, decision: 'eligible', reason: '' })).toEqual({ ok: false, reason: 'notScreenable' });
  });

  it('the change-due date is the end of that day in Qingdao', () => {
    expect(endOfShanghaiDay('2026-12-20').toISOString()).toBe('2026-12-20T15:59:59.999Z');
  });
});

describe('merging duplicates', () => {
  it('the duplicate points to the kept proposal and its authors become co-authors, who may then edit it', async () => {
    const other = (await createUser())._id;
    const kept = await insertProposal({ competition: competitionId, author, title: '保留的提案' });
    const dup = await insertProposal({ competition: competitionId, author: other, title: '重复的提案' });
    const result = await mergeProposals({ rules, keepNumber: kept.number, mergeNumber: dup.number, actorId: committee, reason: '内容相同' });
    expect(result.ok).toBe(true);
    const [keptAfter, dupAfter] = await Promise.all([Proposal.findById(kept._id).lean(), Proposal.findById(dup._id).lean()]);
    expect(dupAfter).toMatchObject({ status: 'merged', mergedInto: kept._id });
    expect(keptAfter?.authors.map(String).sort()).toEqual([String(author), String(other)].sort());
    expect((await getProposalView(rules, dup.number, null))?.mergedInto).toEqual({ number: kept.number, title: '保留的提案' });
    expect(await AuditLog.countDocuments({ action: 'proposal.merged', targetId: String(dup._id) })).toBe(1);
    // Merging again changes nothing.
    expect(await mergeProposals({ rules, keepNumber: kept.number, mergeNumber: dup.number, actorId: committee, reason: '' })).toEqual({ ok: false, reason: 'notMergeable' });
    expect(await mergeProposals({ rules, keepNumber: kept.number, mergeNumber: kept.number, actorId: committee, reason: '' })).toEqual({ ok: false, reason: 'sameProposal' });
  });
});

describe('the screening page', () => {
  it('is refused to anonymous visitors, residents, judges and the committee of another competition', async () => {
    const other = await createCompetition({ slug: 'other-comp' });
    const people = {
      resident: [grant('resident')],
      judge: [grant('resident'), grant('judge', 'competition', competitionId)],
      otherCommittee: [grant('resident'), grant('committee', 'competition', other._id)],
    };
    const p = await insertProposal({ competition: competitionId, author });
    const anonymous = await call(screeningLoader, getRequest('/competitions/screening-test/screening'), { slug: 'screening-test' });
    expect(anonymous.status).toBe(302);
    for (const [label, roles] of Object.entries(people)) {
      const email = `${label}-screen@example.test`;
      await createUser({ email, roles });
      const jar = await signIn(email);
      expect((await call(screeningLoader, getRequest('/competitions/screening-test/screening', { jar }), { slug: 'screening-test' })).status, label).toBe(403);
      const attempt = await call(
        screeningAction,
        formRequest('/competitions/screening-test/screening', { intent: 'screen', number: String(p.number), decision: 'ineligible', reason: '我想让它不通过' }, { jar }),
        { slug: 'screening-test' },
      );
      expect(attempt.status, label).toBe(403);
    }
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');
  });

  it('the committee screens through the page; a missing reason is explained and changes nothing', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const missing = await call(
      screeningAction,
      formRequest('/competitions/screening-test/screening', { intent: 'screen', number: String(p.number), decision: 'ineligible', reason: '' }, { jar: committeeJar }),
      { slug: 'screening-test' },
    );
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ number: p.number, errors: { reason: ['reasonRequired'] } });
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');
    const ok = await call(
      screeningAction,
      formRequest('/competitions/screening-test/screening', { intent: 'screen', number: String(p.number), decision: 'eligible' }, { jar: committeeJar }),
      { slug: 'screening-test' },
    );
    expect(ok.status).toBe(303);
    expect((await Proposal.findById(p._id).lean())?.status).toBe('eligible');
    const page = await call<{ queue: { number: number }[] }>(screeningLoader, getRequest('/competitions/screening-test/screening?show=decided', { jar: committeeJar }), { slug: 'screening-test' });
    expect(page.data.queue.map((q) => q.number)).toContain(p.number);
  });
});

describe('the screening page as the browser sends it (issue 12, item 1)', () => {
  const url = '/competitions/screening-test/screening';
  /** What the decision form posts: every field, empty ones as empty strings, no box ticked. */
  const decisionForm = (number: number, fields: Record<string, string>) => ({ intent: 'screen', number: String(number), reason: '', changesDueOn: '', ...fields });
  const post = (fields: Record<string, string>) => call(screeningAction, formRequest(url, fields, { jar: committeeJar }), { slug: 'screening-test' });
  /** A form with repeated fields (the bulk checkboxes), signed in as the committee. */
  const postMany = (entries: [string, string][]) => {
    const base = formRequest(url, {}, { jar: committeeJar });
    return call(screeningAction, new Request(base.url, { method: 'POST', headers: base.headers, body: new URLSearchParams(entries) }), { slug: 'screening-test' });
  };
  const toastOf = async (headers: Headers) => {
    const cookie = new CookieJar().take(headers).header();
    return (await takeToast(new Request('http://localhost/', { headers: { Cookie: cookie } }))).toast;
  };

  it('"eligible" saves without a date: 303, audited, and the toast says what happened', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const outcome = await post(decisionForm(p.number, { decision: 'eligible' }));
    expect(outcome.status).toBe(303);
    expect((await Proposal.findById(p._id).lean())?.status).toBe('eligible');
    expect(await AuditLog.findOne({ action: 'proposal.screened', targetId: String(p._id) }).lean()).toMatchObject({ after: { status: 'eligible' } });
    expect(await toastOf(outcome.headers)).toEqual({ type: 'success', key: 'screening:toast.eligible', values: { number: p.number } });
  });

  it('"ineligible" saves without a date once confirmed; unconfirmed it is a field error and changes nothing', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const unconfirmed = await post(decisionForm(p.number, { decision: 'ineligible', reason: '不属于救助服务范围。' }));
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ number: p.number, errors: { confirm: ['confirmRequired'] } });
    expect((unconfirmed.data as { errors: Record<string, unknown> }).errors.changesDueOn).toBeUndefined();
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');

    const confirmed = await post(decisionForm(p.number, { decision: 'ineligible', reason: '不属于救助服务范围。', confirm: 'on' }));
    expect(confirmed.status).toBe(303);
    expect((await Proposal.findById(p._id).lean())?.status).toBe('ineligible');
    expect(await AuditLog.countDocuments({ action: 'proposal.screened', targetId: String(p._id) })).toBe(1);
    expect(await toastOf(confirmed.headers)).toMatchObject({ key: 'screening:toast.ineligible', values: { number: p.number } });
  });

  it('"send back for changes" without a date is a field error on the date, and changes nothing', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const outcome = await post(decisionForm(p.number, { decision: 'changesRequested', reason: '请补充预算明细。' }));
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ number: p.number, errors: { changesDueOn: ['dueDateRequired'] } });
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');
  });

  it('no decision chosen is a field error on the decision, and changes nothing', async () => {
    const p = await insertProposal({ competition: competitionId, author });
    const outcome = await post(decisionForm(p.number, {}));
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ number: p.number, errors: { decision: ['decisionRequired'] } });
    expect((await Proposal.findById(p._id).lean())?.status).toBe('submitted');
    expect(await AuditLog.countDocuments({ targetId: String(p._id) })).toBe(0);
  });

  it('bulk "eligible" on three ticked, one withdrawn meanwhile: two marked and audited, one skipped', async () => {
    const [a, b] = [await insertProposal({ competition: competitionId, author }), await insertProposal({ competition: competitionId, author })];
    const gone = await insertProposal({ competition: competitionId, author, status: 'withdrawn' });
    const numbers = [a, b, gone].map((p) => ['numbers', String(p.number)] as [string, string]);

    const unconfirmed = await postMany([['intent', 'bulkEligible'], ...numbers]);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ form: 'bulk', errors: { confirm: ['confirmRequired'] } });
    expect((await Proposal.findById(a._id).lean())?.status).toBe('submitted');

    const nothingTicked = await postMany([['intent', 'bulkEligible'], ['confirm', 'on']]);
    expect(nothingTicked.data).toMatchObject({ form: 'bulk', errors: { numbers: ['selectionRequired'] } });

    const outcome = await postMany([['intent', 'bulkEligible'], ['confirm', 'on'], ...numbers]);
    expect(outcome.status).toBe(303);
    expect(await toastOf(outcome.headers)).toEqual({ type: 'success', key: 'screening:toast.bulkEligible', values: { marked: 2, skipped: 1 } });
    const after = await Proposal.find({ _id: mongoose.trusted({ $in: [a._id, b._id, gone._id] }) }).sort({ number: 1 }).lean();
    expect(after.map((p) => p.status)).toEqual(['eligible', 'eligible', 'withdrawn']);
    for (const p of [a, b]) {
      expect(await AuditLog.find({ action: 'proposal.screened', targetId: String(p._id) }).lean()).toEqual([
        expect.objectContaining({ before: { status: 'submitted' }, after: { status: 'eligible', bulk: true } }),
      ]);
    }
    expect(await AuditLog.countDocuments({ targetId: String(gone._id) })).toBe(0);

    // Sent again (a double tap): nothing is marked twice.
    const again = await postMany([['intent', 'bulkEligible'], ['confirm', 'on'], ...numbers]);
    expect(await toastOf(again.headers)).toMatchObject({ values: { marked: 0, skipped: 3 } });
    expect(await AuditLog.countDocuments({ action: 'proposal.screened', targetId: String(a._id) })).toBe(1);
  });
});

describe('the screening list: filters, pages and round trips', () => {
  const slug = 'screening-list';
  let listRules: CompetitionRules;
  let listId: Types.ObjectId;
  let streetA: Types.ObjectId;
  let streetB: Types.ObjectId;
  let listJar: CookieJar;
  const load = async (query: string) =>
    (
      await call<{ queue: { number: number; street: { zh: string } | null; community: { zh: string } | null }[]; page: number; hasNext: boolean }>(
        screeningLoader,
        getRequest(`/competitions/${slug}/screening${query}`, { jar: listJar }),
        { slug },
      )
    ).data;

  beforeAll(async () => {
    const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 47 * DAY)) });
    listId = competition._id;
    listRules = (await getCompetitionRules(slug))!;
    const a = await createCommunity({ zh: '甲社区' });
    const b = await createCommunity({ zh: '乙社区' });
    [streetA, streetB] = [a.street, b.street];
    await createUser({ email: 'list-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', listId)] });
    listJar = await signIn('list-committee@example.test');
    // 25 waiting on street A in the first direction, 5 on street B in the second, 3 decided.
    for (let i = 1; i <= 25; i += 1) await insertProposal({ competition: listId, author, number: i, street: streetA, community: a._id, category: CATEGORIES[0].code });
    for (let i = 26; i <= 30; i += 1) await insertProposal({ competition: listId, author, number: i, street: streetB, community: b._id, category: CATEGORIES[1].code });
    for (let i = 31; i <= 33; i += 1) await insertProposal({ competition: listId, author, number: i, status: 'eligible', street: streetB, category: CATEGORIES[1].code });
  });

  it('shows waiting proposals 15 a page, by number, with street and community names', async () => {
    const first = await load('');
    expect(first.queue.map((q) => q.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(first).toMatchObject({ page: 1, hasNext: true });
    expect(first.queue[0]).toMatchObject({ community: { zh: '甲社区' } });
    expect(first.queue[0]?.street?.zh).toMatch(/街道$/);
    const second = await load('?page=2');
    expect(second.queue.map((q) => q.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 16));
    expect(second.hasNext).toBe(false);
  });

  it('filters by direction, street and decided, together and with pages', async () => {
    expect((await load(`?category=${CATEGORIES[1].code}`)).queue.map((q) => q.number)).toEqual([26, 27, 28, 29, 30]);
    expect((await load(`?street=${String(streetB)}&show=decided`)).queue.map((q) => q.number)).toEqual([31, 32, 33]);
    expect((await load(`?street=${String(streetB)}&show=all`)).queue.map((q) => q.number)).toEqual([26, 27, 28, 29, 30, 31, 32, 33]);
    expect((await load(`?street=${String(streetA)}&category=${CATEGORIES[1].code}`)).queue).toEqual([]);
    const page2 = await load(`?street=${String(streetA)}&page=2`);
    expect(page2.queue.map((q) => q.number)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    // Odd filter values fall back to no filter instead of failing.
    expect((await load('?street=nonsense&page=-3&show=x')).queue).toHaveLength(15);
  });

  it('a page costs at most three round trips, the same with ten times the proposals', async () => {
    const count = async () => {
      const previous = mongoose.get('debug');
      let calls = 0;
      mongoose.set('debug', (...args: unknown[]) => {
        calls += 1;
        if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(...args);
      });
      try {
        await screeningQueue(listRules, { show: 'all', category: '', street: '', page: 2 });
      } finally {
        mongoose.set('debug', previous);
      }
      return calls;
    };
    const small = await count();
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThanOrEqual(3);
    for (let i = 34; i <= 330; i += 1) await insertProposal({ competition: listId, author, number: i });
    expect(await count()).toBe(small);
  });
});
