/**
 * npx tsx scripts/bundle-size.ts [build dir]: the JavaScript a browser fetches to load each public
 * page of the built app (`remix build` first), brotli-compressed, and whether any of it is zod.
 *
 * A page is its matched route chain (root, its layouts, the route) plus the client entry; each
 * module brings the chunks the manifest lists for it; a chunk shared by two of them counts once.
 * The framework floor is what every page pays: the entry (React, React DOM, Remix, i18next) and
 * root. The entry's one dynamic import (i18next-http-backend's fetch ponyfill) is left out: a
 * browser with `fetch` never loads it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

/** Public pages: anyone may open them without an account, and they take the traffic. */
export const PUBLIC_ROUTES: Record<string, string> = {
  home: 'routes/_index',
  competition: 'routes/competitions.$slug._index',
  list: 'routes/competitions.$slug.proposals._index',
  detail: 'routes/competitions.$slug.proposals.$number._index',
  vote: 'routes/competitions.$slug.vote._index',
  results: 'routes/competitions.$slug.results._index',
  dashboard: 'routes/dashboard',
  wishes: 'routes/wishes._index',
  wish: 'routes/wishes.$number',
  login: 'routes/login',
  register: 'routes/register',
};

/** Compressed script per page as served, in bytes (issue 13: a public page at most 150 KB). */
export const PUBLIC_PAGE_BUDGET = 150 * 1024;

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

export function publicPageBundles(buildDir: string): Record<string, PageBundle> {
  const manifest = readManifest(buildDir);
  return Object.fromEntries(Object.entries(PUBLIC_ROUTES).map(([page, id]) => [page, pageBundle(buildDir, id, manifest)]));
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const buildDir = path.resolve(process.argv[2] ?? 'public/build');
  const rows: [string, string, PageBundle][] = [
    ['framework floor', 'entry.client + root', frameworkFloor(buildDir)],
    ...Object.entries(publicPageBundles(buildDir)).map(([page, bundle]): [string, string, PageBundle] => [page, PUBLIC_ROUTES[page]!, bundle]),
  ];
  console.log('| page | route | files | raw KB | brotli q11 KB | brotli q4 (served) KB | zod |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [page, route, bundle] of rows) {
    console.log(`| ${page} | ${route} | ${bundle.files.length} | ${kb(bundle.raw)} | ${kb(bundle.brotli)} | ${kb(bundle.served)} | ${bundle.zod.length ? 'yes' : 'no'} |`);
  }
}
