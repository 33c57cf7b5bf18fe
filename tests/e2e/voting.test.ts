import type { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Ballot, Community, Competition, Proposal, Residency, User, VerificationCode } from '#models';
import { createCompetition, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { connectTo, disconnectDb } from '~/core/db.server';
import { generateCodes } from '~/features/voting/verification-codes.server';
import { DEFAULT_VOTING_RULES } from '~/features/voting/rules';
import { axeFindings } from '../support/axe';
import { launchBrowser, pageProblems, screenshot, signedInPage } from '../support/browser';
import { withDbName } from '../support/database-uri';

/**
 * On a phone: a demo resident confirms their residency with a one-time code, then casts a budget
 * ballot, sees the budget left change as they tick, is told when they go over, and gets a receipt.
 * The demo competitions are not in their voting phase, so the test arranges a small one in the
 * app's database (and removes it afterwards).
 */
const slug = 'e2e-voting';
const DAY = 86_400_000;

describe('a resident verifies with a code and casts a budget ballot on a phone', () => {
  let browser: Browser;
  let page: Page;
  let code: string;
  let residentBefore: { _id: Types.ObjectId; street?: unknown; community?: unknown };
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    const competition = await createCompetition({
      slug,
      zh: '网格投票演示大赛',
      en: 'Voting demo',
      phases: phaseWindows(new Date(Date.now() - 60 * DAY)),
    });
    await Competition.updateOne({ _id: competition._id }, { $set: { voting: { ...DEFAULT_VOTING_RULES, method: 'budget', ballotBudgetFen: 50_000_00 } } });
    const author = (await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean())!._id;
    // The demo committee runs this competition too, and the resident's place is restored afterwards.
    await User.updateOne({ _id: author }, { $push: { roles: { role: 'committee', scopeType: 'competition', scopeId: competition._id } } });
    residentBefore = (await User.findOne({ phone: '13900000012' }).select('street community').lean())!;
    const specs: [string, number][] = [
      ['独居老人助浴服务', 30_000_00],
      ['困境儿童周末课堂', 25_000_00],
      ['楼道扶手加装', 15_000_00],
    ];
    for (const [title, fen] of specs) {
      await insertProposal({ competition: competition._id, author, status: 'eligible', title, category: 'elderly', budget: [{ item: '服务', quantity: 1, unitPriceFen: fen }] });
    }
    const community = (await Community.findOne().sort({ code: 1 }).lean())!;
    const generated = await generateCodes({
      competitionId: String(competition._id),
      eligibleStreets: [],
      communityId: String(community._id),
      count: 1,
      expiresAt: new Date(Date.now() + 7 * DAY),
      actorId: String(author),
    });
    if (!generated.ok) throw new Error(generated.reason);
    code = generated.codes[0]!;

    browser = await launchBrowser();
    page = await signedInPage(browser, baseUrl, '13900000012', { viewport: { width: 390, height: 844 } });
  });

  afterAll(async () => {
    await browser?.close();
    const competition = await Competition.findOne({ slug }).select('_id').lean();
    if (competition) {
      await Promise.all([
        Ballot.deleteMany({ competition: competition._id }),
        Proposal.deleteMany({ competition: competition._id }),
        VerificationCode.deleteMany({ competition: competition._id }),
        Residency.deleteMany({ competition: competition._id }),
      ]);
      await Competition.deleteOne({ _id: competition._id });
      await User.updateOne({ email: 'committee@demo.laoshanxing.cn' }, { $pull: { roles: { scopeId: competition._id } } });
    }
    if (residentBefore) {
      const { street, community } = residentBefore;
      await User.updateOne({ _id: residentBefore._id }, { $set: { street, community } });
    }
    await disconnectDb();
  });

  it('confirms the residency with the code', async () => {
    await page.goto(`${baseUrl}/verify`);
    await page.getByLabel('验证码').fill(code.toLowerCase());
    await screenshot(page, '30-verify-code-zh-mobile');
    await page.getByRole('button', { name: '确认' }).click();
    // The code verifies for its competition; the demo's street verification is listed beside it.
    await expect.poll(() => page.getByTestId('residency').getByText('大赛：网格投票演示大赛').isVisible()).toBe(true);
    expect(await page.getByText(/居住地已确认/).first().isVisible()).toBe(true);
    expect(await Residency.countDocuments({ resident: residentBefore._id, scopeKey: `competition:${String((await Competition.findOne({ slug }).select('_id').lean())!._id)}`, method: 'code' })).toBe(1);
  });

  it('shows the budget left as the resident ticks, and refuses a ballot over budget', async () => {
    await page.goto(`${baseUrl}/competitions/${slug}/vote`);
    const counter = page.getByTestId('ballot-counter');
    await expect.poll(() => counter.textContent()).toContain('还剩 ¥50,000');
    await page.getByRole('checkbox', { name: /独居老人助浴服务/ }).check();
    await expect.poll(() => counter.textContent()).toContain('还剩 ¥20,000');
    await page.getByRole('checkbox', { name: /困境儿童周末课堂/ }).check();
    await expect.poll(() => counter.textContent()).toContain('超出预算 ¥5,000');
    await screenshot(page, '31-ballot-over-budget-zh-mobile');
    await page.getByRole('button', { name: '下一步：核对我的选择' }).click();
    await expect.poll(() => page.getByText('所选提案的预算合计超过了选票预算。').isVisible()).toBe(true);
    expect(await Ballot.countDocuments({ channel: 'online', totalFen: 55_000_00 })).toBe(0);
  });

  it('fixes the ballot, submits, and gets a receipt', async () => {
    await page.getByRole('checkbox', { name: /困境儿童周末课堂/ }).uncheck();
    await page.getByRole('checkbox', { name: /楼道扶手加装/ }).check();
    await expect.poll(() => page.getByTestId('ballot-counter').textContent()).toContain('还剩 ¥5,000');
    await screenshot(page, '32-ballot-zh-mobile');
    const problems = await pageProblems(page);
    expect(problems.overflowPx, problems.tooWide.join('\n')).toBeLessThanOrEqual(0);
    expect(problems.rawKeys).toEqual([]);
    await page.getByRole('button', { name: '下一步：核对我的选择' }).click();
    await expect.poll(() => page.getByTestId('review-total').textContent()).toContain('¥45,000');
    await page.getByRole('button', { name: '提交选票' }).click();
    await expect.poll(() => page.getByTestId('receipt').isVisible()).toBe(true);
    expect(await page.getByText('选票已提交，谢谢您的参与！').isVisible()).toBe(true);
    const resident = (await User.findOne({ phone: '13900000012' }).select('_id').lean())!;
    const ballot = await Ballot.findOne({ voter: resident._id, channel: 'online', totalFen: 45_000_00 }).lean();
    expect(ballot).not.toBeNull();
    // The receipt is the ballot's random code, never its id (issue 11, finding 7).
    expect(await page.getByTestId('receipt').textContent()).toContain(ballot!.receipt);
    expect(await page.getByTestId('receipt').textContent()).not.toContain(String(ballot!._id));
    await screenshot(page, '33-ballot-receipt-zh-mobile');
  });

  it('the committee sees the count by channel and prints a sheet of codes', async () => {
    const committee = await signedInPage(browser, baseUrl, 'committee@demo.laoshanxing.cn', { viewport: { width: 1280, height: 900 } });
    await committee.goto(`${baseUrl}/competitions/${slug}/voting`);
    await expect.poll(() => committee.getByTestId('tally-voters').textContent()).toBe('1');
    expect(await committee.getByTestId('tally-channel-online').textContent()).toBe('1');
    await screenshot(committee, '34-voting-tally-zh-desktop');
    await committee.getByRole('link', { name: '验证码' }).click();
    await committee.getByLabel('社区').selectOption({ index: 1 });
    await committee.getByLabel('数量').fill('6');
    await committee.getByRole('button', { name: '生成并显示打印页' }).click();
    await expect.poll(() => committee.getByTestId('code').count()).toBe(6);
    await screenshot(committee, '35-voting-codes-sheet-zh-desktop');
    const problems = await pageProblems(committee);
    expect(problems.rawKeys).toEqual([]);
    await committee.close();
  });
});

