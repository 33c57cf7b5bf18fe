import { NeedCategory } from '#models';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { DEFAULT_NEED_CATEGORIES } from './needs';

/**
 * What every needs page shows around the needs: the categories and the streets with their
 * communities. Both change rarely (an admin edits a category), so each process keeps them for a
 * minute instead of reading them on every page; an edit through this process clears it at once.
 */
const TTL_MS = 60_000;

export interface NeedReference {
  categories: { code: string; name: { zh: string; en: string }; active: boolean }[];
  streets: Awaited<ReturnType<typeof listStreetsWithCommunities>>;
}

let memo: { at: number; value: Promise<NeedReference> } | null = null;

export function needReference(now = Date.now()): Promise<NeedReference> {
  if (memo && now - memo.at < TTL_MS) return memo.value;
  const value = (async () => {
    const [categories, streets] = await Promise.all([NeedCategory.find().select('code name active order').sort({ order: 1 }).lean(), listStreetsWithCommunities()]);
    return { categories: categories.map((c) => ({ code: c.code, name: { zh: c.name?.zh ?? c.code, en: c.name?.en ?? c.code }, active: c.active })), streets };
  })();
  memo = { at: now, value };
  // A failed read is not kept.
  value.catch(() => {
    if (memo?.value === value) memo = null;
  });
  return value;
}

export function forgetNeedReference(): void {
  memo = null;
}

/** The district's categories, once (seeds, and a database that has none yet). */
export async function ensureNeedCategories(): Promise<void> {
  if ((await NeedCategory.estimatedDocumentCount()) > 0) return;
  await NeedCategory.insertMany(
    DEFAULT_NEED_CATEGORIES.map((c, order) => ({ code: c.code, name: { zh: c.zh, en: c.en }, order })),
    { ordered: false },
  ).catch((error: unknown) => {
    // Another process inserted them at the same moment: the unique code keeps one of each.
    if ((error as { code?: number }).code !== 11000) throw error;
  });
  forgetNeedReference();
}
