/**
 * The cached tally (issue 13): counted once per change of the ballots, not per view. Every
 * ballot write path bumps the competition's ballotVersion after it lands, the next view counts
 * again and stores the figures with that version, and a view with nothing changed reads no
 * ballot at all. The cache lives in the database, so another app instance agrees.
 */
import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ballot, Competition, TallyCache } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { tally } from '~/features/voting/tally.server';
import { castBallot, getVotingContext, voidBallot, type VotingContext } from '~/features/voting/voting.server';
import { enterPaperBallot } from '~/features/voting/paper-ballots.server';
import { sessionUser } from '../support/sessions';

const DAY = 86_400_000;
let ctx: VotingContext;
let numbers: number[];
let street: Types.ObjectId;
let community: Types.ObjectId;
let worker: ReturnType<typeof sessionUser>;
let committeeId: string;

/** The ballots collection's operations while `run` runs (mongoose's debug hook; the coverage recorder still sees them). */
async function ballotReads<T>(run: () => Promise<T>): Promise<{ value: T; ops: string[] }> {
  const ops: string[] = [];
  const previous = mongoose.get('debug') as unknown;
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    if (collection === Ballot.collection.name) ops.push(method);
    if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(collection, method, ...args);
  });
  try {
    return { value: await run(), ops };
  } finally {
    mongoose.set('debug', previous as boolean);
  }
}

async function resident() {
  const user = await createUser({ community });
  await verifyResidentDirectly(user._id, community);
  return String(user._id);
}

const votesOf = (t: Awaited<ReturnType<typeof tally>>) => Object.fromEntries(t.rows.map((r) => [r.number, r.votes]));
const version = async () => (await Competition.findById(ctx.id).select('ballotVersion').lean())?.ballotVersion ?? 0;

