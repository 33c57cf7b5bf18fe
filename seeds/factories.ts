import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { Community, Competition, JudgingSheet, Proposal, Residency, Street, User } from '#models';
import { hashPassword } from '~/core/password.server';
import type { Role, ScopeType } from '~/core/roles';
import { PHASES, type Phase } from '~/features/competitions/phases';
import { budgetTotalFen } from '~/features/proposals/budget';
import { indexTerms, normalizeText } from '~/features/proposals/search';
import { CATEGORIES, DEMO_PASSWORD } from './data';

/**
 * Builders for demo data and tests. Each gives sensible defaults and takes overrides, so a test
 * states only what matters to it.
 */
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

// Hashing is deliberately slow; demo and test accounts sharing a password share one hash.
const hashes = new Map<string, Promise<string>>();
export function cachedHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export async function createStreet(overrides: { code?: string; zh?: string; en?: string; order?: number } = {}) {
  const code = overrides.code ?? `street-${unique()}`;
  return Street.create({
    code,
    name: { zh: overrides.zh ?? `${code}街道`, en: overrides.en ?? `${code} Street` },
    order: overrides.order ?? 0,
  });
}

export async function createCommunity(overrides: { street?: Types.ObjectId; code?: string; zh?: string; en?: string } = {}) {
  const street = overrides.street ?? (await createStreet())._id;
  const code = overrides.code ?? `community-${unique()}`;
  return Community.create({
    street,
    code,
    name: { zh: overrides.zh ?? `${code}社区`, en: overrides.en ?? code },
  });
}

export interface GrantSpec {
  role: Role;
  scopeType: ScopeType;
  scopeId?: Types.ObjectId | string | null;
}

export function grant(role: Role, scopeType: ScopeType = 'platform', scopeId: Types.ObjectId | string | null = null): GrantSpec {
  return { role, scopeType, scopeId };
}

/** A random, valid-looking mainland mobile number (199xxxxxxxx is not handed out to people). */
export function fakePhone(): string {
  return `199${String(randomInt(0, 1e8)).padStart(8, '0')}`;
}

export async function createUser(
  overrides: {
    name?: string;
    phone?: string | null;
    email?: string | null;
    password?: string;
    roles?: GrantSpec[];
    street?: Types.ObjectId | null;
    community?: Types.ObjectId | null;
    language?: 'zh' | 'en';
    /** Whether the phone number and e-mail count as proven by a code (default: yes). */
    proven?: boolean;
  } = {},
) {
  const email = overrides.email === undefined && overrides.phone === undefined ? `user-${unique()}@example.test` : overrides.email;
  const provenAt = overrides.proven === false ? undefined : new Date();
  return User.create({
    name: overrides.name ?? `测试居民${unique()}`,
    phone: overrides.phone ?? undefined,
    email: email ?? undefined,
    phoneProvenAt: overrides.phone ? provenAt : undefined,
    emailProvenAt: email ? provenAt : undefined,
    passwordHash: await cachedHash(overrides.password ?? DEMO_PASSWORD),
    passwordChangedAt: new Date(),
    street: overrides.street ?? undefined,
    community: overrides.community ?? undefined,
    language: overrides.language ?? 'zh',
    roles: (overrides.roles ?? [grant('resident')]).map((g) => ({
      role: g.role,
      scopeType: g.scopeType,
      scopeId: g.scopeId ? new Types.ObjectId(String(g.scopeId)) : undefined,
    })),
  });
}

const DAY = 24 * 60 * 60 * 1000;

/** Consecutive phase windows starting at `start`, each `days[i]` long. */
export function phaseWindows(start: Date, days: Partial<Record<Phase, number>> = {}) {
  const lengths: Record<Phase, number> = {
    submission: 45, screening: 14, voting: 21, judging: 21, results: 14, implementation: 240, closed: 30,
    ...days,
  };
  let at = start.getTime();
  return PHASES.map((key) => {
    const startsAt = new Date(at);
    at += lengths[key] * DAY;
    return { key, startsAt, endsAt: new Date(at) };
  });
}

