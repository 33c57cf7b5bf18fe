import { randomBytes } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allModels, Ballot, Competition, Proposal, Residency, Session, User } from '#models';
import { createCommunity, createCompetition, insertProposal, phaseWindows } from '#seeds/factories';
import { startApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';

/**
 * Reliability: the app process is killed (SIGKILL) in the middle of a burst of 1,000 ballot
 * submissions and started again. Every ballot the app acknowledged must be there with the
 * choices it acknowledged, and no voter may have two.
 */
const VOTERS = 1000;
const KILL_AFTER = 300;
const CONCURRENCY = 16;

describe('killing the app in the middle of a ballot burst loses nothing acknowledged', () => {
  let mongoUri: string;
  let app: AppProcess | undefined;
  let slug: string;
  const cookies: string[] = [];
  const choicesOf = (i: number) => [1 + (i % 5), 1 + ((i + 2) % 5)].sort((a, b) => a - b);

  beforeAll(async () => {
    mongoUri = withDbName(inject('mongoUri'), 'lsx_kill');
    await mongoose.connect(mongoUri);
    await mongoose.connection.dropDatabase();
    for (const model of allModels) await model.createIndexes();

    const community = await createCommunity();
    // Voting opened yesterday and lasts three weeks.
    const start = new Date(Date.now() - 96 * 86_400_000);
    const competition = await createCompetition({ slug: `kill-${Date.now()}`, phases: phaseWindows(start, { submission: 45, screening: 50 }) });
    slug = competition.slug;
    await Competition.updateOne({ _id: competition._id }, { $set: { voting: { method: 'approval', maxChoices: 3, scope: 'district' } } });
    const author = new Types.ObjectId();
    for (let n = 1; n <= 5; n++) await insertProposal({ competition: competition._id, author, number: n, status: 'eligible', community: community._id, street: community.street });

    const voters = await User.insertMany(
      Array.from({ length: VOTERS }, (_, i) => ({
        name: `投票人${i}`,
        roles: [{ role: 'resident', scopeType: 'platform' }],
        street: community.street,
        community: community._id,
      })),
    );
    // Each verified for this competition, as its committee would.
    await Residency.insertMany(
      voters.map((v) => ({
        resident: v._id,
        scopeKey: `competition:${String(competition._id)}`,
        scope: 'competition',
        competition: competition._id,
        street: community.street,
        community: community._id,
        method: 'knownInPerson',
        evidence: { document: 'none' },
        verifiedAt: new Date(),
      })),
    );
    // Signed-in sessions made directly, as the login page would make them (login itself is slow on purpose).
    const cookie = createCookie('lsx_session', { secrets: [process.env.SESSION_SECRET!] });
    const sessions = voters.map((v) => ({ _id: randomBytes(24).toString('base64url'), user: v._id, data: { userId: String(v._id) }, expiresAt: new Date(Date.now() + 86_400_000) }));
    await Session.insertMany(sessions);
    for (const s of sessions) cookies.push((await cookie.serialize(s._id)).split(';')[0]!);

    app = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'false', SESSION_SECRET: process.env.SESSION_SECRET! });
  });

  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });

  it('every acknowledged ballot is found after a SIGKILL and a restart, none duplicated', async () => {
    const running = app!;
    const acknowledged = new Map<number, number[]>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < VOTERS) {
        const i = next++;
        const body = new URLSearchParams(choicesOf(i).map((c) => ['choice', String(c)]));
        try {
          const response = await fetch(`${running.baseUrl}/competitions/${slug}/vote`, {
            method: 'POST',
            headers: { Cookie: cookies[i]!, 'Content-Type': 'application/x-www-form-urlencoded' },
            body,
            redirect: 'manual',
          });
          if (response.status === 303 && response.headers.get('location')?.endsWith('/vote/mine')) acknowledged.set(i, choicesOf(i));
        } catch {
          // The process is gone: this one was never acknowledged.
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          running.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await running.exited;
    expect(killed).toBe(true);

    app = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'false', SESSION_SECRET: process.env.SESSION_SECRET! });
    const voterIds = (await User.find().select('_id').sort({ name: 1 }).lean()).map((u) => String(u._id));
    const competitionId = (await Competition.findOne({ slug }).lean())!._id;
    const ballots = await Ballot.find({ competition: competitionId }).lean();
    const numberOf = new Map((await Proposal.find({ competition: competitionId }).select('number').lean()).map((p) => [String(p._id), p.number]));
    const byVoter = new Map<string, number>();
    for (const b of ballots) byVoter.set(String(b.voter), (byVoter.get(String(b.voter)) ?? 0) + 1);
    const duplicates = [...byVoter.values()].filter((n) => n > 1).length;
    const users = await User.find().select('name').lean();
    const indexOf = new Map(users.map((u) => [String(u._id), Number(u.name.replace('投票人', ''))]));
    const found = ballots.filter((b) => acknowledged.has(indexOf.get(String(b.voter))!));
    const wrong = found.filter((b) => JSON.stringify([...b.choices.map((c) => numberOf.get(String(c))!)].sort((x, y) => x - y)) !== JSON.stringify(acknowledged.get(indexOf.get(String(b.voter))!)));
    console.log(`kill test: ${acknowledged.size} acknowledged, ${found.length} of them found, ${ballots.length} ballots in all, ${duplicates} duplicated, ${wrong.length} with other choices`);
    expect(voterIds).toHaveLength(VOTERS);
    expect(found).toHaveLength(acknowledged.size);
    expect(duplicates).toBe(0);
    expect(wrong).toEqual([]);
    // The restarted app serves the ballots it had acknowledged.
    const sample = [...acknowledged.keys()][0]!;
    const mine = await fetch(`${app.baseUrl}/competitions/${slug}/vote/mine`, { headers: { Cookie: cookies[sample]! } });
    expect(mine.status).toBe(200);
  });
});
