import mongoose, { Types } from 'mongoose';
import { Ballot, Community, Competition, Proposal, Street, TallyCache, User, VerificationCode } from '#models';
import { isDuplicateKeyError } from '~/core/db.server';
import { votingFinished } from '~/features/competitions/phases';
import { BALLOT_CHANNELS, findBursts, type BallotChannel } from './rules';
import type { VotingContext } from './voting.server';

/**
 * The count of resident votes: an aggregation over the ballots that are not voided, never
 * counters that could drift (decision 006). Per proposal: votes (for budget ballots, the number
 * of ballots approving it), share of voters, and the split by channel and by the voter's street.
 *
 * Computed once per change, not per view: every ballot write bumps the competition's
 * `ballotVersion` after it lands (ballotsChanged), and the figures are kept in TallyCache with the
 * version they were computed at. A view reads the version, the cache, the eligible proposals and
 * the streets in one round trip; only when the cache is older than the version does it count the
 * ballots again (three aggregates) and store the result. The version is read before counting, so
 * the stored figures include at least every write counted in it; a write after that bumps the
 * version again and the next view recomputes. Correct across app instances, as nothing is kept
 * in process memory. A write whose process dies between the ballot and the bump is counted at
 * the next ballot write.
 */

type ChannelCounts = Record<BallotChannel, number>;
const zeroChannels = (): ChannelCounts => ({ online: 0, paper: 0, assisted: 0 });

export interface TallyRow {
  number: number;
  title: string;
  totalFen: number;
  votes: number;
  share: number;
  byChannel: ChannelCounts;
  byStreet: Record<string, number>;
}

export interface Tally {
  voters: number;
  votersByChannel: ChannelCounts;
  voided: number;
  streets: { id: string; name: { zh: string; en?: string | null } }[];
  rows: TallyRow[];
}

/** What the ballots alone say (what TallyCache keeps): ids as strings. */
interface BallotCounts {
  votersByChannel: ChannelCounts;
  voided: number;
  approvals: { proposal: string; channel: BallotChannel; street: string; n: number }[];
}

/** Every ballot write calls this after it lands: the cached tally of the competition is stale. */
export async function ballotsChanged(competitionId: string): Promise<void> {
  // No timestamps: committee edits are conditional on updatedAt, which a ballot must not move.
  await Competition.updateOne({ _id: new Types.ObjectId(competitionId) }, { $inc: { ballotVersion: 1 } }, { timestamps: false });
}

async function countBallots(competition: Types.ObjectId): Promise<BallotCounts> {
  const counted = { competition, 'voided.at': mongoose.trusted({ $exists: false }) };
  const [byChannel, byChoice, voided] = await Promise.all([
    Ballot.aggregate<{ _id: BallotChannel; n: number }>([{ $match: counted }, { $group: { _id: '$channel', n: { $sum: 1 } } }]),
    Ballot.aggregate<{ _id: { proposal: Types.ObjectId; channel: BallotChannel; street: Types.ObjectId | null }; n: number }>([
      { $match: counted },
      // Only what is counted goes on: $unwind copies each document once per choice, and at a
      // million ballots whole documents times their choices exhausted the stand-in's heap.
      { $project: { _id: 0, choices: 1, channel: 1, street: 1 } },
      { $unwind: '$choices' },
      { $group: { _id: { proposal: '$choices', channel: '$channel', street: '$street' }, n: { $sum: 1 } } },
    ]),
    Ballot.countDocuments({ competition, 'voided.at': mongoose.trusted({ $exists: true }) }),
  ]);
  const votersByChannel = zeroChannels();
  for (const row of byChannel) votersByChannel[row._id] = row.n;
  const approvals = byChoice.map((g) => ({ proposal: String(g._id.proposal), channel: g._id.channel, street: String(g._id.street ?? ''), n: g.n }));
  return { votersByChannel, voided, approvals };
}

