import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Ballot, Competition, JudgingSheet, Notification, Proposal, ResultSnapshot } from '#models';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { loader as csvLoader } from '~/routes/competitions.$slug.results[.]csv/route';
import { loader as pbLoader } from '~/routes/competitions.$slug.results[.]pb/route';
import { loader as resultsLoader } from '~/routes/competitions.$slug.results._index/route';
import { action as previewAction, loader as previewLoader } from '~/routes/competitions.$slug.results.preview/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as layoutLoader } from '~/routes/competitions.$slug/route';
import { loader as homeLoader } from '~/routes/_index/route';
import { loader as listLoader } from '~/routes/competitions.$slug.proposals._index/route';
import { loader as detailLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { parsePabulib } from '~/features/results/allocation/pabulib';
import { getPublishedResults, previewResults } from '~/features/results/results.server';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

const DAY = 86_400_000;
const slug = 'results-2026';
let competitionId: Types.ObjectId;
let committeeJar: CookieJar;
const authors: Types.ObjectId[] = [];
const numbers: number[] = [];

async function signIn(email: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

beforeAll(async () => {
  // Judging opened two days ago.
  const competition = await createCompetition({ slug, budgetFen: 100_000_00, phases: phaseWindows(new Date(Date.now() - 100 * DAY), { submission: 45, screening: 14, voting: 39 }) });
  competitionId = competition._id;
  await Competition.updateOne({ _id: competitionId }, { $set: { 'voting.residentWeight': 30 } });
  await createUser({ email: 'results-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionId)] });
  committeeJar = await signIn('results-committee@example.test');
  const costs = [40_000_00, 35_000_00, 30_000_00, 20_000_00];
  for (const [i, cost] of costs.entries()) {
    const author = (await createUser({ name: `结果作者${i}` }))._id;
    authors.push(author);
    const p = await insertProposal({ competition: competitionId, author, status: 'eligible', title: `结果提案${i + 1}`, budget: [{ item: '服务', quantity: 1, unitPriceFen: cost }] });
    numbers.push(p.number);
  }
  await insertProposal({ competition: competitionId, author: authors[0]!, status: 'ineligible', title: '未通过的提案' });
  const eligible = await Proposal.find({ competition: competitionId, status: 'eligible' }).sort({ number: 1 }).lean();
  const judges = await Promise.all([1, 2, 3].map((n) => createUser({ name: `评审专家${n}`, roles: [grant('resident'), grant('judge', 'competition', competitionId)] })));
  // Judge 1 is lenient, judge 3 harsh; all agree proposal 3 is best.
  const base = [6, 5, 9, 4];
  for (const [j, judge] of judges.entries()) {
    for (const [i, p] of eligible.entries()) {
      const score = Math.min(10, Math.max(1, base[i]! + (1 - j)));
      await JudgingSheet.create({
        competition: competitionId,
        judge: judge._id,
        proposal: p._id,
        status: 'submitted',
        submittedAt: new Date(),
        scores: DEFAULT_CRITERIA.map((c) => ({ criterion: c.key, score })),
      });
    }
  }
  const voters = await Promise.all(Array.from({ length: 12 }, () => createUser()));
  const picks = [[0, 1], [0, 1], [0], [0, 2], [1], [1, 3], [2, 3], [3], [0, 3], [1, 2], [0], [3]];
  for (const [v, voter] of voters.entries()) {
    await Ballot.create({ competition: competitionId, voter: voter._id, channel: 'online', choices: picks[v]!.map((i) => eligible[i]!._id), totalFen: 0, submittedAt: new Date(), changes: 1 });
  }
  // A voided ballot does not count.
  const voided = await createUser();
  await Ballot.create({ competition: competitionId, voter: voided._id, channel: 'online', choices: [eligible[3]!._id], totalFen: 0, submittedAt: new Date(), changes: 1, voided: { at: new Date(), reason: '重复' } });
});

describe('results', () => {
  it('previews greedy and equal shares on the same inputs, both within the budget, every eligible proposal with a reason', async () => {
    const preview = (await previewResults(String(competitionId)))!;
    for (const outcome of [preview.greedy, preview.mes]) {
      expect(outcome.spent).toBeLessThanOrEqual(100_000_00);
      expect(outcome.voters).toBe(12);
      expect(outcome.lines.map((l) => l.number).sort()).toEqual([...numbers].sort());
      expect(outcome.lines.every((l) => l.reason)).toBe(true);
    }
    // Greedy by combined score (proposal 3 best, then 1, 2, 4): ¥30,000 and ¥40,000 fit the
    // ¥100,000, ¥35,000 no longer does, ¥20,000 still does.
    const g = preview.greedy.lines;
    expect(g.map((l) => [l.number, l.reason, l.funded])).toEqual([
      [numbers[2], 'fitted', true],
      [numbers[0], 'fitted', true],
      [numbers[1], 'exceeded', false],
      [numbers[3], 'fitted', true],
    ]);
    // A line fits exactly when its cost is within what remained before it.
    for (const line of g) expect(line.cost <= line.remainingBefore, `proposal ${line.number}`).toBe(line.reason === 'fitted');
  });

  it('only the committee of this competition previews and publishes', async () => {
    await createUser({ email: 'results-resident@example.test' });
    const resident = await signIn('results-resident@example.test');
    expect((await call(previewLoader, getRequest(`/competitions/${slug}/results/preview`, { jar: resident }), { slug })).status).toBe(403);
    expect((await call(previewAction, formRequest(`/competitions/${slug}/results/preview`, { method: 'greedy', confirm: 'yes' }, { jar: resident }), { slug })).status).toBe(403);
    const anonymous = await call(previewLoader, getRequest(`/competitions/${slug}/results/preview`), { slug });
    expect(anonymous).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: `/competitions/${slug}/results/preview` })}`, 302);
    expect(await ResultSnapshot.countDocuments({ competition: competitionId })).toBe(0);
  });

  it('publishing without the confirmation tick is refused with 400 and publishes nothing, audits nothing, tells no one', async () => {
    for (const form of [{ method: 'greedy' }, { method: 'greedy', confirm: 'on' }, { method: 'greedy', confirm: '' }] as Record<string, string>[]) {
      const refused = await call(previewAction, formRequest(`/competitions/${slug}/results/preview`, form, { jar: committeeJar }), { slug });
      expect(refused.status).toBe(400);
      expect(refused.data).toEqual({ errors: [], confirm: ['confirmRequired'] });
    }
    expect(await ResultSnapshot.countDocuments({ competition: competitionId })).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'results.published', targetId: String(competitionId) })).toBe(0);
    expect(await Notification.countDocuments({ type: 'resultPublished', competitionSlug: slug })).toBe(0);
  });

  it('publishing freezes a snapshot that recomputes exactly from its stored inputs; it happens once, audited, authors told', async () => {
    const published = await call(previewAction, formRequest(`/competitions/${slug}/results/preview`, { method: 'greedy', confirm: 'yes' }, { jar: committeeJar }), { slug });
    expect(published).toRedirectTo(`/competitions/${slug}/results`, 303);
    await expect(published).toSendToast({ type: 'success', key: 'results:toast.published' });
    const result = (await getPublishedResults(String(competitionId)))!;
    expect(result.reproduces).toBe(true);
    expect(result.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(result.inputs)).not.toMatch(/评审专家/);
    expect(new Set(result.inputs.sheets.map((s) => s.judge))).toEqual(new Set(['A', 'B', 'C']));

    const again = await call(previewAction, formRequest(`/competitions/${slug}/results/preview`, { method: 'mes', confirm: 'yes' }, { jar: committeeJar }), { slug });
    expect(again.status).toBe(400);
    expect(again.data).toEqual({ errors: ['alreadyPublished'], confirm: [] });
    expect(await AuditLog.countDocuments({ action: 'results.published', targetId: String(competitionId) })).toBe(1);
    const told = await Notification.find({ type: 'resultPublished', competitionSlug: slug }).lean();
    expect(told.map((n) => String(n.recipient)).sort()).toEqual(authors.map(String).sort());
  });

  it('the public page lists every eligible proposal with its reason, judges as letters; a tampered snapshot shows as not reproducing', async () => {
    const page = await call<{ published: { outcome: { lines: { number: number; reason: string; judgeScores: Record<string, number> }[] }; reproduces: boolean } }>(
      resultsLoader,
      getRequest(`/competitions/${slug}/results`),
      { slug },
    );
    expect(page.status).toBe(200);
    expect(page.data.published.reproduces).toBe(true);
    expect(page.data.published.outcome.lines.map((l) => l.number).sort()).toEqual([...numbers].sort());
    expect(Object.keys(page.data.published.outcome.lines[0]!.judgeScores).sort()).toEqual(['A', 'B', 'C']);
    await ResultSnapshot.updateOne({ competition: competitionId }, { $set: { 'outcome.spent': 1 } });
    expect((await getPublishedResults(String(competitionId)))?.reproduces).toBe(false);
  });

  it('once published, every page that shows a proposal says whether it was funded, and the competition links to its result', async () => {
    const result = (await getPublishedResults(String(competitionId)))!;
    const fundedNumbers = result.outcome.lines.filter((l) => l.funded).map((l) => l.number).sort();
    expect(fundedNumbers.length).toBeGreaterThan(0);
    expect(fundedNumbers.length).toBeLessThan(numbers.length);
    const list = await call<{ cards: { number: number; funded: boolean }[] }>(listLoader, getRequest(`/competitions/${slug}/proposals?sort=newest`), { slug });
    expect(list.data.cards.filter((c) => c.funded).map((c) => c.number).sort()).toEqual(fundedNumbers);
    const notFunded = numbers.find((n) => !fundedNumbers.includes(n))!;
    const detail = (n: number) => call<{ proposal: { funded: boolean } }>(detailLoader, getRequest(`/competitions/${slug}/proposals/${n}`), { slug, number: String(n) });
    expect((await detail(fundedNumbers[0]!)).data.proposal.funded).toBe(true);
    expect((await detail(notFunded)).data.proposal.funded).toBe(false);
    const layout = await call<{ competition: { resultsPublished: boolean } }>(layoutLoader, getRequest(`/competitions/${slug}`), { slug });
    expect(layout.data.competition.resultsPublished).toBe(true);
    const home = await call<{ featured: { slug: string; resultsPublished: boolean } | null; past: { slug: string; resultsPublished: boolean }[] }>(homeLoader, getRequest('/'), {});
    const listed = [home.data.featured, ...home.data.past].find((c) => c?.slug === slug);
    expect(listed?.resultsPublished).toBe(true);
  });

  it('downloads the result as CSV and as a Pabulib file whose selected projects match', async () => {
    const csv = await call<string>(csvLoader, getRequest(`/competitions/${slug}/results.csv`), { slug });
    expect(csv.headers.get('Content-Type')).toMatch(/text\/csv/);
    const lines = csv.data.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('judge_A');
    expect(lines).toHaveLength(numbers.length + 1);
    const pb = await call<string>(pbLoader, getRequest(`/competitions/${slug}/results.pb`), { slug });
    const file = parsePabulib(pb.data);
    expect(file.projects).toHaveLength(numbers.length);
    expect(file.votes).toHaveLength(12);
    const result = (await getPublishedResults(String(competitionId)))!;
    const funded = result.outcome.lines.filter((l) => l.funded).map((l) => String(l.number)).sort();
    expect(file.projects.filter((p) => p.fields.selected === '1').map((p) => p.id).sort()).toEqual(funded);
  });
});
