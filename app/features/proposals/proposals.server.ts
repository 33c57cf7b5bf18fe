import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, Competition, Follow, Proposal, ProposalVersion, Street, User } from '#models';
import type { ProposalForm, ProposalListQuery } from './proposal.schema';
import { checkBudget } from './budget';
import { currentPhase, type Phase, type PhaseWindow } from '~/features/competitions/phases';
import { invitationSummaries, MAX_PHOTOS, PUBLIC_STATUSES, VERSIONED_FIELDS, type ProposalStatus } from './proposals';
import { escapeRegex } from '~/utils/regex';
import { indexTerms, normalizeText, queryTerms } from './search';
import { loadCompetition } from '~/features/competitions/competitions.server';
import { isDuplicateKeyError } from '~/core/rate-limit.server';

/**
 * Proposals: drafting, submitting, editing with history, withdrawing, browsing, following.
 * Every rule about who and when is checked here, not only in the pages.
 */

// --- Competitions as rules see them ---------------------------------------------------------

export interface CompetitionRules {
  id: string;
  slug: string;
  phase: Phase | null;
  phases: PhaseWindow[];
  minRequestFen: number;
  maxRequestFen: number;
  categories: string[];
  eligibleStreets: string[];
}

export async function getCompetitionRules(slug: string, now = new Date()): Promise<CompetitionRules | null> {
  const loaded = await loadCompetition(slug, 'minRequestFen maxRequestFen categories eligibleStreets', now);
  if (!loaded) return null;
  const { doc, base } = loaded;
  return {
    ...base,
    minRequestFen: doc.minRequestFen,
    maxRequestFen: doc.maxRequestFen,
    categories: doc.categories.map((c) => c.code),
    eligibleStreets: doc.eligibleStreets.map(String),
  };
}

export function phaseEnd(rules: CompetitionRules, phase: Phase): Date | null {
  return rules.phases.find((p) => p.key === phase)?.endsAt ?? null;
}

// --- Writing --------------------------------------------------------------------------------

export type WriteFailure =
  | 'phaseClosed'
  | 'notFound'
  | 'notEditable'
  | 'staleRevision'
  | 'categoryInvalid'
  | 'communityInvalid'
  | 'budgetEmpty'
  | 'budgetBelowMinimum'
  | 'budgetAboveMaximum'
  | 'budgetOverflow'
  | 'tooManyPhotos';
export type WriteResult = { ok: true; number: number; status: ProposalStatus } | { ok: false; reason: WriteFailure; field?: string };

interface Prepared {
  fields: Record<string, unknown>;
}

async function prepareFields(rules: CompetitionRules, form: ProposalForm): Promise<Prepared | { reason: WriteFailure; field: string }> {
  if (form.category && !rules.categories.includes(form.category)) return { reason: 'categoryInvalid', field: 'category' };
  let street: Types.ObjectId | undefined;
  let community: Types.ObjectId | undefined;
  let placeNames = '';
  if (form.communityId) {
    const doc = await Community.findById(form.communityId).select('street name').lean();
    if (!doc) return { reason: 'communityInvalid', field: 'communityId' };
    if (rules.eligibleStreets.length && !rules.eligibleStreets.includes(String(doc.street))) {
      return { reason: 'communityInvalid', field: 'communityId' };
    }
    const streetDoc = await Street.findById(doc.street).select('name').lean();
    street = doc.street;
    community = doc._id;
    placeNames = `${doc.name.zh} ${streetDoc?.name.zh ?? ''}`;
  }
  const budget = form.budget.map((line) => ({ item: line.item, quantity: line.quantity, unitPriceFen: line.unitPrice }));
  const budgetCheck = checkBudget(budget, rules);
  if (form.intent === 'submit' && !budgetCheck.ok) return { reason: budgetCheck.reason, field: 'budget' };
  const totalFen = budgetCheck.ok || budgetCheck.totalFen !== undefined ? (budgetCheck.totalFen ?? 0) : 0;
  const searchable = [form.title, form.summary, form.problem, form.plan, form.organizationName, placeNames].join(' ');
  return {
    fields: {
      title: form.title,
      summary: form.summary,
      category: form.category,
      street,
      community,
      beneficiaries: form.beneficiaries,
      problem: form.problem,
      plan: form.plan,
      schedule: form.schedule,
      outcomes: form.outcomes,
      sustainability: form.sustainability,
      budget,
      totalFen,
      organization: { kind: form.organizationKind, name: form.organizationName },
      searchTerms: indexTerms(searchable),
      searchText: normalizeText(searchable),
    },
  };
}