/**
 * Issue 12, item 2, on a slow phone: the page's scripts arrive 4 s late. Boxes ticked before
 * they run stay ticked and are counted, the resident reviews the choices (each linked to its
 * proposal, the way back keeping them) and confirms; the receipt lists all four.
 */
describe('ticks made before the scripts load survive, and the ballot is reviewed before casting', () => {
  const reviewSlug = 'e2e-ballot-review';
  const titles = ['社区食堂助餐', '小区路灯维修', '儿童游乐角翻新', '垃圾分类亭改造', '老年书法班', '楼道消防器材'];
  let browser: Browser;
  let page: Page;
  let residentId: Types.ObjectId;
  const baseUrl = inject('baseUrl');

  beforeAll(async () => {
    await connectTo({ uri: withDbName(inject('mongoUri'), 'lsx_e2e'), dbName: 'lsx_e2e' });
    const competition = await createCompetition({ slug: reviewSlug, zh: '选票核对演示', en: 'Ballot review demo', phases: phaseWindows(new Date(Date.now() - 60 * DAY)) });
    await Competition.updateOne({ _id: competition._id }, { $set: { voting: { ...DEFAULT_VOTING_RULES, method: 'approval', maxChoices: 4 } } });
    const author = (await User.findOne({ email: 'committee@demo.laoshanxing.cn' }).select('_id').lean())!._id;
    for (const [i, title] of titles.entries()) {
      await insertProposal({ competition: competition._id, author, status: 'eligible', title, category: 'elderly', budget: [{ item: '服务', quantity: 1, unitPriceFen: (i + 1) * 1000_00 }] });
    }
    const resident = (await User.findOne({ phone: '13900000012' }).select('_id community').lean())!;
    residentId = resident._id;
    const community = resident.community ?? (await Community.findOne().sort({ code: 1 }).lean())!._id;
    await verifyResidentDirectly(resident._id, community, { competition: competition._id });

    browser = await launchBrowser();
    page = await signedInPage(browser, baseUrl, '13900000012', { viewport: { width: 390, height: 844 } });
  });

  afterAll(async () => {
    await browser?.close();
    const competition = await Competition.findOne({ slug: reviewSlug }).select('_id').lean();
    if (competition) {
      await Promise.all([
        Ballot.deleteMany({ competition: competition._id }),
        Proposal.deleteMany({ competition: competition._id }),
        Residency.deleteMany({ competition: competition._id }),
      ]);
      await Competition.deleteOne({ _id: competition._id });
    }
    await disconnectDb();
  });

  it('keeps two ticks made before hydration, counts them, and casts all four after the review', async () => {
    const delayed = async (route: Parameters<Parameters<Page['route']>[1]>[0]) => {
      await new Promise((resolve) => setTimeout(resolve, 4000));
      await route.continue();
    };
    await page.route(/\/build\/.*\.js(\?.*)?$/, delayed);
    await page.goto(`${baseUrl}/competitions/${reviewSlug}/vote`, { waitUntil: 'commit' });
    const picker = page.getByTestId('ballot-picker');
    await picker.waitFor();
    await page.getByRole('checkbox', { name: new RegExp(titles[0]!) }).check();
    await page.getByRole('checkbox', { name: new RegExp(titles[3]!) }).check();
    // Both ticks were made while the scripts were still on their way.
    expect(await picker.getAttribute('data-hydrated')).toBeNull();
    await page.locator('[data-testid="ballot-picker"][data-hydrated="true"]').waitFor({ timeout: 20_000 });
    await page.unroute(/\/build\/.*\.js(\?.*)?$/, delayed);
    expect(await page.getByRole('checkbox', { name: new RegExp(titles[0]!) }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: new RegExp(titles[3]!) }).isChecked()).toBe(true);
    const counter = page.getByTestId('ballot-counter');
    await expect.poll(() => counter.textContent()).toContain('还可以选 2 个');
    await page.getByRole('checkbox', { name: new RegExp(titles[1]!) }).check();
    await page.getByRole('checkbox', { name: new RegExp(titles[5]!) }).check();
    await expect.poll(() => counter.textContent()).toContain('还可以选 0 个');
    await screenshot(page, 'ballot-ticked-zh-mobile');
    expect((await axeFindings(page, 'ballot')).length).toBe(0);

    await page.getByRole('button', { name: '下一步：核对我的选择' }).click();
    const review = page.getByTestId('ballot-review');
    await review.waitFor();
    await expect.poll(() => page.getByTestId('review-item').count()).toBe(4);
    expect(await page.getByTestId('review-total').textContent()).toContain('¥13,000');
    await screenshot(page, 'ballot-review-zh-mobile');
    expect((await axeFindings(page, 'ballot review')).length).toBe(0);
    expect(await Ballot.countDocuments({ voter: residentId, competition: (await Competition.findOne({ slug: reviewSlug }).lean())!._id })).toBe(0);

    // A proposal opened from the review, and back: the four choices are still ticked.
    await review.getByRole('link', { name: new RegExp(titles[1]!) }).click();
    await page.waitForURL(/\/proposals\/\d+$/);
    await page.goBack();
    await expect.poll(() => page.getByRole('checkbox', { checked: true }).count()).toBe(4);
    await page.getByRole('button', { name: '下一步：核对我的选择' }).click();
    await expect.poll(() => page.getByTestId('review-item').count()).toBe(4);
    await page.getByRole('button', { name: '提交选票' }).click();
    await expect.poll(() => page.getByTestId('receipt').isVisible()).toBe(true);
    for (const index of [0, 1, 3, 5]) expect(await page.getByText(titles[index]!).count(), titles[index]).toBeGreaterThan(0);
    const ballot = await Ballot.findOne({ voter: residentId, competition: (await Competition.findOne({ slug: reviewSlug }).lean())!._id }).lean();
    expect(ballot?.choices).toHaveLength(4);
    await screenshot(page, 'ballot-receipt-four-zh-mobile');
  });

  it('without JavaScript the ballot is reviewed and changed the same way', async () => {
    const noScript = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${baseUrl}/login`);
    await plain.getByLabel('手机号或电子邮箱').fill('13900000012');
    await plain.getByLabel('密码').fill('Laoshan-demo-2026');
    await plain.getByRole('button', { name: '登录' }).click();
    await plain.getByTestId('account-menu').waitFor();
    await plain.goto(`${baseUrl}/competitions/${reviewSlug}/vote`);
    // The ballot cast above starts ticked; the resident keeps two of its four.
    expect(await plain.getByRole('checkbox', { checked: true }).count()).toBe(4);
    await plain.getByRole('checkbox', { name: new RegExp(titles[0]!) }).uncheck();
    await plain.getByRole('checkbox', { name: new RegExp(titles[5]!) }).uncheck();
    await plain.getByRole('button', { name: '下一步：核对我的选择' }).click();
    await plain.getByTestId('ballot-review').waitFor();
    expect(await plain.getByTestId('review-item').count()).toBe(2);
    expect(await plain.getByTestId('review-total').textContent()).toContain('¥6,000');
    await plain.getByRole('button', { name: '修改我的选票' }).click();
    await plain.getByTestId('receipt').waitFor();
    const ballot = await Ballot.findOne({ voter: residentId, competition: (await Competition.findOne({ slug: reviewSlug }).lean())!._id }).populate<{ choices: { title: string }[] }>('choices', 'title').lean();
    expect(ballot!.choices.map((c) => c.title).sort()).toEqual([titles[1]!, titles[3]!].sort());
    await noScript.close();
  });
});
