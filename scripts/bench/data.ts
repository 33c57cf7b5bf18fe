/**
 * Generated data at scale for the web benchmark, written in bulk with the driver (a factory
 * call per document would take longer than the measurements). Shapes follow seeds/factories.ts:
 * documents are built with the models (so defaults and casting are the app's own) and inserted
 * with `collection.insertMany`. Seeded, so every run has the same election.
 *
 * One competition in its voting phase (default rules), 200 eligible proposals, 2,000 comments, 100,000 counted ballots, and 20,000 verified
 * residents who have not voted yet, each with a session, who cast the benchmark's ballots.
 * The ballots' voters are ids only: 100,000 more accounts would only fill memory the stand-in
 * needs, and neither the pages nor the tally read a voter's account.
 */
import { randomBytes } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import { Types, type Collection, type Model } from 'mongoose';
import { Ballot, Comment, Community, newReceipt, Proposal, Residency, Session, User } from '#models';
import { SESSION_COOKIE, SESSION_MAX_AGE_S } from '~/core/session.server';
import { budgetTotalFen } from '~/features/proposals/budget';
import { indexTerms, normalizeText } from '~/features/proposals/search';
import { CATEGORIES } from '../../seeds/data';
import { createCompetition, phaseWindows } from '../../seeds/factories';
import { prng } from '../../tests/support/prng';

const DAY = 24 * 60 * 60 * 1000;
const CHUNK = 10_000;

export const SCALE = { residents: 20_000, proposals: 200, ballots: 100_000, comments: 2_000 } as const;

export { prng };

export interface Voter {
  id: string;
  cookie: string;
}

export interface BenchData {
  slug: string;
  competitionId: Types.ObjectId;
  /** Proposal numbers on the ballot, and one to open on the detail page. */
  numbers: number[];
  detailNumber: number;
  voters: Voter[];
  committee: Voter;
  places: { street: Types.ObjectId; community: Types.ObjectId }[];
}

async function insertAll(collection: Collection, docs: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK) {
    await collection.insertMany(docs.slice(i, i + CHUNK), { ordered: false });
  }
}

/** A model's document as the app would store it (defaults, casting, timestamps), as a plain object. */
function shaped<T>(model: Model<T>, fields: Record<string, unknown>, at: Date): Record<string, unknown> {
  return { ...(new model(fields).toObject({ depopulate: true }) as Record<string, unknown>), createdAt: at, updatedAt: at };
}

/** The signed session cookie the app would set for this session id (SESSION_SECRET in common). */
export async function sessionCookie(secret: string, id: string): Promise<string> {
  const cookie = createCookie(SESSION_COOKIE, { secrets: [secret], path: '/', httpOnly: true, sameSite: 'lax' });
  return (await cookie.serialize(id)).split(';')[0]!;
}

async function sessionsFor(secret: string, userIds: Types.ObjectId[], now: Date): Promise<Voter[]> {
  const sessions = userIds.map((user) => ({
    _id: randomBytes(32).toString('base64url'),
    user,
    data: { userId: String(user) },
    expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
    createdAt: now,
    updatedAt: now,
  }));
  await insertAll(Session.collection, sessions);
  return Promise.all(sessions.map(async (s) => ({ id: String(s.user), cookie: await sessionCookie(secret, s._id) })));
}

function proposalDoc(competition: Types.ObjectId, number: number, author: Types.ObjectId, place: BenchData['places'][number], random: () => number, now: Date) {
  const title = `测试提案${number}：社区服务`;
  const summary = '为困难群众提供服务的测试提案。'.repeat(1 + Math.floor(random() * 3));
  const budget = [
    { item: '服务费', quantity: 1 + Math.floor(random() * 20), unitPriceFen: 1_000_00 },
    { item: '物料', quantity: 1 + Math.floor(random() * 10), unitPriceFen: 500_00 },
  ];
  const texts = {
    problem: '社区里有不少困难群众需要帮助。'.repeat(4),
    plan: '组织志愿者定期开展服务。'.repeat(6),
    schedule: '全年',
    outcomes: '服务对象生活得到改善。'.repeat(3),
    sustainability: '由社区社会组织继续运营。'.repeat(2),
  };
  const searchable = [title, summary, texts.problem, texts.plan, '测试互助队'].join(' ');
  const submittedAt = new Date(now.getTime() - 30 * DAY + number * 1000);
  return shaped(
    Proposal,
    {
      competition,
      number,
      status: 'eligible',
      statusHistory: [
        { status: 'draft', at: submittedAt, by: author },
        { status: 'submitted', at: submittedAt, by: author },
        { status: 'eligible', at: submittedAt, by: author },
      ],
      title,
      summary,
      category: CATEGORIES[number % CATEGORIES.length]!.code,
      street: place.street,
      community: place.community,
      beneficiaries: [{ group: 'children', count: 10 + Math.floor(random() * 200) }],
      ...texts,
      budget,
      totalFen: budgetTotalFen(budget),
      organization: { kind: 'new', name: '测试互助队' },
      authors: [author],
      submittedAt,
      followerCount: Math.floor(random() * 50),
      photos: [],
      searchTerms: indexTerms(searchable),
      searchText: normalizeText(searchable),
    },
    submittedAt,
  );
}

