import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import { Types } from 'mongoose';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { describe, expect, it } from 'vitest';
import { AuditLog, Ballot, Competition, ResultSnapshot } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCompetition, createStreet, createUser, grant, insertJudgingSheet, insertProposal, phaseWindows } from '#seeds/factories';
import { action as manageAction, loader as manageLoader } from '~/routes/competitions.$slug.manage/route';
import { loader as competitionLoader } from '~/routes/competitions.$slug/route';
import { action as loginAction } from '~/routes/login/route';
import { CompetitionForm } from '~/features/competitions/competition-form';
import { getCompetitionForEdit } from '~/features/competitions/competitions.server';
import { CorrectionPanel } from '~/features/competitions/correction-form';
import type { CorrectionView } from '~/features/competitions/corrections';
import { PhaseTimeline } from '~/features/competitions/phase-timeline';
import { shanghaiDay, startOfShanghaiDay } from '~/utils/dates';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { competitionFormFields } from '../support/competition-form';

/**
 * An admin's reasoned, audited correction of a setting a started phase froze (issue 11,
 * finding 4), and what even an admin cannot do with it. Through the manage page's action.
 */
const DAY = 86_400_000;
const REASON = '录入时把日期填错了一周，按委员会会议纪要更正。';

async function signIn(email: string): Promise<CookieJar> {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }))).headers);
}

/** A competition whose phases started `daysAgo` days ago, with its committee member and an admin signed in. */
async function running(daysAgo: number, overrides: Parameters<typeof createCompetition>[0] = {}) {
  const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - daysAgo * DAY)), ...overrides });
  const committee = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
  const admin = await createUser({ roles: [grant('resident'), grant('admin')] });
  const [committeeJar, adminJar] = [await signIn(committee.email!), await signIn(admin.email!)];
  const post = (jar: CookieJar, fields: Record<string, string>) =>
    call(manageAction, formRequest(`/competitions/${competition.slug}/manage`, { intent: 'correct', understood: 'on', reason: REASON, ...fields }, { jar }), {
      slug: competition.slug,
    });
  const stored = async () => (await Competition.findById(competition._id).lean())!;
  return { competition, committee, admin, committeeJar, adminJar, post, stored };
}

// Voting opened five days ago (submission 45 and screening 14 days before that), ends in 16 days.
const VOTING = 64;
// Judging opened five days ago: voting ended then.
const JUDGING = 85;
// Results opened five days ago.
const RESULTS = 106;

const window = (doc: { phases: { key: string; startsAt: Date; endsAt: Date }[] }, key: string) => doc.phases.find((p) => p.key === key)!;
const dayAfter = (date: Date, days: number) => shanghaiDay(date.getTime() + days * DAY);
const corrections = () => AuditLog.countDocuments({ action: 'competition.corrected' });

async function castBallot(competition: Types.ObjectId, street?: Types.ObjectId) {
  const voter = await createUser();
  return Ballot.create({ competition, voter: voter._id, channel: 'online', submittedAt: new Date(), street });
}

describe('who may correct a frozen setting', () => {
  it('a committee member of the competition (not an admin) gets 403, and nothing changes', async () => {
    const { committeeJar, post, stored } = await running(VOTING);
    const before = await stored();
    const audits = await corrections();
    const outcome = await post(committeeJar, { setting: 'budget', budget: '9000000' });
    expect(outcome.status).toBe(403);
    const outcomeDate = await post(committeeJar, { setting: 'end:voting', day: dayAfter(window(before, 'voting').endsAt, 5) });
    expect(outcomeDate.status).toBe(403);
    expect(await stored()).toEqual(before);
    expect(await corrections()).toBe(audits);
  });

  it('only the admin is shown the correction panel on the manage page', async () => {
    const { competition, committeeJar, adminJar } = await running(VOTING);
    const url = `/competitions/${competition.slug}/manage?correct=budget`;
    const asCommittee = await call<{ correction: unknown }>(manageLoader, getRequest(url, { jar: committeeJar }), { slug: competition.slug });
    expect(asCommittee.data.correction).toBeNull();
    const asAdmin = await call<{ correction: { settings: { setting: string }[]; chosen: { setting: string; current: number } | null } }>(
      manageLoader,
      getRequest(url, { jar: adminJar }),
      { slug: competition.slug },
    );
    expect(asAdmin.data.correction.settings.map((s) => s.setting)).toEqual([
      'start:submission',
      'end:submission',
      'start:screening',
      'end:screening',
      'start:voting',
      'end:voting',
      'budget',
      'streets',
    ]);
    expect(asAdmin.data.correction.chosen).toMatchObject({ setting: 'budget', current: 200_000_000 });
  });
});

