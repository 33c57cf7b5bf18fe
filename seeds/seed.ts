import mongoose, { type Types } from 'mongoose';
import { allModels, Community, Follow, Proposal, Street, User } from '#models';
import { registerOfflineResident } from '~/features/accounts/assist.server';
import type { SessionUser } from '~/core/auth.server';
import { notifyMany } from '~/core/notifications.server';
import { endOfShanghaiDay, shanghaiDay } from '~/utils/dates';
import { storeImage } from '~/core/uploads.server';
import { budgetTotalFen } from '~/features/proposals/budget';
import { PUBLIC_STATUSES } from '~/features/proposals/proposals';
import { seedBallots } from './ballots';
import { seedComments } from './comments';
import { seedIncubation } from './incubation';
import { seedNeedLinks, seedNeeds } from './needs';
import { seedHistory2024 } from './history-2024';
import { seedOrganizations } from './organizations';
import { seedProjectReports } from './project-reports';
import { seedResources } from './resources';
import { seedResults } from './results';
import { seedVolunteers } from './volunteers';
import { seedWishes } from './wishes';
import { DEMO_MENTOR_EMAIL, OFFLINE_RESIDENTS, residentName, STREETS } from './data';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from './factories';
import { consentFormPhoto, demoPhoto } from './images';
import { ASSISTED_PROPOSALS, CHANGES_REQUESTED_PROPOSAL, DEMO_PROPOSALS, type DemoProposal } from './proposals-data';

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
 * workers, 60 residents and 4 residents registered offline by grid workers, the 2024 pilot
 * (seeds/history-2024.ts), the closed 2025 competition and the running 2026 one, with proposals (some with generated photos, some
 * submitted by grid workers), follows, comments and notifications.
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
    summaryEn: 'The first Laoshanxing competition. Residents proposed help for children in difficulty, support for people in difficulty starting a small business, and small repairs that make homes safer; the best proposals were funded and carried out.',
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
    summaryEn: "Laoshanxing's second year: residents of all five streets of Laoshan can propose assistance services in eight directions. ¥2,000,000 will fund the best of them, each run by a community social organization.",
    budgetFen: 2_000_000_00,
    phases: phaseWindows(new Date('2026-10-15T00:00:00+08:00'), { submission: 61, screening: 16, voting: 20, judging: 21 }),
    eligibleStreets: allStreetIds,
  });

  await createUser({ name: '平台管理员', email: 'admin@demo.laoshanxing.cn', roles: [grant('resident'), grant('admin')] });
  const committee = asSessionUser(
    await createUser({
      name: '刘委员',
      email: 'committee@demo.laoshanxing.cn',
      roles: [grant('resident'), grant('committee', 'competition', c2026._id), grant('committee', 'competition', c2025._id)],
    }),
  );
  for (const [index, name] of ['赵教授', '钱社工', '孙代表'].entries()) {
    await createUser({
      name,
      email: `judge${index + 1}@demo.laoshanxing.cn`,
      roles: [grant('resident'), grant('judge', 'competition', c2026._id)],
    });
  }
  // A staff social worker the committee assigns to the 2025 projects (seeds/results.ts).
  await createUser({ name: '周督导', email: DEMO_MENTOR_EMAIL, roles: [grant('resident'), grant('mentor')] });
  const workers = new Map<string, SessionUser>();
  for (const { doc, communities } of streets) {
    const worker = await createUser({
      name: `${doc.name.zh.replace('街道', '')}网格员`,
      email: `grid.${doc.code}@demo.laoshanxing.cn`,
      street: doc._id,
      community: communities[0]?._id,
      roles: [grant('resident'), grant('gridWorker', 'street', doc._id)],
    });
    workers.set(doc.code, asSessionUser(worker));
    // The needs whistle's and micro-wishes' people of the street (seeds/needs.ts, seeds/wishes.ts).
    await createUser({
      name: `${doc.name.zh.replace('街道', '')}社区工作者`,
      email: `community.${doc.code}@demo.laoshanxing.cn`,
      street: doc._id,
      community: communities[0]?._id,
      roles: [grant('resident'), grant('communityWorker', 'street', doc._id)],
    });
    await createUser({
      name: `${doc.name.zh}委员会`,
      email: `street.${doc.code}@demo.laoshanxing.cn`,
      street: doc._id,
      roles: [grant('resident'), grant('streetCommittee', 'street', doc._id)],
    });
    await createUser({
      name: `${doc.name.zh.replace('街道', '')}居民代表`,
      email: `whistle.${doc.code}@demo.laoshanxing.cn`,
      street: doc._id,
      community: communities[0]?._id,
      roles: [grant('resident'), grant('whistleBlower', 'street', doc._id)],
    });
  }

  const communities = streets.flatMap(({ doc, communities: list }) => list.map((c) => ({ street: doc._id, community: c._id, code: c.code })));
  const residents: Resident[] = [];
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

  // Registered by their street's grid worker through the app's own service (audited, no password).
  const offline: Offline[] = [];
  for (const person of OFFLINE_RESIDENTS) {
    const street = streets.find((s) => s.doc.code === person.street)!;
    const community = street.communities.find((c) => c.code === person.community)!;
    const worker = workers.get(person.street)!;
    const registered = await registerOfflineResident({ worker, name: person.name, communityId: String(community._id), phone: person.phone });
    if (!registered.ok) throw new Error(`seed: could not register ${person.name}: ${registered.reason}`);
    offline.push({
      resident: { _id: new mongoose.Types.ObjectId(registered.userId) },
      place: { street: street.doc._id, community: community._id, code: community.code },
      worker,
    });
  }

  await seedProposals({ c2025, c2026, residents, offline, committee });
  await seedComments({
    residents: residents.map((r) => String(r.resident._id)),
    demoResident: String(residents[DEMO_RESIDENT_INDEX]!.resident._id),
    committee,
  });
  await seedBallots();
  await seedResults();
  await seedOrganizations();
  await seedProjectReports();
  await seedIncubation();
  await seedNeeds();
  await seedNeedLinks();
  await seedHistory2024();
  await seedWishes();
  await seedResources();
  await seedVolunteers();
}

