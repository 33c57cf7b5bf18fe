import { describe, expect, it } from 'vitest';
import { Ballot, Competition, Proposal, User } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { AREA_FROM, AREA_UNTIL, DEMO_BALLOTS_2025, seedBallots } from '#seeds/ballots';
import { seedDemo } from '#seeds/seed';
import { loader as tallyLoader } from '~/routes/competitions.$slug.voting._index/route';
import { loader as anomaliesLoader } from '~/routes/competitions.$slug.voting.anomalies/route';
import { action as loginAction } from '~/routes/login/route';
import { getVotingContext, voterStanding } from '~/features/voting/voting.server';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const slug = '2025-laoshanxing';

describe('demo ballots', () => {
  it('the committee page shows the seeded ballots’ count, equal to an independent count', async () => {
    if (!(await Competition.exists({ slug }))) await seedDemo();
    await seedBallots();
    await seedBallots(); // A second run changes nothing.
    const competition = (await Competition.findOne({ slug }).lean())!;
    expect(await Ballot.countDocuments({ competition: competition._id })).toBe(DEMO_BALLOTS_2025);

    // Independently: every stored ballot, counted in plain code.
    const ballots = (await Ballot.find({ competition: competition._id }).lean()).filter((b) => !b.voided?.at);
    const eligible = await Proposal.find({ competition: competition._id, status: 'eligible' }).select('number').lean();
    const expected = eligible.map((p) => ({
      number: p.number,
      votes: ballots.filter((b) => b.choices.some((c) => c.equals(p._id))).length,
      online: ballots.filter((b) => b.channel === 'online' && b.choices.some((c) => c.equals(p._id))).length,
      paper: ballots.filter((b) => b.channel === 'paper' && b.choices.some((c) => c.equals(p._id))).length,
      assisted: ballots.filter((b) => b.channel === 'assisted' && b.choices.some((c) => c.equals(p._id))).length,
    }));
    for (const b of ballots) expect(b.totalFen).toBeLessThanOrEqual(competition.voting.ballotBudgetFen);

    const login = await call(loginAction, formRequest('/login', { identifier: 'committee@demo.laoshanxing.cn', password: DEMO_PASSWORD }));
    const jar = new CookieJar().take(login.headers);
    type Page = { final: boolean; tally: { voters: number; voided: number; votersByChannel: Record<'online' | 'paper' | 'assisted', number>; rows: { number: number; votes: number; byChannel: Record<'online' | 'paper' | 'assisted', number> }[] } };
    const page = await call<Page>(tallyLoader, getRequest(`/competitions/${slug}/voting`, { jar }), { slug });
    expect(page.status).toBe(200);
    expect(page.data.final).toBe(true);
    expect(page.data.tally.voters).toBe(ballots.length);
    expect(page.data.tally.voided).toBe(2);
    expect(page.data.tally.votersByChannel.online + page.data.tally.votersByChannel.paper + page.data.tally.votersByChannel.assisted).toBe(ballots.length);
    expect(page.data.tally.votersByChannel.paper).toBeGreaterThan(0);
    expect(page.data.tally.votersByChannel.assisted).toBeGreaterThan(0);
    const shown = [...page.data.tally.rows]
      .sort((a, b) => a.number - b.number)
      .map((r) => ({ number: r.number, votes: r.votes, online: r.byChannel.online, paper: r.byChannel.paper, assisted: r.byChannel.assisted }));
    expect(shown).toEqual(expected.sort((a, b) => a.number - b.number));

    const anomalies = await call<{ byIp: { key: string; count: number }[] }>(anomaliesLoader, getRequest(`/competitions/${slug}/voting/anomalies`, { jar }), { slug });
    expect(anomalies.data.byIp[0]).toMatchObject({ key: '203.0.113.77' });
  });
});

describe('demo residency verifications (decision 011)', () => {
  it("let the demo residents vote in 2026 once its voting opens, on their street's verification; 2025's anomalies page names who verified its voters", async () => {
    if (!(await Competition.exists({ slug }))) await seedDemo();
    await seedBallots();
    const c2026 = (await getVotingContext('2026-laoshanxing'))!;
    const voting = c2026.phases.find((p) => p.key === 'voting')!;
    expect(AREA_FROM <= voting.startsAt && voting.endsAt <= AREA_UNTIL).toBe(true);
    const resident = (await User.findOne({ phone: '13900000012' }).select('_id').lean())!;
    expect(await voterStanding(c2026, String(resident._id), new Date(voting.startsAt.getTime() + 86_400_000))).toMatchObject({ ok: true });
    expect(await voterStanding(c2026, String(resident._id), AREA_UNTIL)).toEqual({ ok: false, reason: 'notVerified' });

    const login = await call(loginAction, formRequest('/login', { identifier: 'committee@demo.laoshanxing.cn', password: DEMO_PASSWORD }));
    const jar = new CookieJar().take(login.headers);
    type Page = { countedBallots: number; verifiers: { kind: string; label: string; ballots: number; burst: unknown }[] };
    const page = await call<Page>(anomaliesLoader, getRequest(`/competitions/${slug}/voting/anomalies`, { jar }), { slug });
    expect(page.data.countedBallots).toBe(DEMO_BALLOTS_2025 - 2);
    expect(page.data.verifiers.map((v) => v.kind)).toEqual(['user']);
    expect(page.data.verifiers[0]).toMatchObject({ ballots: DEMO_BALLOTS_2025 - 2, burst: null });
  });
});