/** A new proposal, as a draft or submitted at once. Only during the submission phase. */
export interface ProposalPhoto {
  fileId: string;
  thumbId: string;
  peopleConsent: boolean;
}

export interface AssistedSubmission {
  workerId: string;
  consent: { method: 'signedForm' | 'verbalWitnessed'; at: Date; witness?: string; formFileId?: string };
}

export async function createProposal(input: {
  rules: CompetitionRules;
  authorId: string;
  form: ProposalForm;
  photos?: ProposalPhoto[];
  /** Set when a grid worker submits for the resident who is the author. */
  assisted?: AssistedSubmission;
  now?: Date;
}): Promise<WriteResult> {
  const now = input.now ?? new Date();
  const phase = currentPhase(input.rules.phases, now);
  if (phase !== 'submission') return { ok: false, reason: 'phaseClosed' };
  const prepared = await prepareFields(input.rules, input.form);
  if ('reason' in prepared) return { ok: false, reason: prepared.reason, field: prepared.field };
  if ((input.photos?.length ?? 0) > MAX_PHOTOS) return { ok: false, reason: 'tooManyPhotos', field: 'photos' };
  const status: ProposalStatus = input.form.intent === 'submit' ? 'submitted' : 'draft';
  const author = new Types.ObjectId(input.authorId);
  const actor = input.assisted ? new Types.ObjectId(input.assisted.workerId) : author;
  const history = [{ status: 'draft', at: now, by: actor }, ...(status === 'submitted' ? [{ status, at: now, by: actor }] : [])];
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await Proposal.findOne({ competition: input.rules.id }).sort({ number: -1 }).select('number').lean();
    const number = (last?.number ?? 0) + 1;
    try {
      await Proposal.create({
        competition: input.rules.id,
        number,
        status,
        statusHistory: history,
        authors: [author],
        submittedAt: status === 'submitted' ? now : undefined,
        ...prepared.fields,
        photos: input.photos ?? [],
        assisted: input.assisted ? { worker: input.assisted.workerId, consent: input.assisted.consent } : undefined,
      });
      return { ok: true, number, status };
    } catch (error) {
      // Someone took this number at the same moment: take the next one.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('could not allocate a proposal number');
}

/** Who may change a proposal: its authors, and the grid worker who submitted it for them. */
function editableBy(user: Types.ObjectId) {
  return { $or: [{ authors: user }, { 'assisted.worker': user }] };
}

function comparable(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v instanceof Types.ObjectId ? String(v) : v));
}

/** Whether an author may still change a proposal in this status and phase. */
export function editWindowOpen(
  proposal: { status: string; screening?: { changesDueAt?: Date | null } | null },
  phase: Phase | null,
  now: Date,
): boolean {
  if (proposal.status === 'changesRequested') {
    const due = proposal.screening?.changesDueAt;
    return Boolean(due && now < due);
  }
  return (proposal.status === 'draft' || proposal.status === 'submitted') && phase === 'submission';
}

/**
 * Saves an author's edit: only authors (the query carries the ownership), only while the edit
 * window is open, only from the revision they started with; every change is kept as a version.
 */
