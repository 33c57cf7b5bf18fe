import mongoose, { Types } from 'mongoose';
import { Community, Proposal, ProposalVersion, Street } from '#models';
import type { ProposalForm } from './proposal.schema';
import { checkBudget } from './budget';
import { currentPhase, type Phase } from '~/features/competitions/phases';
import { MAX_PHOTOS, screeningWindowOpen, VERSIONED_FIELDS, type ProposalStatus } from './proposals';
import { registryName } from '~/features/organizations/membership.server';
import { indexTerms, normalizeText } from './search';
import { isDuplicateKeyError } from '~/core/db.server';
import { fenToYuanInput } from '~/utils/format';
import type { CompetitionRules } from './competition-rules.server';

/**
 * Writing proposals: drafts, submitting, editing with every change kept as a version, withdrawing.
 * Every rule about who and when is checked here, not only in the pages.
 */

// --- Writing --------------------------------------------------------------------------------

export type WriteFailure =
  | 'phaseClosed'
  | 'notFound'
  | 'notEditable'
  | 'staleRevision'
  | 'categoryInvalid'
  | 'communityInvalid'
  | 'organizationInvalid'
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
  // An existing organization picked from the registry: its registry name, and the reference a
  // judge's automatic recusal reads (decision 025). A new group's name stays free text.
  let organization: { kind: 'existing' | 'new'; name: string; ref?: Types.ObjectId } = { kind: form.organizationKind, name: form.organizationName };
  if (form.organizationKind === 'existing' && form.organizationId) {
    const name = await registryName(form.organizationId);
    if (!name) return { reason: 'organizationInvalid', field: 'organizationId' };
    organization = { kind: 'existing', name, ref: new Types.ObjectId(form.organizationId) };
  }
  const budget = form.budget.map((line) => ({ item: line.item, quantity: line.quantity, unitPriceFen: line.unitPrice }));
  const budgetCheck = checkBudget(budget, rules);
  if (form.intent === 'submit' && !budgetCheck.ok) return { reason: budgetCheck.reason, field: 'budget' };
  const totalFen = budgetCheck.ok || budgetCheck.totalFen !== undefined ? (budgetCheck.totalFen ?? 0) : 0;
  const searchable = [form.title, form.summary, form.problem, form.plan, organization.name, placeNames].join(' ');
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
      organization,
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
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Types.ObjectId ? String(v) : v));
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
}): Promise<WriteResult & { removedPhotos?: string[]; submittedNow?: boolean }> {
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
  const status: ProposalStatus = submitting ? 'submitted' : current.status;
  if (changes.length === 0 && !submitting) return { ok: true, number: current.number, status, submittedNow: false };

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
  return { ok: true, number: current.number, status, removedPhotos, submittedNow: submitting };
}

export type WithdrawResult = { ok: true } | { ok: false; reason: 'notFound' | 'phaseClosed' | 'notEditable' };

/** Authors may withdraw until screening ends; a withdrawn proposal leaves every later phase. */
export async function withdrawProposal(input: { rules: CompetitionRules; number: number; userId: string; now?: Date }): Promise<WithdrawResult> {
  const now = input.now ?? new Date();
  if (!screeningWindowOpen(currentPhase(input.rules.phases, now))) return { ok: false, reason: 'phaseClosed' };
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

/**
 * An author's own proposal as a page about it needs it (the needs it cites, composed by its
 * route): null for anyone who is not one of its authors or its assisting worker.
 */
export async function getOwnProposal(rules: CompetitionRules, number: number, userId: string) {
  const doc = await Proposal.findOne({ competition: rules.id, number, ...editableBy(new Types.ObjectId(userId)) })
    .select('number title status street screening')
    .lean();
  if (!doc) return null;
  return {
    id: String(doc._id),
    number: doc.number,
    title: doc.title,
    status: doc.status,
    streetId: doc.street ? String(doc.street) : null,
    editable: editWindowOpen(doc, rules.phase, new Date()),
  };
}
export type OwnProposal = NonNullable<Awaited<ReturnType<typeof getOwnProposal>>>;

/** The form's starting values for an author's edit. */
export async function getProposalForEdit(rules: CompetitionRules, number: number, authorId: string) {
  const doc = await Proposal.findOne({ competition: rules.id, number, ...editableBy(new Types.ObjectId(authorId)) }).lean();
  if (!doc) return null;
  return {
    number: doc.number,
    status: doc.status,
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
      budget: doc.budget.map((line) => ({ item: line.item, quantity: String(line.quantity), unitPrice: fenToYuanInput(line.unitPriceFen) })),
      organizationKind: doc.organization?.kind ?? 'new',
      organizationName: doc.organization?.name ?? '',
      organizationId: doc.organization?.ref ? String(doc.organization.ref) : '',
    },
  };
}
