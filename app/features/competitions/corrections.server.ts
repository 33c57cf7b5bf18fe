import mongoose, { Types } from 'mongoose';
import { Ballot, Competition, JudgingSheet, ResultSnapshot, Street } from '#models';
import { audit } from '~/core/audit.server';
import type { LocalizedText } from '~/core/locales';
import { fenToYuanInput } from '~/utils/format';
import { shanghaiDay, startOfShanghaiDay } from '~/utils/dates';
import type { CompetitionRecord } from './context.server';
import type { CorrectionForm } from './correction.schema';
import { nextUpdatedAt } from './competitions.server';
import { CORRECTION_SETTINGS, parseSetting, type CorrectionSetting } from './corrections';
import { byPhaseOrder, frozenBy, type Phase, type PhaseWindow } from './phases';

/**
 * An admin's correction of a setting that a started phase froze (issue 11, finding 4; decision
 * 012): a phase's start or end once the phase has begun, the budget and the eligible streets
 * once voting has opened. Reasoned, audited with before and after, and public: the correction is
 * pushed onto the competition by the same conditional update that makes it.
 *
 * What even an admin cannot do: reopen voting once it has ended; after results are published,
 * reopen screening, voting or judging, put a begun phase back into the future, or change the
 * budget; put the phases out of order; move voting (judging) back into the future once residents
 * have voted (judges have scored), which would unlock the voting rules (the rubric); remove a
 * street whose residents have voted.
 */

export type CorrectionRefusal =
  | 'notFound'
  | 'notFrozen'
  | 'unchanged'
  | 'phaseOrder'
  | 'votingEnded'
  | 'resultsPublished'
  | 'ballotsCast'
  | 'judgingScored'
  | 'streetHasBallots'
  | 'streetInvalid'
  | 'maxAboveBudget'
  | 'changedMeanwhile';

/** The form field a refusal belongs on. */
export type CorrectionField = 'setting' | 'day' | 'budget' | 'eligibleStreets';

export type CorrectionResult = { ok: true } | { ok: false; reason: CorrectionRefusal; field: CorrectionField };

type Frozen = Pick<CompetitionRecord, 'phases' | 'budgetFen' | 'eligibleStreets'>;

/** Whether `setting` is frozen at `now`, so that only a correction may change it. */
export function isFrozen(doc: Frozen, setting: CorrectionSetting, now = new Date()): boolean {
  const parsed = parseSetting(setting);
  if (parsed.kind === 'budget' || parsed.kind === 'streets') return frozenBy(doc.phases, 'voting', now);
  const window = doc.phases.find((p) => p.key === parsed.phase);
  return Boolean(window && window.startsAt <= now);
}

/** A frozen setting as the manage page offers it: its current value shown, and as the form's default. */
export interface FrozenSettingView {
  setting: CorrectionSetting;
  /** An ISO instant, fen, or street ids. */
  current: string | number | string[];
  /** The correction form's starting value: a day, yuan, or street ids. */
  input: string | string[];
}

export function frozenSettings(doc: Frozen, now = new Date()): FrozenSettingView[] {
  return CORRECTION_SETTINGS.filter((setting) => isFrozen(doc, setting, now)).map((setting) => {
    const parsed = parseSetting(setting);
    if (parsed.kind === 'budget') return { setting, current: doc.budgetFen, input: fenToYuanInput(doc.budgetFen) };
    if (parsed.kind === 'streets') {
      const ids = doc.eligibleStreets.map(String);
      return { setting, current: ids, input: ids };
    }
    const window = doc.phases.find((p) => p.key === parsed.phase)!;
    const at = parsed.kind === 'start' ? window.startsAt : window.endsAt;
    return { setting, current: at.toISOString(), input: shanghaiDay(at) };
  });
}

const refuse = (reason: CorrectionRefusal, field: CorrectionField): CorrectionResult => ({ ok: false, reason, field });

