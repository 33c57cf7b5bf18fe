import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getEnv } from '~/core/env.server';

/** Debian's Chromium (scripts/setup.sh installs it), or CHROMIUM_PATH. */
export const CHROMIUM = getEnv().CHROMIUM_PATH;
export const SCREENSHOTS = path.resolve('test-results');

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

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
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
