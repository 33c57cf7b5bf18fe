import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const building = Symbol.for('laoshanxing.tests.build');

/**
 * `npm run build` (the Remix build and server.ts bundled into build/server.js) once per test run,
 * however many projects' global setups ask for it (they run in one process; two builds at once
 * would write over each other's files).
 */
export function buildApp(): Promise<void> {
  const store = globalThis as { [building]?: Promise<void> };
  store[building] ??= Promise.resolve().then(() => {
    const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (built.status !== 0) throw new Error('npm run build failed');
  });
  return store[building];
}

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

/** Starts the built app as `npm start` does (plain node on build/server.js) and waits until /healthz answers. */
export async function startApp(env: Record<string, string>, port?: number): Promise<AppProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, ['build/server.js'], {
    // One process unless a test asks for workers: a test app starts its own database-backed server.
    env: { ...process.env, NODE_ENV: 'production', PORT: String(chosen), HOST: '127.0.0.1', COOKIE_SECURE: 'false', LOG_REQUESTS: 'false', WEB_CONCURRENCY: '1', PAGE_CACHE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://localhost:${chosen}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The app exited before it was ready:\n${output}`);
    if (await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`The app did not become ready in 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, child, output: () => output, exited };
}

/** Stops an app started by startApp and waits until it has exited. */
export async function stopApp(app: AppProcess): Promise<void> {
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
  await app.exited;
}