beforeAll(async () => {
  street = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  const author = (await createUser())._id;
  numbers = [];
  for (let i = 0; i < 3; i++) numbers.push((await insertProposal({ competition: competition._id, author, status: 'eligible', street })).number);
  ctx = (await getVotingContext(competition.slug))!;
  worker = sessionUser(await createUser({ roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
  committeeId = String((await createUser())._id);
});

describe('the cached tally', () => {
  it('reflects two ballots cast, then serves a second view without reading a ballot', async () => {
    const a = await resident();
    const b = await resident();
    expect((await castBallot({ ctx, voterId: a, choices: [numbers[0]!] })).ok).toBe(true);
    expect((await tally(ctx.id)).voters).toBe(1);
    expect((await castBallot({ ctx, voterId: b, choices: [numbers[0]!, numbers[1]!] })).ok).toBe(true);

    const first = await ballotReads(() => tally(ctx.id));
    expect(first.value.voters).toBe(2);
    expect(votesOf(first.value)).toEqual({ [numbers[0]!]: 2, [numbers[1]!]: 1, [numbers[2]!]: 0 });
    expect(first.ops).toEqual(expect.arrayContaining(['aggregate', 'countDocuments']));

    const second = await ballotReads(() => tally(ctx.id));
    expect(second.ops).toEqual([]);
    expect(second.value).toEqual(first.value);
    // Stored in the database with the version it was counted at, for every app instance.
    expect((await TallyCache.findById(ctx.id).lean())?.version).toBe(await version());
  });

  it('ten views of a stale tally at the same moment count the ballots once, and all show the same count', async () => {
    expect((await castBallot({ ctx, voterId: await resident(), choices: [numbers[2]!] })).ok).toBe(true);
    const views = await ballotReads(() => Promise.all(Array.from({ length: 10 }, () => tally(ctx.id))));
    // One recount: its two aggregates and its count of voided ballots, not ten of each.
    expect(views.ops.filter((op) => op === 'aggregate')).toHaveLength(2);
    expect(views.ops.filter((op) => op === 'countDocuments')).toHaveLength(1);
    for (const view of views.value) expect(view).toEqual(views.value[0]);
    // Settled: the next change is counted by a new recount, not served from the one before.
    expect((await castBallot({ ctx, voterId: await resident(), choices: [numbers[2]!] })).ok).toBe(true);
    expect((await tally(ctx.id)).voters).toBe(views.value[0]!.voters + 1);
  });

  it('every ballot write path bumps the version, and the next view counts it: change, paper, assisted, replacement, void', async () => {
    const voter = await resident();
    const writes: { name: string; write: () => Promise<unknown>; votes: (v: Record<number, number>) => void }[] = [];
    const start = votesOf(await tally(ctx.id));
    const expected = { ...start };
    const onPaper = await resident();
    const helped = await resident();
    writes.push(
      { name: 'cast', write: () => castBallot({ ctx, voterId: voter, choices: [numbers[2]!] }), votes: (v) => (v[numbers[2]!]! += 1) },
      {
        name: 'change',
        write: () => castBallot({ ctx, voterId: voter, choices: [numbers[1]!] }),
        votes: (v) => {
          v[numbers[2]!]! -= 1;
          v[numbers[1]!]! += 1;
        },
      },
      { name: 'paper', write: () => enterPaperBallot({ ctx, worker, residentId: onPaper, channel: 'paper', serial: 'C-1', choices: [numbers[2]!] }), votes: (v) => (v[numbers[2]!]! += 1) },
      {
        name: 'assisted',
        write: () => enterPaperBallot({ ctx, worker, residentId: helped, channel: 'assisted', consent: { method: 'verbalWitnessed', at: new Date(), witness: '楼长' }, choices: [numbers[0]!] }),
        votes: (v) => (v[numbers[0]!]! += 1),
      },
      {
        name: 'replace assisted',
        write: () => castBallot({ ctx, voterId: helped, choices: [numbers[2]!], replaceAssisted: true }),
        votes: (v) => {
          v[numbers[0]!]! -= 1;
          v[numbers[2]!]! += 1;
        },
      },
      {
        name: 'void',
        write: async () => {
          const ballot = await Ballot.findOne({ competition: ctx.id, voter: onPaper }).select('_id').lean();
          return voidBallot({ ctx, ballot: String(ballot!._id), actorId: committeeId, reason: '重复登记' });
        },
        votes: (v) => (v[numbers[2]!]! -= 1),
      },
    );
    for (const step of writes) {
      // Viewed first, so the cache is current before the write.
      await tally(ctx.id);
      const before = await version();
      expect(await step.write(), step.name).toMatchObject({ ok: true });
      expect(await version(), `${step.name} bumps ballotVersion`).toBe(before + 1);
      step.votes(expected);
      expect(votesOf(await tally(ctx.id)), `${step.name} shows in the tally`).toEqual(expected);
    }
    expect((await tally(ctx.id)).voided).toBe(1);
  });

  it("a ballot write leaves the competition's updatedAt alone (committee edits are conditional on it)", async () => {
    const before = (await Competition.findById(ctx.id).select('updatedAt').lean())!.updatedAt;
    expect((await castBallot({ ctx, voterId: await resident(), choices: [numbers[0]!] })).ok).toBe(true);
    expect((await Competition.findById(ctx.id).select('updatedAt').lean())!.updatedAt).toEqual(before);
  });

  it('a cache older than the version, as another instance leaves it after a write there, is counted again and replaced', async () => {
    const right = await tally(ctx.id);
    const now = await version();
    // What an instance sees after a write on another one: a cache one version behind, with other figures.
    await TallyCache.updateOne({ _id: ctx.id }, { $set: { version: now - 1, 'counts.voided': 99 } });
    const viewed = await ballotReads(() => tally(ctx.id));
    expect(viewed.ops.length).toBeGreaterThan(0);
    expect(viewed.value).toEqual(right);
    expect((await TallyCache.findById(ctx.id).lean())!.version).toBe(now);
  });
});
