import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Competition } from '#models';
import { createCompetition, createStreet, createUser, grant, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as manageAction, loader as manageLoader } from '~/routes/competitions.$slug.manage/route';
import { action as newCompetitionAction } from '~/routes/competitions.new/route';
import { action as loginAction } from '~/routes/login/route';
import { getCompetitionForEdit } from '~/features/competitions/competitions.server';
import { getCompetitionRules } from '~/features/proposals/competition-rules.server';
import { createProposal } from '~/features/proposals/drafts.server';
import { readImage } from '~/core/uploads.server';
import { call, CookieJar, formRequest, getRequest, multipartRequest } from '../support/http';
import { jpegWithGps, svgWithScript } from '../support/images';
import { completeForm } from '../support/proposals';
import { competitionFormFields } from '../support/competition-form';

const DAY = 86_400_000;
const slug = 'manage-2026';
let committeeJar: CookieJar;
let adminJar: CookieJar;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  return new CookieJar().take(outcome.headers);
}


beforeAll(async () => {
  const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 5 * DAY)) });
  await createUser({ email: 'manage-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
  await createUser({ email: 'manage-admin@example.test', roles: [grant('resident'), grant('admin')] });
  committeeJar = await signIn('manage-committee@example.test');
  adminJar = await signIn('manage-admin@example.test');
});

describe('the committee runs its competition', () => {
  it('changes the budget and a direction; the slug stays; the change is audited with before and after', async () => {
    const before = (await getCompetitionForEdit(slug))!;
    const outcome = await call(
      manageAction,
      formRequest(`/competitions/${slug}/manage`, competitionFormFields(before.values, { budget: '1,800,000', 'categories[0].zh': '困境儿童成长关爱' }), { jar: committeeJar }),
      { slug },
    );
    expect(outcome.status).toBe(303);
    const saved = await Competition.findOne({ slug }).lean();
    expect(saved?.budgetFen).toBe(180_000_000);
    expect(saved?.categories[0]?.name.zh).toBe('困境儿童成长关爱');
    const entry = await AuditLog.findOne({ action: 'competition.updated', targetId: String(saved?._id) }).lean();
    expect(entry?.before).toMatchObject({ budgetFen: 200_000_000 });
    expect(entry?.after).toMatchObject({ budgetFen: 180_000_000 });
  });

  it('refuses phases out of order and a maximum above the budget, and changes nothing', async () => {
    const before = (await getCompetitionForEdit(slug))!;
    const outcome = await call(
      manageAction,
      formRequest(`/competitions/${slug}/manage`, competitionFormFields(before.values, { 'starts.voting': '2020-01-01', maxRequest: '99999999' }), { jar: committeeJar }),
      { slug },
    );
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ result: { error: { 'starts.voting': ['phaseOrder'], maxRequest: ['maxAboveBudget'] } } });
    expect((await getCompetitionForEdit(slug))?.values).toEqual(before.values);
  });

  it('moves to the next phase by hand with a reason; submissions are then refused', async () => {
    const competition = await createCompetition({ slug: 'advance-me', phases: phaseWindows(new Date(Date.now() - 2 * DAY)) });
    await createUser({ email: 'adv@example.test', roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const jar = await signIn('adv@example.test');
    const noReason = await call(manageAction, formRequest('/competitions/advance-me/manage', { intent: 'advance', reason: '', confirm: 'yes' }, { jar }), { slug: 'advance-me' });
    expect(noReason.status).toBe(400);
    // Without the confirmation tick: 400 with the field's error and the reason kept, still in submission, nothing audited.
    const unconfirmed = await call(manageAction, formRequest('/competitions/advance-me/manage', { intent: 'advance', reason: '提案数量已经足够，提前进入审查。' }, { jar }), { slug: 'advance-me' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ intent: 'advance', advance: { reason: '提案数量已经足够，提前进入审查。', confirm: ['confirmRequired'] } });
    expect((await getCompetitionRules('advance-me'))!.phase).toBe('submission');
    expect(await AuditLog.countDocuments({ action: 'competition.phaseAdvanced', targetId: String(competition._id) })).toBe(0);
    const outcome = await call(manageAction, formRequest('/competitions/advance-me/manage', { intent: 'advance', reason: '提案数量已经足够，提前进入审查。', confirm: 'yes' }, { jar }), { slug: 'advance-me' });
    expect(outcome.status).toBe(303);
    const rules = (await getCompetitionRules('advance-me'))!;
    expect(rules.phase).toBe('screening');
    const author = await createUser();
    expect(await createProposal({ rules, authorId: String(author._id), form: completeForm() })).toEqual({ ok: false, reason: 'phaseClosed' });
    const entry = await AuditLog.findOne({ action: 'competition.phaseAdvanced', targetId: String(competition._id) }).lean();
    expect(entry).toMatchObject({ reason: '提案数量已经足够，提前进入审查。', before: { phase: 'submission' }, after: { phase: 'screening' } });
  });

  it('uploads a cover picture, re-encoded and public; a new one replaces and deletes the old', async () => {
    const upload = async () =>
      call(manageAction, multipartRequest(`/competitions/${slug}/manage`, { intent: 'cover' }, [{ name: 'cover', filename: 'cover.jpg', type: 'image/jpeg', data: await jpegWithGps() }], { jar: committeeJar }), { slug });
    expect((await upload()).status).toBe(303);
    const first = (await Competition.findOne({ slug }).lean())?.coverFileId;
    expect(first).toBeTruthy();
    expect((await readImage(first!, 'full'))?.visibility).toBe('public');
    expect((await upload()).status).toBe(303);
    const second = (await Competition.findOne({ slug }).lean())?.coverFileId;
    expect(second).not.toBe(first);
    expect(await readImage(first!, 'full')).toBeNull();
    const svg = await call(manageAction, multipartRequest(`/competitions/${slug}/manage`, { intent: 'cover' }, [{ name: 'cover', filename: 'x.jpg', type: 'image/jpeg', data: svgWithScript() }], { jar: committeeJar }), { slug });
    expect(svg.status).toBe(400);
    expect((await Competition.findOne({ slug }).lean())?.coverFileId).toBe(second);
  });

  it('nobody else may open or change the settings', async () => {
    const other = await createCompetition({ slug: 'someone-else' });
    await createUser({ email: 'other-committee@example.test', roles: [grant('resident'), grant('committee', 'competition', other._id)] });
    await createUser({ email: 'just-resident@example.test' });
    const before = (await getCompetitionForEdit(slug))!;
    for (const email of ['other-committee@example.test', 'just-resident@example.test']) {
      const jar = await signIn(email);
      expect((await call(manageLoader, getRequest(`/competitions/${slug}/manage`, { jar }), { slug })).status, email).toBe(403);
      const attempt = await call(manageAction, formRequest(`/competitions/${slug}/manage`, competitionFormFields(before.values, { budget: '1' }), { jar }), { slug });
      expect(attempt.status, email).toBe(403);
      const advance = await call(manageAction, formRequest(`/competitions/${slug}/manage`, { intent: 'advance', reason: '我想提前', confirm: 'yes' }, { jar }), { slug });
      expect(advance.status, email).toBe(403);
    }
    expect((await getCompetitionForEdit(slug))?.values).toEqual(before.values);
    expect((await call(manageLoader, getRequest(`/competitions/${slug}/manage`), { slug })).status).toBe(302);
  });
});

