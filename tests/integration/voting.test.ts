import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AuditLog, Ballot, Competition, JudgingSheet, Proposal, Residency, User, VerificationCode } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { tally } from '~/features/voting/tally.server';
import { verifierAnomalies } from '~/features/voting/residency-anomalies.server';
import { revokeVerification, verifierScopes, verifyResident } from '~/features/voting/verification.server';
import { generateCodes, redeemCode } from '~/features/voting/verification-codes.server';
import { endOfShanghaiDay, shanghaiDay } from '~/utils/dates';
import { castBallot, getVotingContext, updateVotingRules, voidBallot, voterStanding, type VotingContext } from '~/features/voting/voting.server';
import { enterPaperBallot } from '~/features/voting/paper-ballots.server';
import { DEFAULT_VOTING_RULES, type VotingRules } from '~/features/voting/rules';
import { sessionUser } from '../support/sessions';

const DAY = 86_400_000;
// Voting opened five days ago: submission 45 + screening 14 days before that.
const votingNow = () => phaseWindows(new Date(Date.now() - 64 * DAY));

let street: Types.ObjectId;
let otherStreet: Types.ObjectId;
let community: Types.ObjectId;
let otherCommunity: Types.ObjectId;
let committeeId: string;


/** A competition in its voting phase with `count` eligible proposals of the given costs (fen). */
async function votingCompetition(rules: Partial<VotingRules>, costs: number[], proposalStreet?: (i: number) => Types.ObjectId) {
  const competition = await createCompetition({ phases: votingNow() });
  const author = (await createUser())._id;
  const numbers: number[] = [];
  for (const [i, cost] of costs.entries()) {
    const p = await insertProposal({
      competition: competition._id,
      author,
      status: 'eligible',
      budget: [{ item: '服务', quantity: 1, unitPriceFen: cost }],
      street: proposalStreet ? proposalStreet(i) : street,
    });
    numbers.push(p.number);
  }
  await competition.updateOne({ $set: { voting: { ...DEFAULT_VOTING_RULES, ...rules } } });
  const ctx = (await getVotingContext(competition.slug))!;
  expect(ctx.phase).toBe('voting');
  return { ctx, numbers };
}

async function verifiedResident(at: Types.ObjectId = community, extra: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser({ community: at, ...extra });
  await verifyResidentDirectly(user._id, at);
  return String(user._id);
}

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  otherCommunity = (await createCommunity({ street: otherStreet }))._id;
  committeeId = String((await createUser())._id);
});

describe('one ballot per resident', () => {
  it('50 parallel ballot submissions by one resident leave exactly one ballot', async () => {
    const { ctx, numbers } = await votingCompetition({ method: 'approval', maxChoices: 2 }, [1_000_00, 2_000_00, 3_000_00]);
    const voter = await verifiedResident();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => castBallot({ ctx, voterId: voter, choices: [numbers[i % 3]!, numbers[(i + 1) % 3]!] })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ballots = await Ballot.find({ competition: ctx.id, voter }).lean();
    expect(ballots).toHaveLength(1);
    expect(ballots[0]!.choices).toHaveLength(2);
    expect(new Set(results.map((r) => (r.ok ? r.ballotId : null)))).toEqual(new Set([String(ballots[0]!._id)]));
  });

  it('a ballot may be changed until voting closes, and not after', async () => {
    const { ctx, numbers } = await votingCompetition({ method: 'approval', maxChoices: 1 }, [1_000_00, 2_000_00]);
    const voter = await verifiedResident();
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!] })).toMatchObject({ ok: true });
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[1]!] })).toMatchObject({ ok: true });
    const ballot = await Ballot.findOne({ competition: ctx.id, voter }).lean();
    expect(ballot?.changes).toBe(2);
    const afterClose = new Date(ctx.phases.find((p) => p.key === 'voting')!.endsAt.getTime() + 1000);
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!], now: afterClose })).toEqual({ ok: false, reason: 'votingClosed' });
    expect((await Ballot.findOne({ competition: ctx.id, voter }).lean())?.choices.map(String)).toEqual(ballot?.choices.map(String));
  });
});

