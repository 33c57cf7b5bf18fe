import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Notification, Proposal } from '#models';
import { createCompetition, createUser, fakePhone, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as detailAction } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { action as loginAction } from '~/routes/login/route';
import { action as mineAction, loader as mineLoader } from '~/routes/my.proposals/route';
import { HANDOVER_CODE_LIMIT, inviteCoAuthor } from '~/features/proposals/coauthors.server';
import { readOutbox } from '~/core/messages.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { updateProposal } from '~/features/proposals/drafts.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { registerThroughOutbox } from '../support/outbox';
import { completeForm } from '../support/proposals';

const DAY = 86_400_000;
const slug = 'coauthor-2026';
let rules: CompetitionRules;
let authorJar: CookieJar;
let authorId: string;
let competitionId: Types.ObjectId;

async function signIn(identifier: string, password = DEMO_PASSWORD) {
  const outcome = await call(loginAction, formRequest('/login', { identifier, password }));
  return new CookieJar().take(outcome.headers);
}

beforeAll(async () => {
  competitionId = (await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 2 * DAY)) }))._id;
  rules = (await getCompetitionRules(slug))!;
  authorId = String((await createUser({ email: 'lead@example.test' }))._id);
  authorJar = await signIn('lead@example.test');
});

type Mine = { invitations: { invitationId: string; title: string; invitedBy: string }[] };

