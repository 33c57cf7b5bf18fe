import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Notification, Proposal } from '#models';
import { createCompetition, createUser, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as detailAction } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { action as loginAction } from '~/routes/login/route';
import { action as mineAction, loader as mineLoader } from '~/routes/my.proposals/route';
import { action as registerAction } from '~/routes/register/route';
import { inviteCoAuthor } from '~/features/proposals/coauthors.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { updateProposal } from '~/features/proposals/drafts.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
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
    const invite = await call(detailAction, formRequest(`/competitions/${slug}/proposals/${proposal.number}`, { intent: 'invite', identifier: '138 1234 0000' }, { jar: authorJar }), { slug, number: String(proposal.number) });
    expect(invite.status).toBe(303);

    const registered = await call(registerAction, formRequest('/register', { name: '李立新', identifier: '13812340000', password: 'neighbour-pass-1', confirmPassword: 'neighbour-pass-1' }));
    const jar = new CookieJar().take(registered.headers);
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
