import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import { Community, Competition, Proposal, Residency, User } from '#models';
import { createCompetition, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { launchBrowser, logIn, screenshot, touchProblems } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * Issue 12 item 14, on a phone in Chinese, for every role: no control smaller than 44x44 px and
 * no text under 15 px on the pages each role uses most (links inside sentences excepted). Each
 * page is also photographed, which runs axe on it.
 */
const PHONE = { width: 390, height: 844 };
const baseUrl = inject('baseUrl');
const slug = 'e2e-targets';
const DAY = 86_400_000;

const ROLES: { who: string | null; pages: string[] }[] = [
  {
    who: null,
    pages: ['/', '/competitions/2026-laoshanxing', '/competitions/2026-laoshanxing/proposals', '/competitions/2026-laoshanxing/proposals/1', '/competitions/2025-laoshanxing/results', '/login', '/register', '/claim'],
  },
  { who: '13900000005', pages: ['/my/proposals', '/profile', '/notifications', `/competitions/${slug}/vote`, '/competitions/2026-laoshanxing/proposals/2'] },
  {
    who: 'committee@demo.laoshanxing.cn',
    pages: ['/competitions/2026-laoshanxing/screening', '/competitions/2026-laoshanxing/manage', '/competitions/2025-laoshanxing/voting', '/competitions/2026-laoshanxing/judging', '/organizations', '/organizations/checklists'],
  },
  { who: 'judge1@demo.laoshanxing.cn', pages: ['/competitions/2026-laoshanxing/judge'] },
  { who: 'grid.shazikou@demo.laoshanxing.cn', pages: ['/assist', '/assist/verify'] },
  { who: 'admin@demo.laoshanxing.cn', pages: ['/admin/users', '/admin/audit'] },
];

describe('tap targets and type sizes on a phone, every role', () => {
  let browser: Browser;
  let competitionId: mongoose.Types.ObjectId;

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    const competition = await createCompetition({ slug, zh: '触控目标检查', en: 'Tap target check', phases: phaseWindows(new Date(Date.now() - 60 * DAY)) });
    competitionId = competition._id;
    const author = (await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean())!._id;
    for (const [i, title] of ['为独居老人每周上门理发', '楼道扶手安装', '儿童课后托管'].entries()) {
      await insertProposal({ competition: competition._id, author, status: 'eligible', title, category: 'elderly', budget: [{ item: '服务', quantity: 1, unitPriceFen: (i + 1) * 1000_00 }] });
    }
    const resident = (await User.findOne({ phone: '13900000005' }).select('_id community').lean())!;
    const community = resident.community ?? (await Community.findOne().sort({ code: 1 }).lean())!._id;
    await verifyResidentDirectly(resident._id, community, { competition: competition._id });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await Proposal.deleteMany({ competition: competitionId });
    await Residency.deleteMany({ competition: competitionId });
    await Competition.deleteOne({ _id: competitionId });
    await disconnectDb();
  });

  for (const { who, pages } of ROLES) {
    it(`${who ?? 'a visitor'}: every control at least 44x44 px, no text under 15 px`, async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: PHONE, deviceScaleFactor: 1 });
      const page: Page = await context.newPage();
      if (who) await logIn(page, baseUrl, who);
      const found: string[] = [];
      for (const path of pages) {
        const response = await page.goto(`${baseUrl}${path}`);
        expect(response?.status(), path).toBe(200);
        const { smallTargets, smallText } = await touchProblems(page);
        found.push(...smallTargets.map((p) => `${path}: target ${p}`), ...smallText.map((p) => `${path}: text ${p}`));
        await screenshot(page, `targets${path.replaceAll('/', '-')}-${who ? 'signed-in' : 'visitor'}-zh-phone`);
      }
      expect(found).toEqual([]);
      await context.close();
    });
  }
});
