import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AuditLog, Follow, Notification, Proposal } from '#models';
import { createCommunity, createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as screeningAction, loader as screeningLoader } from '~/routes/competitions.$slug.screening/route';
import { action as loginAction } from '~/routes/login/route';
import { getProposalView, listEligibleProposals } from '~/features/proposals/browse.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { updateProposal } from '~/features/proposals/drafts.server';
import { mergeProposals, screenProposal } from '~/features/proposals/screening.server';
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
