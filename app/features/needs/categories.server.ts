import { NeedCategory } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { forgetNeedReference } from './reference.server';

/**
 * The needs whistle's service categories (seeded with the district's 20), edited by admins:
 * renamed in Chinese and English, ordered, retired (a retired category leaves the raise form and
 * the board's filter; needs raised with it keep it) or added. Each edit is one conditional update
 * on the revision the admin started from (`updatedAt`), so two admins editing at once cannot
 * silently overwrite each other; a new code is held by the unique index.
 */

export interface CategoryValues {
  zh: string;
  en: string;
  order: number;
  active: boolean;
}

export async function listCategories() {
  const docs = await NeedCategory.find().select('code name order active updatedAt').sort({ order: 1 }).lean();
  return docs.map((d) => ({ code: d.code, zh: d.name?.zh ?? d.code, en: d.name?.en ?? d.code, order: d.order, active: d.active, revision: d.updatedAt.toISOString() }));
}

export type CategoryResult = { ok: true } | { ok: false; reason: 'notFound' | 'stale' | 'codeTaken' };

export async function saveCategory(input: { actorId: string; code: string; revision: string; values: CategoryValues; ip?: string }): Promise<CategoryResult> {
  const before = await NeedCategory.findOne({ code: input.code }).select('name order active updatedAt').lean();
  if (!before) return { ok: false, reason: 'notFound' };
  const saved = await NeedCategory.updateOne(
    { code: input.code, updatedAt: new Date(input.revision) },
    { $set: { 'name.zh': input.values.zh, 'name.en': input.values.en, order: input.values.order, active: input.values.active } },
  );
  if (saved.matchedCount === 0) return { ok: false, reason: 'stale' };
  forgetNeedReference();
  await audit({
    actor: input.actorId,
    action: 'needCategory.saved',
    targetType: 'NeedCategory',
    targetId: input.code,
    before: { zh: before.name?.zh, en: before.name?.en, order: before.order, active: before.active },
    after: { ...input.values },
    ip: input.ip,
  });
  return { ok: true };
}

export async function addCategory(input: { actorId: string; code: string; values: Omit<CategoryValues, 'active'>; ip?: string }): Promise<CategoryResult> {
  try {
    await NeedCategory.create({ code: input.code, name: { zh: input.values.zh, en: input.values.en }, order: input.values.order, active: true });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { ok: false, reason: 'codeTaken' };
    throw error;
  }
  forgetNeedReference();
  await audit({ actor: input.actorId, action: 'needCategory.added', targetType: 'NeedCategory', targetId: input.code, after: { ...input.values }, ip: input.ip });
  return { ok: true };
}
