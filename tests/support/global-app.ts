import { spawnSync } from 'node:child_process';
import mongoose from 'mongoose';
import type { TestProject } from 'vitest/node';
import { startApp } from './app-process';
import { withDbName } from './database-uri';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Builds the app and serves it the way `npm start` does, on a free port, against a fresh
 * database with the demo data, for the browser tests.
 */
export default async function setup(project: TestProject) {
  const built = spawnSync('npx', ['remix', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error('remix build failed');

  const mongoUri = withDbName(project.getProvidedContext().mongoUri, 'lsx_e2e');
  const connection = await mongoose.createConnection(mongoUri).asPromise();
  await connection.dropDatabase();
  await connection.close();

  const app = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'true' });
  project.provide('baseUrl', app.baseUrl);
  return async () => {
    app.child.kill('SIGTERM');
    await app.exited;
  };
}