describe('an admin corrects a frozen setting', () => {
  it("moves a running phase's end with a reason: saved, shown publicly, audited with before, after and reason", async () => {
    const { competition, admin, adminJar, post, stored } = await running(VOTING);
    const before = await stored();
    const oldEnd = window(before, 'voting').endsAt;
    const day = dayAfter(oldEnd, 7);
    const outcome = await post(adminJar, { setting: 'end:voting', day });
    expect(outcome).toRedirectTo(`/competitions/${competition.slug}/manage`, 303);
    await expect(outcome).toSendToast({ type: 'success', key: 'manage:toast.corrected' });
    const after = await stored();
    expect(window(after, 'voting').endsAt).toEqual(startOfShanghaiDay(day));
    // The phase after it starts where it now ends; the start of voting stays.
    expect(window(after, 'judging').startsAt).toEqual(startOfShanghaiDay(day));
    expect(window(after, 'voting').startsAt).toEqual(window(before, 'voting').startsAt);
    const entry = await AuditLog.findOne({ action: 'competition.corrected', targetId: String(competition._id) }).lean();
    expect(entry).toMatchObject({
      actor: admin._id,
      reason: REASON,
      before: { setting: 'end:voting', value: oldEnd.toISOString() },
      after: { setting: 'end:voting', value: startOfShanghaiDay(day).toISOString() },
    });
    // Residents see it on the competition's pages.
    const page = await call<{ competition: { corrections: { setting: string; reason: string; before: string; after: string }[] } }>(
      competitionLoader,
      getRequest(`/competitions/${competition.slug}`),
      { slug: competition.slug },
    );
    expect(page.data.competition.corrections).toEqual([
      expect.objectContaining({ setting: 'end:voting', kind: 'end', phase: 'voting', reason: REASON, before: oldEnd.toISOString(), after: startOfShanghaiDay(day).toISOString() }),
    ]);
  });

  it('corrects the budget once voting has opened', async () => {
    const { adminJar, post, stored } = await running(VOTING);
    expect((await post(adminJar, { setting: 'budget', budget: '1,900,000' })).status).toBe(303);
    const after = await stored();
    expect(after.budgetFen).toBe(190_000_000);
    expect(after.corrections).toEqual([expect.objectContaining({ setting: 'budget', before: 200_000_000, after: 190_000_000, reason: REASON })]);
  });

  it('without a reason, or without ticking "I understand", answers field errors and changes nothing', async () => {
    const { adminJar, post, stored } = await running(VOTING);
    const before = await stored();
    const day = dayAfter(window(before, 'voting').endsAt, 7);
    const noReason = await post(adminJar, { setting: 'end:voting', day, reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.data).toMatchObject({ intent: 'correct', result: { error: { reason: ['correctionReasonRequired'] } } });
    const tooShort = await post(adminJar, { setting: 'end:voting', day, reason: '填错了' });
    expect(tooShort.data).toMatchObject({ result: { error: { reason: ['correctionReasonRequired'] } } });
    const notConfirmed = await post(adminJar, { setting: 'end:voting', day, understood: '' });
    expect(notConfirmed.status).toBe(400);
    expect(notConfirmed.data).toMatchObject({ result: { error: { understood: ['correctionConfirmRequired'] } } });
    expect(await stored()).toEqual(before);
    expect(await AuditLog.countDocuments({ action: 'competition.corrected', targetId: String(before._id) })).toBe(0);
  });

  it('a setting that is not frozen yet is for the committee form, not a correction', async () => {
    const { adminJar, post, stored } = await running(10);
    const before = await stored();
    const outcome = await post(adminJar, { setting: 'budget', budget: '1000000' });
    expect(outcome.data).toMatchObject({ result: { error: { setting: ['notFrozen'] } } });
    expect(await stored()).toEqual(before);
  });
});

describe('what even an admin cannot correct', () => {
  async function refused(daysAgo: number, fields: (doc: Awaited<ReturnType<Awaited<ReturnType<typeof running>>['stored']>>) => Record<string, string>, field: string, reason: string, arrange?: (competition: Types.ObjectId) => Promise<unknown>) {
    const { competition, adminJar, post, stored } = await running(daysAgo);
    await arrange?.(competition._id);
    const before = await stored();
    const outcome = await post(adminJar, fields(before));
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ intent: 'correct', result: { error: { [field]: [reason] } } });
    expect(await stored()).toEqual(before);
    expect(await AuditLog.countDocuments({ action: 'competition.corrected', targetId: String(competition._id) })).toBe(0);
  }

  it('reopening voting after it ended: by moving its end, or the start of judging, into the future', async () => {
    await refused(JUDGING, () => ({ setting: 'end:voting', day: dayAfter(new Date(), 3) }), 'day', 'votingEnded');
    await refused(JUDGING, () => ({ setting: 'start:judging', day: dayAfter(new Date(), 3) }), 'day', 'votingEnded');
  });

  it('reopening a competition whose results are published, or changing its budget', async () => {
    const publish = async (competition: Types.ObjectId) =>
      ResultSnapshot.create({ competition, method: 'greedy', inputsHash: 'x', inputs: {}, outcome: { spent: 150_000_000 }, publishedBy: new Types.ObjectId(), publishedAt: new Date() });
    await refused(RESULTS, () => ({ setting: 'end:judging', day: dayAfter(new Date(), 3) }), 'day', 'resultsPublished', publish);
    await refused(RESULTS, () => ({ setting: 'start:results', day: dayAfter(new Date(), 3) }), 'day', 'resultsPublished', publish);
    await refused(RESULTS, () => ({ setting: 'budget', budget: '9000000' }), 'budget', 'resultsPublished', publish);
    // Nor its streets, not even "the whole district" written as its streets one by one.
    const street = await createStreet();
    await refused(RESULTS, () => ({ setting: 'streets', 'eligibleStreets[0]': String(street._id) }), 'eligibleStreets', 'resultsPublished', publish);
  });

  it('breaking the order of the phases', async () => {
    // Voting would start before screening did.
    await refused(VOTING, (doc) => ({ setting: 'start:voting', day: dayAfter(window(doc, 'screening').startsAt, -2) }), 'day', 'phaseOrder');
    // Voting would end after judging does.
    await refused(VOTING, (doc) => ({ setting: 'end:voting', day: dayAfter(window(doc, 'judging').endsAt, 1) }), 'day', 'phaseOrder');
  });

  it('dropping a street whose residents have voted; dropping one without ballots is a correction', async () => {
    const [voted, quiet] = [await createStreet(), await createStreet()];
    const { competition, adminJar, post, stored } = await running(VOTING, { eligibleStreets: [voted._id, quiet._id] });
    await castBallot(competition._id, voted._id);
    const before = await stored();
    const dropped = await post(adminJar, { setting: 'streets', 'eligibleStreets[0]': String(quiet._id) });
    expect(dropped.status).toBe(400);
    expect(dropped.data).toMatchObject({ result: { error: { eligibleStreets: ['streetHasBallots'] } } });
    expect(await stored()).toEqual(before);
    expect((await post(adminJar, { setting: 'streets', 'eligibleStreets[0]': String(voted._id) })).status).toBe(303);
    expect((await stored()).eligibleStreets.map(String)).toEqual([String(voted._id)]);
  });

  it('moving judging back into the future once a judge has scored', async () => {
    // A gap between voting and judging, so only judging's start moves.
    const start = Date.now() - JUDGING * DAY;
    const phases = phaseWindows(new Date(start)).map((p) => (p.key === 'voting' ? { ...p, endsAt: new Date(p.endsAt.getTime() - 2 * DAY) } : p));
    const { competition, adminJar, post, stored } = await running(JUDGING, { phases });
    const proposal = await insertProposal({ competition: competition._id, author: (await createUser())._id, status: 'eligible' });
    await insertJudgingSheet({ competition: competition._id, judge: (await createUser())._id, proposal: proposal._id, scores: { need: 8 } });
    const before = await stored();
    const outcome = await post(adminJar, { setting: 'start:judging', day: dayAfter(new Date(), 2) });
    expect(outcome.data).toMatchObject({ result: { error: { day: ['judgingScored'] } } });
    expect(await stored()).toEqual(before);
  });
});