/** The resident the e2e tests and the README log in as: 13900000005. */
const DEMO_RESIDENT_INDEX = 4;
const DAY = 86_400_000;

type Place = { street: Types.ObjectId; community: Types.ObjectId; code: string };
type Resident = { resident: { _id: Types.ObjectId }; place: Place };
type Offline = Resident & { worker: SessionUser };

function asSessionUser(user: {
  _id: Types.ObjectId;
  name: string;
  street?: Types.ObjectId | null;
  community?: Types.ObjectId | null;
  roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[];
}): SessionUser {
  return {
    id: String(user._id),
    name: user.name,
    language: 'zh',
    streetId: user.street ? String(user.street) : null,
    communityId: user.community ? String(user.community) : null,
    roles: user.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })) as SessionUser['roles'],
  };
}

type CompetitionLimits = { _id: Types.ObjectId; minRequestFen: number; maxRequestFen: number };

function budgetOf(demo: DemoProposal) {
  return demo.items.map(([item, quantity, yuan]) => ({ item, quantity, unitPriceFen: Math.round(yuan * 100) }));
}

interface ProposalSpec {
  demo: DemoProposal;
  competition: Types.ObjectId;
  author: Types.ObjectId;
  place: Place;
  status: 'draft' | 'submitted' | 'changesRequested' | 'eligible' | 'ineligible' | 'withdrawn';
  submittedAt: Date;
  reason?: string;
  changesDueAt?: Date;
  decidedBy?: Types.ObjectId;
  assisted?: { worker: SessionUser; consent: { method: 'signedForm' | 'verbalWitnessed'; at: Date; witness?: string }; formPhoto?: boolean };
  /** How many generated photos it shows. */
  photos: number;
}

