import { describe, expect, it } from 'vitest';
import { Follow } from '#models';
import { reconcileIndexes } from '~/core/db.server';

describe('npm run indexes', () => {
  it('reports an index no schema declares (left by an earlier release), and drops it only with --apply', async () => {
    await Follow.collection.createIndex({ legacyKey: 1 }, { unique: true, sparse: true, name: 'legacyKey_1' });
    const dryRun = await reconcileIndexes({ apply: false });
    expect(dryRun.find((r) => r.collection === Follow.collection.collectionName)?.toDrop).toContain('legacyKey_1');
    expect((await Follow.collection.indexes()).map((i) => i.name)).toContain('legacyKey_1');

    await reconcileIndexes({ apply: true });
    expect((await Follow.collection.indexes()).map((i) => i.name)).not.toContain('legacyKey_1');
    const after = await reconcileIndexes({ apply: false });
    expect(after.find((r) => r.collection === Follow.collection.collectionName)).toMatchObject({ toDrop: [], toCreate: [] });
  });
});
