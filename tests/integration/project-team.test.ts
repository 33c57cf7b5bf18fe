import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Notification, Project, TeamInvitation } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createUser, grant } from '#seeds/factories';
import { listNotifications } from '~/core/notifications.server';
import { OPEN_INVITATIONS_MAX, TEAM_MAX } from '~/features/projects/team';
import { answerInvitation, findTeamProject, inviteMember } from '~/features/projects/team.server';
import { action as planAction, loader as planLoader } from '~/routes/competitions.$slug.projects.$number_.plan/route';
import { action as teamAction, loader as teamLoader } from '~/routes/competitions.$slug.projects.$number_.team/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as profileLoader } from '~/routes/profile/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const slug = 'team-2026';
const otherSlug = 'team-other-2026';
const BUDGET_FEN = 10_000_00;
const PHONES = { invitee: '13812340001', second: '13812340002', unknown: '13812349999', unproven: '13812340003', teamX: '13812340010' };

type Who = 'teamX' | 'teamY' | 'committee' | 'committeeOther' | 'resident' | 'judge' | 'invitee' | 'second' | 'unproven' | 'mentor' | 'mentor2';
const jars = {} as Record<Who, CookieJar>;
const ids = {} as Record<Who, string>;
let competitionId: string;
let projectX: Types.ObjectId;
let projectY: Types.ObjectId;
let nextNumber = 3;

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

type Reply = { form?: string; errors?: string[] | null };
type TeamPage = Awaited<ReturnType<typeof teamLoader>>;
const url = (number: number, page = 'team') => `/competitions/${slug}/projects/${number}/${page}`;
const post = (who: Who | null, number: number, fields: Record<string, string>) =>
  call<Reply>(teamAction, formRequest(url(number), fields, who ? { jar: jars[who] } : {}), { slug, number: String(number) });
const view = (who: Who | null, number: number) => call<TeamPage>(teamLoader, getRequest(url(number), who ? { jar: jars[who] } : {}), { slug, number: String(number) });
const teamOf = async (project: Types.ObjectId) => ((await Project.findById(project).select('team').lean())!.team ?? []).map(String);

async function newProject(team: string[]) {
  const number = nextNumber++;
  const doc = await Project.create({
    competition: competitionId,
    fundedFen: BUDGET_FEN,
    approvedBudgetFen: BUDGET_FEN,
    proposal: new Types.ObjectId(),
    proposalNumber: number,
    number,
    title: `项目${number}`,
    team: team.map((id) => new Types.ObjectId(id)),
  });
  return { id: doc._id, number };
}

async function invitationFor(who: Who, number: number) {
  const page = await view(who, number);
  expect(page.status, `${who} sees the invitation of project ${number}`).toBe(200);
  return page.data.invitation!;
}

