import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { ChecklistTemplate, Organization } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { DEFAULT_CHECKLISTS, type ChecklistItem } from './checklist-defaults';
import type { ChecklistTemplateInput } from './incubation.schema';
import { CHECKLIST_STAGES, type ChecklistStage } from './organizations';
import { mayEditChecklists, type Actor } from './rules';

/**
 * The checklists per year and stage (docs/decisions/025-incubation.md). A year without its own
 * list for a stage uses the latest earlier year's, or the defaults (checklist-defaults.ts). An
 * edit is one write conditional on the revision the editor saw (two editors: one wins, the other
 * gets 409), and then bumps every organization's checklist revision, so a stage move checked
 * against the old list cannot apply after the new one is in force (the move's update names the
 * revision it checked).
 */

export interface Checklist {
  stage: ChecklistStage;
  /** The year whose list this is; null for the built-in defaults. */
  year: number | null;
  /** 0 until the year has its own stored list. */
  revision: number;
  items: ChecklistItem[];
}

const toItems = (items: Iterable<{ key: string; label?: { zh: string; en?: string | null } | null }>): ChecklistItem[] =>
  [...items].map((item) => ({ key: item.key, label: { zh: item.label?.zh ?? item.key, en: item.label?.en ?? '' } }));

/** Every stage's list in force in `year`, in one query. */
export async function checklistsFor(year: number): Promise<Record<ChecklistStage, Checklist>> {
  const docs = await ChecklistTemplate.find({ stage: mongoose.trusted({ $in: [...CHECKLIST_STAGES] }), year: mongoose.trusted({ $lte: year }) })
    .select('stage year revision items')
    .lean();
  const result = {} as Record<ChecklistStage, Checklist>;
  for (const stage of CHECKLIST_STAGES) {
    const latest = docs.filter((d) => d.stage === stage).sort((a, b) => b.year - a.year)[0];
    result[stage] = latest
      ? { stage, year: latest.year, revision: latest.year === year ? latest.revision : 0, items: toItems(latest.items) }
      : { stage, year: null, revision: 0, items: DEFAULT_CHECKLISTS[stage] };
  }
  return result;
}

/** One stage's list in force in `year` (for a stage move's check). */
export async function checklistFor(stage: ChecklistStage, year: number): Promise<Checklist> {
  const latest = await ChecklistTemplate.findOne({ stage, year: mongoose.trusted({ $lte: year }) })
    .select('year revision items')
    .sort({ year: -1 })
    .lean();
  if (!latest) return { stage, year: null, revision: 0, items: DEFAULT_CHECKLISTS[stage] };
  return { stage, year: latest.year, revision: latest.year === year ? latest.revision : 0, items: toItems(latest.items) };
}

export type SaveChecklistResult = { ok: true } | { ok: false; reason: 'forbidden' | 'conflict' | 'itemUnknown' };

const newKey = () => `k${randomBytes(5).toString('hex')}`;

/**
 * Saves one stage's list for one year. Rows that came with a key keep it (and with it the
 * confirmations made against it); a key the list in force does not know is refused, so a form
 * cannot invent one; new rows get a fresh key.
 */
export async function saveChecklist(input: { actor: Actor; values: ChecklistTemplateInput; ip?: string }): Promise<SaveChecklistResult> {
  if (!mayEditChecklists(input.actor)) return { ok: false, reason: 'forbidden' };
  const { year, stage, revision } = input.values;
  const current = await checklistFor(stage, year);
  if (current.revision !== revision) return { ok: false, reason: 'conflict' };
  const known = new Set(current.items.map((item) => item.key));
  const seen = new Set<string>();
  for (const row of input.values.items) {
    if (!row.key) continue;
    if (!known.has(row.key) || seen.has(row.key)) return { ok: false, reason: 'itemUnknown' };
    seen.add(row.key);
  }
  const items = input.values.items.map((row) => ({ key: row.key ?? newKey(), label: { zh: row.zh, en: row.en } }));
  if (revision === 0) {
    // The year's first own list: the unique (stage, year) lets one of two parallel first saves in.
    try {
      await ChecklistTemplate.create({ year, stage, items, revision: 1, updatedBy: input.actor.id });
    } catch (error) {
      if (isDuplicateKeyError(error)) return { ok: false, reason: 'conflict' };
      throw error;
    }
  } else {
    const result = await ChecklistTemplate.updateOne({ stage, year, revision }, { $set: { items, updatedBy: input.actor.id }, $inc: { revision: 1 } });
    if (result.modifiedCount !== 1) return { ok: false, reason: 'conflict' };
  }
  // After the list: a move that read the old list and this revision can no longer apply.
  await Organization.updateMany({}, { $inc: { checklistRevision: 1 } });
  const keys = (list: readonly { key: string }[]) => list.map((item) => item.key);
  await audit({
    actor: input.actor.id,
    action: 'organization.checklistSaved',
    targetType: 'ChecklistTemplate',
    after: { year, stage, items: keys(items), added: items.filter((i) => !known.has(i.key)).length, removed: [...known].filter((k) => !seen.has(k)).length },
    ip: input.ip,
  });
  return { ok: true };
}

/** The demo's (and a fresh installation's) lists for a year, stored once: running it again changes nothing. */
export async function storeDefaultChecklists(year: number, actorId?: string): Promise<void> {
  for (const stage of CHECKLIST_STAGES) {
    await ChecklistTemplate.updateOne({ stage, year }, { $setOnInsert: { items: DEFAULT_CHECKLISTS[stage], revision: 1, updatedBy: actorId } }, { upsert: true });
  }
}
