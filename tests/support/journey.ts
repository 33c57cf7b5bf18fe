import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import mongoose, { type Types } from 'mongoose';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '#seeds/data';
import { runAxe, type AxeCounts } from './axe';
import { pageProblems, scriptsRun, touchProblems } from './browser';
import { SCREENSHOTS } from './paths';

/** One page of the whole-loop journey as it was checked: the note quotes these. */
export interface Look {
  name: string;
  path: string;
  lang: string;
  axe: AxeCounts;
  tabStops: number;
}

/**
 * Logs an account in through the login form (whatever language it shows), then makes the page
 * speak `language` with the header's language switch, as a person would. Works without
 * JavaScript: both are plain forms.
 */
export async function logInAs(page: Page, baseUrl: string, identifier: string, language: 'zh' | 'en'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('form[method=post] input[name=identifier]').fill(identifier);
  await page.locator('form[method=post] input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('form[method=post]:has(input[name=password]) button[type=submit]').click();
  await page.getByTestId('account-menu').waitFor();
  const want = language === 'zh' ? 'zh-CN' : 'en-US';
  if ((await page.locator('html').getAttribute('lang')) !== want) {
    await page.getByRole('button', { name: language === 'zh' ? '中文' : 'English' }).first().click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(want);
  }
}

/**
 * Body text: the size most of the page's characters are set in, and the body's own size. Both at
 * least 16 px (secondary text down to 15 px is touchProblems' floor).
 */
async function bodyTextSize(page: Page): Promise<{ body: number; dominant: number }> {
  return page.evaluate(() => {
    const bySize = new Map<number, number>();
    const root = document.querySelector('main') ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      const text = (node.textContent ?? '').trim();
      if (!el || !text || el.closest('.sr-only, script, style, svg') || el.getBoundingClientRect().width < 2) continue;
      const size = Math.round(parseFloat(getComputedStyle(el).fontSize) * 10) / 10;
      bySize.set(size, (bySize.get(size) ?? 0) + text.length);
    }
    const dominant = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    return { body: parseFloat(getComputedStyle(document.body).fontSize), dominant };
  });
}

/**
 * The keyboard walk: Tab from the top of the page through every control. Each control a pointer
 * could use (links, buttons, fields, summaries; one radio per group, as the keyboard moves
 * within a group with the arrows) must be reached in turn, and each, when focused, must show a
 * focus indicator (an outline or a box shadow) and be on screen. Pages with more controls than
 * `cap` are walked as far as the cap.
 */
export async function keyboardProblems(page: Page, cap = 160, retried = false): Promise<{ stops: number; unreached: string[]; noFocusRing: string[] }> {
  const total = await page.evaluate(() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
    const candidates = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => {
      if ((el as HTMLButtonElement).disabled || el.tabIndex < 0 || el.closest('[inert], [aria-hidden=true]')) return false;
      if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') return false;
      if (el.closest('details:not([open]) details')) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      const r = el.getBoundingClientRect();
      // Visually hidden skip links are reachable and appear when focused: they count.
      return (r.width > 0 && r.height > 0) || el.matches('.sr-only, .sr-only *');
    });
    document.querySelectorAll('[data-kb]').forEach((el) => el.removeAttribute('data-kb'));
    candidates.forEach((el, i) => {
      el.setAttribute('data-kb', String(i));
      const input = el as HTMLInputElement;
      if (el.tagName === 'INPUT' && input.type === 'radio' && input.name) el.setAttribute('data-kb-group', `${input.form?.id ?? ''}:${input.name}`);
    });
    // Tab starts where focus last was: a focusable, untabbable marker at the top starts it there.
    const start = document.createElement('span');
    start.tabIndex = -1;
    start.id = 'kb-start';
    document.body.prepend(start);
    start.focus();
    window.scrollTo(0, 0);
    return candidates.length;
  });
  const reached = new Set<number>();
  const groups = new Set<string>();
  const noFocusRing: string[] = [];
  let stops = 0;
  let previous = -2;
  // A date field takes a Tab per part (year, month, day): presses, not stops, are bounded loosely.
  for (let i = 0; i < Math.min(total * 3 + 5, cap * 3) && stops < cap; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body || el.id === 'kb-start') return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const r = el.getBoundingClientRect();
      const onScreen = r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
      return {
        kb: el.getAttribute('data-kb'),
        group: el.getAttribute('data-kb-group'),
        ring,
        onScreen,
        describe: `<${el.tagName.toLowerCase()}> "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30)}"`,
      };
    });
    if (!info) break;
    const index = info.kb === null ? -1 : Number(info.kb);
    if (index >= 0 && index === previous) continue;
    previous = index;
    if (index >= 0 && reached.has(index)) break;
    stops++;
    if (index >= 0) reached.add(index);
    if (info.group) groups.add(info.group);
    if (!info.ring || !info.onScreen) noFocusRing.push(`${info.describe}${info.ring ? '' : ' no focus ring'}${info.onScreen ? '' : ' off screen'}`);
  }
  // A page that re-rendered its elements during the walk (a late toast, a revalidation) lost the
  // marks: walk it again rather than report a walk over nothing.
  const marked = await page.evaluate(() => document.querySelectorAll('[data-kb]').length);
  if (total > 0 && marked === 0) {
    if (retried) throw new Error(`the page changed during two keyboard walks: ${page.url()}`);
    return keyboardProblems(page, cap, true);
  }
  const last = Math.max(-1, ...reached);
  const walkedAll = stops < cap;
  const unreached = await page.evaluate(
    ({ last, walkedAll, reached, groups }) =>
      [...document.querySelectorAll<HTMLElement>('[data-kb]')]
        .filter((el) => {
          const index = Number(el.getAttribute('data-kb'));
          if (reached.includes(index) || (!walkedAll && index > last)) return false;
          const group = el.getAttribute('data-kb-group');
          return !(group && groups.includes(group));
        })
        .map((el) => `<${el.tagName.toLowerCase()}> "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30)}"`),
    { last, walkedAll, reached: [...reached], groups: [...groups] },
  );
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.getElementById('kb-start')?.remove();
  });
  return { stops, unreached, noFocusRing };
}

