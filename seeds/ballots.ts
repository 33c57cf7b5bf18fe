import mongoose, { type Types } from 'mongoose';
import { Ballot, Community, Competition, Proposal, Residency, Street, User } from '#models';
import { DEFAULT_VOTING_RULES, type BallotChannel, type VotingRules } from '~/features/voting/rules';
import { IN_PERSON_METHODS } from '~/features/voting/residency';
import { residentName } from './data';

/**
 * Demo voting data (docs/decisions/006-voting.md). The 2026 competition is still taking
 * proposals, so the ballots go to the closed 2025 competition, whose final count the committee
 * (committee@demo…) sees at /competitions/2025-laoshanxing/voting:
 * - 2025's voting rules: a budget ballot over its eligible proposals, running totals public;
 * - the 60 demo residents, and 240 more residents without a login (people who voted on paper or
 *   with help, and online voters who never came back), are verified for 2025 by its committee
 *   and for their street by its grid worker from November 2026 to June 2027 (so they may vote
 *   in 2026 too; decision 011);
 * - one ballot per voter, about 70 % online, 20 % on paper (serial LS2025-0001…), 10 % assisted,
 *   within the budget, dated inside 2025's voting window; six online ballots from one address
 *   within minutes for the anomalies page; two ballots voided with a reason.
 * 2026's voting rules are set too (approval, up to 3), still editable until its voting opens.
 * Written directly, like the other seeds: the app's services refuse ballots outside the
 * voting window, which is the point of them. Running it twice changes nothing.
 */
export const EXTRA_VOTERS = 240;
/** The demo voters' area verifications (by their street's grid worker) count in this period. */
export const AREA_FROM = new Date('2026-11-01T00:00:00+08:00');
export const AREA_UNTIL = new Date('2027-07-01T00:00:00+08:00');
export const DEMO_BALLOTS_2025 = 60 + EXTRA_VOTERS;