describe('co-authors', () => {
  it('a neighbour invited by phone before registering accepts after registering, becomes an author and may edit', async () => {
    const proposal = await insertProposal({ competition: competitionId, author: new Types.ObjectId(authorId), title: '邻里共写的提案' });
    const phone = fakePhone();
    const invite = await call(detailAction, formRequest(`/competitions/${slug}/proposals/${proposal.number}`, { intent: 'invite', identifier: `${phone.slice(0, 3)} ${phone.slice(3)}` }, { jar: authorJar }), { slug, number: String(proposal.number) });
    // The inviter sees, once, the code to hand over in person.
    expect(invite.status).toBe(200);
    expect(JSON.stringify(invite.data)).toMatch(/"handoverCode":"[A-Z2-9]{5}-[A-Z2-9]{5}"/);

    const { jar } = await registerThroughOutbox({ name: '李立新', identifier: phone, password: 'neighbour-pass-1' });
    const mine = await call<Mine>(mineLoader, getRequest('/my/proposals', { jar }));
    expect(mine.data.invitations).toEqual([expect.objectContaining({ title: '邻里共写的提案' })]);

    const accepted = await call(mineAction, formRequest('/my/proposals', { intent: 'accept', invitationId: mine.data.invitations[0]!.invitationId }, { jar }));
    expect(accepted.status).toBe(303);
    const after = await Proposal.findById(proposal._id).lean();
    expect(after?.authors).toHaveLength(2);
    expect(after?.invitations[0]?.status).toBe('accepted');
    const coAuthorId = String(after!.authors[1]);
    const edit = await updateProposal({ rules, number: proposal.number, editorId: coAuthorId, form: completeForm({ title: '共同修改后的标题' }) });
    expect(edit.ok).toBe(true);
  });

  it('someone else cannot accept an invitation meant for another number, even knowing its id', async () => {
    const proposal = await insertProposal({ competition: competitionId, author: new Types.ObjectId(authorId) });
    await inviteCoAuthor({ rules, number: proposal.number, inviterId: authorId, identifier: 'invited@example.test' });
    const invitationId = String((await Proposal.findById(proposal._id).lean())!.invitations[0]!._id);
    await createUser({ email: 'intruder@example.test' });
    const intruder = await signIn('intruder@example.test');
    const attempt = await call(mineAction, formRequest('/my/proposals', { intent: 'accept', invitationId }, { jar: intruder }));
    expect(attempt.status).toBe(404);
    expect((await Proposal.findById(proposal._id).lean())?.authors).toHaveLength(1);
  });

  it('a registered invitee is notified; inviting twice at once stores one invitation; non-authors cannot invite', async () => {
    const invitee = await createUser({ email: 'known@example.test' });
    const proposal = await insertProposal({ competition: competitionId, author: new Types.ObjectId(authorId) });
    const results = await Promise.all(Array.from({ length: 5 }, () => inviteCoAuthor({ rules, number: proposal.number, inviterId: authorId, identifier: 'known@example.test' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await Proposal.findById(proposal._id).lean())?.invitations).toHaveLength(1);
    expect(await Notification.countDocuments({ recipient: invitee._id, type: 'coAuthorInvitation' })).toBe(1);

    const stranger = await createUser();
    expect(await inviteCoAuthor({ rules, number: proposal.number, inviterId: String(stranger._id), identifier: '13900001111' })).toEqual({ ok: false, reason: 'notFound' });
    expect(await inviteCoAuthor({ rules, number: proposal.number, inviterId: authorId, identifier: 'not an address' })).toEqual({ ok: false, reason: 'identifierInvalid' });
  });
});

describe('co-author invitations need a proven number or the handed-over code (issue 11, finding 2)', () => {
  it('an account holding the invited number without proving it can neither see the draft in a notification nor accept; the owner who proves it can', async () => {
    const phone = fakePhone();
    const squatter = await createUser({ phone, proven: false });
    const proposal = await insertProposal({ competition: competitionId, author: new Types.ObjectId(authorId), title: '还在起草的提案' });
    const invited = await inviteCoAuthor({ rules, number: proposal.number, inviterId: authorId, identifier: phone });
    expect(invited).toMatchObject({ ok: true, messaged: true });
    expect(invited.ok && invited.handoverCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    // The number's owner is told by a message (with no code in it); the squatter's account is not told in the app.
    const [message] = await readOutbox({ to: phone, limit: 1 });
    expect(message?.purpose).toBe('invitation');
    expect(message?.text).not.toContain(invited.ok ? invited.handoverCode : '?');
    // Nothing the inviter typed reaches the message: not the title, not their name.
    expect(message?.text).toContain(`第 ${proposal.number} 号提案`);
    expect(message?.text).not.toContain('还在起草的提案');
    expect(await Notification.countDocuments({ recipient: squatter._id })).toBe(0);

    const squatterJar = await signIn(phone);
    const listed = await call<Mine & { invitations: { needsCode: boolean }[] }>(mineLoader, getRequest('/my/proposals', { jar: squatterJar }));
    // Listed without anything about the draft: no title, no inviter.
    expect(listed.data.invitations).toEqual([expect.objectContaining({ needsCode: true, title: '', invitedBy: '' })]);
    expect(JSON.stringify(listed.data)).not.toContain('还在起草的提案');
    const invitationId = listed.data.invitations[0]!.invitationId;
    for (const intent of ['accept', 'decline']) {
      expect((await call(mineAction, formRequest('/my/proposals', { intent, invitationId }, { jar: squatterJar }))).status).toBe(404);
    }
    const untouched = await Proposal.findById(proposal._id).lean();
    expect(untouched?.authors).toHaveLength(1);
    expect(untouched?.invitations[0]?.status).toBe('pending');

    // The real owner proves the number by registering; the squatter loses it, the owner accepts.
    const { jar } = await registerThroughOutbox({ name: '号码的主人', identifier: phone, password: 'owner-of-number-2' });
    const mine = await call<Mine & { invitations: { needsCode: boolean }[] }>(mineLoader, getRequest('/my/proposals', { jar }));
    expect(mine.data.invitations).toEqual([expect.objectContaining({ needsCode: false })]);
    expect(await call(mineAction, formRequest('/my/proposals', { intent: 'accept', invitationId }, { jar }))).toRedirectTo(`/competitions/${slug}/proposals/${proposal.number}`, 303);
    expect((await Proposal.findById(proposal._id).lean())?.authors).toHaveLength(2);
  });

  it('the handover code lets the person it was given to accept once, from any account; guesses are limited', async () => {
    const proposal = await insertProposal({ competition: competitionId, author: new Types.ObjectId(authorId) });
    const invited = await inviteCoAuthor({ rules, number: proposal.number, inviterId: authorId, identifier: fakePhone() });
    if (!invited.ok) throw new Error('invite failed');
    const neighbour = await createUser({ email: `neighbour-${Date.now()}@example.test` });
    const jar = await signIn(neighbour.email!);
    const wrong = await call<{ codeError: string }>(mineAction, formRequest('/my/proposals', { intent: 'code', code: 'AAAAA-AAAAA' }, { jar }));
    expect(wrong.status).toBe(400);
    expect(wrong.data.codeError).toBe('handoverInvalid');
    const typed = invited.handoverCode.toLowerCase().replace('-', ' ');
    expect(await call(mineAction, formRequest('/my/proposals', { intent: 'code', code: typed }, { jar }))).toRedirectTo(`/competitions/${slug}/proposals/${proposal.number}`, 303);
    const after = await Proposal.findById(proposal._id).lean();
    expect(after?.authors.map(String)).toContain(String(neighbour._id));
    expect(after?.invitations[0]).toMatchObject({ status: 'accepted' });
    expect(String(after?.invitations[0]?.answeredBy)).toBe(String(neighbour._id));
    // Spent: a second account cannot use it.
    const other = await createUser();
    const otherJar = await signIn(other.email!);
    expect((await call(mineAction, formRequest('/my/proposals', { intent: 'code', code: invited.handoverCode }, { jar: otherJar }))).status).toBe(400);
    // Guessing is limited per account.
    const guesser = await createUser();
    const guesserJar = await signIn(guesser.email!);
    const statuses = [];
    for (let i = 0; i < HANDOVER_CODE_LIMIT.max + 1; i++) {
      statuses.push((await call(mineAction, formRequest('/my/proposals', { intent: 'code', code: `ZZZZZ-ZZZ${String(i).padStart(2, '2')}` }, { jar: guesserJar }))).status);
    }
    expect(statuses.slice(0, HANDOVER_CODE_LIMIT.max).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
