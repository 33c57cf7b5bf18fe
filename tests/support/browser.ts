import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getEnv } from '~/core/env.server';
import { axeFindings } from './axe';
import { SCREENSHOTS } from './paths';

/** Debian's Chromium (scripts/setup.sh installs it), or CHROMIUM_PATH. */
export const CHROMIUM = getEnv().CHROMIUM_PATH;
export { SCREENSHOTS } from './paths';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Saves a full-page screenshot to look at, and runs axe on the same page: every page a browser
 * test photographs must have no serious or critical finding (this throws, naming them). In a
 * context with JavaScript disabled axe cannot run; the same HTML is checked where scripts run.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  if (await scriptsRun(page)) {
    const serious = await axeFindings(page, name);
    if (serious.length) throw new Error(`axe on ${name} (${page.url()}): ${serious.join('; ')}`);
  }
  return file;
}

/**
 * Whether the page runs its scripts. Playwright can still evaluate in a context with JavaScript
 * disabled, but timers never fire there, and axe waits on timers.
 */
async function scriptsRun(page: Page): Promise<boolean> {
  const probe = page.evaluate(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 0))).catch(() => false);
  return Promise.race([probe, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1500))]);
}

/**
 * What a look at a screenshot would catch first, as data: how many pixels the page is wider
 * than the window (sideways scrolling on a phone) and which elements stick out, and i18n keys
 * shown raw instead of text (`assist:consent.title`, `validation.witnessRequired`).
 */
export async function pageProblems(page: Page): Promise<{ overflowPx: number; tooWide: string[]; rawKeys: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const overflowPx = root.scrollWidth - root.clientWidth;
    // The innermost elements reaching past the right edge, described for a bug report.
    const tooWide =
      overflowPx > 0
        ? [...document.body.querySelectorAll<HTMLElement>('*')]
            .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
            .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
            .slice(0, 5)
            .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${(el.textContent ?? '').trim().slice(0, 40)}`)
        : [];
    const text = document.body.innerText;
    const namespaced = text.match(/\b[a-z]+:[a-z][A-Za-z]*(?:\.[A-Za-z]+)+\b/g) ?? [];
    const bare = text.match(/\b(?:validation|consent|fields|form|detail|register|residents|claim|claimPage|toast|nav|group)\.[a-z][A-Za-z.]*\b/g) ?? [];
    return { overflowPx, tooWide, rawKeys: [...namespaced, ...bare] };
  });
}
