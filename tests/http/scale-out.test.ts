import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Ballot, Competition, User } from '#models';
import { residentName } from '#seeds/data';
import { createCompetition, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';
import { startRoundRobin, type RoundRobin } from '../support/round-robin';
import { signIn } from './app';

/**
 * Scale-out (issue 13): two app processes on one database behind a round-robin proxy, no sticky
 * sessions, behave as one app. Whatever one process learns (a session, a failed login, a ballot)
 * the other sees, because none of it is kept in process memory.
 */
const DB_NAME = 'lsx_http_scale_out';
const DAY = 86_400_000;
const SLUG = 'scale-out-vote';
const RESIDENT = '13900000005';
let apps: AppProcess[] = [];
let proxy: RoundRobin;
let choice: number;

beforeAll(async () => {
  const uri = withDbName(inject('mongoUri'), DB_NAME);
  await mongoose.connect(uri);
  await mongoose.connection.dropDatabase();
  // One after the other: the first seeds the empty database, the second finds it seeded.
  apps.push(await startApp({ MONGODB_URI: uri, SEED_ON_EMPTY: 'true' }));
  apps.push(await startApp({ MONGODB_URI: uri, SEED_ON_EMPTY: 'true' }));
  proxy = await startRoundRobin(apps.map((app) => app.baseUrl));

  const resident = (await User.findOne({ phone: RESIDENT }).select('_id community').lean())!;
  const competition = await createCompetition({ slug: SLUG, phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  const proposal = await insertProposal({ competition: competition._id, author: resident._id, status: 'eligible', budget: [{ item: '服务', quantity: 1, unitPriceFen: 10_000_00 }] });
  choice = proposal.number;
  await verifyResidentDirectly(resident._id, resident.community!, { competition: competition._id });
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(apps.map(stopApp));
  apps = [];
  await mongoose.disconnect();
});

const backendOf = (response: Response) => Number(response.headers.get('x-backend'));

describe('two app processes behind a round-robin proxy behave as one', () => {
  it('a session started on one process is honoured by the other, and ended on one it is ended on both', async () => {
    const cookie = await signIn(proxy.baseUrl, RESIDENT);
    const pages = await Promise.all(Array.from({ length: 4 }, () => fetch(`${proxy.baseUrl}/profile`, { headers: { Cookie: cookie }, redirect: 'manual' })));
    expect(new Set(pages.map(backendOf))).toEqual(new Set([0, 1]));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(residentName(4));
    }
    const logout = await fetch(`${proxy.baseUrl}/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual', body: new URLSearchParams() });
    expect(logout.status).toBe(303);
    const after = await Promise.all(Array.from({ length: 2 }, () => fetch(`${proxy.baseUrl}/profile`, { headers: { Cookie: cookie }, redirect: 'manual' })));
    expect(new Set(after.map(backendOf))).toEqual(new Set([0, 1]));
    // Both send the old cookie to the login page: the session is gone from the database, not just one process.
    for (const page of after) expect(page.headers.get('location')).toMatch(/^\/login/);
  });

  it('wrong passwords count against one limit whichever process checks them', async () => {
    const attempt = () =>
      fetch(`${proxy.baseUrl}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ identifier: '13900000031', password: 'not-the-password-1' }) });
    const answers: { status: number; backend: number }[] = [];
    // Five free failures per account and address (login.server.ts), spread over both processes.
    for (let i = 0; i < 6; i++) {
      const response = await attempt();
      answers.push({ status: response.status, backend: backendOf(response) });
    }
    expect(new Set(answers.map((a) => a.backend))).toEqual(new Set([0, 1]));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    // Each process has seen only three: a per-process counter would still let the sixth through.
    expect(answers[5]!.status).toBe(429);
  });

  it('fifty parallel ballots of one voter, split across both processes, leave exactly one ballot', async () => {
    const cookie = await signIn(proxy.baseUrl, RESIDENT);
    const cast = () =>
      fetch(`${proxy.baseUrl}/competitions/${SLUG}/vote`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie }, body: new URLSearchParams({ intent: 'cast', choice: String(choice) }) });
    const responses = await Promise.all(Array.from({ length: 50 }, cast));
    expect(new Set(responses.map(backendOf))).toEqual(new Set([0, 1]));
    for (const response of responses) expect(response.status).toBe(303);
    const competition = (await Competition.findOne({ slug: SLUG }).select('_id ballotVersion').lean())!;
    const voter = (await User.findOne({ phone: RESIDENT }).select('_id').lean())!;
    const ballots = await Ballot.find({ competition: competition._id, voter: voter._id }).lean();
    expect(ballots).toHaveLength(1);
    // Every submission landed on that one ballot, and each bumped the tally's version once.
    expect(ballots[0]!.changes).toBe(50);
    expect(competition.ballotVersion).toBe(50);
  });
});
