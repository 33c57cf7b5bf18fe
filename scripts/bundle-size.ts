/**
 * npm run bundle-size [client build dir] [server build] (after `npm run build`): the JavaScript a
 * browser fetches to load each page of the built app, brotli-compressed, whether any of it is zod,
 * and the page's budget. Prints a markdown table; exits non-zero when a page is over its budget
 * or a public page carries zod (tests/http/bundle-budget.test.ts checks the same).
 *
 * The pages are every route of the server build whose module has a default export (a component),
 * root aside: resource and action-only routes send no script. A page is its matched route chain
 * (root, its layouts, the route) plus the client entry; each module brings the chunks the browser
 * manifest lists for it; a chunk shared by two of them counts once. The framework floor is what
 * every page pays: the entry (React, React DOM, Remix, i18next) and root. The entry's one dynamic
 * import (i18next-http-backend's fetch ponyfill) is left out: a browser with `fetch` never loads it.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

/**
 * Public pages: anyone may open them without an account (each answers an anonymous GET with the
 * page, not a redirect to sign-in), and they take the traffic. The ballot page asks for an
 * account but is every voter's, on whatever phone they have, so it is held to the same budget.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  home: 'routes/_index',
  competitionLayout: 'routes/competitions.$slug',
  competition: 'routes/competitions.$slug._index',
  list: 'routes/competitions.$slug.proposals._index',
  detail: 'routes/competitions.$slug.proposals.$number._index',
  vote: 'routes/competitions.$slug.vote._index',
  tally: 'routes/competitions.$slug.vote.results',
  results: 'routes/competitions.$slug.results._index',
  projects: 'routes/competitions.$slug.projects._index',
  project: 'routes/competitions.$slug.projects.$number',
  dashboard: 'routes/dashboard',
  wishes: 'routes/wishes._index',
  wish: 'routes/wishes.$number',
  needs: 'routes/needs._index',
  need: 'routes/needs.$number',
  needShare: 'routes/needs.$number_.share',
  volunteers: 'routes/volunteers._index',
  activity: 'routes/volunteers.$number',
  volunteerTotals: 'routes/volunteers.totals',
  certificate: 'routes/volunteers.certificates.$code',
  organizations: 'routes/organizations._index',
  organization: 'routes/organizations.$id',
  partner: 'routes/resources.partners.$id',
  kiosk: 'routes/kiosk._index',
  kioskDone: 'routes/kiosk.done',
  login: 'routes/login',
  register: 'routes/register',
  recover: 'routes/login_.recover',
  claim: 'routes/claim',
};

/** Compressed script per page as served, in bytes (issue 13: a public page at most 150 KB). */
export const PUBLIC_PAGE_BUDGET = 150 * 1024;

/**
 * Every other page (signed-in residents, committees, staff), in bytes: these may validate forms
 * on the client with zod (decision 015), but a page that grows past this has taken in something
 * it should not have (docs/decisions/018-benchmark.md, "JS per page").
 */
export const SIGNED_IN_PAGE_BUDGET = 250 * 1024;

/**
 * Strings zod's runtime carries in every build, minified or not (zod 4's classes are named
 * through `$constructor("$ZodType", …)`, its error class is `ZodError`).
 */
const ZOD_SIGNATURE = /\$ZodType|ZodError/;

interface ManifestModule {
  module: string;
  imports?: string[];
}
interface ManifestRoute extends ManifestModule {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}
interface Manifest {
  entry: ManifestModule;
  routes: Record<string, ManifestRoute>;
}

export interface PageBundle {
  files: string[];
  /** Uncompressed bytes. */
  raw: number;
  /** Brotli bytes at quality 11 (a static pre-compressor's setting). */
  brotli: number;
  /** Brotli bytes at quality 4: what server.ts's `compression()` sends today, the budget's figure. */
  served: number;
  /** The files among them that contain zod. */
  zod: string[];
}

export function readManifest(buildDir: string): Manifest {
  const name = readdirSync(buildDir).find((file) => /^manifest-[A-Z0-9]+\.js$/.test(file));
  if (!name) throw new Error(`No manifest in ${buildDir}: run \`npx remix build\` first`);
  const source = readFileSync(path.join(buildDir, name), 'utf8');
  return JSON.parse(source.replace(/^window\.__remixManifest=/, '').replace(/;\s*$/, '')) as Manifest;
}

function modulesOf(item: ManifestModule): string[] {
  return [item.module, ...(item.imports ?? [])];
}

/** The route and its ancestors up to root, root first. */
function chain(manifest: Manifest, routeId: string): ManifestRoute[] {
  const routes: ManifestRoute[] = [];
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`No route ${id} in the manifest`);
    routes.unshift(route);
  }
  return routes;
}

interface FileSize {
  url: string;
  raw: number;
  brotli: number;
  served: number;
  zod: boolean;
}

// Every page shares the entry and root (a third of a megabyte): compress each file once.
const measured = new Map<string, FileSize>();