describe('opening a competition', () => {
  it('an admin creates one; a committee member may not; a taken slug is explained', async () => {
    const street = await createStreet();
    const fields = {
      intent: 'save',
      slug: '2027-laoshanxing',
      year: '2027',
      titleZh: '2027年崂善行救助服务居民提案大赛',
      summaryZh: '第三届大赛。',
      budget: '2500000',
      minRequest: '5000',
      maxRequest: '120000',
      'starts.submission': '2027-03-01',
      'starts.screening': '2027-04-15',
      'starts.voting': '2027-05-01',
      'starts.judging': '2027-05-21',
      'starts.results': '2027-06-10',
      'starts.implementation': '2027-07-01',
      'starts.closed': '2028-03-01',
      'categories[0].code': 'children',
      'categories[0].zh': '困境儿童成长',
      eligibleStreets: String(street._id),
    };
    expect((await call(newCompetitionAction, formRequest('/competitions/new', fields, { jar: committeeJar }))).status).toBe(403);
    const created = await call(newCompetitionAction, formRequest('/competitions/new', fields, { jar: adminJar }));
    expect(created).toRedirectTo('/competitions/2027-laoshanxing', 303);
    const saved = await Competition.findOne({ slug: '2027-laoshanxing' }).lean();
    expect(saved?.phases[0]?.startsAt.toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect(saved?.eligibleStreets.map(String)).toEqual([String(street._id)]);
    const again = await call(newCompetitionAction, formRequest('/competitions/new', fields, { jar: adminJar }));
    expect(again.data).toMatchObject({ result: { error: { slug: ['slugTaken'] } } });
  });
});

describe('a refusal of a frozen field shows on that field, and what was typed stays', () => {
  async function votingOpen() {
    // Voting opened five days ago.
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
    await createUser({ email: `frozen-${competition.slug}@example.test`, roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const jar = await signIn(`frozen-${competition.slug}@example.test`);
    const form = competitionFormFields((await getCompetitionForEdit(competition.slug))!.values);
    const save = (fields: Record<string, string>) => call(manageAction, formRequest(`/competitions/${competition.slug}/manage`, fields, { jar }), { slug: competition.slug });
    return { competition, form, save };
  }
  type Reply = { intent: string; result: { error: Record<string, string[]>; initialValue: Record<string, unknown> } };

  it("moving a started phase's start: the error is on that phase's date", async () => {
    const { form, save } = await votingOpen();
    const outcome = await save({ ...form, 'starts.voting': '2099-01-01', 'starts.judging': '2099-02-01', 'starts.results': '2099-03-01', 'starts.implementation': '2099-04-01', 'starts.closed': '2099-05-01', titleZh: '改过的名称' });
    expect(outcome.status).toBe(400);
    const { result } = outcome.data as Reply;
    expect(result.error['starts.voting']).toEqual(['startedPhaseMoved']);
    expect(result.initialValue).toMatchObject({ titleZh: '改过的名称', starts: { voting: '2099-01-01' } });
  });

  it('changing the budget or the streets once voting is open: the error is on that field, the ticked streets stay ticked', async () => {
    const { form, save } = await votingOpen();
    const budget = await save({ ...form, budget: '9,000,000' });
    expect((budget.data as Reply).result.error.budget).toEqual(['budgetFrozen']);
    expect((budget.data as Reply).result.initialValue).toMatchObject({ budget: '9,000,000' });
    const street = await createStreet();
    const streets = await save({ ...form, 'eligibleStreets[0]': String(street._id) });
    expect((streets.data as Reply).result.error.eligibleStreets).toEqual(['streetsFrozen']);
    expect((streets.data as Reply).result.initialValue).toMatchObject({ eligibleStreets: [String(street._id)] });
  });
});