/**
 * The phases with one boundary moved. A phase ends where the next one starts (the committee's
 * form writes them so), so moving a start moves the end of the phase before when they meet,
 * and moving an end moves the start of the phase after.
 */
function movePhaseBoundary(phases: readonly PhaseWindow[], kind: 'start' | 'end', phase: Phase, at: Date): PhaseWindow[] {
  const ordered = [...phases].sort(byPhaseOrder).map((p) => ({ key: p.key, startsAt: p.startsAt, endsAt: p.endsAt }));
  const i = ordered.findIndex((p) => p.key === phase);
  const target = ordered[i]!;
  const neighbour = kind === 'start' ? i - 1 : i + 1;
  const other = ordered[neighbour];
  const boundary = kind === 'start' ? target.startsAt : target.endsAt;
  if (other && (kind === 'start' ? other.endsAt : other.startsAt).getTime() === boundary.getTime()) {
    ordered[neighbour] = kind === 'start' ? { ...other, endsAt: at } : { ...other, startsAt: at };
  }
  ordered[i] = kind === 'start' ? { ...target, startsAt: at } : { ...target, endsAt: at };
  return ordered;
}

/** Each phase starts after the one before has started and ended, and ends after it starts. */
function phasesInOrder(ordered: readonly PhaseWindow[]): boolean {
  return ordered.every((p, i) => {
    const previous = ordered[i - 1];
    return p.startsAt < p.endsAt && (!previous || (p.startsAt > previous.startsAt && p.startsAt >= previous.endsAt));
  });
}

async function phaseRefusal(competition: Types.ObjectId, before: readonly PhaseWindow[], after: readonly PhaseWindow[], now: Date): Promise<CorrectionRefusal | null> {
  if (!phasesInOrder(after)) return 'phaseOrder';
  const window = (phases: readonly PhaseWindow[], key: Phase) => phases.find((p) => p.key === key);
  const ended = (p: PhaseWindow | undefined) => Boolean(p && p.endsAt <= now);
  const begun = (p: PhaseWindow | undefined) => Boolean(p && p.startsAt <= now);
  const reopens = (key: Phase) => ended(window(before, key)) && !ended(window(after, key));
  const unbegins = (key: Phase) => begun(window(before, key)) && !begun(window(after, key));
  if (reopens('voting')) return 'votingEnded';
  if (await ResultSnapshot.exists({ competition })) {
    if ((['screening', 'voting', 'judging'] as const).some(reopens) || after.some((p) => unbegins(p.key))) return 'resultsPublished';
  }
  // Moving a begun phase back into the future would unlock what it froze (decision 012).
  if (unbegins('voting') && (await Ballot.exists({ competition }))) return 'ballotsCast';
  if (unbegins('judging') && (await JudgingSheet.exists({ competition, status: mongoose.trusted({ $in: ['draft', 'submitted'] }) }))) return 'judgingScored';
  return null;
}

async function streetNames(ids: readonly string[]): Promise<Map<string, LocalizedText>> {
  if (!ids.length) return new Map();
  const streets = await Street.find({ _id: mongoose.trusted({ $in: ids.map((id) => new Types.ObjectId(id)) }) }).select('name').lean();
  return new Map(streets.map((s) => [String(s._id), s.name]));
}

const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join(',') === [...b].sort().join(',');