interface TallyInputs {
  version: number;
  cache: { version: number; counts: BallotCounts } | null;
  proposals: { _id: Types.ObjectId; number: number; title: string; totalFen: number }[];
  streets: { _id: Types.ObjectId; name: { zh: string; en?: string | null } }[];
}

/**
 * The competition's ballot version with the cache, its eligible proposals and the streets: one
 * aggregate on the competition's _id whose $lookups read the rest (the stand-in has no $unionWith).
 */
async function tallyInputs(competition: Types.ObjectId): Promise<TallyInputs | null> {
  const [found] = await Competition.aggregate<{ ballotVersion?: number; cache: TallyInputs['cache'][]; proposals: TallyInputs['proposals']; streets: TallyInputs['streets'] }>([
    { $match: { _id: competition } },
    { $project: { ballotVersion: 1 } },
    { $lookup: { from: TallyCache.collection.name, pipeline: [{ $match: { _id: competition } }, { $project: { version: 1, counts: 1 } }], as: 'cache' } },
    {
      $lookup: {
        from: Proposal.collection.name,
        pipeline: [{ $match: { competition, status: 'eligible' } }, { $project: { number: 1, title: 1, totalFen: 1 } }],
        as: 'proposals',
      },
    },
    { $lookup: { from: Street.collection.name, pipeline: [{ $sort: { order: 1 } }, { $project: { name: 1 } }], as: 'streets' } },
  ]);
  if (!found) return null;
  return { version: found.ballotVersion ?? 0, cache: found.cache[0] ?? null, proposals: found.proposals, streets: found.streets };
}