beforeAll(async () => {
  const competition = await createCompetition({ slug });
  const other = await createCompetition({ slug: otherSlug });
  competitionId = String(competition._id);
  const users = {
    teamX: await createUser({ email: 'team-x@example.test', phone: PHONES.teamX }),
    teamY: await createUser({ email: 'team-y@example.test' }),
    committee: await createUser({ email: 'team-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] }),
    committeeOther: await createUser({ email: 'team-committee-other@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] }),
    resident: await createUser({ email: 'team-resident@example.test' }),
    judge: await createUser({ email: 'team-judge@example.test', roles: [grant('resident'), grant('judge', 'competition', competition._id)] }),
    invitee: await createUser({ email: 'team-invitee@example.test', phone: PHONES.invitee, name: '受邀居民' }),
    second: await createUser({ email: 'team-second@example.test', phone: PHONES.second }),
    unproven: await createUser({ email: 'team-unproven@example.test', phone: PHONES.unproven, proven: false }),
    mentor: await createUser({ email: 'team-mentor@example.test', name: '周督导', roles: [grant('resident'), grant('mentor')] }),
    mentor2: await createUser({ email: 'team-mentor2@example.test', name: '吴督导', roles: [grant('resident'), grant('mentor')] }),
  };
  for (const [key, user] of Object.entries(users)) {
    ids[key as Who] = String(user._id);
    jars[key as Who] = await signIn(user.email!);
  }
  const base = { competition: competition._id, fundedFen: BUDGET_FEN, approvedBudgetFen: BUDGET_FEN };
  projectX = (await Project.create({ ...base, proposal: new Types.ObjectId(), proposalNumber: 1, number: 1, title: '长者助餐', team: [users.teamX._id] }))._id;
  projectY = (await Project.create({ ...base, proposal: new Types.ObjectId(), proposalNumber: 2, number: 2, title: '儿童图书角', team: [users.teamY._id] }))._id;
});

describe('who may open the team page and act on it', () => {
  it('sends the anonymous to sign in, and answers 404 to anyone not of the team, its committee or its mentor, changing nothing', async () => {
    expect((await view(null, 1)).location).toMatch(/^\/login\?/);
    expect((await post(null, 1, { intent: 'invite', phone: PHONES.invitee })).location).toMatch(/^\/login\?/);
    const forms: Record<string, string>[] = [
      { intent: 'invite', phone: PHONES.invitee },
      { intent: 'remove', memberId: ids.teamX, reason: '越权移出', confirm: 'yes' },
      { intent: 'mentor', mentorId: ids.mentor, current: '' },
      { intent: 'leave', confirm: 'yes' },
      { intent: 'accept', invitationId: new Types.ObjectId().toHexString(), round: '1' },
    ];
    for (const who of ['resident', 'judge', 'committeeOther', 'teamY', 'invitee', 'mentor'] as const) {
      expect((await view(who, 1)).status, who).toBe(404);
      for (const form of forms) expect((await post(who, 1, form)).status, `${who} ${form.intent}`).toBe(404);
    }
    expect(await TeamInvitation.countDocuments({})).toBe(0);
    expect(await teamOf(projectX)).toEqual([ids.teamX]);
    expect((await Project.findById(projectX).lean())!.mentor).toBeUndefined();
    expect(await AuditLog.countDocuments({ action: /^(team|project)\./ })).toBe(0);
  });

  it('refuses the committee-only acts to the team with 403', async () => {
    expect((await post('teamX', 1, { intent: 'remove', memberId: ids.teamX, reason: '自己', confirm: 'yes' })).status).toBe(403);
    expect((await post('teamX', 1, { intent: 'mentor', mentorId: ids.mentor, current: '' })).status).toBe(403);
    expect(await teamOf(projectX)).toEqual([ids.teamX]);
  });
});

describe('invitations', () => {
  it('tells the inviter the same whether the number has an account or not, stores no number, and tells only the proven holder in the app', async () => {
    const known = await post('teamX', 1, { intent: 'invite', phone: PHONES.invitee });
    const unknown = await post('teamX', 1, { intent: 'invite', phone: PHONES.unknown });
    const unproven = await post('teamX', 1, { intent: 'invite', phone: PHONES.unproven });
    for (const res of [known, unknown, unproven]) {
      expect(res.status).toBe(303);
      expect(res.location).toBe(url(1));
      expect(res.headers.get('Set-Cookie')).toBe(known.headers.get('Set-Cookie'));
    }
    const docs = await TeamInvitation.find({ project: projectX }).lean();
    expect(docs).toHaveLength(3);
    const raw = JSON.stringify(docs) + JSON.stringify(await AuditLog.find({}).lean());
    for (const phone of Object.values(PHONES)) expect(raw).not.toContain(phone);
    expect(await Notification.countDocuments({ type: 'teamInvitation', recipient: ids.invitee })).toBe(1);
    expect(await Notification.countDocuments({ type: 'teamInvitation', recipient: ids.unproven })).toBe(0);
    // The team sees three open invitations alike, with no number and no name of an invitee.
    const page = await view('teamX', 1);
    expect(page.data.invitations).toHaveLength(3);
    expect(JSON.stringify(page.data)).not.toMatch(/138\d{8}/);
    // An unproven number's holder does not see it (it may be a squatter's).
    expect((await view('unproven', 1)).status).toBe(404);
  });

  it('ten parallel invitations of one number make one invitation', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => post('teamX', 1, { intent: 'invite', phone: '+86 138-1234-0002' })));
    expect(results.every((r) => r.status === 303)).toBe(true);
    expect(await TeamInvitation.countDocuments({ project: projectX })).toBe(4);
  });

  it('the invitee accepts once, even with twenty parallel accepts; the member is on the team once', async () => {
    const invitation = await invitationFor('invitee', 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => post('invitee', 1, { intent: 'accept', invitationId: invitation.id, round: String(invitation.round) })));
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(await teamOf(projectX)).toEqual([ids.teamX, ids.invitee]);
    expect(await AuditLog.countDocuments({ action: 'team.joined', targetId: String(projectX) })).toBe(1);
    // Accepted: it cannot be answered again (a member has no open invitation to answer), nor is it shown.
    expect((await post('invitee', 1, { intent: 'accept', invitationId: invitation.id, round: String(invitation.round) })).status).toBe(403);
    expect((await view('invitee', 1)).data.invitation).toBeNull();
  });

  it('an invitation of project A cannot be accepted into project B', async () => {
    await post('teamY', 2, { intent: 'invite', phone: PHONES.second });
    const ofX = await invitationFor('second', 1);
    const ofY = await invitationFor('second', 2);
    expect(ofX.id).not.toBe(ofY.id);
    // X's invitation posted to Y's page, and to the service with Y.
    expect((await post('second', 2, { intent: 'accept', invitationId: ofX.id, round: String(ofX.round) })).status).toBe(404);
    const y = (await findTeamProject(competitionId, 2))!;
    expect(await answerInvitation({ project: y, userId: ids.second, invitationId: ofX.id, round: ofX.round, accept: true })).toEqual({ ok: false, reason: 'notFound' });
    expect(await teamOf(projectY)).toEqual([ids.teamY]);
    expect((await TeamInvitation.findById(ofX.id).lean())!.status).toBe('pending');
  });

  it('a declined invitation cannot be accepted later; a new invitation is a new round', async () => {
    const ofY = await invitationFor('second', 2);
    expect((await post('second', 2, { intent: 'decline', invitationId: ofY.id, round: String(ofY.round) })).status).toBe(303);
    expect((await post('second', 2, { intent: 'accept', invitationId: ofY.id, round: String(ofY.round) })).status).toBe(404);
    expect(await teamOf(projectY)).toEqual([ids.teamY]);
    // Declined, the team page is closed to them again.
    expect((await view('second', 2)).status).toBe(404);
    await post('teamY', 2, { intent: 'invite', phone: PHONES.second });
    const again = await invitationFor('second', 2);
    expect(again.id).toBe(ofY.id);
    expect(again.round).toBe(ofY.round + 1);
    // The old round's answer does not count for the new one.
    const y = (await findTeamProject(competitionId, 2))!;
    expect((await answerInvitation({ project: y, userId: ids.second, invitationId: again.id, round: ofY.round, accept: true })).ok).toBe(false);
    expect((await post('second', 2, { intent: 'accept', invitationId: again.id, round: String(again.round) })).status).toBe(303);
    expect(await teamOf(projectY)).toEqual([ids.teamY, ids.second]);
  });

  it('an invitation expires after fourteen days', async () => {
    const { id, number } = await newProject([ids.teamX]);
    const project = (await findTeamProject(competitionId, number))!;
    const sent = new Date(Date.now() - 15 * 24 * 3600_000);
    expect(await inviteMember({ project, phone: PHONES.invitee, actorId: ids.teamX, byCommittee: false, competitionSlug: slug, now: sent })).toEqual({ ok: true });
    expect((await view('invitee', number)).status).toBe(404);
    const doc = (await TeamInvitation.findOne({ project: id }).lean())!;
    expect(await answerInvitation({ project, userId: ids.invitee, invitationId: String(doc._id), round: doc.round, accept: true })).toEqual({ ok: false, reason: 'notFound' });
    expect((await view('teamX', number)).data.invitations).toHaveLength(0);
    expect(await teamOf(id)).toEqual([ids.teamX]);
  });

  it(`keeps at most ${OPEN_INVITATIONS_MAX} open invitations, even when fifteen are sent at once`, async () => {
    const { id, number } = await newProject([ids.teamX]);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => post('teamX', number, { intent: 'invite', phone: `1391111${String(i).padStart(4, '0')}` })));
    expect(results.every((r) => r.status === 303 || r.status === 409)).toBe(true);
    const open = await TeamInvitation.countDocuments({ project: id, status: 'pending' });
    expect(open).toBeLessThanOrEqual(OPEN_INVITATIONS_MAX);
    while ((await TeamInvitation.countDocuments({ project: id, status: 'pending' })) < OPEN_INVITATIONS_MAX) {
      await post('teamX', number, { intent: 'invite', phone: `1392222${String(await TeamInvitation.countDocuments({})).padStart(4, '0')}` });
    }
    const over = await post('teamX', number, { intent: 'invite', phone: '13933330000' });
    expect(over.status).toBe(409);
    expect(over.data.errors).toEqual(['tooManyInvitations']);
    expect(await TeamInvitation.countDocuments({ project: id, status: 'pending' })).toBe(OPEN_INVITATIONS_MAX);
  });

  it(`keeps a team at ${TEAM_MAX}: two invitees accepting the last place at once, one joins`, async () => {
    const filler = Array.from({ length: TEAM_MAX - 1 }, () => new Types.ObjectId().toHexString());
    const { id, number } = await newProject([ids.teamX, ...filler.slice(1)]);
    expect(await teamOf(id)).toHaveLength(TEAM_MAX - 1);
    await post('teamX', number, { intent: 'invite', phone: PHONES.invitee });
    await post('teamX', number, { intent: 'invite', phone: PHONES.second });
    const a = await invitationFor('invitee', number);
    const b = await invitationFor('second', number);
    const [ra, rb] = await Promise.all([
      post('invitee', number, { intent: 'accept', invitationId: a.id, round: String(a.round) }),
      post('second', number, { intent: 'accept', invitationId: b.id, round: String(b.round) }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([303, 409]);
    expect(await teamOf(id)).toHaveLength(TEAM_MAX);
    const full = await post('teamX', number, { intent: 'invite', phone: PHONES.unknown });
    expect(full.status).toBe(409);
    expect(full.data.errors).toEqual(['teamFull']);
  });

  it('refuses a malformed number with 400, saving nothing', async () => {
    const before = await TeamInvitation.countDocuments({});
    for (const phone of ['12345', 'someone@example.test', '']) expect((await post('teamX', 1, { intent: 'invite', phone })).status).toBe(400);
    expect(await TeamInvitation.countDocuments({})).toBe(before);
  });
});

describe('acts racing each other', () => {
  it('an invitation accepted, declined and withdrawn at once ends in exactly one of those states', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { id, number } = await newProject([ids.teamX]);
      await post('teamX', number, { intent: 'invite', phone: PHONES.invitee });
      const invitation = await invitationFor('invitee', number);
      const answer = { invitationId: invitation.id, round: String(invitation.round) };
      const results = await Promise.all([
        post('invitee', number, { intent: 'accept', ...answer }),
        post('invitee', number, { intent: 'decline', ...answer }),
        post('teamX', number, { intent: 'cancel', invitationId: invitation.id }),
      ]);
      expect(results.filter((r) => r.status === 303)).toHaveLength(1);
      const status = (await TeamInvitation.findById(invitation.id).lean())!.status;
      const team = await teamOf(id);
      expect(team.includes(ids.invitee)).toBe(status === 'accepted');
      expect(['accepted', 'declined', 'cancelled']).toContain(status);
    }
  });

  it('a member leaving while the committee removes them is gone once, with one record', async () => {
    const { id, number } = await newProject([ids.teamX, ids.invitee]);
    const results = await Promise.all([
      post('invitee', number, { intent: 'leave', confirm: 'yes' }),
      post('committee', number, { intent: 'remove', memberId: ids.invitee, reason: '退出项目', confirm: 'yes' }),
    ]);
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(await teamOf(id)).toEqual([ids.teamX]);
    expect(await AuditLog.countDocuments({ targetId: String(id), action: mongoose.trusted({ $in: ['team.left', 'team.memberRemoved'] }) })).toBe(1);
  });

  it("the invitee's notification leads to the team page and names no phone number", async () => {
    const { items } = await listNotifications(ids.invitee, 1);
    const hrefs = items.filter((i) => i.message === 'teamInvitation').map((i) => i.href);
    expect(hrefs).toContain(url(1));
    expect(hrefs.every((href) => /^\/competitions\/team-2026\/projects\/\d+\/team$/.test(href))).toBe(true);
    expect(JSON.stringify(items)).not.toMatch(/138\d{8}/);
  });
});

