/**
 * The processes the web benchmark runs beside itself: the database (MONGODB_URI when set, else
 * the stand-in with a larger heap than the app's resolver gives it, since 10x data is a million
 * ballots), the counting proxy in front of it, and the bare server.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { getEnv } from '~/core/env.server';

export interface Database {
  /** mongodb://host:port (no database name). */
  address: string;
  description: string;
  /** The stand-in's process (none for MONGODB_URI). */
  pid?: number;
  stop(): Promise<void>;
}

function exitedPromise(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitedPromise(child);
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}

/** A real MongoDB at MONGODB_URI, or the stand-in in memory with the given heap. */
export async function startDatabase(heap: string): Promise<Database> {
  const uri = getEnv().MONGODB_URI;
  if (uri) {
    const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)/.exec(uri);
    if (!match) throw new Error(`MONGODB_URI is not a MongoDB URI: ${uri}`);
    return { address: match[1]!, description: 'MongoDB at MONGODB_URI', stop: async () => {} };
  }
  const cache = path.resolve('.cache', 'mongo-standin');
  if (!existsSync(path.join(cache, 'classes', 'StandIn.class'))) throw new Error('The stand-in is not installed: run `npm run standin`, or set MONGODB_URI.');
  const child = spawn(
    'java',
    [`-Xmx${heap}`, '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', `${path.join(cache, 'classes')}${path.delimiter}${path.join(cache, 'lib')}${path.sep}*`, 'StandIn', '0'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^READY (\d+)$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
    });
    child.once('error', (error) => reject(new Error(`Could not start java: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`The stand-in exited (code ${code}) before it was ready:\n${stderr}`)));
  });
  return { address: `mongodb://127.0.0.1:${port}`, description: `mongo-java-server stand-in (heap ${heap}), in memory`, pid: child.pid, stop: () => stopChild(child) };
}

/** A child running a TypeScript file under tsx with an IPC channel; resolves on its { ready: port }. */
async function forkReady(file: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.resolve(file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { ready?: number }) => (message.ready ? resolve(message.ready) : reject(new Error(`${file} did not start`))));
    child.once('exit', (code) => reject(new Error(`${file} exited (code ${code}) before it was ready`)));
  });
  return { child, port };
}

export interface CountingProxy {
  address: string;
  pid: number;
  /** The commands clients sent since the last call. */
  commands(): Promise<string[]>;
  /** The same, with the database's time for each one answered. */
  timedCommands(): Promise<{ commands: string[]; timed: { command: string; ms: number }[] }>;
  stop(): Promise<void>;
}

export async function startProxy(database: Database): Promise<CountingProxy> {
  const target = database.address.replace(/^mongodb:\/\//, '');
  const { child, port } = await forkReady('scripts/bench/db-proxy.ts', [target]);
  const ask = () =>
    new Promise<{ commands: string[]; timed: { command: string; ms: number }[] }>((resolve) => {
      const onMessage = (message: { commands?: string[]; timed?: { command: string; ms: number }[] }) => {
        if (!message.commands) return;
        child.off('message', onMessage);
        resolve({ commands: message.commands, timed: message.timed ?? [] });
      };
      child.on('message', onMessage);
      child.send({ type: 'commands' });
    });
  return {
    address: `mongodb://127.0.0.1:${port}`,
    pid: child.pid!,
    commands: () => ask().then((answer) => answer.commands),
    timedCommands: ask,
    stop: () => stopChild(child),
  };
}

export interface BareServer {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The bare node:http server answering with stored pages (see bare-server.ts). */
export async function startBare(pagesFile: string): Promise<BareServer> {
  const { child, port } = await forkReady('scripts/bench/bare-server.ts', [pagesFile]);
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
}
