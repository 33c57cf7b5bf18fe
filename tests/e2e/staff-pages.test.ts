import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import { Competition, JudgingSheet, MilestoneReport, Organization, Project, Proposal, User, VolunteerActivity, Wish } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { connectTo, disconnectDb } from '~/core/db.server';
import { axeFindings } from '../support/axe';
import { launchBrowser, logIn, pageProblems, SCREENSHOTS, touchProblems } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 19: every page staff use, opened by the role that uses it, in Chinese on a phone (touch)
 * and in English on a laptop. Each page: nothing wider than the window, no raw i18n key, the
 * html lang of the language, axe with no serious or critical finding, no visible control under
 * 44x44 px, body text of 16 px and no text under 15 px. A resident is refused a sample of them.
 * The pages are the demo's own (seeds/); the test changes nothing but the accounts' language,
 * which it puts back.
 */
const baseUrl = inject('baseUrl');
const Y25 = '/competitions/2025-laoshanxing';
const Y26 = '/competitions/2026-laoshanxing';

const SETUPS = [
  { key: 'zh-phone', language: 'zh', lang: 'zh-CN', options: { locale: 'zh-CN', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 } },
  { key: 'en-laptop', language: 'en', lang: 'en-US', options: { locale: 'en-US', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 } },
] as const;

interface Ids {
  committeeId: string;
  organizationId: string;
  projectNumber: number;
  milestoneId: string;
  leadPhone: string;
  activityNumber: number;
  lockedSheetNumber: number;
  wishNumber: number;
}

/** Who uses which pages; paths need the demo's ids, read once before the tests. */
const ROLES: { role: string; who: (ids: Ids) => string; pages: (ids: Ids) => string[] }[] = [
  {
    role: 'admin',
    who: () => 'admin@demo.laoshanxing.cn',
    pages: (ids) => ['/admin/users', `/admin/users/${ids.committeeId}`, '/admin/audit', '/admin/outbox', '/competitions/new', '/needs/categories', '/kiosks'],
  },
  {
    role: 'committee',
    who: () => 'committee@demo.laoshanxing.cn',
    pages: (ids) => [
      `${Y26}/manage`,
      `${Y26}/screening`,
      `${Y26}/voting/rules`,
      `${Y26}/voting/codes`,
      `${Y26}/judging`,
      `${Y26}/judging/assign`,
      `${Y26}/judging/rubric`,
      `${Y25}/voting`,
      `${Y25}/voting/anomalies`,
      `${Y25}/results/preview`,
      `${Y25}/projects/supervision`,
      `${Y25}/projects/${ids.projectNumber}`,
      `${Y25}/projects/${ids.projectNumber}/plan`,
      `${Y25}/projects/${ids.projectNumber}/milestones/${ids.milestoneId}`,
      `${Y25}/projects/${ids.projectNumber}/team`,
      `${Y25}/projects/${ids.projectNumber}/organization`,
      `${Y25}/projects/${ids.projectNumber}/resources`,
      `${Y25}/projects/${ids.projectNumber}/closing`,
      '/organizations',
      '/organizations/new',
      '/organizations/checklists',
      `/organizations/${ids.organizationId}/incubation`,
      '/resources',
      '/dashboard',
    ],
  },
  {
    role: 'grid worker',
    who: () => 'grid.shazikou@demo.laoshanxing.cn',
    pages: () => ['/assist', '/assist/verify', `${Y25}/vote/paper`, '/kiosks'],
  },
  {
    role: 'community worker',
    who: () => 'community.shazikou@demo.laoshanxing.cn',
    pages: (ids) => ['/needs/work', '/needs/work?view=verify', '/wishes/manage', '/wishes/new', `/wishes/${ids.wishNumber}/manage`],
  },
  { role: 'street committee', who: () => 'street.shazikou@demo.laoshanxing.cn', pages: () => ['/needs/helpers', '/needs/work'] },
  {
    role: 'judge',
    who: () => 'judge1@demo.laoshanxing.cn',
    pages: (ids) => [`${Y26}/judge`, `${Y25}/judge`, `${Y25}/judge/${ids.lockedSheetNumber}`],
  },
  {
    role: 'mentor',
    who: () => 'mentor@demo.laoshanxing.cn',
    pages: (ids) => [`/organizations/${ids.organizationId}/incubation`, `${Y25}/projects/${ids.projectNumber}/plan`, `${Y25}/projects/${ids.projectNumber}/team`],
  },
  {
    role: 'project team',
    who: (ids) => ids.leadPhone,
    pages: (ids) => [
      `${Y25}/projects/${ids.projectNumber}`,
      `${Y25}/projects/${ids.projectNumber}/plan`,
      `${Y25}/projects/${ids.projectNumber}/milestones/${ids.milestoneId}`,
      `${Y25}/projects/${ids.projectNumber}/team`,
      `${Y25}/projects/${ids.projectNumber}/resources`,
      `${Y25}/projects/${ids.projectNumber}/closing`,
      '/volunteers/new',
      `/volunteers/${ids.activityNumber}/manage`,
    ],
  },
];

