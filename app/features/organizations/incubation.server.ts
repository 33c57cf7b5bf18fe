import mongoose, { Types } from 'mongoose';
import { MentorSession, Organization, User } from '#models';
import { audit } from '~/core/audit.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import type { UploadErrorReason } from '~/core/uploads';
import type { ChecklistItem } from './checklist-defaults';
import { checklistFor, checklistsFor, type Checklist } from './checklists.server';
import { CHECKLIST_STAGES, isChecklistStage, SESSIONS_PAGE_SIZE, type ChecklistStage, type IncubationStage } from './organizations';
import {
  checklistProgress,
  checklistYear,
  mayConfirmItems,
  mayMoveStage,
  mayOpenIncubation,
  mayRecordSession,
  nextStages,
  stageMoveRefusal,
  type Actor,
  type ChecklistProgress,
  type StageMoveRefusal,
} from './rules';

/**
 * Incubation of one organization (docs/decisions/025-incubation.md): its checklist confirmations
 * with evidence, its mentors' sessions, and stage moves. Everything here is private to the
 * organization's mentors and managers (rules.ts mayOpenIncubation): each service checks the
 * rule itself, whatever the route did. The confirmations live in the organization's document
 * (`checklist`, select: false) so that a stage move can be one update conditional on the stage
 * and the checklist revision it checked; every confirmation, withdrawal and list edit bumps it.
 */

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** What the guards need of an organization: who registered it (the manage rule) and its id. */
export interface IncubationSubject {
  id: string;
  name: string;
  createdBy: string | null;
  stage: IncubationStage;
}

type HistoryEntry = { stage: IncubationStage; at: Date; by?: Types.ObjectId | null; reason?: string | null; from?: IncubationStage | null; override?: boolean | null; missing?: string[] | null };

interface StateDoc {
  _id: Types.ObjectId;
  name: string;
  createdBy?: Types.ObjectId | null;
  stage: IncubationStage;
  stageHistory: HistoryEntry[];
  checklist: { key: string; by: Types.ObjectId; at: Date; note?: string | null; evidenceFileId?: string | null }[];
  checklistRevision?: number | null;
}

const STATE_FIELDS = 'name createdBy stage stageHistory +checklist checklistRevision';

async function readState(id: string): Promise<StateDoc | null> {
  if (!OBJECT_ID.test(id)) return null;
  const doc: StateDoc | null = await Organization.findById(id).select(STATE_FIELDS).lean();
  return doc;
}

const subjectOf = (doc: Pick<StateDoc, '_id' | 'name' | 'createdBy' | 'stage'>): IncubationSubject => ({
  id: String(doc._id),
  name: doc.name,
  createdBy: doc.createdBy ? String(doc.createdBy) : null,
  stage: doc.stage,
});

/** For the action's guard: the organization by id, with what the rules need, or null. */
export async function findIncubationSubject(id: string): Promise<IncubationSubject | null> {
  if (!OBJECT_ID.test(id)) return null;
  const doc = await Organization.findById(id).select('name createdBy stage').lean();
  return doc ? subjectOf(doc) : null;
}

export interface ChecklistView {
  stage: ChecklistStage;
  /** A stage the organization may move to now: its list is the one being worked on. */
  next: boolean;
  year: number | null;
  revision: number;
  items: (ChecklistItem & { confirmation: { by: string; byName: string; at: string; note: string; evidenceFileId: string | null } | null })[];
  progress: ChecklistProgress;
}

export interface SessionView {
  id: string;
  date: string;
  minutes: number;
  topics: string;
  notes: string;
  mentor: string;
}

export interface IncubationView {
  subject: IncubationSubject;
  revision: number;
  /** Every stage's list, the next stages' first. */
  checklists: ChecklistView[];
  /** Where the committee may move it now, each with its list's progress (null: no list needed). */
  moves: { to: IncubationStage; progress: ChecklistProgress | null }[];
  history: { stage: IncubationStage; from: IncubationStage | null; at: string; by: string; override: boolean; reason: string; missing: string[] }[];
  sessions: { list: SessionView[]; total: number; page: number; pages: number; totalMinutes: number };
  /** Items confirmed whose key no list of this year has any more (kept, shown apart). */
  retired: { key: string; at: string }[];
}