export async function seedBallots(): Promise<void> {
  const [c2025, c2026] = await Promise.all([
    Competition.findOne({ slug: '2025-laoshanxing' }).select('phases').lean(),
    Competition.findOne({ slug: '2026-laoshanxing' }).select('_id').lean(),
  ]);
  if (!c2025 || (await Ballot.exists({ competition: c2025._id }))) return;

  const proposals = await Proposal.find({ competition: c2025._id, status: 'eligible' }).select('totalFen').sort({ number: 1 }).lean();
  if (proposals.length === 0) return;
  const total = proposals.reduce((sum, p) => sum + p.totalFen, 0);
  // About half of what is on the ballot, in whole thousands of yuan.
  const ballotBudgetFen = Math.max(Math.max(...proposals.map((p) => p.totalFen)), Math.round(total / 2 / 1_000_00) * 1_000_00);
  const rules2025: VotingRules = { ...DEFAULT_VOTING_RULES, method: 'budget', ballotBudgetFen, publicTotals: true, residentWeight: 40 };
  await Competition.updateOne({ _id: c2025._id }, { $set: { voting: rules2025 } });
  if (c2026) await Competition.updateOne({ _id: c2026._id }, { $set: { voting: { ...DEFAULT_VOTING_RULES, maxChoices: 3, residentWeight: 40 } } });

  const voting = c2025.phases.find((p) => p.key === 'voting')!;
  const [streets, communities, workers, committee] = await Promise.all([
    Street.find().select('code').lean(),
    Community.find().select('street').sort({ code: 1 }).lean(),
    User.find({ 'roles.role': 'gridWorker' }).select('roles').lean(),
    User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean(),
  ]);
  const workerOf = new Map<string, Types.ObjectId>();
  for (const worker of workers) {
    const grant = worker.roles.find((r) => r.role === 'gridWorker' && r.scopeType === 'street');
    if (grant?.scopeId) workerOf.set(String(grant.scopeId), worker._id);
  }
  if (streets.length === 0 || communities.length === 0) return;

  // The demo residents, then the extra voters, each verified by their street's worker.
  const demo = await User.find({ phone: mongoose.trusted({ $regex: '^139' }) }).select('street community').sort({ phone: 1 }).lean();
  const extra = await User.insertMany(
    Array.from({ length: EXTRA_VOTERS }, (_, i) => {
      const place = communities[(i * 5) % communities.length]!;
      return {
        name: residentName(100 + i),
        street: place.street,
        community: place._id,
        roles: [{ role: 'resident', scopeType: 'platform' }],
        searchText: residentName(100 + i),
      };
    }),
  );
  const voters = [
    ...demo.filter((u) => u.street && u.community).map((u) => ({ _id: u._id, street: u.street!, community: u.community! })),
    ...extra.map((u) => ({ _id: u._id, street: u.street, community: u.community })),
  ];
  // Verified for 2025 by its committee, one an hour in the two weeks before voting; and for their
  // street by its grid worker for November 2026 to June 2027, which covers 2026's voting.
  const verifications = voters.flatMap((v, i) => {
    const method = IN_PERSON_METHODS[i % IN_PERSON_METHODS.length]!;
    const evidence = { document: method === 'knownInPerson' ? 'none' : method };
    const place = { street: v.street, community: v.community, method, evidence };
    return [
      {
        resident: v._id,
        scopeKey: `competition:${String(c2025._id)}`,
        scope: 'competition',
        competition: c2025._id,
        ...place,
        verifiedBy: committee?._id,
        verifiedAt: new Date(voting.startsAt.getTime() - 14 * 86_400_000 + i * 3_600_000),
      },
      {
        resident: v._id,
        scopeKey: `street:${String(v.street)}`,
        scope: 'area',
        areaKind: 'street',
        areaId: v.street,
        validFrom: AREA_FROM,
        validUntil: AREA_UNTIL,
        ...place,
        verifiedBy: workerOf.get(String(v.street)),
        verifiedAt: AREA_FROM,
      },
    ];
  });
  await Residency.bulkWrite(
    verifications.map((doc) => ({ updateOne: { filter: { resident: doc.resident, scopeKey: doc.scopeKey }, update: { $set: doc }, upsert: true } })),
  );

  // Deterministic choices within the budget: start at a proposal that depends on the voter, add
  // the following ones while they fit.
  const windowMs = voting.endsAt.getTime() - voting.startsAt.getTime();
  let serial = 0;
  const ballots = voters.map((v, i) => {
    const channel: BallotChannel = i % 10 < 7 ? 'online' : i % 10 < 9 ? 'paper' : 'assisted';
    const choices: Types.ObjectId[] = [];
    let spent = 0;
    const want = 1 + ((i * 7) % proposals.length);
    for (let k = 0; k < proposals.length && choices.length < want; k++) {
      const p = proposals[(i * 3 + k * (1 + (i % 2))) % proposals.length]!;
      if (choices.some((c) => c.equals(p._id)) || spent + p.totalFen > ballotBudgetFen) continue;
      choices.push(p._id);
      spent += p.totalFen;
    }
    // Six online ballots from one address within minutes, for the anomalies page.
    const burst = channel === 'online' && i < 6;
    const submittedAt = burst
      ? new Date(voting.startsAt.getTime() + 3 * 86_400_000 + i * 40_000)
      : new Date(voting.startsAt.getTime() + Math.floor(((i * 7919) % 997) / 997 * (windowMs - 3_600_000)));
    const paper = channel === 'paper' ? `LS2025-${String(++serial).padStart(4, '0')}` : undefined;
    return {
      competition: c2025._id,
      voter: v._id,
      channel,
      choices,
      totalFen: spent,
      street: v.street,
      community: v.community,
      enteredBy: channel === 'online' ? undefined : workerOf.get(String(v.street)),
      paperSerial: paper,
      paperKey: paper ? `${String(c2025._id)}:${paper}` : undefined,
      ip: channel === 'online' ? (burst ? '203.0.113.77' : `198.51.100.${(i % 200) + 1}`) : undefined,
      device: channel === 'online' ? `demo-device-${burst ? 'shared' : i}` : undefined,
      submittedAt,
      changes: 1 + (i % 3 === 0 ? 1 : 0),
    };
  });
  const inserted = await Ballot.insertMany(ballots);

  // Two ballots voided by the committee, with reasons (kept, left out of the count).
  const voidedAt = new Date(voting.endsAt.getTime() - 86_400_000);
  const toVoid = [inserted.find((b) => b.channel === 'paper'), inserted.find((b) => b.channel === 'online' && b.ip === '203.0.113.77')];
  const reasons = ['纸质选票上勾选的提案编号无法辨认。', '同一地址短时间内集中投票，经核实为代投。'];
  for (const [index, ballot] of toVoid.entries()) {
    if (!ballot) continue;
    await Ballot.updateOne({ _id: ballot._id }, { $set: { voided: { at: voidedAt, by: committee?._id, reason: reasons[index] } } });
  }
}