function measureFile(buildDir: string, url: string): FileSize {
  // Manifest URLs are /build/…, the files live in the build directory (names carry a content hash).
  const file = path.join(buildDir, url.replace(/^\/build\//, ''));
  const known = measured.get(file);
  if (known) return known;
  const text = readFileSync(file);
  const size = {
    url,
    raw: text.length,
    brotli: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    served: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length,
    zod: ZOD_SIGNATURE.test(text.toString('utf8')),
  };
  measured.set(file, size);
  return size;
}

export function measure(buildDir: string, urls: string[]): PageBundle {
  const files = [...new Set(urls)];
  const sizes = files.map((url) => measureFile(buildDir, url));
  return {
    files,
    raw: sizes.reduce((sum, file) => sum + file.raw, 0),
    brotli: sizes.reduce((sum, file) => sum + file.brotli, 0),
    served: sizes.reduce((sum, file) => sum + file.served, 0),
    zod: sizes.filter((file) => file.zod).map((file) => file.url),
  };
}

export function frameworkFloor(buildDir: string, manifest = readManifest(buildDir)): PageBundle {
  return measure(buildDir, [...modulesOf(manifest.entry), ...modulesOf(manifest.routes.root!)]);
}

export function pageBundle(buildDir: string, routeId: string, manifest = readManifest(buildDir)): PageBundle {
  return measure(buildDir, [...modulesOf(manifest.entry), ...chain(manifest, routeId).flatMap(modulesOf)]);
}

/**
 * The ids of the page routes in the server build: those whose module has a default export. The
 * browser manifest cannot tell (it lists a chunk for every route, and a resource route's chunk is
 * an empty module with a default export of its own), so a separate node reads the server build:
 * importing it here would load a second copy of the app's models into the caller's process.
 */
export function pageRouteIds(serverBuild: string): string[] {
  const script = `const build = await import(${JSON.stringify(pathToFileURL(serverBuild).href)});
const pages = Object.entries(build.routes).filter(([id, route]) => id !== 'root' && typeof route.module.default === 'function');
process.stdout.write(JSON.stringify(pages.map(([id]) => id)));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  return (JSON.parse(output) as string[]).sort();
}

/** The route's URL pattern, its ancestors' paths joined: `/competitions/:slug/proposals/:number`. */
export function urlPattern(manifest: Manifest, routeId: string): string {
  const parts = chain(manifest, routeId).map((route) => route.path ?? '').filter(Boolean);
  return `/${parts.join('/')}`;
}

export interface PageRow {
  id: string;
  url: string;
  /** The public page's name in PUBLIC_ROUTES, or null for a page behind sign-in. */
  publicName: string | null;
  budget: number;
  bundle: PageBundle;
  /** Within its budget, and no zod if public. */
  ok: boolean;
  /** A layout whose index route takes its URL: never the last of a chain, measured all the same. */
  layout: boolean;
}

/** Every page of the build with its bundle and budget, the largest first. */
export function pageRows(buildDir: string, serverBuild: string): PageRow[] {
  const manifest = readManifest(buildDir);
  const publicNames = new Map(Object.entries(PUBLIC_ROUTES).map(([name, id]) => [id, name]));
  const rows = pageRouteIds(serverBuild).map((id): PageRow => {
    const bundle = pageBundle(buildDir, id, manifest);
    const publicName = publicNames.get(id) ?? null;
    const budget = publicName ? PUBLIC_PAGE_BUDGET : SIGNED_IN_PAGE_BUDGET;
    return {
      id,
      url: urlPattern(manifest, id),
      publicName,
      budget,
      bundle,
      ok: bundle.served <= budget && !(publicName && bundle.zod.length),
      layout: Object.values(manifest.routes).some((route) => route.parentId === id && route.index),
    };
  });
  return rows.sort((a, b) => b.bundle.served - a.bundle.served || a.id.localeCompare(b.id));
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** The per-page table `npm run bundle-size` and `npm run bench` print. */
export function formatPageTable(floor: PageBundle, rows: readonly PageRow[]): string {
  const lines = [
    '| route | URL | set | files | brotli q4 (served) KB | brotli q11 KB | zod | budget KB | ok |',
    '|---|---|---|---|---|---|---|---|---|',
    `| framework floor | (every page) | | ${floor.files.length} | ${kb(floor.served)} | ${kb(floor.brotli)} | ${floor.zod.length ? 'yes' : 'no'} | | |`,
  ];
  for (const row of rows) {
    const set = row.publicName ? `public (${row.publicName})` : 'signed-in';
    const url = row.layout ? `${row.url} (layout)` : row.url;
    lines.push(
      `| ${row.id.replace(/^routes\//, '')} | ${url} | ${set} | ${row.bundle.files.length} | ${kb(row.bundle.served)} | ${kb(row.bundle.brotli)} | ${row.bundle.zod.length ? 'yes' : 'no'} | ${kb(row.budget)} | ${row.ok ? 'yes' : '**NO**'} |`,
    );
  }
  const over = rows.filter((row) => !row.ok).length;
  lines.push('', `${rows.length} pages, ${rows.filter((row) => row.publicName).length} public; ${over ? `${over} over budget or public with zod` : 'all within budget'}.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const buildDir = path.resolve(process.argv[2] ?? 'public/build');
  const serverBuild = path.resolve(process.argv[3] ?? 'build/index.js');
  const rows = pageRows(buildDir, serverBuild);
  console.log(formatPageTable(frameworkFloor(buildDir), rows));
  if (rows.some((row) => !row.ok)) process.exitCode = 1;
}

