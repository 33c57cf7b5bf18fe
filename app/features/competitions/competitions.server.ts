import mongoose, { Types } from 'mongoose';
import { Competition, Street } from '#models';
import type { CompetitionForm } from './competition.schema';
import { audit } from '~/core/audit.server';
import { loadCompetition, type LoadedCompetition } from './context.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { byPhaseOrder, currentPhase, frozenBy, nextPhase, phaseIndex, phaseReached, PHASES, type Phase, type PhaseWindow } from './phases';
import { startOfShanghaiDay, shanghaiDay } from '~/utils/dates';
import { fenToYuanInput } from '~/utils/format';
import { correctionViews, type CorrectionView, type StoredCorrection } from './corrections';

export interface CompetitionSummary {
  id: string;
  slug: string;
  year: number;
  title: { zh: string; en?: string | null };
  summary: { zh: string; en?: string | null };
  budgetFen: number;
  coverFileId: string | null;
  phase: Phase | null;
  phases: { key: Phase; startsAt: string; endsAt: string }[];
  categories: { code: string; name: { zh: string; en?: string | null } }[];
  /** Frozen settings an admin corrected, newest first: public, like the budget. */
  corrections: CorrectionView[];
  /** The result is published: pages link to it. */
  resultsPublished: boolean;
}

function toSummary(doc: {
  _id: unknown;
  slug: string;
  year: number;
  title: { zh: string; en?: string | null };
  summary: { zh: string; en?: string | null };
  budgetFen: number;
  coverFileId?: string | null;
  phases: { key: string; startsAt: Date; endsAt: Date }[];
  categories: { code: string; name: { zh: string; en?: string | null } }[];
  corrections?: StoredCorrection[] | null;
  resultsPublishedAt?: Date | null;
}, now: Date): CompetitionSummary {
  const phases = doc.phases as PhaseWindow[];
  return {
    id: String(doc._id),
    slug: doc.slug,
    year: doc.year,
    title: doc.title,
    summary: doc.summary,
    budgetFen: doc.budgetFen,
    coverFileId: doc.coverFileId ?? null,
    phase: currentPhase(phases, now),
    phases: phases.map((p) => ({ key: p.key, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() })),
    categories: doc.categories.map((c) => ({ code: c.code, name: c.name })),
    corrections: correctionViews(doc.corrections),
    resultsPublished: Boolean(doc.resultsPublishedAt),
  };
}

const FIELDS = 'slug year title summary budgetFen coverFileId phases categories corrections resultsPublishedAt';

export async function listCompetitions(now = new Date()): Promise<CompetitionSummary[]> {
  const docs = await Competition.find().select(FIELDS).sort({ year: -1 }).lean();
  return docs.map((doc) => toSummary(doc, now));
}

/** The summary pages show, from the request's competition. */
export function competitionSummary(loaded: LoadedCompetition, now = new Date()): CompetitionSummary {
  return toSummary(loaded.doc, now);
}

// --- Running a competition (committee, admin) ---------------------------------------------------

const CLOSED_LENGTH_MS = 100 * 365 * 86_400_000;

function windowsFrom(starts: CompetitionForm['starts']) {
  return PHASES.map((key, index) => {
    const next = PHASES[index + 1];
    const startsAt = startOfShanghaiDay(starts[key]);
    return { key, startsAt, endsAt: next ? startOfShanghaiDay(starts[next]) : new Date(startsAt.getTime() + CLOSED_LENGTH_MS) };
  });
}

function fieldsFrom(form: CompetitionForm) {
  return {
    year: form.year,
    title: { zh: form.titleZh, en: form.titleEn || undefined },
    summary: { zh: form.summaryZh, en: form.summaryEn || undefined },
    budgetFen: form.budget,
    minRequestFen: form.minRequest,
    maxRequestFen: form.maxRequest,
    phases: windowsFrom(form.starts),
    categories: form.categories.map((c) => ({ code: c.code, name: { zh: c.zh, en: c.en || undefined } })),
    eligibleStreets: form.eligibleStreets.map((id) => new Types.ObjectId(id)),
  };
}

/** What the committee's form starts from. */
export async function getCompetitionForEdit(slug: string) {
  const loaded = await loadCompetition(slug);
  return loaded ? competitionFormValues(loaded) : null;
}

export function competitionFormValues({ doc }: LoadedCompetition) {
  const starts = Object.fromEntries(doc.phases.map((p) => [p.key, shanghaiDay(p.startsAt)]));
  return {
    id: String(doc._id),
    slug: doc.slug,
    values: {
      year: String(doc.year),
      titleZh: doc.title.zh,
      titleEn: doc.title.en ?? '',
      summaryZh: doc.summary.zh,
      summaryEn: doc.summary.en ?? '',
      budget: fenToYuanInput(doc.budgetFen),
      minRequest: fenToYuanInput(doc.minRequestFen),
      maxRequest: fenToYuanInput(doc.maxRequestFen),
      starts,
      categories: doc.categories.map((c) => ({ code: c.code, zh: c.name.zh, en: c.name.en ?? '' })),
      eligibleStreets: doc.eligibleStreets.map(String),
    },
  };
}

