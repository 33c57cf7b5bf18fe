import { afterAll, beforeAll, inject } from 'vitest';
import { connectTo, disconnectDb } from '~/core/db.server';
import { resetDatabase } from '#seeds/seed';

/** Each worker has its own database; every test file starts from empty collections. */
beforeAll(async () => {
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
  await connectTo({ uri: inject('mongoUri'), dbName: `lsx_test_${worker}` });
  await resetDatabase();
});

afterAll(async () => {
  await disconnectDb();
});