/**
 * axe on what a page shows. Without JavaScript axe cannot run in the page (it waits on timers), so
 * the page's HTML, scripts removed, is loaded into a scratch page that runs them, with the same
 * viewport and the app's stylesheets: the same markup, checked.
 */
async function axeOn(page: Page, name: string, browser: Browser, baseUrl: string) {
  if (await scriptsRun(page)) return runAxe(page, name);
  const html = (await page.content())
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<head([^>]*)>/i, `<head$1><base href="${baseUrl}/">`);
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  try {
    const scratch = await context.newPage();
    await scratch.setContent(html, { waitUntil: 'load' });
    return await runAxe(scratch, `${name} (no-JS HTML)`, new URL(page.url()).pathname);
  } finally {
    await context.close();
  }
}

/**
 * Everything issue 19 asks of a page of the journey, asserted: `lang` of the language its name
 * says (`-zh-` / `-en-`), no control under 44 px and no text under 15 px, body text of at least
 * 16 px, no sideways scrolling, no raw i18n key, the keyboard reaches every control with a visible
 * focus, and axe finds nothing serious or critical. The full-page screenshot comes first.
 */
export async function journeyCheck(page: Page, name: string, browser: Browser, baseUrl: string): Promise<Look> {
  const lang = (await page.locator('html').getAttribute('lang')) ?? '';
  const language = name.includes('-en-') ? 'en-US' : name.includes('-zh-') ? 'zh-CN' : lang;
  expect(lang, `${name}: lang`).toBe(language);
  // The page as its reader sees it, before the keyboard walk blurs fields (and so validates them).
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const { smallTargets, smallText } = await touchProblems(page);
  const { overflowPx, tooWide, rawKeys } = await pageProblems(page);
  const sizes = await bodyTextSize(page);
  expect(
    { smallTargets, smallText, overflowPx, rawKeys, bodyAtLeast16: sizes.body >= 16 && sizes.dominant >= 16 },
    `${name} (${page.url()}) ${tooWide.join('; ')} body ${sizes.body}px, most text ${sizes.dominant}px`,
  ).toEqual({ smallTargets: [], smallText: [], overflowPx: 0, rawKeys: [], bodyAtLeast16: true });
  const keyboard = await keyboardProblems(page);
  expect({ unreached: keyboard.unreached, noFocusRing: keyboard.noFocusRing }, `${name}: keyboard`).toEqual({ unreached: [], noFocusRing: [] });
  const axe = await axeOn(page, name, browser, baseUrl);
  expect(axe.serious, `${name}: axe`).toEqual([]);
  return { name, path: new URL(page.url()).pathname, lang, axe: axe.counts, tabStops: keyboard.stops };
}

/**
 * Removes everything the journey made, so the other browser tests find the demo as seeded:
 * every document of every model that names the competition, or one of its projects or
 * proposals, the roles scoped to them, its notifications and audit entries, and the accounts
 * made for it (`extraUsers`).
 */
export async function cleanUpCompetition(competitionId: Types.ObjectId, slug: string, extraUsers: Types.ObjectId[] = []): Promise<void> {
  const models = Object.values(mongoose.models);
  const byCompetition = { competition: competitionId };
  const Project = mongoose.model('Project');
  const Proposal = mongoose.model('Proposal');
  const [projects, proposals] = await Promise.all([
    Project.find(byCompetition).select('_id').lean<{ _id: Types.ObjectId }[]>(),
    Proposal.find(byCompetition).select('_id').lean<{ _id: Types.ObjectId }[]>(),
  ]);
  const projectIds = projects.map((p) => p._id);
  const proposalIds = proposals.map((p) => p._id);
  const ids = [competitionId, ...projectIds, ...proposalIds];
  for (const model of models) {
    if (model.modelName === 'User' || model.modelName === 'Competition') continue;
    const filters: object[] = [];
    if (model.schema.path('competition')) filters.push(byCompetition);
    if (model.schema.path('project') && projectIds.length) filters.push({ project: mongoose.trusted({ $in: projectIds }) });
    if (model.schema.path('proposal') && proposalIds.length) filters.push({ proposal: mongoose.trusted({ $in: proposalIds }) });
    if (model.modelName === 'Notification') filters.push({ competitionSlug: slug });
    if (model.modelName === 'AuditLog') filters.push({ targetId: mongoose.trusted({ $in: ids.map(String) }) });
    if (model.modelName === 'Residency') filters.push({ scopeKey: `competition:${String(competitionId)}` });
    for (const filter of filters) await model.deleteMany(filter);
  }
  const User = mongoose.model('User');
  await User.updateMany({ 'roles.scopeId': mongoose.trusted({ $in: ids }) }, { $pull: { roles: { scopeId: mongoose.trusted({ $in: ids }) } } });
  if (extraUsers.length) await User.deleteMany({ _id: mongoose.trusted({ $in: extraUsers }) });
  await mongoose.model('Competition').deleteOne({ _id: competitionId });
}

