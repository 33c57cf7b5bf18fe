import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { AdminRoster, Ballot, Competition, Residency, User } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { grantRole, PASSWORD_CHECK_LIMIT, revokeRole } from '~/features/accounts/users.server';
import { base32Decode, hotp, stepAt } from '~/core/totp.server';
import { action as profileAction } from '~/routes/profile/route';
import { getCompetitionForEdit } from '~/features/competitions/competitions.server';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { castBallot, getVotingContext, updateVotingRules } from '~/features/voting/voting.server';
import { enterPaperBallot } from '~/features/voting/paper-ballots.server';
import { action as loginAction } from '~/routes/login/route';
import { action as manageAction } from '~/routes/competitions.$slug.manage/route';
import { call, CookieJar, formRequest } from '../support/http';
import { competitionFormFields } from '../support/competition-form';
import { sessionUser } from '../support/sessions';
import { revokeVerification, verifyResident } from '~/features/voting/verification.server';
import { shanghaiDay } from '~/utils/dates';

/**
 * Stateful abuse (issue 11): an invariant holds whatever else the same role does, in sequence
 * and in parallel. Here: the platform keeps at least one admin (finding 5), and an edit of the
 * competition cannot undo what a started phase froze (finding 4).
 */

async function admins(count: number) {
  const users = [];
  for (let i = 0; i < count; i++) users.push(await createUser({ roles: [grant('resident'), grant('admin')] }));
  return users;
}

function adminGrantId(user: { roles: { role: string; _id?: unknown }[] }): string {
  return String(user.roles.find((r) => r.role === 'admin')!._id);
}

async function adminCount(): Promise<number> {
  return User.countDocuments({ 'roles.role': 'admin' });
}

describe('the platform keeps at least one admin', () => {
  it('two admins revoking each other at the same moment leave one', async () => {
    await User.updateMany({}, { $pull: { roles: { role: 'admin' } } });
    await AdminRoster.deleteMany({});
    const [a, b] = await admins(2);
    const results = await Promise.all([
      revokeRole({ actorId: String(a!._id), userId: String(b!._id), grantId: adminGrantId(b!) }),
      revokeRole({ actorId: String(b!._id), userId: String(a!._id), grantId: adminGrantId(a!) }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'lastAdmin' }]);
    expect(await adminCount()).toBe(1);
  });

  it('six admins revoked all at once, twice each, leave exactly one', async () => {
    await User.updateMany({}, { $pull: { roles: { role: 'admin' } } });
    await AdminRoster.deleteMany({});
    const team = await admins(6);
    const revocations = team.flatMap((user) => [0, 1].map(() => revokeRole({ actorId: String(team[0]!._id), userId: String(user._id), grantId: adminGrantId(user) })));
    await Promise.all(revocations);
    expect(await adminCount()).toBe(1);
  });

  it('a grant made after the roster exists counts, so that admin can then be the one who stays', async () => {
    await User.updateMany({}, { $pull: { roles: { role: 'admin' } } });
    await AdminRoster.deleteMany({});
    const [a, b] = await admins(2);
    expect(await revokeRole({ actorId: String(a!._id), userId: String(b!._id), grantId: adminGrantId(b!) })).toEqual({ ok: true });
    const c = await createUser({ roles: [grant('resident')] });
    expect(await grantRole({ actorId: String(a!._id), userId: String(c._id), role: 'admin', scopeType: 'platform', scopeId: null })).toEqual({ ok: true });
    const fresh = (await User.findById(a!._id).lean())!;
    expect(await revokeRole({ actorId: String(c._id), userId: String(a!._id), grantId: adminGrantId(fresh) })).toEqual({ ok: true });
    const last = (await User.findById(c._id).lean())!;
    expect(await revokeRole({ actorId: String(c._id), userId: String(c._id), grantId: adminGrantId(last) })).toEqual({ ok: false, reason: 'lastAdmin' });
    expect(await adminCount()).toBe(1);
  });
});