export async function updateProposal(input: {
  rules: CompetitionRules;
  number: number;
  editorId: string;
  form: ProposalForm;
  addPhotos?: ProposalPhoto[];
  removePhotoIds?: string[];
  now?: Date;
}): Promise<WriteResult & { removedPhotos?: string[] }> {
  const now = input.now ?? new Date();
  const editor = new Types.ObjectId(input.editorId);
  const current = await Proposal.findOne({ competition: input.rules.id, number: input.number, ...editableBy(editor) }).lean();
  if (!current) return { ok: false, reason: 'notFound' };
  if (!editWindowOpen(current, currentPhase(input.rules.phases, now), now)) {
    return { ok: false, reason: current.status === 'draft' || current.status === 'submitted' ? 'phaseClosed' : 'notEditable' };
  }
  if (input.form.revision !== undefined && input.form.revision !== current.revision) return { ok: false, reason: 'staleRevision' };
  const prepared = await prepareFields(input.rules, input.form);
  if ('reason' in prepared) return { ok: false, reason: prepared.reason, field: prepared.field };
  const removing = new Set(input.removePhotoIds ?? []);
  const kept = current.photos.filter((photo) => !removing.has(photo.fileId));
  const photos = [...kept, ...(input.addPhotos ?? [])];
  if (photos.length > MAX_PHOTOS) return { ok: false, reason: 'tooManyPhotos', field: 'photos' };
  prepared.fields.photos = photos;
  const removedPhotos = current.photos.filter((photo) => removing.has(photo.fileId)).map((photo) => photo.fileId);

  const changes = VERSIONED_FIELDS.flatMap((field) => {
    const before = (current as Record<string, unknown>)[field];
    const after = prepared.fields[field];
    return comparable(before) === comparable(after) ? [] : [{ field, before, after }];
  });
  const submitting = input.form.intent === 'submit' && current.status !== 'submitted';
  const status: ProposalStatus = submitting ? 'submitted' : (current.status as ProposalStatus);
  if (changes.length === 0 && !submitting) return { ok: true, number: current.number, status };

  const update: Record<string, unknown> = { $set: { ...prepared.fields, status }, $inc: { revision: 1 } };
  if (submitting) {
    (update.$set as Record<string, unknown>).submittedAt = current.submittedAt ?? now;
    update.$push = { statusHistory: { status, at: now, by: editor } };
  }
  const saved = await Proposal.updateOne({ _id: current._id, revision: current.revision, ...editableBy(editor) }, update);
  if (saved.matchedCount === 0) return { ok: false, reason: 'staleRevision' };
  if (changes.length) {
    await ProposalVersion.create({ proposal: current._id, revision: current.revision + 1, editor, changes });
  }
  return { ok: true, number: current.number, status, removedPhotos };
}

export type WithdrawResult = { ok: true } | { ok: false; reason: 'notFound' | 'phaseClosed' | 'notEditable' };

/** Authors may withdraw until screening ends; a withdrawn proposal leaves every later phase. */
export async function withdrawProposal(input: { rules: CompetitionRules; number: number; userId: string; now?: Date }): Promise<WithdrawResult> {
  const now = input.now ?? new Date();
  const phase = currentPhase(input.rules.phases, now);
  if (phase !== 'submission' && phase !== 'screening') return { ok: false, reason: 'phaseClosed' };
  const user = new Types.ObjectId(input.userId);
  const result = await Proposal.updateOne(
    {
      competition: input.rules.id,
      number: input.number,
      ...editableBy(user),
      status: mongoose.trusted({ $in: ['draft', 'submitted', 'changesRequested'] }),
    },
    { $set: { status: 'withdrawn' }, $push: { statusHistory: { status: 'withdrawn', at: now, by: user } }, $inc: { revision: 1 } },
  );
  if (result.matchedCount === 1) return { ok: true };
  const exists = await Proposal.exists({ competition: input.rules.id, number: input.number, ...editableBy(user) });
  return { ok: false, reason: exists ? 'notEditable' : 'notFound' };
}

// --- Reading --------------------------------------------------------------------------------

const PAGE_SIZE = 12;

function randomRank(seed: string, id: string): string {
  return createHash('sha1').update(`${seed}:${id}`).digest('hex');
}

async function placeCodes(query: ProposalListQuery) {
  const street = query.street ? await Street.findOne({ code: query.street }).select('_id').lean() : null;
  const community = query.community ? await Community.findOne({ code: query.community }).select('_id').lean() : null;
  return { street, community };
}

