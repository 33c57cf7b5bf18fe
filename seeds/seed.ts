import mongoose, { type Types } from 'mongoose';
import { allModels, Community, Follow, Proposal, Street, User } from '#models';
import { residentName, STREETS } from './data';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from './factories';
import { DEMO_PROPOSALS, longTexts } from './proposals-data';

export const DEMO_RESIDENTS = 60;

/** Loads the demo data into an empty database; returns false (and does nothing) otherwise. */
export async function seedIfEmpty(): Promise<boolean> {
  if ((await User.estimatedDocumentCount()) > 0 || (await Street.estimatedDocumentCount()) > 0) return false;
  await seedDemo();
  return true;
}

export async function resetDatabase(): Promise<void> {
  for (const model of allModels) await model.deleteMany({});
  // GridFS uploads have no mongoose model.
  const db = mongoose.connection.db;
  if (db) for (const name of ['uploads.files', 'uploads.chunks']) await db.collection(name).deleteMany({});
}

/**
 * The demo: Laoshan's 5 streets with their communities, an admin, a committee, judges, grid
 * workers, 60 residents, the closed 2025 competition and the running 2026 one.
 */
export async function seedDemo(): Promise<void> {
  const streets = [];
  for (const [index, street] of STREETS.entries()) {
    const doc = await Street.create({ code: street.code, name: { zh: street.zh, en: street.en }, order: index });
    const communities = await Community.insertMany(
      street.communities.map(([code, zh, en]) => ({ street: doc._id, code, name: { zh, en: `${en} Community` }, grids: 3 })),
    );
    streets.push({ doc, communities });
  }

  const allStreetIds = streets.map((s) => s.doc._id);
  const c2025 = await createCompetition({
    slug: '2025-laoshanxing',
    year: 2025,
    zh: '2025年崂善行救助服务居民提案大赛',
    en: 'Laoshanxing 2025 community assistance proposal competition',
    summaryZh: '首届大赛：居民围绕困境儿童、困难群众创业和居家环境微改造等方向提出救助服务提案，优秀提案已立项实施。',
    summaryEn: 'The first competition: residents proposed assistance services for children in difficulty, entrepreneurship and home micro-renovation; the best were funded and carried out.',
    budgetFen: 1_500_000_00,
    phases: phaseWindows(new Date('2025-03-01T00:00:00+08:00'), { implementation: 200 }),
    eligibleStreets: allStreetIds,
  });
  const c2026 = await createCompetition({
    slug: '2026-laoshanxing',
    year: 2026,
    zh: '2026年崂善行救助服务居民提案大赛',
    en: 'Laoshanxing 2026 community assistance proposal competition',
    summaryZh: '第二届大赛面向崂山区五个街道征集八大方向的救助服务提案，资助总额200万元，由社区社会组织承接实施。',
    summaryEn: 'The second competition invites assistance-service proposals in eight directions from all five streets of Laoshan, with ¥2,000,000 of funding, carried out by community social organizations.',
    budgetFen: 2_000_000_00,
    phases: phaseWindows(new Date('2026-10-15T00:00:00+08:00'), { submission: 61, screening: 16, voting: 20, judging: 21 }),
    eligibleStreets: allStreetIds,
  });

  await createUser({ name: '平台管理员', email: 'admin@demo.laoshanxing.cn', roles: [grant('resident'), grant('admin')] });
  await createUser({
    name: '刘委员',
    email: 'committee@demo.laoshanxing.cn',
    roles: [grant('resident'), grant('committee', 'competition', c2026._id), grant('committee', 'competition', c2025._id)],
  });
  for (const [index, name] of ['赵教授', '钱社工', '孙代表'].entries()) {
    await createUser({
      name,
      email: `judge${index + 1}@demo.laoshanxing.cn`,
      roles: [grant('resident'), grant('judge', 'competition', c2026._id)],
    });
  }
  for (const { doc, communities } of streets) {
    await createUser({
      name: `${doc.name.zh.replace('街道', '')}网格员`,
      email: `grid.${doc.code}@demo.laoshanxing.cn`,
      street: doc._id,
      community: communities[0]?._id,
      roles: [grant('resident'), grant('gridWorker', 'street', doc._id)],
    });
  }

  const communities = streets.flatMap(({ doc, communities: list }) => list.map((c) => ({ street: doc._id, community: c._id, name: c.name.zh })));
  const residents = [];
  for (let i = 0; i < DEMO_RESIDENTS; i++) {
    const place = communities[i % communities.length]!;
    const resident = await createUser({
      name: residentName(i),
      phone: `139${String(i + 1).padStart(8, '0')}`,
      email: null,
      street: place.street,
      community: place.community,
    });
    residents.push({ resident, place });
  }

  await seedProposals(c2025._id, c2026._id, residents);
}

type Resident = { resident: { _id: Types.ObjectId }; place: { street: Types.ObjectId; community: Types.ObjectId; name: string } };

/**
 * About forty proposals: eight in the closed 2025 competition (screened), the rest in 2026 across
 * the flow of its submission phase (submitted, a few drafts, one withdrawn), with follows.
 */
async function seedProposals(
  c2025: Types.ObjectId,
  c2026: Types.ObjectId,
  residents: Resident[],
) {
  const DAY = 86_400_000;
  const submissionOpened = new Date('2026-10-15T09:00:00+08:00').getTime();
  for (const [index, demo] of DEMO_PROPOSALS.entries()) {
    const { resident, place } = residents[(index * 7) % residents.length]!;
    const in2025 = index % 5 === 4;
    const status2026 = index % 13 === 3 ? 'draft' : index === 21 ? 'withdrawn' : 'submitted';
    await insertProposal({
      competition: in2025 ? c2025 : c2026,
      author: resident._id,
      status: in2025 ? (index % 10 === 9 ? 'ineligible' : 'eligible') : status2026,
      reason: in2025 && index % 10 === 9 ? '预算中设备采购占比过高，不符合本届大赛“服务为主”的要求。' : undefined,
      title: demo.title,
      summary: demo.summary,
      category: demo.category,
      street: place.street,
      community: place.community,
      beneficiaries: [{ group: demo.group, count: demo.count }],
      texts: longTexts(demo, place.name),
      budget: demo.items.map(([item, quantity, yuan]) => ({ item, quantity, unitPriceFen: yuan * 100 })),
      organization: demo.org,
      submittedAt: in2025 ? new Date('2025-04-01T10:00:00+08:00') : new Date(Math.min(Date.now(), submissionOpened + ((index * 37) % 38) * DAY)),
    });
  }
  // Residents follow proposals they care about; counters match the follow documents.
  const publicOnes = await Proposal.find({ status: mongoose.trusted({ $in: ['submitted', 'eligible', 'ineligible'] }) }).select('_id').lean();
  for (const [i, proposal] of publicOnes.entries()) {
    const followers = residents.filter((_, r) => (r * 13 + i * 7) % 9 === 0).slice(0, (i * 5) % 12);
    if (!followers.length) continue;
    await Follow.insertMany(followers.map(({ resident }) => ({ proposal: proposal._id, user: resident._id })));
    await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: followers.length } });
  }
}