describe('rules frozen once a phase starts cannot be unlocked by editing the competition', () => {
  const DAY = 86_400_000;

  async function formFor(slug: string, overrides: Record<string, string> = {}) {
    return competitionFormFields((await getCompetitionForEdit(slug))!.values, overrides);
  }

  async function votingCompetition() {
    // Voting opened five days ago: submission 45 + screening 14 days before that.
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
    const committee = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const jar = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: committee.email!, password: DEMO_PASSWORD }))).headers);
    const save = (fields: Record<string, string>) => call(manageAction, formRequest(`/competitions/${competition.slug}/manage`, fields, { jar }), { slug: competition.slug });
    return { competition, committee, save };
  }

  const later = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + days * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

  it('moving the start of running voting into the future is refused, so the voting rules stay locked', async () => {
    const { competition, committee, save } = await votingCompetition();
    const before = await Competition.findById(competition._id).lean();
    const form = await formFor(competition.slug);
    const moved = { ...form };
    for (const key of ['voting', 'judging', 'results', 'implementation', 'closed']) moved[`starts.${key}`] = later(form[`starts.${key}`]!, 30);
    const outcome = await save(moved);
    expect(outcome.status).toBe(400);
    expect(JSON.stringify(outcome.data)).toContain('startedPhaseMoved');
    expect((await Competition.findById(competition._id).lean())!.phases).toEqual(before!.phases);
    expect(await updateVotingRules({ slug: competition.slug, rules: { ...DEFAULT_VOTING_RULES, maxChoices: 1 }, actorId: String(committee._id) })).toEqual({
      ok: false,
      reason: 'votingStarted',
    });
  });

  it('once voting has opened the budget and the streets are frozen, while a later phase may still move', async () => {
    const { competition, save } = await votingCompetition();
    const form = await formFor(competition.slug);
    const budget = await save({ ...form, budget: '9,000,000' });
    expect(budget.status).toBe(400);
    expect(JSON.stringify(budget.data)).toContain('budgetFrozen');
    const street = await createStreet();
    const streets = await save({ ...form, 'eligibleStreets[0]': String(street._id) });
    expect(JSON.stringify(streets.data)).toContain('streetsFrozen');
    // Extending voting (moving judging and what follows later) is still allowed.
    const extended = { ...form };
    for (const key of ['judging', 'results', 'implementation', 'closed']) extended[`starts.${key}`] = later(form[`starts.${key}`]!, 7);
    expect((await save(extended)).status).toBe(303);
  });
});