type FrozenReason = 'startedPhaseMoved' | 'budgetFrozen' | 'streetsFrozen';

export type CompetitionWriteResult =
  | { ok: true; slug: string }
  | { ok: false; reason: 'slugTaken' | 'notFound' | 'streetInvalid' | FrozenReason | 'changedMeanwhile'; field?: string };

/**
 * What an edit may not change any more (issue 11, finding 4): the start of a phase that has
 * begun (moving it would reopen voting or unlock the rules frozen by it), and, once voting has
 * opened, the budget and the eligible streets. Later phases may still move, so a running phase
 * can be extended; moving on early is advancePhase's job.
 */
function frozenChange(
  before: { phases: PhaseWindow[]; budgetFen: number; eligibleStreets: readonly unknown[] },
  after: ReturnType<typeof fieldsFrom>,
  now: Date,
): { reason: FrozenReason; field: string } | null {
  for (const stored of [...before.phases].sort(byPhaseOrder)) {
    if (stored.startsAt > now) continue;
    const edited = after.phases.find((p) => p.key === stored.key);
    if (!edited || shanghaiDay(edited.startsAt) !== shanghaiDay(stored.startsAt)) return { reason: 'startedPhaseMoved', field: `starts.${stored.key}` };
  }
  if (!phaseReached(currentPhase(before.phases, now), 'voting')) return null;
  if (after.budgetFen !== before.budgetFen) return { reason: 'budgetFrozen', field: 'budget' };
  const streets = (list: readonly unknown[]) => list.map(String).sort().join(',');
  if (streets(after.eligibleStreets) !== streets(before.eligibleStreets)) return { reason: 'streetsFrozen', field: 'eligibleStreets' };
  return null;
}

/** Phases that have begun keep their stored instants (an early advance starts a phase mid-day). */
function keepStartedPhases(before: PhaseWindow[], after: ReturnType<typeof fieldsFrom>['phases'], now: Date) {
  return after.map((edited) => {
    const stored = before.find((p) => p.key === edited.key);
    return stored && stored.startsAt <= now ? { ...edited, startsAt: stored.startsAt } : edited;
  });
}

async function streetsExist(ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  return (await Street.countDocuments({ _id: mongoose.trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }) })) === ids.length;
}

export async function createCompetitionFromForm(form: CompetitionForm, actorId: string, ip?: string): Promise<CompetitionWriteResult> {
  if (!form.slug) return { ok: false, reason: 'slugTaken' };
  if (!(await streetsExist(form.eligibleStreets))) return { ok: false, reason: 'streetInvalid' };
  try {
    const doc = await Competition.create({ slug: form.slug, ...fieldsFrom(form) });
    await audit({ actor: actorId, action: 'competition.created', targetType: 'Competition', targetId: String(doc._id), after: fieldsFrom(form), ip });
    return { ok: true, slug: doc.slug };
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'slugTaken' };
    throw error;
  }
}

/** Saves the committee's edit; the slug (and so every URL) never changes. Audited with before/after. */
export async function updateCompetition(slug: string, form: CompetitionForm, actorId: string, ip?: string, now = new Date()): Promise<CompetitionWriteResult> {
  if (!(await streetsExist(form.eligibleStreets))) return { ok: false, reason: 'streetInvalid' };
  const before = await Competition.findOne({ slug }).lean();
  if (!before) return { ok: false, reason: 'notFound' };
  const edited = fieldsFrom(form);
  const storedPhases = before.phases as PhaseWindow[];
  const frozen = frozenChange({ phases: storedPhases, budgetFen: before.budgetFen, eligibleStreets: before.eligibleStreets }, edited, now);
  if (frozen) return { ok: false, ...frozen };
  const after = { ...edited, phases: keepStartedPhases(storedPhases, edited.phases, now) };
  // Conditional on the competition being as read: a phase advanced or a setting corrected
  // meanwhile makes this fail.
  const written = await Competition.updateOne(
    { _id: before._id, updatedAt: before.updatedAt },
    { $set: { ...after, updatedAt: nextUpdatedAt(before.updatedAt, now) } },
    { timestamps: false },
  );
  if (written.matchedCount === 0) return { ok: false, reason: 'changedMeanwhile' };
  const changed = Object.fromEntries(
    Object.entries(after).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify((before as Record<string, unknown>)[key])),
  );
  const was = Object.fromEntries(Object.keys(changed).map((key) => [key, (before as Record<string, unknown>)[key]]));
  await audit({ actor: actorId, action: 'competition.updated', targetType: 'Competition', targetId: String(before._id), before: was, after: changed, ip });
  return { ok: true, slug };
}

/**
 * The updatedAt a conditional write sets: now, but always later than the one it read, so a write
 * in the same millisecond as the last one still moves it and a stale read cannot match.
 */