export async function createCompetition(
  overrides: {
    slug?: string;
    year?: number;
    zh?: string;
    en?: string;
    summaryZh?: string;
    summaryEn?: string;
    budgetFen?: number;
    phases?: { key: Phase; startsAt: Date; endsAt: Date }[];
    eligibleStreets?: Types.ObjectId[];
  } = {},
) {
  const year = overrides.year ?? new Date().getUTCFullYear();
  return Competition.create({
    slug: overrides.slug ?? `${year}-test-${unique()}`,
    year,
    title: { zh: overrides.zh ?? `${year}年崂善行居民提案大赛`, en: overrides.en ?? `Laoshanxing ${year}` },
    summary: { zh: overrides.summaryZh ?? '测试大赛', en: overrides.summaryEn ?? 'A test competition' },
    budgetFen: overrides.budgetFen ?? 2_000_000_00,
    minRequestFen: 5_000_00,
    maxRequestFen: 100_000_00,
    phases: overrides.phases ?? phaseWindows(new Date(Date.now() - 10 * DAY)),
    categories: CATEGORIES.map((c) => ({ code: c.code, name: { zh: c.zh, en: c.en } })),
    eligibleStreets: overrides.eligibleStreets ?? [],
  });
}

/**
 * A proposal written straight to the database, whatever the phase (for demo data and test
 * set-ups; the app's own path is app/features/proposals/proposals.server.ts).
 */
export async function insertProposal(overrides: {
  competition: Types.ObjectId;
  author: Types.ObjectId;
  number?: number;
  status?: 'draft' | 'submitted' | 'changesRequested' | 'eligible' | 'ineligible' | 'withdrawn';
  title?: string;
  summary?: string;
  category?: string;
  street?: Types.ObjectId;
  community?: Types.ObjectId;
  beneficiaries?: { group: string; count: number }[];
  texts?: Partial<Record<'problem' | 'plan' | 'schedule' | 'outcomes' | 'sustainability', string>>;
  budget?: { item: string; quantity: number; unitPriceFen: number }[];
  organization?: string;
  submittedAt?: Date;
  reason?: string;
  /** With status changesRequested: until when the authors may revise. */
  changesDueAt?: Date;
  /** Who made the screening decision recorded in the history (default: the author). */
  decidedBy?: Types.ObjectId;
  followerCount?: number;
  photos?: { fileId: string; thumbId: string; caption?: string; peopleConsent: boolean }[];
  /** Submitted by a grid worker for the author, with the author's recorded consent. */
  assisted?: {
    worker: Types.ObjectId;
    consent: { method: 'signedForm' | 'verbalWitnessed'; at: Date; witness?: string; formFileId?: string };
  };
}) {
  const number =
    overrides.number ??
    ((await Proposal.findOne({ competition: overrides.competition }).sort({ number: -1 }).select('number').lean())?.number ?? 0) + 1;
  const title = overrides.title ?? `测试提案${number}`;
  const summary = overrides.summary ?? '为困难群众提供服务的测试提案。';
  const budget = overrides.budget ?? [{ item: '服务费', quantity: 10, unitPriceFen: 1_000_00 }];
  const status = overrides.status ?? 'submitted';
  const submittedAt = status === 'draft' ? undefined : (overrides.submittedAt ?? new Date());
  // As in the app: an assisted proposal is drafted and submitted by the worker.
  const submitter = overrides.assisted?.worker ?? overrides.author;
  const history = [{ status: 'draft', at: submittedAt ?? new Date(), by: submitter }];
  if (status !== 'draft') history.push({ status: 'submitted', at: submittedAt ?? new Date(), by: submitter });
  if (status !== 'draft' && status !== 'submitted') history.push({ status, at: new Date(), by: overrides.decidedBy ?? overrides.author });
  const texts = {
    problem: '社区里有不少困难群众需要帮助。',
    plan: '组织志愿者定期开展服务。',
    schedule: '全年',
    outcomes: '服务对象生活得到改善。',
    sustainability: '由社区社会组织继续运营。',
    ...overrides.texts,
  };
  const searchable = [title, summary, texts.problem, texts.plan, overrides.organization ?? ''].join(' ');
  return Proposal.create({
    competition: overrides.competition,
    number,
    status,
    statusHistory: history.map((h) => (h.status === status && overrides.reason ? { ...h, reason: overrides.reason } : h)),
    title,
    summary,
    category: overrides.category ?? CATEGORIES[0].code,
    street: overrides.street,
    community: overrides.community,
    beneficiaries: overrides.beneficiaries ?? [{ group: 'children', count: 10 }],
    ...texts,
    budget,
    totalFen: budgetTotalFen(budget),
    organization: { kind: 'new', name: overrides.organization ?? '测试互助队' },
    authors: [overrides.author],
    screening: overrides.reason || overrides.changesDueAt ? { reason: overrides.reason, changesDueAt: overrides.changesDueAt } : undefined,
    submittedAt,
    followerCount: overrides.followerCount ?? 0,
    photos: overrides.photos ?? [],
    assisted: overrides.assisted,
    searchTerms: indexTerms(searchable),
    searchText: normalizeText(searchable),
  });
}

