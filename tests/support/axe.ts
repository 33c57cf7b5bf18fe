import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './paths';

/** Where every check of the run appends one line, so the run ends with a per-page table. */
export const AXE_LOG = path.join(SCREENSHOTS, 'axe.jsonl');

export interface AxeCounts {
  page: string;
  url: string;
  critical: number;
  serious: number;
  moderate: number;
  minor: number;
}

/**
 * Runs axe-core on what the page shows now and returns its serious and critical findings, each
 * described for a bug report (`serious color-contrast: .badge`). Every call prints the page's
 * counts by impact and appends them to test-results/axe.jsonl: the bar is zero serious or
 * critical on every page a browser test visits, so each test calls this once per page.
 *
 * axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
 * not govern, so no context needs `bypassCSP`. It needs timers: in a context with JavaScript
 * disabled they never fire, so check the same HTML in a page with scripts (see confirmations.test.ts).
 */
export async function axeFindings(page: Page, name: string): Promise<string[]> {
  return (await runAxe(page, name)).serious;
}

/** axeFindings' counts and findings both; `pathname` names the page when `page` shows a copy of it. */
export async function runAxe(page: Page, name: string, pathname?: string): Promise<{ counts: AxeCounts; serious: string[] }> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
  );
  const count = (impact: string) => results.violations.filter((v) => v.impact === impact).length;
  const counts: AxeCounts = {
    page: name,
    url: pathname ?? new URL(page.url()).pathname,
    critical: count('critical'),
    serious: count('serious'),
    moderate: count('moderate'),
    minor: count('minor'),
  };
  mkdirSync(SCREENSHOTS, { recursive: true });
  appendFileSync(AXE_LOG, `${JSON.stringify(counts)}\n`);
  const described = results.violations.map(
    (v) => `${v.impact ?? 'unknown'} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  console.log(
    `axe ${name} (${counts.url}): critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}`,
    ...(described.length ? ['\n  ' + described.join('\n  ')] : []),
  );
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  return { counts, serious };
}
