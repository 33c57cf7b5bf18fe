import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_PAGE_BUDGET, PUBLIC_ROUTES, frameworkFloor, pageBundle } from '../../scripts/bundle-size';

/**
 * The script a public page makes a phone download, read from the build this project's global
 * setup made (scripts/bundle-size.ts counts it the way a browser fetches it). Zod is most of a
 * page's own script when a shared schema reaches the component; those forms validate on the
 * server, so zod has no business in the browser on these pages.
 */
const build = path.resolve('public/build');

describe('the JavaScript of a public page', () => {
  it.each(Object.entries(PUBLIC_ROUTES))('%s (%s) contains no zod', (_page, route) => {
    expect(pageBundle(build, route).zod).toEqual([]);
  });

  it.each(Object.entries(PUBLIC_ROUTES))('%s (%s) stays within 150 KB compressed as served', (_page, route) => {
    expect(pageBundle(build, route).served).toBeLessThanOrEqual(PUBLIC_PAGE_BUDGET);
  });

  it('is measured above a floor that leaves the pages room (entry and root under 120 KB)', () => {
    // Not the budget itself: a floor near 150 KB would mean the framework, not a page, needs work.
    expect(frameworkFloor(build).served).toBeLessThan(120 * 1024);
  });
});