/**
 * Verifies a resident straight in the database (for tests and demo data) and moves them to the
 * community: by default as a grid worker of its street would, an area verification of that
 * street valid from a day ago for eleven months; with `competition`, for that competition only.
 * One current verification per (resident, scope), as the app keeps it.
 */
export async function verifyResidentDirectly(
  userId: Types.ObjectId,
  communityId: Types.ObjectId,
  options: {
    by?: Types.ObjectId;
    method?: 'idCard' | 'householdRegister' | 'knownInPerson';
    competition?: Types.ObjectId;
    validFrom?: Date;
    validUntil?: Date;
    verifiedAt?: Date;
  } = {},
) {
  const community = await Community.findById(communityId).select('street').lean();
  if (!community) throw new Error(`no community ${String(communityId)}`);
  const method = options.method ?? 'knownInPerson';
  const verifiedAt = options.verifiedAt ?? options.validFrom ?? new Date(Date.now() - DAY);
  const scope = options.competition
    ? { scopeKey: `competition:${String(options.competition)}`, scope: 'competition', competition: options.competition }
    : {
        scopeKey: `street:${String(community.street)}`,
        scope: 'area',
        areaKind: 'street',
        areaId: community.street,
        validFrom: options.validFrom ?? verifiedAt,
        validUntil: options.validUntil ?? new Date(verifiedAt.getTime() + 330 * DAY),
      };
  await User.updateOne({ _id: userId }, { $set: { street: community.street, community: communityId } });
  await Residency.replaceOne(
    { resident: userId, scopeKey: scope.scopeKey },
    {
      resident: userId,
      ...scope,
      street: community.street,
      community: communityId,
      method,
      evidence: { document: method === 'knownInPerson' ? 'none' : method },
      verifiedBy: options.by,
      verifiedAt,
    },
    { upsert: true },
  );
}

/**
 * A judge's score sheet written straight to the database (for demo data and tests; the app's own
 * path is app/features/judging/judging.server.ts). `scores` maps criterion keys to 1–10.
 */
export async function insertJudgingSheet(overrides: {
  competition: Types.ObjectId;
  judge: Types.ObjectId;
  proposal: Types.ObjectId;
  status?: 'assigned' | 'draft' | 'submitted' | 'recused';
  scores?: Record<string, number>;
  comment?: string;
}) {
  const status = overrides.status ?? 'submitted';
  return JudgingSheet.create({
    competition: overrides.competition,
    judge: overrides.judge,
    proposal: overrides.proposal,
    status,
    scores: Object.entries(overrides.scores ?? {}).map(([criterion, score]) => ({ criterion, score })),
    comment: overrides.comment ?? '',
    submittedAt: status === 'submitted' ? new Date() : undefined,
    recusal: status === 'recused' ? { kind: 'sameCommunity', note: '测试回避', at: new Date() } : undefined,
  });
}
