import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentName } from '#seeds/data';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { signIn } from './app';

/**
 * `npm start` with WEB_CONCURRENCY=2 on the embedded database: the primary starts that database
 * once and seeds it, two workers serve from it, and they behave as one app.
 */
let app: AppProcess;
let dataDir: string;

/** Processes named `name` whose parent is `pid`: the workers are node, the stand-in database java. */
function children(pid: number, name = 'node'): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === pid && readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** CPU time a process has used, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'lsx-cluster-'));
  // No MONGODB_URI: the embedded database, which only the primary may start.
  app = await startApp({ WEB_CONCURRENCY: '2', MONGODB_URI: '', DATA_DIR: dataDir, SEED_ON_EMPTY: 'true' });
  for (let waited = 0; !app.output().includes('(2 workers)'); waited += 100) {
    if (waited > 60_000) throw new Error(`The workers did not both start:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
afterAll(async () => {
  await stopApp(app);
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('npm start with two workers', () => {
  it('starts the embedded database once, in the primary, and hands both workers its address', () => {
    const output = app.output();
    expect(output.match(/^Database: (mongo-java-server|mongodb-memory-server)/gm)).toHaveLength(1);
    expect(output.match(/^Database: MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/laoshanxing \(MONGODB_URI\)$/gm)).toHaveLength(2);
    expect(output.match(/demo data loaded/g)).toHaveLength(1);
  });

  it('both workers serve, and a session started on one is honoured on every request, whichever worker takes it', async () => {
    const workers = children(app.child.pid ?? 0);
    expect(workers).toHaveLength(2);
    const before = workers.map(cpuTicks);
    const cookie = await signIn(app.baseUrl, '13900000031');
    for (let round = 0; round < 5; round++) {
      const pages = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${app.baseUrl}/profile`, { headers: { Cookie: cookie }, redirect: 'manual' })),
      );
      for (const page of pages) {
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(residentName(30));
      }
    }
    // The primary hands connections out in turn: each worker did some of the work.
    workers.forEach((pid, i) => expect(cpuTicks(pid)).toBeGreaterThan(before[i] ?? 0));
  });

  it('stops every worker, and the database, on SIGTERM', async () => {
    const workers = children(app.child.pid ?? 0);
    const database = app.output().includes('mongo-java-server') ? children(app.child.pid ?? 0, 'java') : [];
    await stopApp(app);
    expect(app.child.exitCode).toBe(0);
    for (const pid of [...workers, ...database]) expect(alive(pid)).toBe(false);
    expect(app.output()).toContain('SIGTERM: shutting down 2 workers');
  });
});