describe('the limits of a ballot', () => {
  it('more than K choices is refused, also when sent as parallel pieces', async () => {
    const { ctx, numbers } = await votingCompetition({ method: 'approval', maxChoices: 2 }, [1_000_00, 1_000_00, 1_000_00, 1_000_00]);
    const voter = await verifiedResident();
    expect(await castBallot({ ctx, voterId: voter, choices: numbers.slice(0, 3) })).toEqual({ ok: false, reason: 'tooManyChoices' });
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!, numbers[0]!] })).toEqual({ ok: false, reason: 'duplicateChoice' });
    // Four pieces of two each, in parallel: a ballot is a whole set, so the last write wins and holds two.
    const pieces = [[0, 1], [2, 3], [0, 2], [1, 3]].map((pair) => pair.map((i) => numbers[i]!));
    await Promise.all(pieces.map((choices) => castBallot({ ctx, voterId: voter, choices })));
    const ballots = await Ballot.find({ competition: ctx.id, voter }).lean();
    expect(ballots).toHaveLength(1);
    expect(ballots[0]!.choices.length).toBeLessThanOrEqual(2);
  });

  it('a budget ballot over B is refused, also when sent as parallel pieces', async () => {
    const { ctx, numbers } = await votingCompetition({ method: 'budget', ballotBudgetFen: 50_000_00 }, [30_000_00, 20_000_00, 25_000_00, 5_000_00]);
    const voter = await verifiedResident();
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!, numbers[2]!] })).toEqual({ ok: false, reason: 'overBudget' });
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!, numbers[1]!] })).toMatchObject({ ok: true });
    const pieces = [[0, 1], [2, 3], [1, 2, 3], [0, 3]].map((set) => set.map((i) => numbers[i]!));
    await Promise.all(pieces.map((choices) => castBallot({ ctx, voterId: voter, choices })));
    const ballot = await Ballot.findOne({ competition: ctx.id, voter }).lean();
    expect(ballot!.totalFen).toBeLessThanOrEqual(50_000_00);
    expect(await Ballot.countDocuments({ competition: ctx.id, voter })).toBe(1);
  });

  it('a proposal that is not eligible is not on the ballot', async () => {
    const { ctx } = await votingCompetition({}, [1_000_00]);
    const submitted = await insertProposal({ competition: new Types.ObjectId(ctx.id), author: new Types.ObjectId(), status: 'submitted' });
    const voter = await verifiedResident();
    expect(await castBallot({ ctx, voterId: voter, choices: [submitted.number] })).toEqual({ ok: false, reason: 'notOnBallot' });
  });
});

describe('who may vote', () => {
  it('an unverified resident is refused', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const voter = String((await createUser({ community }))._id);
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'notVerified' });
  });

  it('with street scope, a resident of another street cannot vote for this street’s proposals', async () => {
    const { ctx, numbers } = await votingCompetition({ scope: 'street' }, [1_000_00, 1_000_00], (i) => (i === 0 ? street : otherStreet));
    const outsider = await verifiedResident(otherCommunity);
    expect(await castBallot({ ctx, voterId: outsider, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'notOnBallot' });
    expect(await castBallot({ ctx, voterId: outsider, choices: [numbers[1]!] })).toMatchObject({ ok: true });
  });

  it('a resident of a street outside the competition is refused', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    ctx.eligibleStreets = [String(street)];
    const outsider = await verifiedResident(otherCommunity);
    expect(await castBallot({ ctx, voterId: outsider, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'streetNotEligible' });
  });

  it('once assigned, a judge may vote for proposals they do not judge, but not for one they judge', async () => {
    const { ctx, numbers } = await votingCompetition({ judgesMayVote: false }, [1_000_00, 1_000_00]);
    const judge = await verifiedResident(community, { roles: [grant('resident'), grant('judge', 'competition', ctx.id)] });
    const judged = await Proposal.findOne({ competition: ctx.id, number: numbers[0] }).lean();
    await JudgingSheet.create({ competition: ctx.id, judge, proposal: judged!._id });
    expect(await castBallot({ ctx, voterId: judge, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'judgeMayNotVote' });
    expect(await castBallot({ ctx, voterId: judge, choices: [numbers[0]!, numbers[1]!] })).toEqual({ ok: false, reason: 'judgeMayNotVote' });
    expect(await castBallot({ ctx, voterId: judge, choices: [numbers[1]!] })).toMatchObject({ ok: true });
  });

  it('a judge of the competition may not vote when the rules forbid it and no assignment exists yet (they may judge any proposal)', async () => {
    const { ctx, numbers } = await votingCompetition({ judgesMayVote: false }, [1_000_00]);
    const judge = await verifiedResident(community, { roles: [grant('resident'), grant('judge', 'competition', ctx.id)] });
    expect(await castBallot({ ctx, voterId: judge, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'judgeMayNotVote' });
    const allowed = { ...ctx, rules: { ...ctx.rules, judgesMayVote: true } };
    expect(await castBallot({ ctx: allowed, voterId: judge, choices: [numbers[0]!] })).toMatchObject({ ok: true });
  });

  it('nobody votes before voting opens or after it closes', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const voter = await verifiedResident();
    const voting = ctx.phases.find((p) => p.key === 'voting')!;
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!], now: new Date(voting.startsAt.getTime() - 1) })).toEqual({ ok: false, reason: 'votingClosed' });
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!], now: voting.endsAt })).toEqual({ ok: false, reason: 'votingClosed' });
    expect(await Ballot.countDocuments({ competition: ctx.id })).toBe(0);
  });
});

