import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import mongoose, { Types, type Connection } from 'mongoose';
import { inject } from 'vitest';
import { DEMO_PASSWORD } from '#seeds/data';
import { cachedHash } from '#seeds/factories';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';

export const DEMO_SLUG = '2026-laoshanxing';
export const ADMIN = 'admin@demo.laoshanxing.cn';

export interface HttpApp extends AppProcess {
  db: Connection;
  stop: () => Promise<void>;
}

/** The built app as `npm start` runs it, with the demo data, in a database of its own. */
export async function startHttpApp(name: string, env: Record<string, string> = {}): Promise<HttpApp> {
  const db = await mongoose.createConnection(withDbName(inject('mongoUri'), `lsx_http_${name}`)).asPromise();
  await db.dropDatabase();
  const app = await startApp({ MONGODB_URI: withDbName(inject('mongoUri'), `lsx_http_${name}`), SEED_ON_EMPTY: 'true', ...env });
  return {
    ...app,
    db,
    stop: async () => {
      await stopApp(app);
      await db.close();
    },
  };
}

/**
 * An account written straight into the app's database, for a role the demo has nobody in (a
 * resident with `grants` besides), that signs in by `email` and `password`.
 */
export async function insertAccount(db: Connection, account: { name: string; email: string; password: string; grants: { role: string; scopeType: string; scopeId: Types.ObjectId }[] }): Promise<void> {
  await db.collection('users').insertOne({
    name: account.name,
    email: account.email,
    emailProvenAt: new Date(),
    passwordHash: await cachedHash(account.password),
    language: 'zh',
    roles: [{ role: 'resident', scopeType: 'platform' }, ...account.grants].map((grant) => ({ _id: new Types.ObjectId(), ...grant })),
    searchText: account.email,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}

/** How many documents each collection holds: a refused request must leave every count as it was. */
export async function countAll(db: Connection): Promise<Record<string, number>> {
  const names = (await db.listCollections()).map((collection) => collection.name).sort();
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request exactly as written: any Host, any path (no client-side normalisation, unlike fetch),
 * never following redirects.
 */
export function raw(baseUrl: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: options.method ?? 'GET', path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Signs in with a demo account and returns the session cookie header. */
export async function signIn(baseUrl: string, identifier: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers,
    body: new URLSearchParams({ identifier, password: DEMO_PASSWORD }),
  });
  if (response.status !== 303) throw new Error(`signing in as ${identifier} answered ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

export interface ManifestRoute {
  id: string;
  /** The URL with demo values for its params. */
  url: string;
  index: boolean;
  hasAction: boolean;
  hasLoader: boolean;
}

const PARAM_VALUES: Record<string, string> = { slug: DEMO_SLUG, number: '1', userId: '64b000000000000000000001', fileId: '64b000000000000000000002', id: '64b000000000000000000003', milestone: '64b000000000000000000004', code: 'AAAABBBBCCCCDDDD' };

/** Every route of the server build (build/index.js exports `routes`), with params filled in. */
export function manifestRoutes(): ManifestRoute[] {
  const script = `import('./build/index.js').then((build) => console.log(JSON.stringify(Object.values(build.routes).map((r) => ({ id: r.id, parentId: r.parentId, path: r.path, index: Boolean(r.index), hasAction: Boolean(r.module.action), hasLoader: Boolean(r.module.loader) })))))`;
  const listed = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (listed.status !== 0) throw new Error(`reading the build's routes failed:\n${listed.stderr}`);
  const rows = JSON.parse(listed.stdout.trim().split('\n').pop() ?? '[]') as { id: string; parentId?: string; path?: string; index: boolean; hasAction: boolean; hasLoader: boolean }[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const fullPath = (id: string | undefined): string[] => {
    const row = id ? byId.get(id) : undefined;
    if (!row) return [];
    return [...fullPath(row.parentId), ...(row.path ? [row.path] : [])];
  };
  return rows
    .filter((row) => row.id !== 'root')
    .map((row) => {
      const segments = fullPath(row.id).flatMap((part) => part.split('/')).filter(Boolean);
      const filled = segments.map((segment) => {
        if (!segment.startsWith(':')) return segment;
        const name = segment.slice(1);
        const value = PARAM_VALUES[name];
        if (!value) throw new Error(`route ${row.id}: no demo value for :${name}`);
        return value;
      });
      return { id: row.id, url: `/${filled.join('/')}`, index: row.index, hasAction: row.hasAction, hasLoader: row.hasLoader };
    });
}

/** Remix single fetch: where a route's data request goes (`/x.data`, `/_root.data`, `?index`). */
export function dataUrl(route: ManifestRoute): string {
  const path = route.url === '/' ? '/_root.data' : `${route.url}.data`;
  return route.index ? `${path}?index` : path;
}

/** Whether a Location header, resolved as a browser would, stays on this site. */
export function staysOnSite(location: string, baseUrl: string): boolean {
  return new URL(location, baseUrl).origin === new URL(baseUrl).origin;
}
