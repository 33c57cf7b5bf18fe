/**
 * `npm run bench:memory -- [--snapshot] [--env KEY=VALUE ...] [--node-options "..."]`:
 * what the app's memory is made of at the benchmark's peak (docs/decisions/018). The same data
 * as `npm run bench` (data.ts), the built app started as the benchmark starts it, then the loads
 * that make the peak, in the benchmark's order: the list at 200 connections (400 requests),
 * ballot POSTs at 50 connections (3 s) and at 200 (400 requests). For each load it prints the
 * peak RSS (until the app is idle again) and V8's heap at its largest (from --trace-gc: used
 * before a collection, and committed); with --snapshot it writes a heap snapshot 2.5 s into each
 * load (SIGUSR2) and prints its largest constructors (heap-summary.ts). A diagnostic, not a
 * figure: `npm run bench` measures.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { connectTo, disconnectDb, ensureIndexes } from '~/core/db.server';
import { seedDemo } from '../../seeds/seed';
import { freePort } from '../../tests/support/app-process';
import { generate, prng } from './data';
import { summarize } from './heap-summary';
import { load, rssSampler, settle } from './load';
import { startDatabase } from './processes';

const { values } = parseArgs({
  options: { 'node-options': { type: 'string', default: '' }, env: { type: 'string', multiple: true, default: [] }, snapshot: { type: 'boolean', default: false } },
});
const SECRET = 'bench-session-secret-0123456789abcdef';
const DB_NAME = 'lsx_memory_probe';
const log = (message: string) => console.log(`[memory] ${message}`);

/** The largest heap --trace-gc reported in `output` since `from`: used before a collection, committed. */
function gcPeak(output: string): { usedMb: number; committedMb: number; collections: number } {
  let usedMb = 0;
  let committedMb = 0;
  let collections = 0;
  for (const match of output.matchAll(/(?:Scavenge|Mark-Compact|Mark-sweep)[^\n]*?([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/g)) {
    collections++;
    usedMb = Math.max(usedMb, Number(match[1]));
    committedMb = Math.max(committedMb, Number(match[2]), Number(match[4]));
  }
  return { usedMb, committedMb, collections };
}

/** VmRSS split into anonymous memory (heaps, buffers) and file-backed pages (node's own code). */
function memory(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return `RSS ${kb('VmRSS').toFixed(0)} MB (anonymous ${kb('RssAnon').toFixed(0)}, files ${kb('RssFile').toFixed(0)})`;
}

const work = mkdtempSync(path.join(tmpdir(), 'lsx-memory-'));
const database = await startDatabase('3g');
try {
  await connectTo({ uri: `${database.address}/${DB_NAME}`, dbName: DB_NAME });
  await mongoose.connection.dropDatabase();
  await ensureIndexes();
  await seedDemo();
  const data = await generate(SECRET);
  await disconnectDb();
  const extraEnv = Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  // Started as startApp starts it, with V8 flags of its own (NODE_OPTIONS refuses --trace-gc).
  const port = await freePort();
  const child = spawn(process.execPath, ['--trace-gc', '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${work}`, ...values['node-options'].split(' ').filter(Boolean), 'build/server.js'], {
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS')),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      COOKIE_SECURE: 'false',
      LOG_REQUESTS: 'false',
      WEB_CONCURRENCY: '1',
      PAGE_CACHE_SECONDS: '0',
      MONGODB_URI: `${database.address}/${DB_NAME}`,
      SESSION_SECRET: SECRET,
      SEED_ON_EMPTY: 'false',
      DATA_DIR: dataDir,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  while (!(await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`the app exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const app = { baseUrl, child, output: () => output };
  const pid = app.child.pid!;
  log(`app pid ${pid}, node options "${values['node-options']}", env ${JSON.stringify(extraEnv)}`);
  const competition = `/competitions/${data.slug}`;
  const random = prng(7);
  let nextVoter = 0;
  const ballot = () => {
    const chosen = new Set<number>();
    const k = 1 + Math.floor(random() * 5);
    while (chosen.size < k) chosen.add(data.numbers[Math.floor(random() * data.numbers.length)]!);
    return new URLSearchParams([['intent', 'cast'], ...[...chosen].map((n) => ['choice', String(n)])]).toString();
  };
  const ballots = (connections: number, seconds: number, amount?: number) => () =>
    load({
      url: `${app.baseUrl}${competition}/vote`,
      connections,
      seconds,
      amount,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.baseUrl },
      next: () => ({ headers: { Cookie: data.voters[nextVoter++ % data.voters.length]!.cookie }, body: ballot() }),
    });
  // In the benchmark's order: the list's p95 run, then its ballot runs at 50 and at 200.
  const loads = {
    'list @200': () => load({ url: `${app.baseUrl}${competition}/proposals`, connections: 200, seconds: 10, amount: 400 }),
    'ballot POST @50': ballots(50, 3),
    'ballot POST @200': ballots(200, 10, 400),
  };
  // Warm: the first requests compile and fill pools, as the benchmark's earlier figures do.
  await load({ url: `${app.baseUrl}${competition}/proposals`, connections: 10, seconds: 2 });
  await settle([pid]);
  log(`warm and idle: ${memory(pid)}`);
  const whole = rssSampler(pid);
  for (const [name, run] of Object.entries(loads)) {
    const before = app.output().length;
    const rss = rssSampler(pid);
    const snapshot = values.snapshot ? setTimeout(() => process.kill(pid, 'SIGUSR2'), 2_500) : undefined;
    const result = await run();
    clearTimeout(snapshot);
    log(`${name} at the end of the load: ${memory(pid)}`);
    // The work of requests whose clients gave up goes on: the peak can come after the load.
    await settle([pid]);
    const peak = rss.stop();
    const gc = gcPeak(app.output().slice(before));
    log(`${name}: ${result.responses} answers, p95 ${result.p95.toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MB (until idle again); V8 heap at most ${gc.usedMb.toFixed(0)} MB used, ${gc.committedMb.toFixed(0)} MB committed (${gc.collections} collections)`);
    if (values.snapshot) {
      // Written in the app's own time: wait until the file stops growing.
      for (let size = -1; ; ) {
        await new Promise((r) => setTimeout(r, 2_000));
        const files = readdirSync(work).filter((f) => f.endsWith('.heapsnapshot'));
        const now = files.reduce((sum, f) => sum + statSync(path.join(work, f)).size, 0);
        if (files.length && now === size) break;
        size = now;
      }
      for (const file of readdirSync(work).filter((f) => f.endsWith('.heapsnapshot'))) {
        log(`${name}: snapshot ${file}`);
        console.log(summarize(path.join(work, file), 25));
        rmSync(path.join(work, file));
      }
    }
  }
  log(`peak RSS over all loads: ${whole.stop().toFixed(0)} MB`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
} finally {
  await database.stop();
  rmSync(work, { recursive: true, force: true });
}
