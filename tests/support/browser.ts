import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '#seeds/data';
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
export async function scriptsRun(page: Page): Promise<boolean> {
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

/**
 * What an elderly resident's finger and eyes run into (issue 12 item 14): controls smaller than
 * 44x44 px, and text smaller than 15 px. Links inside running text are exempt (WCAG 2.5.8's
 * inline exception), as are controls inside a closed <details> and visually hidden skip links.
 */
export async function touchProblems(page: Page): Promise<{ smallTargets: string[]; smallText: string[] }> {
  return page.evaluate(() => {
    const describe = (el: Element, extra: string) =>
      `<${el.tagName.toLowerCase()}> ${extra} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 24)}"`;
    const smallTargets: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a, button, select, input:not([type=hidden]), textarea, summary, label')) {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
      const input = el as HTMLInputElement;
      if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(input.type) && el.closest('label')) continue;
      if (el.tagName === 'LABEL') {
        const label = el as HTMLLabelElement;
        const control = label.control;
        if (!control || !control.matches('[type=checkbox], [type=radio]')) continue;
      }
      const block = el.closest('p, li, td, dd');
      const inText = el.tagName === 'A' && block !== null && (block.textContent ?? '').trim().length > (el.textContent ?? '').trim().length + 6;
      if ((r.height < 44 || r.width < 44) && !inText) smallTargets.push(describe(el, `${Math.round(r.width)}x${Math.round(r.height)}`));
    }
    const smallText: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (!el || !(node.textContent ?? '').trim() || el.closest('.sr-only, script, style, noscript, details:not([open]) > :not(summary)')) continue;
      if (el.getBoundingClientRect().width < 2) continue;
      // SVG text is drawn at its viewBox scale: measure what is shown, not the declared size.
      const shown = el instanceof SVGElement ? el.getBoundingClientRect().height * 0.8 : parseFloat(getComputedStyle(el).fontSize);
      if (shown < 15) smallText.push(describe(el, `${shown.toFixed(1)}px`));
    }
    return { smallTargets: [...new Set(smallTargets)], smallText: [...new Set(smallText)] };
  });
}

/**
 * The checks a page gets before its screenshot (which runs axe): no tap target under 44 px, no
 * text under 15 px, nothing overflowing sideways, no untranslated key; with `tooWide`, no element
 * wider than the viewport either.
 */
export async function checkedScreenshot(page: Page, name: string, options: { tooWide?: boolean } = {}): Promise<string> {
  const { smallTargets, smallText } = await touchProblems(page);
  expect({ smallTargets, smallText }, name).toEqual({ smallTargets: [], smallText: [] });
  const { overflowPx, tooWide, rawKeys } = await pageProblems(page);
  expect({ overflowPx, rawKeys, tooWide: options.tooWide ? tooWide : [] }, name).toEqual({ overflowPx: 0, rawKeys: [], tooWide: [] });
  return screenshot(page, name);
}

/** Logs a demo account in on this page through the Chinese login form, as a resident would. */
export async function logIn(page: Page, baseUrl: string, identifier: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('手机号或电子邮箱').fill(identifier);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('account-menu').waitFor();
}

/** A new context (Chinese; sharp on a phone-sized viewport) with a demo account logged in. */
export async function signedInPage(browser: Browser, baseUrl: string, identifier: string, options: BrowserContextOptions = {}): Promise<Page> {
  const phone = options.viewport ? options.viewport.width < 500 : false;
  const context = await browser.newContext({ locale: 'zh-CN', deviceScaleFactor: phone ? 2 : 1, ...options });
  const page = await context.newPage();
  await logIn(page, baseUrl, identifier);
  return page;
}