/**
 * Everything the incubation page shows, read in a constant number of round trips whatever the
 * number of sessions: the organization (with its confirmations), the year's lists, one page of
 * sessions, their count and total time, at once; then the names of the people they mention.
 * The rule is checked between the two, so a refused reader causes no name look-up and gets
 * nothing but the refusal.
 */
export async function loadIncubation(input: {
  actor: Actor;
  id: string;
  implementsIn: Promise<readonly string[]> | readonly string[];
  page: number;
  now?: Date;
}): Promise<{ ok: true; view: IncubationView } | { ok: false; reason: 'notFound' | 'forbidden' }> {
  if (!OBJECT_ID.test(input.id)) return { ok: false, reason: 'notFound' };
  const year = checklistYear(input.now ?? new Date());
  const organization = new Types.ObjectId(input.id);
  const [doc, lists, sessions, [sum], implementsIn] = await Promise.all([
    readState(input.id),
    checklistsFor(year),
    MentorSession.find({ organization })
      .select('mentor date minutes topics notes')
      .sort({ date: -1, _id: -1 })
      .skip((input.page - 1) * SESSIONS_PAGE_SIZE)
      .limit(SESSIONS_PAGE_SIZE)
      .lean(),
    // Their count and total time in one pass.
    MentorSession.aggregate<{ count: number; minutes: number }>([{ $match: { organization } }, { $group: { _id: null, count: { $sum: 1 }, minutes: { $sum: '$minutes' } } }]),
    input.implementsIn,
  ]);
  if (!doc) return { ok: false, reason: 'notFound' };
  const subject = subjectOf(doc);
  if (!mayOpenIncubation(input.actor, subject, implementsIn)) return { ok: false, reason: 'forbidden' };

  const people = new Set<string>();
  for (const c of doc.checklist) people.add(String(c.by));
  for (const h of doc.stageHistory) if (h.by) people.add(String(h.by));
  for (const s of sessions) people.add(String(s.mentor));
  const users = people.size ? await User.find({ _id: mongoose.trusted({ $in: [...people] }) }).select('name').lean() : [];
  const nameOf = new Map(users.map((u) => [String(u._id), u.name]));

  const confirmations = new Map(doc.checklist.map((c) => [c.key, c]));
  const next = nextStages(doc.stage, doc.stageHistory);
  const listView = (list: Checklist): ChecklistView => ({
    stage: list.stage,
    next: next.includes(list.stage),
    year: list.year,
    revision: list.revision,
    items: list.items.map((item) => {
      const c = confirmations.get(item.key);
      return {
        ...item,
        confirmation: c ? { by: String(c.by), byName: nameOf.get(String(c.by)) ?? '', at: c.at.toISOString(), note: c.note ?? '', evidenceFileId: c.evidenceFileId ?? null } : null,
      };
    }),
    progress: checklistProgress(list.items, confirmations.keys()),
  });
  const ordered = [...CHECKLIST_STAGES].sort((a, b) => Number(next.includes(b)) - Number(next.includes(a)));
  const listed = new Set(CHECKLIST_STAGES.flatMap((stage) => lists[stage].items.map((item) => item.key)));
  const total = sum?.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / SESSIONS_PAGE_SIZE));
  const view: IncubationView = {
    subject,
    revision: doc.checklistRevision ?? 0,
    checklists: ordered.map((stage) => listView(lists[stage])),
    moves: next.map((to) => ({ to, progress: isChecklistStage(to) ? checklistProgress(lists[to].items, confirmations.keys()) : null })),
    history: doc.stageHistory
      .map((h) => ({
        stage: h.stage,
        from: h.from ?? null,
        at: h.at.toISOString(),
        by: h.by ? (nameOf.get(String(h.by)) ?? '') : '',
        override: Boolean(h.override),
        reason: h.reason ?? '',
        missing: h.missing ?? [],
      }))
      .reverse(),
    sessions: {
      list: sessions.map((s) => ({ id: String(s._id), date: s.date.toISOString(), minutes: s.minutes, topics: s.topics, notes: s.notes ?? '', mentor: nameOf.get(String(s.mentor)) ?? '' })),
      total,
      page: input.page,
      pages,
      totalMinutes: sum?.minutes ?? 0,
    },
    retired: doc.checklist.filter((c) => !listed.has(c.key)).map((c) => ({ key: c.key, at: c.at.toISOString() })),
  };
  return { ok: true, view };
}