export interface ProposalCard {
  number: number;
  title: string;
  summary: string;
  category: string;
  status: ProposalStatus;
  totalFen: number;
  followerCount: number;
  commentCount: number;
  communityId: string | null;
  streetId: string | null;
  /** The first photo (its full-size id; /uploads/<id>?size=thumb is its thumbnail). */
  photoId: string | null;
  submittedAt: string | null;
}

/**
 * The public list with filters, Chinese-capable search, sorts and counts per filter value.
 * `random` orders by a hash of the visitor's seed and the id: stable for one visitor across
 * pages, different between visitors, so list position does not favour anyone.
 */
export async function listProposals(rules: CompetitionRules, query: ProposalListQuery, seed: string) {
  const { street, community } = await placeCodes(query);
  const base: Record<string, unknown> = {
    competition: new Types.ObjectId(rules.id),
    status: mongoose.trusted({ $in: query.status ? [query.status] : PUBLIC_STATUSES.filter((s) => s !== 'merged') }),
  };
  if (query.q) {
    const { exact, prefixes } = queryTerms(query.q);
    const conditions: Record<string, unknown>[] = [];
    if (exact.length) conditions.push({ searchTerms: mongoose.trusted({ $all: exact }) });
    // Bigrams can coincide ("社区" + "区服" ≠ "社区服"): the normalised text must contain each run.
    for (const run of normalizeText(query.q).split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
      conditions.push({ searchText: mongoose.trusted({ $regex: escapeRegex(run) }) });
    }
    if (!exact.length && !prefixes.length) conditions.push({ _id: null });
    base.$and = conditions;
  }
  const dimensions: Record<'category' | 'street' | 'community', unknown> = {
    category: query.category || undefined,
    street: query.street ? (street?._id ?? null) : undefined,
    community: query.community ? (community?._id ?? null) : undefined,
  };
  const filterWithout = (skip?: keyof typeof dimensions) => {
    const filter: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(dimensions)) if (key !== skip && value !== undefined) filter[key] = value;
    return filter;
  };
  const filter = filterWithout();
  const countBy = async (field: 'category' | 'street' | 'community' | 'status', skip?: keyof typeof dimensions) => {
    const match = field === 'status' ? { ...filterWithout(), status: mongoose.trusted({ $in: PUBLIC_STATUSES }) } : filterWithout(skip);
    const rows = await Proposal.aggregate<{ _id: unknown; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]);
    return Object.fromEntries(rows.map((row) => [String(row._id), row.n]));
  };

  const select = 'number title summary category status totalFen followerCount commentCount community street photos submittedAt';
  let docs;
  let total: number;
  if (query.sort === 'random') {
    const ids = await Proposal.find(filter).select('_id').lean();
    total = ids.length;
    const pageIds = ids
      .map((doc) => ({ id: doc._id, rank: randomRank(seed, String(doc._id)) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE)
      .map((entry) => entry.id);
    const byId = new Map((await Proposal.find({ _id: mongoose.trusted({ $in: pageIds }) }).select(select).lean()).map((d) => [String(d._id), d]));
    docs = pageIds.map((id) => byId.get(String(id))).filter((d) => d !== undefined);
  } else {
    const sort: Record<string, 1 | -1> = query.sort === 'newest' ? { submittedAt: -1, number: -1 } : { followerCount: -1, number: 1 };
    [docs, total] = await Promise.all([
      Proposal.find(filter).select(select).sort(sort).skip((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE).lean(),
      Proposal.countDocuments(filter),
    ]);
  }
  const [byCategory, byStreet, byCommunity, byStatus] = await Promise.all([
    countBy('category', 'category'),
    countBy('street', 'street'),
    countBy('community', 'community'),
    countBy('status'),
  ]);

  const cards: ProposalCard[] = docs.map((doc) => ({
    number: doc.number,
    title: doc.title,
    summary: doc.summary,
    category: doc.category,
    status: doc.status as ProposalStatus,
    totalFen: doc.totalFen,
    followerCount: doc.followerCount,
    commentCount: doc.commentCount,
    communityId: doc.community ? String(doc.community) : null,
    streetId: doc.street ? String(doc.street) : null,
    photoId: doc.photos[0]?.fileId ?? null,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
  }));
  return { cards, total, pageSize: PAGE_SIZE, counts: { category: byCategory, street: byStreet, community: byCommunity, status: byStatus } };
}

/** A proposal as its page shows it: public ones to everyone, drafts and withdrawn ones to their authors. */
export async function getProposalView(rules: CompetitionRules, number: number, viewerId: string | null) {
  const doc = await Proposal.findOne({ competition: rules.id, number }).select('-searchTerms -searchText').lean();
  if (!doc) return null;
  const isProposer = viewerId !== null && doc.authors.some((a) => String(a) === viewerId);
  const isAuthor = isProposer || (viewerId !== null && String(doc.assisted?.worker ?? '') === viewerId);
  if (!PUBLIC_STATUSES.includes(doc.status as ProposalStatus) && !isAuthor) return null;
  const [authors, community, street, following, mergedInto] = await Promise.all([
    User.find({ _id: mongoose.trusted({ $in: [...doc.authors, ...(doc.assisted?.worker ? [doc.assisted.worker] : [])] }) }).select('name').lean(),
    doc.community ? Community.findById(doc.community).select('name code').lean() : null,
    doc.street ? Street.findById(doc.street).select('name code').lean() : null,
    viewerId ? Follow.exists({ proposal: doc._id, user: viewerId }) : null,
    doc.mergedInto ? Proposal.findById(doc.mergedInto).select('number title').lean() : null,
  ]);
  const names = new Map(authors.map((a) => [String(a._id), a.name]));
  return {
    id: String(doc._id),
    number: doc.number,
    status: doc.status as ProposalStatus,
    title: doc.title,
    summary: doc.summary,
    category: doc.category,
    community: community ? { code: community.code, name: community.name } : null,
    street: street ? { code: street.code, name: street.name } : null,
    beneficiaries: doc.beneficiaries.map((b) => ({ group: b.group, count: b.count })),
    problem: doc.problem,
    plan: doc.plan,
    schedule: doc.schedule,
    outcomes: doc.outcomes,
    sustainability: doc.sustainability,
    budget: doc.budget.map((line) => ({ item: line.item, quantity: line.quantity, unitPriceFen: line.unitPriceFen })),
    totalFen: doc.totalFen,
    organization: { kind: doc.organization?.kind ?? 'new', name: doc.organization?.name ?? '' },
    authors: doc.authors.map((id) => names.get(String(id)) ?? ''),
    assistedBy: doc.assisted?.worker ? (names.get(String(doc.assisted.worker)) ?? null) : null,
    photos: doc.photos.map((p) => ({ fileId: p.fileId, caption: p.caption ?? '' })),
    statusHistory: doc.statusHistory.map((h) => ({ status: h.status as ProposalStatus, at: h.at.toISOString(), reason: h.reason ?? null })),
    screeningReason: doc.screening?.reason ?? null,
    changesDueAt: doc.screening?.changesDueAt ? doc.screening.changesDueAt.toISOString() : null,
    mergedInto: mergedInto ? { number: mergedInto.number, title: mergedInto.title } : null,
    followerCount: doc.followerCount,
    submittedAt: doc.submittedAt ? doc.submittedAt.toISOString() : null,
    updatedAt: doc.updatedAt.toISOString(),
    revision: doc.revision,
    isAuthor,
    following: Boolean(following),
    canEdit: isAuthor && editWindowOpen(doc, rules.phase, new Date()),
    // Co-authors are invited by the proposers themselves (not by a worker helping them).
    canInvite: isProposer && editWindowOpen(doc, rules.phase, new Date()),
    // Only the authors see whom they invited (masked).
    invitations: isAuthor ? invitationSummaries(doc.invitations ?? []) : [],
  };
}

/** The form's starting values for an author's edit. */
export async function getProposalForEdit(rules: CompetitionRules, number: number, authorId: string) {
  const doc = await Proposal.findOne({ competition: rules.id, number, ...editableBy(new Types.ObjectId(authorId)) }).lean();
  if (!doc) return null;
  return {
    number: doc.number,
    status: doc.status as ProposalStatus,
    revision: doc.revision,
    editable: editWindowOpen(doc, rules.phase, new Date()),
    photos: doc.photos.map((p) => ({ fileId: p.fileId })),
    values: {
      title: doc.title,
      summary: doc.summary,
      category: doc.category,
      communityId: doc.community ? String(doc.community) : '',
      beneficiaries: doc.beneficiaries.map((b) => ({ group: b.group, count: String(b.count) })),
      problem: doc.problem,
      plan: doc.plan,
      schedule: doc.schedule,
      outcomes: doc.outcomes,
      sustainability: doc.sustainability,
      budget: doc.budget.map((line) => ({ item: line.item, quantity: String(line.quantity), unitPrice: (line.unitPriceFen / 100).toFixed(2) })),
      organizationKind: doc.organization?.kind ?? 'new',
      organizationName: doc.organization?.name ?? '',
    },
  };
}

export async function listVersions(rules: CompetitionRules, number: number) {
  const proposal = await Proposal.findOne({ competition: rules.id, number }).select('_id status').lean();
  if (!proposal || !PUBLIC_STATUSES.includes(proposal.status as ProposalStatus)) return null;
  const versions = await ProposalVersion.find({ proposal: proposal._id }).sort({ revision: -1 }).lean();
  const editors = await User.find({ _id: mongoose.trusted({ $in: versions.map((v) => v.editor) }) }).select('name').lean();
  const names = new Map(editors.map((e) => [String(e._id), e.name]));
  return versions.map((v) => ({
    revision: v.revision,
    editor: names.get(String(v.editor)) ?? '',
    at: v.createdAt.toISOString(),
    fields: v.changes.map((c) => c.field),
  }));
}

export async function listMyProposals(userId: string) {
  const docs = await Proposal.find({ authors: new Types.ObjectId(userId) })
    .select('competition number title status totalFen updatedAt')
    .sort({ updatedAt: -1 })
    .lean();
  const competitions = await Competition.find({ _id: mongoose.trusted({ $in: [...new Set(docs.map((d) => String(d.competition)))] }) })
    .select('slug title')
    .lean();
  const bySlug = new Map(competitions.map((c) => [String(c._id), c]));
  return docs.map((d) => ({
    competitionSlug: bySlug.get(String(d.competition))?.slug ?? '',
    competitionTitle: bySlug.get(String(d.competition))?.title ?? { zh: '' },
    number: d.number,
    title: d.title,
    status: d.status as ProposalStatus,
    totalFen: d.totalFen,
    updatedAt: d.updatedAt.toISOString(),
  }));
}

// --- Following ------------------------------------------------------------------------------

/** Follows a public proposal; following twice changes nothing (unique index). */
export async function followProposal(rules: CompetitionRules, number: number, userId: string): Promise<boolean> {
  const proposal = await Proposal.findOne({ competition: rules.id, number, status: mongoose.trusted({ $in: PUBLIC_STATUSES }) }).select('_id').lean();
  if (!proposal) return false;
  try {
    await Follow.create({ proposal: proposal._id, user: userId });
    await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: 1 } });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return true;
}

export async function unfollowProposal(rules: CompetitionRules, number: number, userId: string): Promise<boolean> {
  const proposal = await Proposal.findOne({ competition: rules.id, number }).select('_id').lean();
  if (!proposal) return false;
  const removed = await Follow.deleteOne({ proposal: proposal._id, user: userId });
  if (removed.deletedCount === 1) await Proposal.updateOne({ _id: proposal._id }, { $inc: { followerCount: -1 } });
  return true;
}

/**
 * The proposals that go on to voting and judging: eligible ones only. Ineligible, withdrawn,
 * merged, unscreened and draft proposals take no part in later phases.
 */
export async function listEligibleProposals(competitionId: string) {
  return Proposal.find({ competition: competitionId, status: 'eligible' })
    .select('number title category street community totalFen authors')
    .sort({ number: 1 })
    .lean();
}
