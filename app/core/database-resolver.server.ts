import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { getEnv } from './env.server';

/**
 * Finds a MongoDB to talk to, in this order (docs/decisions/001-embedded-database.md):
 *   1. MONGODB_URI, a real MongoDB (production);
 *   2. mongodb-memory-server with a real mongod (cached download or MONGOMS_SYSTEM_BINARY);
 *   3. the project's stand-in, mongo-java-server, whose jars scripts/mongo-standin.sh fetches.
 * The app must only rely on what all three support: see the decision record.
 */
export type DatabaseKind = 'mongodb-uri' | 'mongodb-memory-server' | 'mongo-java-server';

export interface ResolvedDatabase {
  kind: DatabaseKind;
  uri: string;
  description: string;
  stop(): Promise<void>;
}

export interface ResolveOptions {
  mongodbUri?: string;
  /** Keep data across restarts under dataDir (for `npm start`); in memory otherwise (tests). */
  persist: boolean;
  dataDir: string;
  /** Skip step 2, e.g. when the caller knows no mongod can be had. */
  skipMemoryServer?: boolean;
  /** The stand-in's port (0: any free one). A fixed port lets a test restart it where the app expects it. */
  standinPort?: number;
  log?: (message: string) => void;
}

const projectRoot = process.cwd();
const standinCache = path.join(projectRoot, '.cache', 'mongo-standin');

export async function resolveDatabase(options: ResolveOptions): Promise<ResolvedDatabase> {
  const log = options.log ?? (() => {});
  if (options.mongodbUri) {
    return {
      kind: 'mongodb-uri',
      uri: options.mongodbUri,
      description: `MongoDB at ${redactUri(options.mongodbUri)} (MONGODB_URI)`,
      stop: async () => {},
    };
  }
  if (!options.skipMemoryServer) {
    const memory = await tryMemoryServer(options, log);
    if (memory) return memory;
  }
  return startStandIn(options);
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

async function tryMemoryServer(
  options: ResolveOptions,
  log: (message: string) => void,
): Promise<ResolvedDatabase | undefined> {
  // mongodb-memory-server reads its settings from process.env: hand it the validated value.
  process.env.MONGOMS_MAX_RETRIES = String(getEnv().MONGOMS_MAX_RETRIES);
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server');
  try {
    // Finds MONGOMS_SYSTEM_BINARY or a cached mongod, else downloads one; throws when none can be had.
    await MongoBinary.getPath();
  } catch (error) {
    log(`mongodb-memory-server unavailable (${firstLine(error)}); using the stand-in`);
    return undefined;
  }
  const dbPath = path.join(options.dataDir, 'mongod');
  if (options.persist) mkdirSync(dbPath, { recursive: true });
  const starting = MongoMemoryServer.create({
    instance: options.persist ? { dbPath, storageEngine: 'wiredTiger' } : {},
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 60_000);
  });
  try {
    const outcome = await Promise.race([starting, timeout]);
    if (outcome === 'timeout') {
      starting.then((server) => server.stop()).catch(() => {});
      log('mongodb-memory-server did not start within 60 s; using the stand-in');
      return undefined;
    }
    const server = outcome;
    return {
      kind: 'mongodb-memory-server',
      uri: server.getUri(),
      description: `mongodb-memory-server (real mongod${options.persist ? `, data in ${dbPath}` : ', in memory'})`,
      stop: async () => {
        await server.stop({ doCleanup: !options.persist });
      },
    };
  } catch (error) {
    log(`mongodb-memory-server unavailable (${firstLine(error)}); using the stand-in`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 160) ?? 'unknown error';
}

async function startStandIn(options: ResolveOptions): Promise<ResolvedDatabase> {
  const classes = path.join(standinCache, 'classes');
  const lib = path.join(standinCache, 'lib');
  if (!existsSync(path.join(classes, 'StandIn.class'))) {
    throw new Error(
      'No database available: MONGODB_URI is unset, no mongod could be had, and the stand-in ' +
        'is not installed. Run `npm run standin` (needs Java 17 and Maven) or set MONGODB_URI.',
    );
  }
  const args = [
    '-Xmx512m',
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
    '-cp',
    `${classes}${path.delimiter}${lib}${path.sep}*`,
    'StandIn',
    String(options.standinPort ?? 0),
  ];
  let file: string | undefined;
  if (options.persist) {
    mkdirSync(options.dataDir, { recursive: true });
    file = path.resolve(options.dataDir, 'standin.mv.db');
    args.push(file);
  }
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const port = await waitForReady(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind: 'mongo-java-server',
    uri: `mongodb://127.0.0.1:${port}/`,
    description: `mongo-java-server stand-in on 127.0.0.1:${port} (${file ? `data in ${file}` : 'in memory'})`,
    stop: async () => {
      if (child.exitCode !== null) return;
      // SIGTERM lets H2 commit its last writes; a kill after 5 s is the last resort.
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

function waitForReady(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^READY (\d+)$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
    });
    child.once('error', (error) => reject(new Error(`Could not start java: ${error.message}`)));
    child.once('exit', (code) =>
      reject(new Error(`The stand-in exited (code ${code}) before it was ready:\n${stderr}`)),
    );
  });
}