describe('voting rules', () => {
  it('may be changed before voting opens (audited), and are refused once it has', async () => {
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 10 * DAY)) });
    const rules: VotingRules = { ...DEFAULT_VOTING_RULES, method: 'budget', ballotBudgetFen: 300_000_00, scope: 'street' };
    expect(await updateVotingRules({ slug: competition.slug, rules, actorId: committeeId })).toEqual({ ok: true });
    expect((await getVotingContext(competition.slug))?.rules).toEqual(rules);
    const entry = await AuditLog.findOne({ action: 'voting.rulesChanged', targetId: String(competition._id) }).lean();
    expect(entry).toMatchObject({ before: { method: 'approval' }, after: { method: 'budget', ballotBudgetFen: 300_000_00 } });

    const voting = await createCompetition({ phases: votingNow() });
    expect(await updateVotingRules({ slug: voting.slug, rules, actorId: committeeId })).toEqual({ ok: false, reason: 'votingStarted' });
    expect((await getVotingContext(voting.slug))?.rules.method).toBe('approval');
  });
});

describe('residency verification', () => {
  it('a grid worker verifies a resident of their street for a period (who, when, how, evidence; audited), not one of another street, nor for another street', async () => {
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
    const mine = await createUser({ community });
    const theirs = await createUser({ community: otherCommunity });
    const until = shanghaiDay(Date.now() + 30 * DAY);
    const area = { kind: 'street' as const, id: String(street) };
    expect(await verifyResident({ actor: worker, residentId: String(mine._id), scope: area, method: 'householdRegister', until })).toEqual({ ok: true });
    const saved = await Residency.findOne({ resident: mine._id }).lean();
    expect(saved).toMatchObject({ scope: 'area', areaKind: 'street', method: 'householdRegister', evidence: { document: 'householdRegister' }, verifiedBy: new Types.ObjectId(worker.id), street, community });
    expect(saved!.validUntil).toEqual(new Date(endOfShanghaiDay(until).getTime() + 1));
    expect(await AuditLog.countDocuments({ action: 'resident.verified', targetId: String(mine._id) })).toBe(1);
    // A resident of street Y, verified for street X, or for street Y by a worker of X: both refused.
    expect(await verifyResident({ actor: worker, residentId: String(theirs._id), scope: area, method: 'idCard', until })).toEqual({ ok: false, reason: 'outsideArea' });
    expect(await verifyResident({ actor: worker, residentId: String(theirs._id), scope: { kind: 'street', id: String(otherStreet) }, method: 'idCard', until })).toEqual({ ok: false, reason: 'notAllowed' });
    expect(await Residency.countDocuments({ resident: theirs._id })).toBe(0);
  });

  it('verification codes are single use, expire, verify for their competition and move the resident to the community, and guesses are limited', async () => {
    const { ctx } = await votingCompetition({}, [1_000_00]);
    const generated = await generateCodes({
      competitionId: ctx.id,
      eligibleStreets: [],
      communityId: String(otherCommunity),
      count: 3,
      expiresAt: new Date(Date.now() + 7 * DAY),
      actorId: committeeId,
    });
    if (!generated.ok) throw new Error(generated.reason);
    expect(generated.codes).toHaveLength(3);
    const stored = await VerificationCode.find({ batch: generated.batch }).lean();
    expect(stored.map((c) => c.codeHash)).not.toContain(generated.codes[0]);
    const [first, second] = await Promise.all([createUser({ community }), createUser()]);
    // The same code by two residents at once: one wins.
    const both = await Promise.all([
      redeemCode({ userId: String(first._id), code: generated.codes[0]!, ip: '198.51.100.7' }),
      redeemCode({ userId: String(second._id), code: generated.codes[0]!.toLowerCase(), ip: '198.51.100.8' }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'codeInvalid' }]);
    const winner = both[0].ok ? first : second;
    expect(await Residency.find({ resident: winner._id }).lean()).toMatchObject([
      { scope: 'competition', competition: new Types.ObjectId(ctx.id), method: 'code', evidence: { codeBatch: generated.batch }, community: otherCommunity, street: otherStreet },
    ]);
    expect((await User.findById(winner._id).lean())?.community).toEqual(otherCommunity);
    // Expired codes do not work.
    expect(await redeemCode({ userId: String(first._id), code: generated.codes[1]!, ip: '198.51.100.9', now: new Date(Date.now() + 8 * DAY) })).toEqual({ ok: false, reason: 'codeInvalid' });
    // Eleven guesses in a row: the eleventh is refused even with a valid code.
    const guesser = String((await createUser())._id);
    for (let i = 0; i < 10; i++) expect(await redeemCode({ userId: guesser, code: `WRONG-${i}0000`, ip: '198.51.100.10' })).toEqual({ ok: false, reason: 'codeInvalid' });
    expect(await redeemCode({ userId: guesser, code: generated.codes[2]!, ip: '198.51.100.10' })).toEqual({ ok: false, reason: 'tooManyAttempts' });
  });
});

