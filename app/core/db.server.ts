import mongoose from 'mongoose';
import { allModels } from '#models';
import { resolveDatabase, type ResolvedDatabase } from './database-resolver.server';
import { getEnv } from './env.server';

/**
 * One mongoose connection per process. The state lives on globalThis so that the server
 * (server.ts), the Remix build it loads, and dev rebuilds all share it.
 */
interface DbState {
  database?: ResolvedDatabase;
  ready?: Promise<typeof mongoose>;
}

const globalKey = Symbol.for('laoshanxing.db');
const state: DbState = ((globalThis as Record<symbol, unknown>)[globalKey] as DbState | undefined) ??
  ((globalThis as Record<symbol, unknown>)[globalKey] = {});

mongoose.set('strictQuery', true);
// Filters never take operators from user input; code that needs one wraps it in mongoose.trusted().
mongoose.set('sanitizeFilter', true);

export interface ConnectOptions {
  uri: string;
  dbName?: string;
}

/** Connect to a known URI (tests, scripts). Idempotent for the same process. */
export function connectTo({ uri, dbName }: ConnectOptions): Promise<typeof mongoose> {
  state.ready ??= (async () => {
    await mongoose.connect(uri, {
      dbName,
      serverSelectionTimeoutMS: 10_000,
      // Our invariants rest on unique indexes: build them before serving a request.
      autoIndex: false,
    });
    await ensureIndexes();
    return mongoose;
  })();
  state.ready.catch(() => {
    state.ready = undefined;
  });
  return state.ready;
}

/** Connect to the database the resolver picks (see database-resolver.server.ts). */
export async function connectDb(options: { persist?: boolean } = {}): Promise<typeof mongoose> {
  if (state.ready) return state.ready;
  const env = getEnv();
  state.database ??= await resolveDatabase({
    mongodbUri: env.MONGODB_URI,
    persist: options.persist ?? true,
    dataDir: env.DATA_DIR,
    log: (message) => console.log(message),
  });
  console.log(`Database: ${state.database.description}`);
  return connectTo({ uri: state.database.uri, dbName: dbNameFrom(state.database.uri) });
}

function dbNameFrom(uri: string): string {
  const name = new URL(uri.replace(/^mongodb\+srv:/, 'mongodb:')).pathname.replace(/^\//, '');
  return name || 'laoshanxing';
}

export async function ensureIndexes(): Promise<void> {
  for (const model of allModels) {
    await model.createIndexes();
  }
}

export interface IndexReport {
  collection: string;
  toDrop: string[];
  toCreate: string[];
}

/**
 * What differs between the indexes each collection has and those its schema declares. Start-up
 * only creates missing ones (createIndexes never drops), so an index a release stopped declaring
 * stays on a long-lived database until `npm run indexes -- --apply` drops it (syncIndexes).
 */
export async function reconcileIndexes(options: { apply: boolean }): Promise<IndexReport[]> {
  const reports: IndexReport[] = [];
  for (const model of allModels) {
    const diff = await model.diffIndexes();
    const toDrop = (diff.toDrop as unknown[]).map(String).filter((name) => name !== '_id_');
    const toCreate = (diff.toCreate as unknown[]).map((spec) => JSON.stringify(spec));
    reports.push({ collection: model.collection.collectionName, toDrop, toCreate });
    if (options.apply && (diff.toDrop.length || diff.toCreate.length)) await model.syncIndexes();
  }
  return reports;
}

export async function disconnectDb(): Promise<void> {
  if (state.ready) {
    await state.ready.catch(() => undefined);
    await mongoose.disconnect();
    state.ready = undefined;
  }
  if (state.database) {
    await state.database.stop();
    state.database = undefined;
  }
}

export function databaseKind(): string | undefined {
  return state.database?.kind;
}

/** Throws when the database does not answer (health checks). */
export async function pingDb(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('not connected');
  await db.admin().ping();
}

/** The write broke a unique index: the invariant held and the write was refused (decision 001). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