describe('leaving and removal', () => {
  it('a member leaves after confirming; the last member cannot leave', async () => {
    const { id, number } = await newProject([ids.teamX, ids.invitee]);
    expect((await post('invitee', number, { intent: 'leave' })).status).toBe(400);
    expect((await post('invitee', number, { intent: 'leave', confirm: 'yes' })).status).toBe(303);
    expect(await teamOf(id)).toEqual([ids.teamX]);
    const last = await post('teamX', number, { intent: 'leave', confirm: 'yes' });
    expect(last.status).toBe(409);
    expect(last.data.errors).toEqual(['lastMember']);
    expect(await teamOf(id)).toEqual([ids.teamX]);
  });

  it('the committee removes a member with a reason (audited, the member told); the old invitation cannot be re-accepted and only the committee can invite them back', async () => {
    const { id, number } = await newProject([ids.teamX]);
    await post('teamX', number, { intent: 'invite', phone: PHONES.invitee });
    const invitation = await invitationFor('invitee', number);
    expect((await post('invitee', number, { intent: 'accept', invitationId: invitation.id, round: String(invitation.round) })).status).toBe(303);
    expect((await post('committee', number, { intent: 'remove', memberId: ids.invitee, reason: '', confirm: 'yes' })).status).toBe(400);
    expect((await post('committee', number, { intent: 'remove', memberId: ids.invitee, reason: '长期未参与' })).status).toBe(400);
    expect(await teamOf(id)).toEqual([ids.teamX, ids.invitee]);
    expect((await post('committee', number, { intent: 'remove', memberId: ids.invitee, reason: '长期未参与', confirm: 'yes' })).status).toBe(303);
    expect(await teamOf(id)).toEqual([ids.teamX]);
    const entry = await AuditLog.findOne({ action: 'team.memberRemoved', targetId: String(id) }).lean();
    expect(entry).toMatchObject({ reason: '长期未参与' });
    expect(String(entry!.actor)).toBe(ids.committee);
    expect(await Notification.countDocuments({ type: 'teamRemoved', recipient: ids.invitee, 'data.projectNumber': number })).toBe(1);
    // The old invitation, and its page.
    expect((await post('invitee', number, { intent: 'accept', invitationId: invitation.id, round: String(invitation.round) })).status).toBe(404);
    expect((await view('invitee', number)).status).toBe(404);
    // The team invites them again: they see it, but cannot rejoin by it.
    await post('teamX', number, { intent: 'invite', phone: PHONES.invitee });
    const byTeam = await invitationFor('invitee', number);
    const refused = await post('invitee', number, { intent: 'accept', invitationId: byTeam.id, round: String(byTeam.round) });
    expect(refused.status).toBe(409);
    expect(refused.data.errors).toEqual(['removed']);
    expect(await teamOf(id)).toEqual([ids.teamX]);
    // The committee's invitation lets them back.
    await post('committee', number, { intent: 'cancel', invitationId: byTeam.id });
    await post('committee', number, { intent: 'invite', phone: PHONES.invitee });
    const byCommittee = await invitationFor('invitee', number);
    expect((await post('invitee', number, { intent: 'accept', invitationId: byCommittee.id, round: String(byCommittee.round) })).status).toBe(303);
    expect(await teamOf(id)).toEqual([ids.teamX, ids.invitee]);
  });

  it('a committee of another competition cannot remove, invite or assign', async () => {
    const before = await teamOf(projectX);
    expect((await post('committeeOther', 1, { intent: 'remove', memberId: ids.invitee, reason: '越权', confirm: 'yes' })).status).toBe(404);
    expect((await post('committeeOther', 1, { intent: 'mentor', mentorId: ids.mentor, current: '' })).status).toBe(404);
    expect(await teamOf(projectX)).toEqual(before);
  });
});