export function nextUpdatedAt(read: Date, now = new Date()): Date {
  return new Date(Math.max(now.getTime(), read.getTime() + 1));
}

export type AdvanceResult = { ok: true; from: Phase | null; to: Phase } | { ok: false; reason: 'notFound' | 'alreadyClosed' };

/**
 * Moves a competition to its next phase now, by hand: the current phase ends now and the next
 * starts now, so the phase still comes from the dates. Audited with the reason.
 */
export async function advancePhase(slug: string, actorId: string, reason: string, ip?: string, now = new Date()): Promise<AdvanceResult> {
  const doc = await Competition.findOne({ slug }).lean();
  if (!doc) return { ok: false, reason: 'notFound' };
  const phases = [...(doc.phases as PhaseWindow[])].sort(byPhaseOrder);
  const from = currentPhase(phases, now);
  const to = nextPhase(from);
  if (!to) return { ok: false, reason: 'alreadyClosed' };
  const nextIndex = phaseIndex(to);
  const moved = phases.map((p) => {
    const index = phaseIndex(p.key);
    if (index < nextIndex - 1) return { ...p, startsAt: p.startsAt < now ? p.startsAt : now, endsAt: p.endsAt < now ? p.endsAt : now };
    if (index === nextIndex - 1) return { ...p, endsAt: now };
    if (index === nextIndex) return { ...p, startsAt: now, endsAt: p.endsAt > now ? p.endsAt : new Date(now.getTime() + 86_400_000) };
    return p;
  });
  // Later phases keep their order: each starts no earlier than the one before ends.
  for (let i = nextIndex + 1; i < moved.length; i++) {
    const previous = moved[i - 1]!;
    const current = moved[i]!;
    if (current.startsAt < previous.endsAt) {
      const length = Math.max(86_400_000, current.endsAt.getTime() - current.startsAt.getTime());
      moved[i] = { ...current, startsAt: previous.endsAt, endsAt: new Date(previous.endsAt.getTime() + length) };
    }
  }
  // Conditional on the phases being as read, so two simultaneous advances move one step, not two.
  const result = await Competition.updateOne({ _id: doc._id, updatedAt: doc.updatedAt }, { $set: { phases: moved } });
  if (result.matchedCount === 0) return { ok: false, reason: 'notFound' };
  await audit({
    actor: actorId,
    action: 'competition.phaseAdvanced',
    targetType: 'Competition',
    targetId: String(doc._id),
    before: { phase: from, phases },
    after: { phase: to, phases: moved },
    reason,
    ip,
  });
  return { ok: true, from, to };
}

/** Sets (or, with null, removes) the cover photo; returns the previous one so it can be deleted. */
export async function setCompetitionCover(slug: string, fileId: string | null, actorId: string, ip?: string): Promise<string | null> {
  const before = await Competition.findOne({ slug }).select('coverFileId').lean();
  if (!before) return null;
  await Competition.updateOne({ _id: before._id }, fileId ? { $set: { coverFileId: fileId } } : { $unset: { coverFileId: 1 } });
  await audit({ actor: actorId, action: 'competition.coverChanged', targetType: 'Competition', targetId: String(before._id), before: { coverFileId: before.coverFileId ?? null }, after: { coverFileId: fileId }, ip });
  return before.coverFileId ?? null;
}

// --- Settings frozen once a phase starts (voting rules, the rubric) -----------------------------

export type FrozenSettingResult = { ok: true } | { ok: false; reason: 'notFound' | 'phaseStarted' | 'changedMeanwhile' };

/**
 * Saves one of the competition's settings that freeze when `frozenFrom` starts (they freeze at
 * once when the competition has no such phase). The write is conditional on the competition being
 * as read (its updatedAt), so a phase moved at the same moment makes the save fail instead of
 * slipping in. Audited with before (as `describe` shows the stored value) and after.
 */
export async function saveFrozenSetting<T>(input: {
  slug: string;
  field: 'voting' | 'judging';
  frozenFrom: Phase;
  value: T;
  describe: (stored: unknown) => T;
  action: string;
  actorId: string;
  ip?: string;
  now?: Date;
}): Promise<FrozenSettingResult> {
  const now = input.now ?? new Date();
  const doc = await Competition.findOne({ slug: input.slug }).select(`phases ${input.field} updatedAt`).lean();
  if (!doc) return { ok: false, reason: 'notFound' };
  if (frozenBy(doc.phases, input.frozenFrom, now)) return { ok: false, reason: 'phaseStarted' };
  const result = await Competition.updateOne({ _id: doc._id, updatedAt: doc.updatedAt }, { $set: { [input.field]: input.value } });
  if (result.matchedCount === 0) return { ok: false, reason: 'changedMeanwhile' };
  await audit({
    actor: input.actorId,
    action: input.action,
    targetType: 'Competition',
    targetId: String(doc._id),
    before: input.describe(doc[input.field]),
    after: input.value,
    ip: input.ip,
  });
  return { ok: true };
}