describe('a residency verification belongs to a scope and a period (issue 11, finding 1)', () => {
  it('the attack: a committee member of the closed 2025 competition cannot verify five fresh accounts, and none of them can vote in 2026', async () => {
    const closed = await createCompetition({ year: 2025, phases: phaseWindows(new Date(Date.now() - 400 * DAY)) });
    expect((await getVotingContext(closed.slug))!.phase).toBe('closed');
    const member = sessionUser(await createUser({ roles: [grant('resident'), grant('committee', 'competition', closed._id)] }));
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const running = (await Competition.findById(ctx.id).select('slug').lean())!;
    for (let i = 0; i < 5; i++) {
      const fresh = String((await createUser({ community }))._id);
      expect(await verifyResident({ actor: member, residentId: fresh, scope: { kind: 'competition', slug: closed.slug }, method: 'knownInPerson' })).toEqual({ ok: false, reason: 'votingOver' });
      expect(await verifyResident({ actor: member, residentId: fresh, scope: { kind: 'competition', slug: running.slug }, method: 'knownInPerson' })).toEqual({ ok: false, reason: 'notAllowed' });
      expect(await castBallot({ ctx, voterId: fresh, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'notVerified' });
      expect(await Residency.countDocuments({ resident: new Types.ObjectId(fresh) })).toBe(0);
    }
    expect(await Ballot.countDocuments({ competition: ctx.id })).toBe(0);
  });

  it('a verification given for competition A lets the resident vote in A, not in B', async () => {
    const a = await votingCompetition({}, [1_000_00]);
    const b = await votingCompetition({}, [1_000_00]);
    const slugA = (await Competition.findById(a.ctx.id).select('slug').lean())!.slug;
    const member = sessionUser(await createUser({ roles: [grant('resident'), grant('committee', 'competition', a.ctx.id)] }));
    const voter = String((await createUser({ community }))._id);
    expect(await verifyResident({ actor: member, residentId: voter, scope: { kind: 'competition', slug: slugA }, method: 'idCard' })).toEqual({ ok: true });
    expect(await castBallot({ ctx: a.ctx, voterId: voter, choices: [a.numbers[0]!] })).toMatchObject({ ok: true });
    expect(await Ballot.findOne({ competition: a.ctx.id, voter }).lean()).toMatchObject({ street, community });
    expect(await castBallot({ ctx: b.ctx, voterId: voter, choices: [b.numbers[0]!] })).toEqual({ ok: false, reason: 'notVerified' });
  });

  it("a committee member cannot verify once the competition's voting has ended, nor outside its streets; an admin without the grant cannot at all", async () => {
    const judging = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 90 * DAY)) });
    expect((await getVotingContext(judging.slug))!.phase).toBe('judging');
    const early = await createCompetition({ eligibleStreets: [street] });
    const member = sessionUser(await createUser({ roles: [grant('resident'), grant('committee', 'competition', judging._id), grant('committee', 'competition', early._id)] }));
    const admin = sessionUser(await createUser({ roles: [grant('resident'), grant('admin')] }));
    const resident = String((await createUser({ community }))._id);
    const outsider = String((await createUser({ community: otherCommunity }))._id);
    expect(await verifyResident({ actor: member, residentId: resident, scope: { kind: 'competition', slug: judging.slug }, method: 'idCard' })).toEqual({ ok: false, reason: 'votingOver' });
    expect(await verifyResident({ actor: member, residentId: outsider, scope: { kind: 'competition', slug: early.slug }, method: 'idCard' })).toEqual({ ok: false, reason: 'outsideArea' });
    expect(await verifyResident({ actor: admin, residentId: resident, scope: { kind: 'competition', slug: early.slug }, method: 'idCard' })).toEqual({ ok: false, reason: 'notAllowed' });
    expect(await verifyResident({ actor: admin, residentId: resident, scope: { kind: 'street', id: String(street) }, method: 'idCard', until: shanghaiDay(Date.now() + DAY) })).toEqual({ ok: false, reason: 'notAllowed' });
    expect(await Residency.countDocuments({ resident: new Types.ObjectId(resident) })).toBe(0);
    // Before the end of its voting the same member may.
    expect(await verifyResident({ actor: member, residentId: resident, scope: { kind: 'competition', slug: early.slug }, method: 'idCard' })).toEqual({ ok: true });
    expect((await verifierScopes(member)).map((s) => s.value)).toEqual([`competition:${early.slug}`]);
  });

  it('an area verification stops counting when its period ends or it is revoked; the period is at most 12 months', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'community', community)] }));
    const area = { kind: 'community' as const, id: String(community) };
    const voter = String((await createUser({ community }))._id);
    expect(await verifyResident({ actor: worker, residentId: voter, scope: area, method: 'knownInPerson', until: shanghaiDay(Date.now() - DAY) })).toEqual({ ok: false, reason: 'untilInPast' });
    expect(await verifyResident({ actor: worker, residentId: voter, scope: area, method: 'knownInPerson', until: shanghaiDay(Date.now() + 370 * DAY) })).toEqual({ ok: false, reason: 'periodTooLong' });
    expect(await verifyResident({ actor: worker, residentId: voter, scope: area, method: 'knownInPerson', until: shanghaiDay(Date.now() + 10 * DAY) })).toEqual({ ok: true });
    expect(await voterStanding(ctx, voter)).toMatchObject({ ok: true, community: String(community) });
    expect(await voterStanding(ctx, voter, new Date(Date.now() + 12 * DAY))).toEqual({ ok: false, reason: 'notVerified' });

    const id = String((await Residency.findOne({ resident: new Types.ObjectId(voter) }).select('_id').lean())!._id);
    expect(await revokeVerification({ actor: worker, verificationId: id, reason: '已搬离本社区' })).toEqual({ ok: true });
    expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'notVerified' });
    expect(await revokeVerification({ actor: worker, verificationId: id, reason: '已搬离本社区' })).toEqual({ ok: false, reason: 'verificationNotFound' });
    expect(await AuditLog.findOne({ action: 'resident.verificationRevoked', targetId: voter }).lean()).toMatchObject({ reason: '已搬离本社区', before: { scope: `community:${String(community)}`, method: 'knownInPerson' } });
  });
});

