import type { TestProject } from 'vitest/node';
import { resolveDatabase } from '~/core/database-resolver.server';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    databaseKind: string;
  }
}

/**
 * One database server per test run: MONGODB_URI when set (a real MongoDB), else
 * mongodb-memory-server, else the stand-in, all in memory. Each worker uses its own database
 * on it (see integration-setup.ts).
 */
export default async function setup(project: TestProject) {
  const database = await resolveDatabase({
    mongodbUri: process.env.MONGODB_URI || undefined,
    persist: false,
    dataDir: '.data/test',
    log: (message) => console.log(message),
  });
  console.log(`Test database: ${database.description}`);
  project.provide('mongoUri', database.uri);
  project.provide('databaseKind', database.kind);
  return async () => {
    await database.stop();
  };
}
