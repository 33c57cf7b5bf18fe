import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import { AuditLog, Competition, Proposal, User } from '#models';
import { connectTo, disconnectDb } from '~/core/db.server';
import { axeFindings } from '../support/axe';
import { launchBrowser, pageProblems, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 12, item 9: the platform admin reads the audit log as sentences, in Chinese and in
 * English, on a desktop and on a phone: who did what to which proposal, competition or person
 * (by name, with a link), and what changed as translated fields with before and after. No raw
 * ids or JSON, phone numbers masked, no document numbers. A resident is refused the page.
 *
 * The demo holds few audit entries, so the test adds a realistic handful (the app's own actions
 * would write them the same way) and removes them afterwards.
 */
const ADMIN = 'admin@demo.laoshanxing.cn';
const RESIDENT = '13900000001';
const slug = '2026-laoshanxing';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const OBJECT_ID_TEXT = /\b[0-9a-f]{24}\b/;

describe('the audit log reads as sentences', () => {
  let browser: Browser;
  const inserted: mongoose.Types.ObjectId[] = [];
  let adminId: mongoose.Types.ObjectId;
  let adminLanguage: string;
  let proposal: { _id: mongoose.Types.ObjectId; number: number; title: string };
  let resident: { _id: mongoose.Types.ObjectId; name: string; phone: string };
  const baseUrl = () => inject('baseUrl');

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    browser = await launchBrowser();
    const admin = await User.findOne({ email: ADMIN }).select('_id language').lean();
    adminId = admin!._id;
    adminLanguage = admin!.language ?? 'zh';
    const competition = await Competition.findOne({ slug }).select('_id budgetFen').lean();
    proposal = (await Proposal.findOne({ competition: competition!._id, status: 'submitted' }).sort({ number: 1 }).select('_id number title').lean())!;
    resident = (await User.findOne({ phone: RESIDENT }).select('_id name phone').lean()) as typeof resident;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now + 60_000 - minutesAgo * 60_000);
    const docs = await AuditLog.insertMany([
      {
        actor: adminId,
        action: 'proposal.screened',
        targetType: 'Proposal',
        targetId: String(proposal._id),
        before: { status: 'submitted', reason: null },
        after: { status: 'eligible', reason: null, changesDueAt: null },
        createdAt: at(1),
      },
      {
        actor: adminId,
        action: 'competition.updated',
        targetType: 'Competition',
        targetId: String(competition!._id),
        before: { budgetFen: competition!.budgetFen, maxRequestFen: 5_000_000 },
        after: { budgetFen: competition!.budgetFen + 25_000_000, maxRequestFen: 6_000_050 },
        createdAt: at(2),
      },
      {
        actor: adminId,
        action: 'resident.verified',
        targetType: 'User',
        targetId: String(resident._id),
        before: null,
        after: { scope: `competition:${String(competition!._id)}`, method: 'idCard', evidence: '370212199001011234', validFrom: new Date(now), validUntil: new Date(now + 86_400_000 * 90), revoked: false },
        reason: `本人来电 ${RESIDENT}`,
        createdAt: at(3),
      },
      {
        actor: adminId,
        action: 'role.granted',
        targetType: 'User',
        targetId: String(resident._id),
        after: { role: 'committee', scopeType: 'competition', scopeId: String(competition!._id) },
        createdAt: at(4),
      },
      {
        actor: adminId,
        action: 'something.new',
        targetType: 'Gadget',
        targetId: String(new mongoose.Types.ObjectId()),
        after: { colour: 'blue', nested: { depth: 2 } },
        createdAt: at(5),
      },
    ]);
    inserted.push(...docs.map((d) => d._id));
  });

  afterAll(async () => {
    await browser?.close();
    await AuditLog.deleteMany({ _id: mongoose.trusted({ $in: inserted }) });
    if (adminId) await User.updateOne({ _id: adminId }, { $set: { language: adminLanguage } });
    await disconnectDb();
  });

  async function loggedIn(viewport: { width: number; height: number }, login: string, locale = 'zh-CN'): Promise<{ context: BrowserContext; page: Page }> {
    const page = await signedInPage(browser, baseUrl(), login, { locale, viewport });
    return { context: page.context(), page };
  }

  const cases = [
    { language: 'zh', viewport: DESKTOP, device: 'desktop' },
    { language: 'zh', viewport: PHONE, device: 'phone' },
    { language: 'en', viewport: DESKTOP, device: 'desktop' },
    { language: 'en', viewport: PHONE, device: 'phone' },
  ] as const;

  for (const { language, viewport, device } of cases) {
    it(`shows sentences with links, translated changes and no secrets (${language}, ${device})`, async () => {
      await User.updateOne({ _id: adminId }, { $set: { language } });
      const { context, page } = await loggedIn(viewport, ADMIN);
      try {
        await page.goto(`${baseUrl()}/admin/audit`);
        await page.locator('h1').waitFor();
        const name = `audit-${language}-${device}`;
        await screenshot(page, name);
        expect(await axeFindings(page, `audit log ${language} ${device}`)).toEqual([]);
        const problems = await pageProblems(page);
        expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
        expect(problems.rawKeys).toEqual([]);

        const text = await page.locator('main').innerText();
        expect(text).not.toMatch(OBJECT_ID_TEXT);
        expect(text).not.toMatch(/[{}"]/);
        expect(text).not.toContain(RESIDENT);
        expect(text).not.toContain('370212199001011234');
        expect(text).toContain(`${RESIDENT.slice(0, 3)}****${RESIDENT.slice(-4)}`);
        if (language === 'zh') {
          expect(text).toContain(`将提案《${proposal.title}》标记为通过审查`);
          expect(text).toContain('预算');
          expect(text).toContain('→');
        } else {
          expect(text).toContain(`marked proposal “${proposal.title}” eligible`);
          expect(text).toContain('Budget');
        }
        const link = page.getByRole('link', { name: proposal.title }).first();
        expect(await link.getAttribute('href')).toBe(`/competitions/${slug}/proposals/${proposal.number}`);
      } finally {
        await context.close();
      }
    });
  }

  it('refuses a resident', async () => {
    const { context, page } = await loggedIn(PHONE, RESIDENT);
    try {
      const response = await page.goto(`${baseUrl()}/admin/audit`);
      expect(response?.status()).toBe(403);
      expect(await page.locator('main').innerText()).not.toContain('proposal.screened');
    } finally {
      await context.close();
    }
  });
});