describe("the anomalies page's verifiers (issue 11, finding 1)", () => {
  it('counts verifications and ballots per verifier, flags 30 or more within an hour, and attributes each ballot to the verification it was cast on', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const slug = (await Competition.findById(ctx.id).select('slug').lean())!.slug;
    const member = sessionUser(await createUser({ name: '批量核实的委员', roles: [grant('resident'), grant('committee', 'competition', ctx.id)] }));
    const worker = sessionUser(await createUser({ name: '日常核实的网格员', roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
    const start = Date.now() - 2 * 3_600_000;
    for (let i = 0; i < 32; i++) {
      const voter = String((await createUser({ community }))._id);
      const now = new Date(start + i * 60_000);
      expect(await verifyResident({ actor: member, residentId: voter, scope: { kind: 'competition', slug }, method: 'knownInPerson', now })).toEqual({ ok: true });
      expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!] })).toMatchObject({ ok: true });
    }
    for (let i = 0; i < 8; i++) {
      const voter = String((await createUser({ community }))._id);
      const now = new Date(start + i * 10 * 60_000);
      expect(await verifyResident({ actor: worker, residentId: voter, scope: { kind: 'street', id: String(street) }, method: 'idCard', until: shanghaiDay(Date.now() + 30 * DAY), now })).toEqual({ ok: true });
      expect(await castBallot({ ctx, voterId: voter, choices: [numbers[0]!] })).toMatchObject({ ok: true });
    }
    const found = await verifierAnomalies(ctx);
    expect(found.countedBallots).toBe(40);
    expect(found.verifiers.map((v) => ({ label: v.label, verifications: v.verifications, ballots: v.ballots, flagged: Boolean(v.burst) }))).toEqual([
      { label: '批量核实的委员', verifications: 32, ballots: 32, flagged: true },
      { label: '日常核实的网格员', verifications: 8, ballots: 8, flagged: false },
    ]);
    expect(found.verifiers[0]!.burst!.count).toBe(32);
    expect(found.verifiers[0]!.share).toBeCloseTo(0.8);
  });
});