/** Logs in through the login form of the context's language. */
async function logInAs(page: Page, identifier: string, language: 'zh' | 'en') {
  if (language === 'zh') return logIn(page, baseUrl, identifier);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Mobile number or e-mail').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByTestId('account-menu').waitFor();
}

/** Every key of every namespace ("sheet.submit", "judging:sheet.submit"): shown as text, one is untranslated. */
const LOCALE_KEYS = (() => {
  const keys = new Set<string>();
  const walk = (ns: string, prefix: string, value: unknown) => {
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(ns, prefix ? `${prefix}.${k}` : k, v);
    } else if (prefix.includes('.')) {
      const key = prefix.replace(/_(zero|one|two|few|many|other)$/, '');
      keys.add(key).add(`${ns}:${key}`);
    }
  };
  const dir = resolve('public/locales/en');
  for (const file of readdirSync(dir)) walk(file.replace(/\.json$/, ''), '', JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return keys;
})();

/**
 * Keyboard use: the first stops of Tab each land on a control that is on screen and drawn with a
 * focus ring, and no visible control is taken out of the tab order.
 */
async function keyboardProblems(page: Page, stops = 6): Promise<string[]> {
  const found: string[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < stops; i += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        what: `<${el.tagName.toLowerCase()}> "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 24)}"`,
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
        shown: r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0 && r.left < innerWidth,
      };
    });
    if (!focus) break;
    if (!focus.ring) found.push(`focus without a ring on ${focus.what}`);
    if (!focus.shown) found.push(`focus off screen on ${focus.what}`);
  }
  const untabbable = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary')]
      .filter((el) => el.tabIndex < 0 && !(el as HTMLButtonElement).disabled && el.getBoundingClientRect().width > 1 && !el.closest('[inert], [aria-hidden=true]'))
      .map((el) => `<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 24)}"`),
  );
  return [...found, ...untabbable.map((u) => `not reachable by Tab: ${u}`)];
}

/** Everything wrong with the page now, each as one line naming it. */
async function problemsOf(page: Page, name: string, lang: string): Promise<string[]> {
  const found: string[] = [];
  const shown = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
    lang: document.documentElement.lang,
    bodyPx: parseFloat(getComputedStyle(document.body).fontSize),
  }));
  if (shown.scrollWidth > shown.innerWidth + 1) {
    const { tooWide } = await pageProblems(page);
    found.push(`overflow ${shown.scrollWidth - shown.innerWidth}px: ${tooWide.join(' | ')}`);
  }
  if (shown.lang !== lang) found.push(`html lang ${shown.lang}`);
  if (shown.bodyPx < 16) found.push(`body text ${shown.bodyPx}px`);
  const { rawKeys } = await pageProblems(page);
  const text = await page.evaluate(() => document.body.innerText);
  const keyLike = (text.match(/(?<![\w@.])(?:[a-z][A-Za-z]*:)?[a-z][A-Za-z]*(?:\.[A-Za-z_]+)+/g) ?? []).filter((k) => LOCALE_KEYS.has(k));
  if (rawKeys.length || keyLike.length) found.push(`raw keys ${[...new Set([...rawKeys, ...keyLike])].join(', ')}`);
  const { smallTargets, smallText } = await touchProblems(page);
  found.push(...smallTargets.map((t) => `target ${t}`), ...smallText.map((t) => `text ${t}`));
  found.push(...(await axeFindings(page, name)).map((f) => `axe ${f}`));
  found.push(...(await keyboardProblems(page)));
  return found;
}