/** `count` more eligible proposals, numbered after `from`. */
export async function addProposals(data: BenchData, from: number, count: number, authors: Types.ObjectId[], seed: number): Promise<number[]> {
  const random = prng(seed);
  const now = new Date();
  const docs = Array.from({ length: count }, (_, i) =>
    proposalDoc(data.competitionId, from + i + 1, authors[i % authors.length]!, data.places[i % data.places.length]!, random, now),
  );
  await insertAll(Proposal.collection, docs);
  return docs.map((d) => d.number as number);
}

/** `count` counted online ballots by voters with no account, 1–5 choices, popular proposals first. */
export async function addBallots(data: BenchData, count: number, seed: number): Promise<void> {
  const random = prng(seed);
  const proposals = await Proposal.find({ competition: data.competitionId, status: 'eligible' }).select('_id totalFen').sort({ number: 1 }).lean();
  const popularity = proposals.map((_, i) => 1 / (1 + i / 20));
  const total = popularity.reduce((a, b) => a + b, 0);
  const pick = () => {
    let r = random() * total;
    for (let i = 0; i < proposals.length; i++) {
      r -= popularity[i]!;
      if (r <= 0) return i;
    }
    return proposals.length - 1;
  };
  const now = new Date();
  for (let done = 0; done < count; done += CHUNK) {
    const docs = Array.from({ length: Math.min(CHUNK, count - done) }, () => {
      const chosen = new Set<number>();
      const k = 1 + Math.floor(random() * 5);
      while (chosen.size < k) chosen.add(pick());
      const place = data.places[Math.floor(random() * data.places.length)]!;
      const choices = [...chosen].map((i) => proposals[i]!);
      return {
        competition: data.competitionId,
        voter: new Types.ObjectId(),
        channel: 'online',
        choices: choices.map((p) => p._id),
        totalFen: choices.reduce((sum, p) => sum + p.totalFen, 0),
        street: place.street,
        community: place.community,
        submittedAt: now,
        receipt: newReceipt(),
        changes: 1,
        createdAt: now,
        updatedAt: now,
      };
    });
    await Ballot.collection.insertMany(docs, { ordered: false });
  }
}

/** Everything the benchmark needs, at 1x scale. */
export async function generate(secret: string): Promise<BenchData> {
  const random = prng(20261202);
  const now = new Date();
  const communities = await Community.find().select('_id street').lean();
  if (communities.length === 0) throw new Error('no communities: the demo seed must run first');
  const places = communities.map((c) => ({ street: c.street, community: c._id }));

  // Voting opened a day ago (submission 45 days, screening 14, then voting 21).
  const competition = await createCompetition({ slug: 'bench-2026', phases: phaseWindows(new Date(now.getTime() - 60 * DAY)) });

  const residents = Array.from({ length: SCALE.residents }, (_, i) => {
    const place = places[i % places.length]!;
    return shaped(
      User,
      {
        name: `压测居民${i + 1}`,
        email: `bench-${i + 1}@example.test`,
        emailProvenAt: now,
        street: place.street,
        community: place.community,
        roles: [{ role: 'resident', scopeType: 'platform' }],
      },
      now,
    );
  });
  await insertAll(User.collection, residents);
  const residentIds = residents.map((r) => r._id as Types.ObjectId);
  const verifications = residents.map((r) =>
    shaped(
      Residency,
      {
        resident: r._id,
        scopeKey: `street:${String(r.street)}`,
        scope: 'area',
        areaKind: 'street',
        areaId: r.street,
        validFrom: new Date(now.getTime() - DAY),
        validUntil: new Date(now.getTime() + 300 * DAY),
        street: r.street,
        community: r.community,
        method: 'knownInPerson',
        evidence: { document: 'none' },
        verifiedAt: new Date(now.getTime() - DAY),
      },
      now,
    ),
  );
  await insertAll(Residency.collection, verifications);

  const committeeDoc = shaped(
    User,
    { name: '压测委员', email: 'bench-committee@example.test', emailProvenAt: now, roles: [{ role: 'committee', scopeType: 'competition', scopeId: competition._id }] },
    now,
  );
  await User.collection.insertOne(committeeDoc);

  const data: BenchData = { slug: competition.slug, competitionId: competition._id, numbers: [], detailNumber: 1, voters: [], committee: { id: '', cookie: '' }, places };
  data.numbers = await addProposals(data, 0, SCALE.proposals, residentIds, 1);
  await addBallots(data, SCALE.ballots, 2);

  const proposals = await Proposal.find({ competition: competition._id }).select('_id authors').sort({ number: 1 }).lean();
  const comments = Array.from({ length: SCALE.comments }, (_, i) => {
    // Most comments on the first proposals, as attention goes; the detail page opens the first.
    const proposal = proposals[Math.floor(random() * random() * proposals.length)]!;
    const at = new Date(now.getTime() - (SCALE.comments - i) * 60_000);
    return shaped(Comment, { proposal: proposal._id, author: residentIds[Math.floor(random() * residentIds.length)], body: `评论${i + 1}：支持这个提案，希望尽快落实。` }, at);
  });
  await insertAll(Comment.collection, comments);

  data.voters = await sessionsFor(secret, residentIds, now);
  data.committee = (await sessionsFor(secret, [committeeDoc._id as Types.ObjectId], now))[0]!;
  return data;
}