describe('paper and assisted ballots', () => {
  it('a worker enters a paper ballot with a serial (audited); a resident who voted online is refused, and a serial cannot be used twice', async () => {
    const { ctx, numbers } = await votingCompetition({ maxChoices: 3 }, [1_000_00, 2_000_00]);
    const workerDoc = await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] });
    const worker = sessionUser(workerDoc);
    const onPaper = await verifiedResident();
    const online = await verifiedResident();
    const paper = await enterPaperBallot({ ctx, worker, residentId: onPaper, channel: 'paper', serial: 'LS-0001', choices: [numbers[0]!] });
    expect(paper).toMatchObject({ ok: true });
    expect(await AuditLog.countDocuments({ action: 'ballot.entered', targetId: paper.ok ? paper.ballotId : '' })).toBe(1);
    // The paper voter cannot also vote online, nor get a second paper ballot.
    expect(await castBallot({ ctx, voterId: onPaper, choices: [numbers[1]!] })).toEqual({ ok: false, reason: 'votedOtherChannel' });
    expect(await enterPaperBallot({ ctx, worker, residentId: onPaper, channel: 'paper', serial: 'LS-0002', choices: [numbers[1]!] })).toEqual({ ok: false, reason: 'alreadyVoted' });
    // The online voter cannot get a paper ballot.
    expect(await castBallot({ ctx, voterId: online, choices: [numbers[1]!] })).toMatchObject({ ok: true });
    expect(await enterPaperBallot({ ctx, worker, residentId: online, channel: 'paper', serial: 'LS-0003', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'alreadyVoted' });
    // A serial is used once per competition.
    const third = await verifiedResident();
    expect(await enterPaperBallot({ ctx, worker, residentId: third, channel: 'paper', serial: 'LS-0001', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'serialTaken' });
    // Whatever the letter case the worker types it in.
    expect(await enterPaperBallot({ ctx, worker, residentId: third, channel: 'paper', serial: ' ls-0001 ', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'serialTaken' });
    expect(await enterPaperBallot({ ctx, worker, residentId: third, channel: 'paper', serial: '', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'serialRequired' });
    // An assisted ballot needs the resident's consent (issue 11, finding 3; tests/integration/assisted-ballots.test.ts).
    expect(await enterPaperBallot({ ctx, worker, residentId: third, channel: 'assisted', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'consentRequired' });
    const consent = { method: 'verbalWitnessed' as const, at: new Date(), witness: '王阿姨' };
    expect(await enterPaperBallot({ ctx, worker, residentId: third, channel: 'assisted', consent, choices: [numbers[0]!] })).toMatchObject({ ok: true });
  });

  it('a worker of another street is refused', async () => {
    const { ctx, numbers } = await votingCompetition({}, [1_000_00]);
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', otherStreet)] }));
    const resident = await verifiedResident();
    expect(await enterPaperBallot({ ctx, worker, residentId: resident, channel: 'paper', serial: 'X-1', choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'outsideArea' });
    expect(await Ballot.countDocuments({ competition: ctx.id })).toBe(0);
  });
});

describe('the tally', () => {
  it('equals an independent count; a voided ballot drops out of it and stays stored', async () => {
    const { ctx, numbers } = await votingCompetition({ maxChoices: 3 }, [1_000_00, 2_000_00, 3_000_00, 4_000_00]);
    const worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
    const cast: { channel: string; choices: number[] }[] = [];
    for (let i = 0; i < 24; i++) {
      const voter = await verifiedResident(i % 2 ? community : otherCommunity);
      const choices = numbers.filter((_, j) => (i + j) % 3 !== 0).slice(0, 1 + (i % 3));
      if (i % 4 === 3 && i % 2) {
        const r = await enterPaperBallot({ ctx, worker, residentId: voter, channel: 'paper', serial: `T-${i}`, choices });
        expect(r.ok).toBe(true);
        cast.push({ channel: 'paper', choices });
      } else {
        expect((await castBallot({ ctx, voterId: voter, choices })).ok).toBe(true);
        cast.push({ channel: 'online', choices });
      }
    }
    const expected = (list: typeof cast) =>
      numbers.map((n) => ({ number: n, votes: list.filter((b) => b.choices.includes(n)).length, paper: list.filter((b) => b.channel === 'paper' && b.choices.includes(n)).length }));
    const got = await tally(ctx.id);
    expect(got.voters).toBe(cast.length);
    expect(got.votersByChannel).toEqual({ online: cast.filter((b) => b.channel === 'online').length, paper: cast.filter((b) => b.channel === 'paper').length, assisted: 0 });
    const compare = (t: Awaited<ReturnType<typeof tally>>) =>
      [...t.rows].sort((a, b) => a.number - b.number).map((r) => ({ number: r.number, votes: r.votes, paper: r.byChannel.paper }));
    expect(compare(got)).toEqual(expected(cast));
    const row = got.rows.find((r) => r.number === numbers[0])!;
    expect(row.share).toBeCloseTo(row.votes / cast.length);
    expect(Object.values(row.byStreet).reduce((a, b) => a + b, 0)).toBe(row.votes);

    // Void the first online ballot.
    const first = await Ballot.findOne({ competition: ctx.id, channel: 'online' }).sort({ createdAt: 1 }).lean();
    const firstChoices = new Set(first!.choices.map(String));
    expect(await voidBallot({ ctx, ballot: String(first!._id), actorId: committeeId, reason: '同一人重复登记' })).toMatchObject({ ok: true });
    expect(await voidBallot({ ctx, ballot: String(first!._id), actorId: committeeId, reason: '再次作废' })).toEqual({ ok: false, reason: 'ballotNotFound' });
    const after = await tally(ctx.id);
    expect(after.voters).toBe(cast.length - 1);
    expect(after.voided).toBe(1);
    for (const r of after.rows) {
      const before = got.rows.find((x) => x.number === r.number)!;
      expect(r.votes).toBe(before.votes - (firstChoices.has(String(await proposalId(ctx, r.number))) ? 1 : 0));
    }
    expect(await Ballot.countDocuments({ _id: first!._id, 'voided.reason': '同一人重复登记' })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'ballot.voided', targetId: String(first!._id) })).toBe(1);
  });
});

async function proposalId(ctx: VotingContext, number: number) {
  return (await Proposal.findOne({ competition: ctx.id, number }).select('_id').lean())!._id;
}