describe('what the pages show', () => {
  const locale = (ns: string) => JSON.parse(readFileSync(path.resolve(`public/locales/zh/${ns}.json`), 'utf8')) as Record<string, unknown>;
  const text = (ns: string, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], locale(ns)) as string;

  async function render(element: ReactElement): Promise<string> {
    const i18n = createInstance();
    void i18n.use(initReactI18next).init({
      lng: 'zh',
      fallbackLng: 'zh',
      ns: ['manage', 'common'],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      resources: { zh: { manage: locale('manage'), common: locale('common') } },
    });
    const handler = createStaticHandler([{ path: '*', element }]);
    const context = await handler.query(new Request('http://localhost/'));
    if (context instanceof Response) throw context;
    const router = createStaticRouter(handler.dataRoutes, context);
    return renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router, context })));
  }

  it("the committee's refused edit shows each refusal by its field and keeps the streets it ticked", async () => {
    const [kept, added] = [await createStreet(), await createStreet()];
    const { competition, committeeJar } = await running(VOTING, { eligibleStreets: [kept._id] });
    const edit = (await getCompetitionForEdit(competition.slug))!;
    const save = (fields: Record<string, string>) =>
      call<{ result: never }>(manageAction, formRequest(`/competitions/${competition.slug}/manage`, competitionFormFields(edit.values, fields), { jar: committeeJar }), { slug: competition.slug });
    const streets = [kept, added].map((s) => ({ id: String(s._id), name: s.name }));
    const page = async (result: never) =>
      render(createElement(CompetitionForm, { id: 'edit-competition', creating: false, lastResult: result, defaultValue: edit.values, streets, language: 'zh' }));

    const moved = await page((await save({ 'starts.voting': dayAfter(new Date(), 10), 'starts.judging': dayAfter(new Date(), 30) })).data.result);
    const error = text('common', 'validation.startedPhaseMoved');
    expect(moved.indexOf('name="starts.voting"')).toBeLessThan(moved.indexOf(error));
    expect(moved.indexOf(error)).toBeLessThan(moved.indexOf('name="starts.judging"'));

    const ticked = await page((await save({ 'eligibleStreets[0]': String(kept._id), 'eligibleStreets[1]': String(added._id) })).data.result);
    const fieldset = ticked.slice(ticked.indexOf(`value="${String(kept._id)}"`) - 200);
    expect(fieldset).toContain(text('common', 'validation.streetsFrozen'));
    expect(ticked).toMatch(new RegExp(`<input[^>]*checked=""[^>]*value="${String(added._id)}"`));
  });

  it('the correction form shows the current value and never arrives with "I understand" ticked', async () => {
    const { competition, adminJar, post } = await running(VOTING);
    const panel = (await call<{ correction: Parameters<typeof CorrectionPanel>[0] }>(manageLoader, getRequest(`/competitions/${competition.slug}/manage?correct=budget`, { jar: adminJar }), { slug: competition.slug })).data
      .correction;
    const props = { settings: panel.settings, chosen: panel.chosen, streets: [], language: 'zh' as const };
    const fresh = await render(createElement(CorrectionPanel, props));
    expect(fresh).toContain('¥2,000,000');
    expect(fresh).toMatch(/name="understood"(?![^>]*checked)[^>]*required/);
    const refused = await post(adminJar, { setting: 'budget', budget: '1900000', reason: '' });
    const again = await render(createElement(CorrectionPanel, { ...props, lastResult: (refused.data as { result: never }).result }));
    expect(again).toContain(text('common', 'validation.correctionReasonRequired'));
    expect(again).not.toMatch(/name="understood"[^>]*checked/);
    expect(again).toContain('value="1900000"');
  });

  it('the public timeline lists the corrections with date, what, before and after, and reason', async () => {
    const correction: CorrectionView = { at: '2026-12-01T02:00:00.000Z', setting: 'budget', kind: 'budget', before: 200_000_000, after: 190_000_000, reason: REASON };
    const html = await render(createElement(PhaseTimeline, { phases: [], current: null, language: 'zh', corrections: [correction] }));
    expect(html).toContain(text('common', 'correction.listTitle'));
    expect(html).toContain(text('common', 'correction.budget'));
    expect(html).toContain('¥2,000,000');
    expect(html).toContain('¥1,900,000');
    expect(html).toContain(REASON);
  });
});
