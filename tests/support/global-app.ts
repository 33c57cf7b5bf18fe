import mongoose from 'mongoose';
import type { TestProject } from 'vitest/node';
import { buildApp, startApp, stopApp } from './app-process';
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
  await buildApp();

  const mongoUri = withDbName(project.getProvidedContext().mongoUri, 'lsx_e2e');
  const connection = await mongoose.createConnection(mongoUri).asPromise();
  await connection.dropDatabase();
  await connection.close();

  const app = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'true' });
  project.provide('baseUrl', app.baseUrl);
  return async () => {
    await stopApp(app);
  };
}
