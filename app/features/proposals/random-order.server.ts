import { createHash } from 'node:crypto';

/**
 * The per-visitor random order of proposals, shared by the proposals list and the ballot so that
 * both show the proposals alike: a hash of the visitor's own random seed (the `lsx_seed` cookie,
 * app/core/visitor.server.ts) and the proposal's id. It is stable for one visitor across reloads,
 * differs between visitors, avoids position bias, and says nothing about anyone else. Anonymous
 * readers of the list without a seed share the hour's seed instead (visitor.server.ts).
 */
export function visitorRank(seed: string, id: string): string {
  return createHash('sha1').update(`${seed}:${id}`).digest('hex');
}

/** The items in the visitor's order (a new array; ties, next to impossible, by id). */
export function inVisitorOrder<T extends { id: string }>(items: readonly T[], seed: string): T[] {
  return items
    .map((item) => ({ item, rank: visitorRank(seed, item.id) }))
    .sort((a, b) => (a.rank === b.rank ? (a.item.id < b.item.id ? -1 : 1) : a.rank < b.rank ? -1 : 1))
    .map((entry) => entry.item);
}
