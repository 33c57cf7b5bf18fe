import { existsSync, readFileSync, rmSync } from 'node:fs';
import mongoose from 'mongoose';
import type { TestProject } from 'vitest/node';
import { buildApp, startApp, stopApp } from './app-process';
import { AXE_LOG, type AxeCounts } from './axe';
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
  rmSync(AXE_LOG, { force: true });

  const mongoUri = withDbName(project.getProvidedContext().mongoUri, 'lsx_e2e');
  const connection = await mongoose.createConnection(mongoUri).asPromise();
  await connection.dropDatabase();
  await connection.close();

  // Every browser context signs in from 127.0.0.1: the address limit is raised so that the
  // e2e files together stay under it (the per-account back-off still applies).
  const app = await startApp({ MONGODB_URI: mongoUri, SEED_ON_EMPTY: 'true', LOGIN_ATTEMPTS_PER_IP: '5000' });
  project.provide('baseUrl', app.baseUrl);
  // An app that dies mid-run leaves every later page "connection refused": say why, once.
  let stopping = false;
  app.child.once('exit', (code, signal) => {
    if (!stopping) console.error(`The e2e app exited during the run (code ${code}, signal ${signal}):\n${app.output().slice(-4000)}`);
  });
  return async () => {
    stopping = true;
    await stopApp(app);
    printAxeTable();
  };
}

/** The run's axe checks, one row per page visited, so the note can quote them. */
function printAxeTable() {
  if (!existsSync(AXE_LOG)) return;
  const rows = readFileSync(AXE_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AxeCounts);
  const lines = rows.map((r) => `| ${r.page} | ${r.url} | ${r.critical} | ${r.serious} | ${r.moderate} | ${r.minor} |`);
  console.log(['axe per page (impact counts):', '| page | path | critical | serious | moderate | minor |', '|---|---|---|---|---|---|', ...lines].join('\n'));
}