/**
 * About forty proposals: eight in the closed 2025 competition (screened), the rest in 2026 across
 * the flow of its submission phase (submitted, a few drafts, one withdrawn, one sent back for
 * changes, three submitted by grid workers for offline residents), about half of the public
 * ones with photos; then follows, and the screening result for the one sent back.
 */
async function seedProposals(input: {
  c2025: CompetitionLimits;
  c2026: CompetitionLimits;
  residents: Resident[];
  offline: Offline[];
  committee: SessionUser;
}) {
  const { residents, offline } = input;
  const [c2025, c2026] = [input.c2025._id, input.c2026._id];
  const committeeId = new mongoose.Types.ObjectId(input.committee.id);
  const now = Date.now();
  const submissionOpened = new Date('2026-10-15T09:00:00+08:00').getTime();
  const openedPlus = (days: number) => new Date(Math.min(now, submissionOpened + days * DAY));

  // Each proposal is written by a resident of the community it is about, taking turns there;
  // the demo resident writes only the one sent back for changes.
  const turns = new Map<string, number>();
  const authorIn = (community: string) => {
    const candidates = residents.filter((r, i) => r.place.code === community && i !== DEMO_RESIDENT_INDEX);
    if (!candidates.length) throw new Error(`seed: no resident lives in ${community}`);
    const turn = turns.get(community) ?? 0;
    turns.set(community, turn + 1);
    return candidates[turn % candidates.length]!;
  };
  const specs: ProposalSpec[] = DEMO_PROPOSALS.map((demo, index) => {
    const { resident, place } = authorIn(demo.community);
    const in2025 = index % 5 === 4;
    const status2026 = index % 13 === 3 ? 'draft' : index === 21 ? 'withdrawn' : 'submitted';
    const ineligible = in2025 && index % 10 === 9;
    const status = in2025 ? (ineligible ? 'ineligible' : 'eligible') : status2026;
    return {
      demo,
      competition: in2025 ? c2025 : c2026,
      author: resident._id,
      place,
      status,
      reason: ineligible ? demo.ineligibleReason : undefined,
      decidedBy: in2025 ? committeeId : undefined,
      submittedAt: in2025 ? new Date('2025-04-01T10:00:00+08:00') : openedPlus((index * 37) % 38),
      // About half of the public proposals show one to three photos.
      photos: status !== 'draft' && status !== 'withdrawn' && index % 2 === 0 ? 1 + (index % 3) : 0,
    };
  });
  for (const [index, demo] of ASSISTED_PROPOSALS.entries()) {
    const { resident, place, worker } = offline[demo.resident]!;
    const submittedAt = openedPlus(9 + index * 11);
    specs.push({
      demo,
      competition: c2026,
      author: resident._id,
      place,
      status: 'submitted',
      submittedAt,
      assisted: {
        worker,
        consent: { method: demo.consent.method, at: new Date(submittedAt.getTime() - demo.consent.daysBeforeSubmission * DAY), witness: demo.consent.witness },
        formPhoto: demo.consent.formPhoto,
      },
      photos: index === 0 ? 2 : 0,
    });
  }
  const demoResident = residents[DEMO_RESIDENT_INDEX]!;
  specs.push({
    demo: CHANGES_REQUESTED_PROPOSAL,
    competition: c2026,
    author: demoResident.resident._id,
    place: demoResident.place,
    status: 'changesRequested',
    reason: CHANGES_REQUESTED_PROPOSAL.reason,
    // Revisions are due at the end of the (Shanghai) day five days from now.
    changesDueAt: endOfShanghaiDay(shanghaiDay(now + 5 * DAY)),
    decidedBy: committeeId,
    submittedAt: openedPlus(12),
    photos: 1,
  });

  for (const spec of specs) {
    if (spec.place.code !== spec.demo.community) throw new Error(`seed: ${spec.demo.title} is about ${spec.demo.community} but its author lives in ${spec.place.code}`);
    if (spec.status === 'ineligible' && !spec.reason) throw new Error(`seed: ${spec.demo.title} is ineligible without a reason`);
    const total = budgetTotalFen(budgetOf(spec.demo));
    const limits = spec.competition.equals(c2025) ? input.c2025 : input.c2026;
    if (total < limits.minRequestFen || total > limits.maxRequestFen) throw new Error(`seed: ${spec.demo.title} asks for ${total} fen, outside its competition's limits`);
  }

  // Images are re-encoded by the upload service (the slow part), two at a time.
  const photos = await inPool(specs, 2, async (spec, index) => {
    const stored = [];
    for (let n = 0; n < spec.photos; n++) {
      const png = await demoPhoto(spec.demo.category, spec.demo.title, index * 3 + n);
      stored.push({ ...(await store(png, `demo-${index + 1}-${n + 1}.png`, spec.author, 'public')), caption: `${spec.demo.title}（示意图）`, peopleConsent: false });
    }
    const consentForm = spec.assisted?.formPhoto ? await store(await consentFormPhoto(), 'consent-form.png', spec.assisted.worker.id, 'private') : null;
    return { stored, consentForm };
  });

  const inserted = [];
  for (const [index, spec] of specs.entries()) {
    const { demo, place } = spec;
    inserted.push(
      await insertProposal({
        competition: spec.competition,
        author: spec.author,
        status: spec.status,
        reason: spec.reason,
        changesDueAt: spec.changesDueAt,
        decidedBy: spec.decidedBy,
        title: demo.title,
        summary: demo.summary,
        category: demo.category,
        street: place.street,
        community: place.community,
        beneficiaries: demo.beneficiaries.map(([group, count]) => ({ group, count })),
        texts: demo.texts,
        budget: budgetOf(demo),
        organization: demo.org,
        submittedAt: spec.submittedAt,
        photos: photos[index]!.stored,
        assisted: spec.assisted && {
          worker: new mongoose.Types.ObjectId(spec.assisted.worker.id),
          consent: { ...spec.assisted.consent, formFileId: photos[index]!.consentForm?.fileId },
        },
      }),
    );
  }

  // Residents follow proposals they care about; counters match the follow documents.
  const publicOnes = await Proposal.find({ status: mongoose.trusted({ $in: PUBLIC_STATUSES }) }).select('_id').lean();
  for (const [i, proposal] of publicOnes.entries()) {
    const followers = residents.filter((_, r) => (r * 13 + i * 7) % 9 === 0).slice(0, (i * 5) % 12);
    if (!followers.length) continue;
    await Follow.insertMany(followers.map(({ resident }) => ({ proposal: proposal._id, user: resident._id })));
    await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: followers.length } });
  }

  // The proposal sent back for changes: its author and followers were told, as screening does.
  const sentBack = inserted.at(-1)!;
  const followers = await Follow.find({ proposal: sentBack._id }).select('user').lean();
  const event = {
    competitionSlug: '2026-laoshanxing',
    proposalNumber: sentBack.number,
    proposalId: String(sentBack._id),
    actorId: input.committee.id,
    data: { status: 'changesRequested' },
  };
  await notifyMany([
    { recipientIds: sentBack.authors.map(String), event: { ...event, type: 'screeningResult' } },
    { recipientIds: followers.map((f) => String(f.user)), event: { ...event, type: 'followedUpdate' } },
  ]);
}

async function store(png: Buffer, filename: string, uploader: Types.ObjectId | string, visibility: 'public' | 'private') {
  const result = await storeImage({ data: png, filename, uploaderId: String(uploader), kind: visibility === 'public' ? 'photo' : 'consentForm', visibility });
  if (!result.ok) throw new Error(`seed: a generated image was refused (${result.reason})`);
  return { fileId: result.fileId, thumbId: result.thumbId };
}

/** `work` over `items` with at most `size` running at once; results in the items' order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}