describe('the mentor', () => {
  it('the committee assigns a mentor from the list of mentors; a non-mentor is refused; the mentor is told and the change audited', async () => {
    const page = await view('committee', 1);
    expect(page.data.mentors.map((m) => m.name).sort()).toEqual(['吴督导', '周督导'].sort());
    expect((await post('committee', 1, { intent: 'mentor', mentorId: ids.resident, current: '' })).status).toBe(400);
    expect((await post('committee', 1, { intent: 'mentor', mentorId: ids.mentor, current: '' })).status).toBe(303);
    expect(String((await Project.findById(projectX).lean())!.mentor)).toBe(ids.mentor);
    expect(await Notification.countDocuments({ type: 'mentorAssigned', recipient: ids.mentor })).toBe(1);
    const entry = await AuditLog.findOne({ action: 'project.mentorAssigned', targetId: String(projectX) }).lean();
    expect(entry!.after).toEqual({ mentor: ids.mentor });
  });

  it('of two committee choices made on the same page, only the first applies', async () => {
    const results = await Promise.all([
      post('committee', 2, { intent: 'mentor', mentorId: ids.mentor, current: '' }),
      post('committee', 2, { intent: 'mentor', mentorId: ids.mentor2, current: '' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
  });

  it('the mentor reads the plan and the team page, and writes nothing', async () => {
    const plan = await call<{ access: { mentor: boolean; team: boolean } }>(planLoader, getRequest(url(1, 'plan'), { jar: jars.mentor }), { slug, number: '1' });
    expect(plan.status).toBe(200);
    expect(plan.data.access).toMatchObject({ mentor: true, team: false });
    const save = { intent: 'save', 'milestones[0].title': '督导改计划', 'milestones[0].dueDate': '2027-01-01', 'milestones[0].tranche': '1', 'milestones[0].weight': '1' };
    expect((await call(planAction, formRequest(url(1, 'plan'), save, { jar: jars.mentor }), { slug, number: '1' })).status).toBe(403);
    expect((await call(planAction, formRequest(url(1, 'plan'), { intent: 'approve', revision: '0', confirm: 'yes' }, { jar: jars.mentor }), { slug, number: '1' })).status).toBe(403);
    expect((await view('mentor', 1)).status).toBe(200);
    expect((await post('mentor', 1, { intent: 'invite', phone: PHONES.unknown })).status).toBe(403);
    // Another project's plan is not theirs.
    const { number } = await newProject([ids.teamX]);
    expect((await call(planLoader, getRequest(url(number, 'plan'), { jar: jars.mentor }), { slug, number: String(number) })).status).toBe(404);
    expect((await view('mentor', number)).status).toBe(404);
  });

  it('a replaced mentor loses the plan page', async () => {
    expect((await post('committee', 1, { intent: 'mentor', mentorId: ids.mentor2, current: ids.mentor })).status).toBe(303);
    expect((await call(planLoader, getRequest(url(1, 'plan'), { jar: jars.mentor }), { slug, number: '1' })).status).toBe(404);
    expect((await call(planLoader, getRequest(url(1, 'plan'), { jar: jars.mentor2 }), { slug, number: '1' })).status).toBe(200);
  });
});

describe('the account page', () => {
  it("lists a resident's open team invitations and a mentor's projects, by title only", async () => {
    const { number } = await newProject([ids.teamX]);
    await post('teamX', number, { intent: 'invite', phone: PHONES.second });
    type Profile = { invitations: { number: number }[]; mentoring: { number: number }[] };
    const second = await call<Profile>(profileLoader, getRequest('/profile', { jar: jars.second }));
    expect(second.data.invitations.map((i) => i.number)).toContain(number);
    const mentor = await call<Profile>(profileLoader, getRequest('/profile', { jar: jars.mentor2 }));
    expect(mentor.data.mentoring.map((p) => p.number)).toContain(1);
    expect((await call<Profile>(profileLoader, getRequest('/profile', { jar: jars.resident }))).data).toMatchObject({ invitations: [], mentoring: [] });
  });
});

describe('the public project page', () => {
  it('shows the members and the mentor by name, never a phone number, and links to the team page only for its people', async () => {
    const anonymous = await call<{ project: { teamNames: string[]; mentorName: string | null }; mayOpenTeam: boolean }>(projectLoader, getRequest('/competitions/team-2026/projects/1'), { slug, number: '1' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.data.project.teamNames).toContain('受邀居民');
    expect(anonymous.data.project.mentorName).toBe('吴督导');
    expect(anonymous.data.mayOpenTeam).toBe(false);
    expect(JSON.stringify(anonymous.data)).not.toMatch(/13[89]\d{8}/);
    for (const who of ['teamX', 'committee', 'mentor2'] as const) {
      const page = await call<{ mayOpenTeam: boolean }>(projectLoader, getRequest('/competitions/team-2026/projects/1', { jar: jars[who] }), { slug, number: '1' });
      expect(page.data.mayOpenTeam, who).toBe(true);
    }
    const resident = await call<{ mayOpenTeam: boolean }>(projectLoader, getRequest('/competitions/team-2026/projects/1', { jar: jars.resident }), { slug, number: '1' });
    expect(resident.data.mayOpenTeam).toBe(false);
  });
});
