import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_PAGE_BUDGET, PUBLIC_ROUTES, SIGNED_IN_PAGE_BUDGET, frameworkFloor, pageRouteIds, pageRows } from '../../scripts/bundle-size';

/**
 * The script each page makes a phone download, read from the build this project's global setup
 * made (scripts/bundle-size.ts counts it the way a browser fetches it). Zod is most of a page's
 * own script when a shared schema reaches the component; the public pages' forms validate on the
 * server, so zod has no business in the browser there (decision 015).
 */
const build = path.resolve('public/build');
const serverBuild = path.resolve('build/index.js');
const rows = pageRows(build, serverBuild);
const publicRows = rows.filter((row) => row.publicName);
const signedInRows = rows.filter((row) => !row.publicName);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The route folders of app/routes whose module exports a component: what the build must list. */
function sourcePages(): string[] {
  const routes = path.resolve('app/routes');
  return readdirSync(routes, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => {
      const file = ['route.tsx', 'route.ts'].map((name) => path.join(routes, entry.name, name)).find((candidate) => existsSync(candidate));
      return file !== undefined && /^export default\b|^export \{[^}]*\bas default\b/m.test(readFileSync(file, 'utf8'));
    })
    .map((entry) => `routes/${entry.name}`)
    .sort();
}

describe('the JavaScript of every page', () => {
  it('measures every page route of app/routes, so a new page cannot escape its budget', () => {
    expect(pageRouteIds(serverBuild)).toEqual(sourcePages());
    expect(rows.map((row) => row.id).sort()).toEqual(sourcePages());
  });

  it('names only pages of the build as public', () => {
    const ids = new Set(rows.map((row) => row.id));
    expect(Object.values(PUBLIC_ROUTES).filter((id) => !ids.has(id))).toEqual([]);
    expect(publicRows).toHaveLength(Object.keys(PUBLIC_ROUTES).length);
  });

  it.each(publicRows.map((row) => [row.publicName, row.id, row]))('public page %s (%s) contains no zod', (_name, _id, row) => {
    expect(row.bundle.zod).toEqual([]);
  });

  it.each(publicRows.map((row) => [row.publicName, row.id, row]))(`public page %s (%s) stays within ${kb(PUBLIC_PAGE_BUDGET)} compressed as served`, (_name, _id, row) => {
    expect(row.budget).toBe(PUBLIC_PAGE_BUDGET);
    expect(row.bundle.served, kb(row.bundle.served)).toBeLessThanOrEqual(PUBLIC_PAGE_BUDGET);
  });

  it.each(signedInRows.map((row) => [row.id, row]))(`signed-in page %s stays within ${kb(SIGNED_IN_PAGE_BUDGET)} compressed as served`, (_id, row) => {
    expect(row.budget).toBe(SIGNED_IN_PAGE_BUDGET);
    expect(row.bundle.served, kb(row.bundle.served)).toBeLessThanOrEqual(SIGNED_IN_PAGE_BUDGET);
  });

  it('is measured above a floor that leaves the pages room (entry and root under 120 KB)', () => {
    // Not the budget itself: a floor near 150 KB would mean the framework, not a page, needs work.
    expect(frameworkFloor(build).served).toBeLessThan(120 * 1024);
  });
});
