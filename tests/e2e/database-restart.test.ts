import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDatabase, type ResolvedDatabase } from '~/core/database-resolver.server';
import { fakePhone } from '#seeds/factories';
import { freePort, startApp, type AppProcess } from '../support/app-process';
import { lastCodeSentTo } from '../support/outbox';

/**
 * The database stops under a running app and comes back: meanwhile the app answers with a clear
 * error page and a failing health check, never a stack trace; afterwards it reconnects by itself
 * and nothing written before is lost. Uses the stand-in with its file backend on a fixed port.
 */
describe('the app survives its database restarting', () => {
  let dataDir: string;
  let port: number;
  let database: ResolvedDatabase | undefined;
  let app: AppProcess | undefined;

  const startDatabase = () => resolveDatabase({ persist: true, dataDir, skipMemoryServer: true, standinPort: port });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'lsx-restart-'));
    port = await freePort();
    database = await startDatabase();
    app = await startApp({ MONGODB_URI: `mongodb://127.0.0.1:${port}/restart`, SEED_ON_EMPTY: 'false' });
  });

  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers clearly while the database is down, and carries on after it returns', async () => {
    // Both steps of registering over plain HTTP: ask for a code, read it from the outbox, finish.
    const register = async (phone: string) => {
      const send = await fetch(`${app!.baseUrl}/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'zh-CN' },
        body: new URLSearchParams({ intent: 'send', identifier: phone }),
        redirect: 'manual',
      });
      if (send.status !== 303) return send;
      const cookie = send.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      return fetch(`${app!.baseUrl}/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'zh-CN', Cookie: cookie },
        body: new URLSearchParams({ intent: 'finish', code: (await lastCodeSentTo(phone)) ?? '', name: '重启前的居民', password: 'restart-proof-1', confirmPassword: 'restart-proof-1' }),
        redirect: 'manual',
      });
    };
    const [first, second] = [fakePhone(), fakePhone()];
    expect((await register(first)).status).toBe(303);

    await database!.stop();
    const health = await fetch(`${app!.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    const page = await fetch(`${app!.baseUrl}/`, { headers: { 'Accept-Language': 'zh-CN' } });
    expect(page.status).toBeGreaterThanOrEqual(500);
    const html = await page.text();
    expect(html).toContain('出了点问题');
    expect(html).not.toMatch(/at \w+ \(|MongoServerSelectionError|node_modules/);

    database = await startDatabase();
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${app!.baseUrl}/healthz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`no reconnection within 60 s:\n${app!.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const login = await fetch(`${app!.baseUrl}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: first, password: 'restart-proof-1' }),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    expect((await register(second)).status).toBe(303);
  });
});