export type IncubationFailure =
  | 'forbidden'
  | 'notFound'
  | 'itemUnknown'
  | 'evidenceRequired'
  | 'alreadyConfirmed'
  | 'notConfirmed'
  | 'conflict'
  | 'dateInFuture'
  | StageMoveRefusal
  | UploadErrorReason;
export type IncubationResult = { ok: true } | { ok: false; reason: IncubationFailure };

/**
 * Confirms one item of a list in force this year, with a note and/or a document image (stored
 * private, kind `evidence`, re-encoded without its metadata). One update that applies only while
 * the item is not confirmed: of two parallel confirmations one is kept, and the other's image is
 * removed again.
 */
export async function confirmItem(input: {
  actor: Actor;
  subject: IncubationSubject;
  implementsIn: readonly string[];
  key: string;
  note: string;
  document: { data: Uint8Array; filename: string } | null;
  ip?: string;
  now?: Date;
}): Promise<IncubationResult> {
  if (!mayConfirmItems(input.actor, input.subject, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  const now = input.now ?? new Date();
  const lists = await checklistsFor(checklistYear(now));
  if (!CHECKLIST_STAGES.some((stage) => lists[stage].items.some((item) => item.key === input.key))) return { ok: false, reason: 'itemUnknown' };
  if (!input.note && !input.document) return { ok: false, reason: 'evidenceRequired' };
  let evidenceFileId: string | undefined;
  if (input.document) {
    const stored = await storeImage({ ...input.document, uploaderId: input.actor.id, kind: 'evidence', visibility: 'private' });
    if (!stored.ok) return { ok: false, reason: stored.reason };
    evidenceFileId = stored.fileId;
  }
  const result = await Organization.updateOne(
    { _id: input.subject.id, 'checklist.key': mongoose.trusted({ $ne: input.key }) },
    {
      $push: { checklist: { key: input.key, by: new Types.ObjectId(input.actor.id), at: now, note: input.note, ...(evidenceFileId ? { evidenceFileId } : {}) } },
      $inc: { checklistRevision: 1 },
    },
  );
  if (result.modifiedCount !== 1) {
    if (evidenceFileId) await deleteImage(evidenceFileId);
    return { ok: false, reason: (await Organization.exists({ _id: input.subject.id })) ? 'alreadyConfirmed' : 'notFound' };
  }
  await audit({
    actor: input.actor.id,
    action: 'organization.itemConfirmed',
    targetType: 'Organization',
    targetId: input.subject.id,
    // Whether evidence was given, never what it says.
    after: { key: input.key, note: Boolean(input.note), document: Boolean(evidenceFileId) },
    ip: input.ip,
  });
  return { ok: true };
}

/** Withdraws a confirmation (its evidence image is removed with it); audited with the reason given. */
export async function withdrawItem(input: { actor: Actor; subject: IncubationSubject; implementsIn: readonly string[]; key: string; reason: string; ip?: string }): Promise<IncubationResult> {
  if (!mayConfirmItems(input.actor, input.subject, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  const before = (await Organization.findOneAndUpdate(
    { _id: input.subject.id, 'checklist.key': input.key },
    { $pull: { checklist: { key: input.key } }, $inc: { checklistRevision: 1 } },
    { projection: { checklist: 1 }, returnDocument: 'before' },
  ).lean()) as Pick<StateDoc, 'checklist'> | null;
  const withdrawn = before?.checklist.find((c) => c.key === input.key);
  if (!withdrawn) return { ok: false, reason: 'notConfirmed' };
  if (withdrawn.evidenceFileId) await deleteImage(withdrawn.evidenceFileId);
  await audit({
    actor: input.actor.id,
    action: 'organization.itemWithdrawn',
    targetType: 'Organization',
    targetId: input.subject.id,
    before: { key: input.key, by: String(withdrawn.by) },
    reason: input.reason || undefined,
    ip: input.ip,
  });
  return { ok: true };
}

/**
 * Moves the stage. The page's form carries the stage and checklist revision it showed: if either
 * changed since (another move, a confirmation withdrawn or added, a list edited), nothing moves
 * and the committee sees the page again (409). Otherwise the target stage's list must be
 * complete, or the committee overrides it with a reason (kept in the history with the items
 * missing). The write is one update conditional on that stage and revision, so of two parallel
 * moves only one applies.
 */
export async function moveStage(input: {
  actor: Actor;
  subject: IncubationSubject;
  implementsIn: readonly string[];
  to: IncubationStage;
  expected: IncubationStage;
  revision: number;
  override: boolean;
  reason: string;
  ip?: string;
  now?: Date;
}): Promise<IncubationResult> {
  if (!mayMoveStage(input.actor, input.subject, input.implementsIn)) return { ok: false, reason: 'forbidden' };
  const now = input.now ?? new Date();
  const doc = await readState(input.subject.id);
  if (!doc) return { ok: false, reason: 'notFound' };
  if (doc.stage !== input.expected || (doc.checklistRevision ?? 0) !== input.revision) return { ok: false, reason: 'conflict' };
  const list = isChecklistStage(input.to) ? await checklistFor(input.to, checklistYear(now)) : null;
  const progress = list ? checklistProgress(list.items, doc.checklist.map((c) => c.key)) : null;
  const refusal = stageMoveRefusal({ from: doc.stage, to: input.to, history: doc.stageHistory, progress, override: input.override, reason: input.reason });
  if (refusal) return { ok: false, reason: refusal };
  // What the history calls an override: moving past items not confirmed (ticking it over a complete list is not).
  const override = input.override && Boolean(progress && !progress.complete);
  const entry = {
    stage: input.to,
    from: doc.stage,
    at: now,
    by: new Types.ObjectId(input.actor.id),
    ...(override ? { override: true, reason: input.reason, missing: progress!.missing } : input.reason ? { reason: input.reason } : {}),
  };
  const result = await Organization.updateOne(
    { _id: doc._id, stage: input.expected, checklistRevision: input.revision },
    { $set: { stage: input.to }, $push: { stageHistory: entry }, $inc: { checklistRevision: 1 } },
  );
  if (result.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  await audit({
    actor: input.actor.id,
    action: 'organization.stageMoved',
    targetType: 'Organization',
    targetId: input.subject.id,
    before: { stage: doc.stage },
    after: { stage: input.to, ...(override ? { override: true, missing: progress!.missing } : {}) },
    reason: input.reason || undefined,
    ip: input.ip,
  });
  return { ok: true };
}

/** A mentor records a session; the notes stay with the organization's mentors and managers. */
export async function recordSession(input: {
  actor: Actor;
  subject: IncubationSubject;
  date: Date;
  minutes: number;
  topics: string;
  notes: string;
  ip?: string;
  now?: Date;
}): Promise<IncubationResult> {
  if (!mayRecordSession(input.actor, input.subject)) return { ok: false, reason: 'forbidden' };
  const now = input.now ?? new Date();
  // Recorded after it happened: a date past today (in China) is a typing mistake.
  if (input.date.getTime() > now.getTime()) return { ok: false, reason: 'dateInFuture' };
  const session = await MentorSession.create({ organization: input.subject.id, mentor: input.actor.id, date: input.date, minutes: input.minutes, topics: input.topics, notes: input.notes });
  await audit({
    actor: input.actor.id,
    action: 'organization.sessionRecorded',
    targetType: 'Organization',
    targetId: input.subject.id,
    // The notes are the mentor's and the committee's: the audit keeps when and how long only.
    after: { session: String(session._id), date: input.date.toISOString(), minutes: input.minutes },
    ip: input.ip,
  });
  return { ok: true };
}

/**
 * Who may open an evidence image: the organization it is attached to, or null when none is
 * (a withdrawn confirmation's image is removed; anything else is nobody's).
 */
export async function evidenceOwner(fileId: string): Promise<IncubationSubject | null> {
  if (!OBJECT_ID.test(fileId)) return null;
  const doc = await Organization.findOne({ 'checklist.evidenceFileId': fileId }).select('name createdBy stage').lean();
  return doc ? subjectOf(doc) : null;
}
