import { allModels, Community, Street, User } from '#models';
import { residentName, STREETS } from './data';
import { createCompetition, createUser, grant, phaseWindows } from './factories';

export const DEMO_RESIDENTS = 60;

/** Loads the demo data into an empty database; returns false (and does nothing) otherwise. */
export async function seedIfEmpty(): Promise<boolean> {
  if ((await User.estimatedDocumentCount()) > 0 || (await Street.estimatedDocumentCount()) > 0) return false;
  await seedDemo();
  return true;
}

export async function resetDatabase(): Promise<void> {
  for (const model of allModels) await model.deleteMany({});
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

  const communities = streets.flatMap(({ doc, communities: list }) => list.map((c) => ({ street: doc._id, community: c._id })));
  for (let i = 0; i < DEMO_RESIDENTS; i++) {
    const place = communities[i % communities.length]!;
    await createUser({
      name: residentName(i),
      phone: `139${String(i + 1).padStart(8, '0')}`,
      email: null,
      street: place.street,
      community: place.community,
    });
  }
}