describe('staff pages on a phone in Chinese and on a laptop in English', () => {
  let browser: Browser;
  let ids: Ids;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    const [c25, committee, judge, communityWorker] = await Promise.all([
      Competition.findOne({ slug: '2025-laoshanxing' }).select('_id').lean(),
      User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean(),
      User.findOne({ email: 'judge1@demo.laoshanxing.cn' }).select('_id').lean(),
      User.findOne({ email: 'community.shazikou@demo.laoshanxing.cn' }).select('_id').lean(),
    ]);
    // A report the committee has reviewed or is to review, of a project whose lead has a login.
    const report = (await MilestoneReport.findOne({ competition: c25!._id, status: mongoose.trusted({ $ne: 'draft' }) }).sort({ submittedAt: 1 }).select('project milestone').lean())!;
    const project = (await Project.findById(report.project).select('number team organization').lean())!;
    const lead = (await User.findOne({ _id: mongoose.trusted({ $in: project.team }), phone: mongoose.trusted({ $exists: true }) }).select('_id phone').lean())!;
    const [activity, sheet, wish, organization] = await Promise.all([
      VolunteerActivity.findOne({ createdBy: lead._id }).sort({ number: 1 }).select('number').lean(),
      JudgingSheet.findOne({ competition: c25!._id, judge: judge!._id, status: 'submitted' }).select('proposal').lean(),
      Wish.findOne({ registeredBy: communityWorker!._id }).sort({ number: 1 }).select('number').lean(),
      // The demo mentor's first organization: an incubation page with checklists part-done.
      User.findOne({ email: 'mentor@demo.laoshanxing.cn' }).select('roles').lean().then((m) => Organization.findById(m!.roles.find((r) => r.scopeType === 'organization')!.scopeId).select('_id').lean()),
    ]);
    const proposal = (await Proposal.findById(sheet!.proposal).select('number').lean())!;
    ids = {
      committeeId: String(committee!._id),
      organizationId: String(organization!._id),
      projectNumber: project.number,
      milestoneId: String(report.milestone),
      leadPhone: lead.phone!,
      activityNumber: activity!.number,
      lockedSheetNumber: proposal.number,
      wishNumber: wish!.number,
    };
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await disconnectDb();
  });

  for (const { role, who, pages } of ROLES) {
    for (const setup of SETUPS) {
      it(`${role}, ${setup.key}: every page fits, is translated and passes axe, targets and type sizes`, async () => {
        const identifier = who(ids);
        const account = { $or: [{ email: identifier }, { phone: identifier }] };
        // The profile's language outranks the browser's: the laptop set-up signs in as an English user.
        const before = (await User.findOne(mongoose.trusted(account)).select('language').lean())!.language;
        await User.updateOne(mongoose.trusted(account), { $set: { language: setup.language } });
        let context: BrowserContext | undefined;
        const found: string[] = [];
        try {
          context = await browser.newContext(setup.options);
          const page = await context.newPage();
          await logInAs(page, identifier, setup.language);
          for (const path of pages(ids)) {
            const response = await page.goto(`${baseUrl}${path}`);
            const name = `staff${path.replaceAll(/[0-9a-f]{24}/g, 'id').replaceAll(/[/?=]/g, '-')}-${role.replaceAll(' ', '-')}-${setup.key}`;
            if (response?.status() !== 200 || new URL(page.url()).pathname !== path.split('?')[0]) {
              found.push(`${path}: status ${response?.status()} at ${page.url()}`);
              continue;
            }
            // JPEG: a hundred full-page shots encode in a fraction of PNG's time, and still show the layout.
            await page.screenshot({ path: `${SCREENSHOTS}/${name}.jpg`, fullPage: true, type: 'jpeg', quality: 70 });
            found.push(...(await problemsOf(page, name, setup.lang)).map((p) => `${path}: ${p}`));
          }
          if (role === 'judge') {
            // A submitted sheet is locked: no save or submit to press, and the page says why.
            expect(await page.getByRole('button', { name: setup.language === 'zh' ? '提交评分' : 'Submit scores' }).count()).toBe(0);
            expect(await page.getByTestId('sheet-locked').isVisible()).toBe(true);
          }
        } finally {
          await context?.close();
          await User.updateOne(mongoose.trusted(account), { $set: { language: before } });
        }
        expect(found).toEqual([]);
      });
    }
  }

  it('a resident is refused the staff pages', async () => {
    const context = await browser.newContext(SETUPS[0].options);
    const page = await context.newPage();
    await logIn(page, baseUrl, '13900000005');
    const let_in: string[] = [];
    for (const path of ['/admin/users', '/admin/audit', `${Y26}/manage`, `${Y26}/screening`, `${Y25}/voting`, `${Y26}/judging/assign`, `${Y26}/judge`, `${Y25}/projects/supervision`, '/assist', '/wishes/manage', '/resources', '/needs/helpers']) {
      const response = await page.goto(`${baseUrl}${path}`);
      const refused = response?.status() === 403 || new URL(page.url()).pathname !== path;
      if (!refused) let_in.push(`${path}: ${response?.status()}`);
    }
    expect(let_in).toEqual([]);
    await context.close();
  });
});