/** What a correction writes, and how the audit entry and the public list describe it. */
interface Change {
  set: Record<string, unknown>;
  before: unknown;
  after: unknown;
  audit?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

async function planChange(doc: CompetitionRecord, form: CorrectionForm, now: Date): Promise<Change | CorrectionResult> {
  if (form.kind === 'budget') {
    if (form.budgetFen === doc.budgetFen) return refuse('unchanged', 'budget');
    // Published: the allocation was computed on this budget. Previews are computed on demand and
    // never stored, so a published result is the only allocation there is to protect.
    if (await ResultSnapshot.exists({ competition: doc._id })) return refuse('resultsPublished', 'budget');
    if (form.budgetFen < doc.maxRequestFen) return refuse('maxAboveBudget', 'budget');
    return { set: { budgetFen: form.budgetFen }, before: doc.budgetFen, after: form.budgetFen };
  }
  if (form.kind === 'streets') {
    const wanted = form.eligibleStreets;
    const was = doc.eligibleStreets.map(String);
    if (sameSet(wanted, was)) return refuse('unchanged', 'eligibleStreets');
    // Published: the result was computed for these voters; not even a relabelling ("all five
    // streets" for "the whole district") is written, since every correction shows publicly.
    if (await ResultSnapshot.exists({ competition: doc._id })) return refuse('resultsPublished', 'eligibleStreets');
    const names = await streetNames([...new Set([...wanted, ...was])]);
    if (wanted.some((id) => !names.has(id))) return refuse('streetInvalid', 'eligibleStreets');
    // An empty list is the whole district: it removes no street.
    if (wanted.length) {
      const kept = wanted.map((id) => new Types.ObjectId(id));
      const dropped = await Ballot.exists({ competition: doc._id, street: mongoose.trusted({ $nin: [...kept, null] }) });
      if (dropped) return refuse('streetHasBallots', 'eligibleStreets');
    }
    const describe = (ids: string[]) => ids.map((id) => ({ id, name: names.get(id) ?? { zh: id } }));
    return { set: { eligibleStreets: wanted.map((id) => new Types.ObjectId(id)) }, before: describe(was), after: describe(wanted) };
  }
  const window = doc.phases.find((p) => p.key === form.phase)!;
  const current = form.kind === 'start' ? window.startsAt : window.endsAt;
  if (shanghaiDay(current) === form.day) return refuse('unchanged', 'day');
  const at = startOfShanghaiDay(form.day);
  const phases = movePhaseBoundary(doc.phases, form.kind, form.phase, at);
  const refusal = await phaseRefusal(doc._id, doc.phases, phases, now);
  if (refusal) return refuse(refusal, 'day');
  return {
    set: { phases },
    before: current.toISOString(),
    after: at.toISOString(),
    audit: { before: { phases: doc.phases }, after: { phases } },
  };
}

/**
 * Applies an admin's correction, or says why not and on which field, writing nothing. One
 * conditional update on the competition as read (its updatedAt, which every write of the
 * competition moves forward), so a committee edit or a phase advance at the same moment makes
 * one of them fail instead of both applying.
 */
export async function correctCompetition(input: { slug: string; form: CorrectionForm; actorId: string; ip?: string; now?: Date }): Promise<CorrectionResult> {
  const now = input.now ?? new Date();
  const doc = (await Competition.findOne({ slug: input.slug }).lean()) as CompetitionRecord | null;
  if (!doc) return refuse('notFound', 'setting');
  if (!isFrozen(doc, input.form.setting, now)) return refuse('notFrozen', 'setting');
  const change = await planChange(doc, input.form, now);
  if ('ok' in change) return change;
  const correction = { at: now, setting: input.form.setting, before: change.before, after: change.after, reason: input.form.reason };
  const written = await Competition.updateOne(
    { _id: doc._id, updatedAt: doc.updatedAt },
    { $set: { ...change.set, updatedAt: nextUpdatedAt(doc.updatedAt, now) }, $push: { corrections: correction } },
    { timestamps: false },
  );
  if (written.matchedCount === 0) return refuse('changedMeanwhile', 'setting');
  await audit({
    actor: input.actorId,
    action: 'competition.corrected',
    targetType: 'Competition',
    targetId: String(doc._id),
    before: { setting: input.form.setting, value: change.before, ...change.audit?.before },
    after: { setting: input.form.setting, value: change.after, ...change.audit?.after },
    reason: input.form.reason,
    ip: input.ip,
  });
  return { ok: true };
}

