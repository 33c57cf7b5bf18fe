import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { connectTo, disconnectDb } from '~/core/db.server';
import { resetDatabase } from '#seeds/seed';
import { recordQueryShapes } from './query-shapes';

// When the index-coverage project runs too, every query's shape is kept for its check.
const shapesDir = inject('queryShapesDir');
const recorder = shapesDir ? recordQueryShapes(mongoose) : undefined;

/** Each worker has its own database; every test file starts from empty collections. */
beforeAll(async () => {
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
  await connectTo({ uri: inject('mongoUri'), dbName: `lsx_test_${worker}` });
  await resetDatabase();
});

afterAll(async () => {
  if (recorder && shapesDir) {
    recorder.save(shapesDir, expect.getState().testPath ?? 'unknown');
    recorder.stop();
  }
  await disconnectDb();
});