/** Keeps `counts` as the tally at `version`, unless a newer one is stored (the unique _id refuses the upsert then). */
async function storeCounts(competition: Types.ObjectId, version: number, counts: BallotCounts): Promise<void> {
  try {
    await TallyCache.updateOne(
      { _id: competition, version: mongoose.trusted({ $lt: version }) },
      { $set: { version, counts, computedAt: new Date() } },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * Recounts under way in this process, by competition and ballot version: views of a stale tally
 * that arrive while it is being recounted wait for that recount instead of starting their own
 * (at a million ballots a recount takes long enough for a committee's reloads to pile up).
 * Nothing is kept once it settles, so no process holds a tally the database does not.
 */
const recounts = new Map<string, Promise<BallotCounts>>();

function recount(competition: Types.ObjectId, version: number | null): Promise<BallotCounts> {
  const key = `${String(competition)}:${version ?? 'none'}`;
  const running = recounts.get(key);
  if (running) return running;
  const counting = (async () => {
    const counts = await countBallots(competition);
    if (version !== null) await storeCounts(competition, version, counts);
    return counts;
  })().finally(() => recounts.delete(key));
  recounts.set(key, counting);
  return counting;
}

export async function tally(competitionId: string): Promise<Tally> {
  const competition = new Types.ObjectId(competitionId);
  const inputs = await tallyInputs(competition);
  const fresh = inputs?.cache && inputs.cache.version >= inputs.version ? inputs.cache.counts : null;
  const counts = fresh ?? (await recount(competition, inputs ? inputs.version : null));
  const { votersByChannel, voided } = counts;
  const voters = BALLOT_CHANNELS.reduce((sum, c) => sum + votersByChannel[c], 0);
  const rows = new Map<string, TallyRow>(
    (inputs?.proposals ?? []).map((p) => [String(p._id), { number: p.number, title: p.title, totalFen: p.totalFen, votes: 0, share: 0, byChannel: zeroChannels(), byStreet: {} }]),
  );
  for (const group of counts.approvals) {
    const row = rows.get(group.proposal);
    if (!row) continue;
    row.votes += group.n;
    row.byChannel[group.channel] += group.n;
    row.byStreet[group.street] = (row.byStreet[group.street] ?? 0) + group.n;
  }
  for (const row of rows.values()) row.share = voters ? row.votes / voters : 0;
  return {
    voters,
    votersByChannel,
    voided,
    streets: (inputs?.streets ?? []).map((s) => ({ id: String(s._id), name: s.name })),
    rows: [...rows.values()].sort((a, b) => b.votes - a.votes || a.number - b.number),
  };
}

/** The committee always sees the count; others after voting, or during it if the rules say so. */
export function tallyVisible(ctx: VotingContext, isCommittee: boolean): boolean {
  return isCommittee || votingFinished(ctx.phase) || (ctx.phase === 'voting' && ctx.rules.publicTotals);
}

// --- Anomalies --------------------------------------------------------------------------------

export const ANOMALY_WINDOW_MS = 10 * 60 * 1000;
export const ANOMALY_THRESHOLD = 5;

/**
 * Patterns worth a look: many online ballots from one IP or one device within ten minutes, many
 * paper/assisted ballots entered by one worker within ten minutes (and each worker's total), and
 * verification codes of one community spent in a burst.
 */
export async function anomalies(competitionId: string) {
  const competition = new Types.ObjectId(competitionId);
  const [ballots, codes] = await Promise.all([
    Ballot.find({ competition }).select('channel ip device enteredBy submittedAt kiosk').lean(),
    VerificationCode.find({ competition, usedAt: mongoose.trusted({ $exists: true }) }).select('community usedAt').lean(),
  ]);
  // Ballots cast on a kiosk share its address and device by design: they are counted per kiosk
  // and hour instead (kiosk-anomalies.server.ts).
  const online = ballots.filter((b) => b.channel === 'online' && !b.kiosk);
  const entered = ballots.filter((b) => b.enteredBy);
  const byIp = findBursts(online.filter((b) => b.ip).map((b) => ({ key: b.ip!, at: b.submittedAt })), ANOMALY_WINDOW_MS, ANOMALY_THRESHOLD);
  const byDevice = findBursts(online.filter((b) => b.device).map((b) => ({ key: b.device!, at: b.submittedAt })), ANOMALY_WINDOW_MS, ANOMALY_THRESHOLD);
  const byWorker = findBursts(entered.map((b) => ({ key: String(b.enteredBy), at: b.submittedAt })), ANOMALY_WINDOW_MS, ANOMALY_THRESHOLD);
  const codeBursts = findBursts(codes.map((c) => ({ key: String(c.community), at: c.usedAt! })), ANOMALY_WINDOW_MS, ANOMALY_THRESHOLD);
  const workerTotals = new Map<string, number>();
  for (const b of entered) workerTotals.set(String(b.enteredBy), (workerTotals.get(String(b.enteredBy)) ?? 0) + 1);
  const workerIds = [...workerTotals.keys()].map((id) => new Types.ObjectId(id));
  const communityIds = codeBursts.map((b) => new Types.ObjectId(b.key));
  const [workers, communities] = await Promise.all([
    User.find({ _id: mongoose.trusted({ $in: workerIds }) }).select('name').lean(),
    Community.find({ _id: mongoose.trusted({ $in: communityIds }) }).select('name').lean(),
  ]);
  const workerName = new Map(workers.map((w) => [String(w._id), w.name]));
  const communityName = new Map(communities.map((c) => [String(c._id), c.name.zh]));
  const shape = (b: { key: string; count: number; from: Date; to: Date }, label: string) => ({
    key: b.key,
    label,
    count: b.count,
    from: b.from.toISOString(),
    to: b.to.toISOString(),
  });
  return {
    windowMinutes: ANOMALY_WINDOW_MS / 60_000,
    threshold: ANOMALY_THRESHOLD,
    byIp: byIp.map((b) => shape(b, b.key)),
    byDevice: byDevice.map((b) => shape(b, b.key.slice(0, 12))),
    byWorker: byWorker.map((b) => shape(b, workerName.get(b.key) ?? b.key)),
    workerTotals: [...workerTotals].map(([id, count]) => ({ name: workerName.get(id) ?? id, count })).sort((a, b) => b.count - a.count),
    codeBursts: codeBursts.map((b) => shape(b, communityName.get(b.key) ?? b.key)),
  };
}