describe('a stolen session alone cannot take over an account (finding 16)', () => {
  const codeFor = (secret: string) => hotp(base32Decode(secret), stepAt(Date.now()));

  async function signedIn(email: string) {
    const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
    return new CookieJar().take(outcome.headers);
  }

  it('with a second factor on, the profile cannot start or confirm a new one', async () => {
    const competition = await createCompetition();
    const email = `totp-abuse-${Date.now()}@example.test`;
    const user = await createUser({ email, roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const jar = await signedIn(email);
    const started = await call<{ secret: string }>(profileAction, formRequest('/profile', { intent: 'totpStart' }, { jar }));
    expect((await call(profileAction, formRequest('/profile', { intent: 'totpConfirm', code: codeFor(started.data.secret) }, { jar }))).status).toBe(303);
    const enrolled = (await User.findById(user._id).select('+totp.secret').lean())!.totp!;

    // The same session (as a thief holding it) tries to enrol their own authenticator.
    const again = await call<{ error: string }>(profileAction, formRequest('/profile', { intent: 'totpStart' }, { jar }));
    expect(again.status).toBe(400);
    expect(again.data.error).toBe('totpAlreadyOn');
    const confirm = await call(profileAction, formRequest('/profile', { intent: 'totpConfirm', code: '123456' }, { jar }));
    expect(confirm.status).toBe(400);
    const after = (await User.findById(user._id).select('+totp.secret +totp.pendingSecret').lean())!.totp!;
    expect(after.secret).toBe(enrolled.secret);
    expect(after.pendingSecret ?? null).toBeNull();
  });

  it('a resident cannot turn on a second factor by posting to the profile', async () => {
    const email = `totp-resident-${Date.now()}@example.test`;
    const user = await createUser({ email });
    const outcome = await call(profileAction, formRequest('/profile', { intent: 'totpStart' }, { jar: await signedIn(email) }));
    expect(outcome.status).toBe(403);
    expect((await User.findById(user._id).select('+totp.pendingSecret').lean())!.totp?.pendingSecret ?? null).toBeNull();
  });

  it('the current-password check on the profile is limited like a login', async () => {
    const email = `password-abuse-${Date.now()}@example.test`;
    await createUser({ email });
    const jar = await signedIn(email);
    const attempt = (currentPassword: string) =>
      call(profileAction, formRequest('/profile', { intent: 'password', currentPassword, password: 'Laoshan-new-pass-77', confirmPassword: 'Laoshan-new-pass-77' }, { jar }));
    for (let i = 0; i < PASSWORD_CHECK_LIMIT.max; i++) expect(JSON.stringify((await attempt(`wrong-${i}`)).data)).toContain('wrongPassword');
    // Now even the right password is refused without being checked.
    const refused = await attempt(DEMO_PASSWORD);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('passwordTooManyAttempts');
  });
});

describe('one current residency verification per (resident, scope), whatever verifiers and voters do at once (issue 11, finding 1)', () => {
  const DAY = 86_400_000;

  async function votingWorld() {
    const street = (await createStreet())._id;
    const community = (await createCommunity({ street }))._id;
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
    await competition.updateOne({ $set: { voting: { ...DEFAULT_VOTING_RULES, maxChoices: 2 } } });
    const author = (await createUser())._id;
    const numbers: number[] = [];
    for (let i = 0; i < 2; i++) numbers.push((await insertProposal({ competition: competition._id, author, status: 'eligible', street })).number);
    const ctx = (await getVotingContext(competition.slug))!;
    expect(ctx.phase).toBe('voting');
    const committee = sessionUser(await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] }));
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
    return { street, community, slug: competition.slug, ctx, numbers, committee, worker };
  }

  it('verifying, revoking and voting in parallel leave exactly one verification per scope and at most one ballot', async () => {
    const w = await votingWorld();
    const resident = await createUser({ community: w.community });
    const residentId = String(resident._id);
    const forCompetition = { kind: 'competition' as const, slug: w.slug };
    const forStreet = { kind: 'street' as const, id: String(w.street) };
    const until = shanghaiDay(Date.now() + 60 * DAY);
    expect(await verifyResident({ actor: w.committee, residentId, scope: forCompetition, method: 'idCard' })).toEqual({ ok: true });
    const first = (await Residency.findOne({ resident: resident._id }).lean())!;
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => verifyResident({ actor: w.committee, residentId, scope: forCompetition, method: i % 2 ? 'idCard' : 'householdRegister' })),
      ...Array.from({ length: 10 }, () => verifyResident({ actor: w.worker, residentId, scope: forStreet, method: 'knownInPerson', until })),
      ...Array.from({ length: 5 }, () => revokeVerification({ actor: w.committee, verificationId: String(first._id), reason: '同时撤销的测试' })),
      ...Array.from({ length: 10 }, (_, i) => castBallot({ ctx: w.ctx, voterId: residentId, choices: [w.numbers[i % 2]!] })),
    ]);
    expect(results.slice(0, 20).every((r) => r.ok)).toBe(true);
    // A revocation withdraws the verification it read, once.
    expect(results.slice(20, 25).filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    const docs = await Residency.find({ resident: resident._id }).lean();
    expect(docs.map((d) => d.scopeKey).sort()).toEqual([`competition:${w.ctx.id}`, `street:${String(w.street)}`].sort());
    expect(await Ballot.countDocuments({ competition: w.ctx.id, voter: resident._id })).toBeLessThanOrEqual(1);
    // However the race went, the street verification stands, so the resident votes once.
    expect(await castBallot({ ctx: w.ctx, voterId: residentId, choices: [w.numbers[0]!] })).toMatchObject({ ok: true });
    expect(await Ballot.countDocuments({ competition: w.ctx.id, voter: resident._id })).toBe(1);
  });

  it('a revoked verification allows no ballot afterwards, while a ballot cast before it stays', async () => {
    const w = await votingWorld();
    const [voter, other] = [String((await createUser({ community: w.community }))._id), String((await createUser({ community: w.community }))._id)];
    const scope = { kind: 'competition' as const, slug: w.slug };
    for (const id of [voter, other]) expect(await verifyResident({ actor: w.committee, residentId: id, scope, method: 'householdRegister' })).toEqual({ ok: true });
    expect(await castBallot({ ctx: w.ctx, voterId: voter, choices: [w.numbers[0]!] })).toMatchObject({ ok: true });
    const cast = (await Ballot.findOne({ competition: w.ctx.id, voter }).lean())!;
    for (const id of [voter, other]) {
      const verification = (await Residency.findOne({ resident: new Types.ObjectId(id) }).select('_id').lean())!;
      expect(await revokeVerification({ actor: w.committee, verificationId: String(verification._id), reason: '核实有误，撤销' })).toEqual({ ok: true });
    }
    expect(await castBallot({ ctx: w.ctx, voterId: voter, choices: [w.numbers[1]!] })).toEqual({ ok: false, reason: 'notVerified' });
    expect(await enterPaperBallot({ ctx: w.ctx, worker: w.worker, residentId: other, channel: 'paper', serial: 'R-1', choices: [w.numbers[0]!] })).toEqual({ ok: false, reason: 'notVerified' });
    const kept = await Ballot.find({ competition: w.ctx.id }).lean();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ _id: cast._id, choices: cast.choices, changes: cast.changes });
    // Verified again, the new verification replaces the revoked one and counts.
    expect(await verifyResident({ actor: w.committee, residentId: voter, scope, method: 'idCard' })).toEqual({ ok: true });
    const again = await Residency.find({ resident: new Types.ObjectId(voter) }).lean();
    expect(again).toHaveLength(1);
    expect(again[0]!.revokedAt).toBeUndefined();
    expect(await castBallot({ ctx: w.ctx, voterId: voter, choices: [w.numbers[1]!] })).toMatchObject({ ok: true });
  });
});
