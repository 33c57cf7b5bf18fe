import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AuditLog, Competition, JudgingSheet, Notification, Proposal } from '#models';
import { createCompetition, createUser, grant, insertJudgingSheet, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD, CATEGORIES } from '#seeds/data';
import { action as sheetAction, loader as sheetLoader } from '~/routes/competitions.$slug.judge.$number/route';
import { loader as mineLoader } from '~/routes/competitions.$slug.judge._index/route';
import { action as progressAction, loader as progressLoader } from '~/routes/competitions.$slug.judging._index/route';
import { action as assignAction, loader as assignLoader } from '~/routes/competitions.$slug.judging.assign/route';
import { action as rubricAction, loader as rubricLoader } from '~/routes/competitions.$slug.judging.rubric/route';
import { action as loginAction } from '~/routes/login/route';
import { assignJudges, judgesWithUnfinishedSheets, remindJudges } from '~/features/judging/assignment.server';
import { getJudgingContext, type JudgingContext } from '~/features/judging/context.server';
import { loadJudgingInputs } from '~/features/judging/inputs.server';
import { saveSheet } from '~/features/judging/sheets.server';
import { DEFAULT_CRITERIA } from '~/features/judging/rules';
import { listNotifications } from '~/core/notifications.server';
import { call, CookieJar, formRequest, getRequest, type Outcome } from '../support/http';

const DAY = 86_400_000;
// phaseWindows: submission 45 + screening 14 + voting 21 days, then judging for 21 days.
const IN_JUDGING = () => phaseWindows(new Date(Date.now() - 85 * DAY));
const slug = 'judging-test';
const futureSlug = 'judging-future';
let ctx: JudgingContext;
let competitionId: Types.ObjectId;
const ids: Record<string, string> = {};
const jars: Record<string, CookieJar> = {};
const numbers: Record<string, number> = {};

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

type Handler = Parameters<typeof call>[0];

/** A complete sheet: every default criterion scored `score`. */
function fullSheet(score: number, extra: Record<string, string> = {}): Record<string, string> {
  return { intent: 'submit', confirm: 'yes', ...Object.fromEntries(DEFAULT_CRITERIA.map((c) => [`score.${c.key}`, String(score)])), ...extra };
}

function sheetPost(number: number, fields: Record<string, string>, jar?: CookieJar) {
  return call(sheetAction as Handler, formRequest(`/competitions/${slug}/judge/${number}`, fields, { jar }), { slug, number: String(number) });
}

function sheetGet(number: number, jar?: CookieJar) {
  return call(sheetLoader as Handler, getRequest(`/competitions/${slug}/judge/${number}`, { jar }), { slug, number: String(number) });
}

async function sheetOf(judge: string, number: number) {
  const proposal = await Proposal.findOne({ competition: competitionId, number }).select('_id').lean();
  return JudgingSheet.findOne({ competition: competitionId, judge: new Types.ObjectId(judge), proposal: proposal!._id }).lean();
}

beforeAll(async () => {
  const competition = await createCompetition({ slug, phases: IN_JUDGING() });
  competitionId = competition._id;
  const future = await createCompetition({ slug: futureSlug, phases: phaseWindows(new Date(Date.now() - 3 * DAY)) });
  const other = await createCompetition({ slug: 'judging-other', phases: IN_JUDGING() });
  const people: Record<string, Parameters<typeof createUser>[0]> = {
    committee: { roles: [grant('resident'), grant('committee', 'competition', competitionId), grant('committee', 'competition', future._id)] },
    judge1: { name: '评委甲', roles: [grant('resident'), grant('judge', 'competition', competitionId)] },
    judge2: { name: '评委乙', roles: [grant('resident'), grant('judge', 'competition', competitionId)] },
    judge3: { name: '评委丙', roles: [grant('resident'), grant('judge', 'competition', competitionId), grant('judge', 'competition', future._id)] },
    authorJudge: { name: '评委丁', roles: [grant('resident'), grant('judge', 'competition', competitionId)] },
    otherJudge: { roles: [grant('resident'), grant('judge', 'competition', other._id)] },
    resident: {},
  };
  for (const [name, overrides] of Object.entries(people)) {
    const user = await createUser({ email: `${name}@judging.test`, ...overrides });
    ids[name] = String(user._id);
    jars[name] = await signIn(`${name}@judging.test`);
  }
  const author = new Types.ObjectId(ids.resident);
  for (const key of ['p1', 'p2', 'p3', 'p4', 'p5']) {
    numbers[key] = (await insertProposal({ competition: competitionId, author, status: 'eligible', title: `评审测试${key}` })).number;
  }
  // Not eligible: never assigned, never in the inputs.
  await insertProposal({ competition: competitionId, author, status: 'submitted', title: '未审查的提案' });
  // The author-judge co-wrote p2 before assignment.
  await Proposal.updateOne({ competition: competitionId, number: numbers.p2 }, { $push: { authors: new Types.ObjectId(ids.authorJudge) } });
  ctx = (await getJudgingContext(slug))!;
  expect(ctx.phase).toBe('judging');
  const assigned = await assignJudges({ ctx, actorId: ids.committee!, mode: 'all' });
  expect(assigned).toEqual({ ok: true, created: 20 });
  await insertProposal({ competition: future._id, author, status: 'eligible' });
});

describe('rubric', () => {
  it('defaults to the seven criteria, weights summing to 100, normalisation on', () => {
    expect(ctx.rubric.criteria.map((c) => c.name.zh)).toEqual(['需求迫切性', '精准性', '可行性', '经济性', '居民参与度', '可持续性', '创新性']);
    expect(ctx.rubric.criteria.reduce((s, c) => s + c.weight, 0)).toBe(100);
    expect(ctx.rubric.normalize).toBe(true);
  });

  const rubricForm = {
    'criteria[0].key': 'need',
    'criteria[0].nameZh': '需求迫切性',
    'criteria[0].weight': '60',
    'criteria[0].lowZh': '不急',
    'criteria[0].midZh': '一般',
    'criteria[0].highZh': '很急',
    'criteria[1].nameZh': '社区特色',
    'criteria[1].weight': '40',
    'criteria[1].lowZh': '没有',
    'criteria[1].midZh': '有一些',
    'criteria[1].highZh': '鲜明',
  };

  it('is locked once judging opens: the save is refused with a reason and nothing changes', async () => {
    const before = await Competition.findById(competitionId).select('judging').lean();
    const outcome = await call<{ reason: string }>(rubricAction, formRequest(`/competitions/${slug}/judging/rubric`, rubricForm, { jar: jars.committee }), { slug });
    expect(outcome.status).toBe(409);
    expect(outcome.data.reason).toBe('judgingStarted');
    expect(await Competition.findById(competitionId).select('judging').lean()).toEqual(before);
    const page = await call<{ locked: boolean }>(rubricLoader, getRequest(`/competitions/${slug}/judging/rubric`, { jar: jars.committee }), { slug });
    expect(page.data.locked).toBe(true);
  });

  it('before judging the committee edits it (weights must sum to 100), audited with before and after', async () => {
    const path = `/competitions/${futureSlug}/judging/rubric`;
    const bad = await call(rubricAction as Handler, formRequest(path, { ...rubricForm, 'criteria[1].weight': '30' }, { jar: jars.committee }), { slug: futureSlug });
    expect(bad.status).toBe(400);
    const saved = await call(rubricAction as Handler, formRequest(path, { ...rubricForm, normalize: 'on' }, { jar: jars.committee }), { slug: futureSlug });
    expect(saved).toRedirectTo(path, 303);
    await expect(saved).toSendToast({ type: 'success', key: 'judging:toast.rubricSaved' });
    const future = (await getJudgingContext(futureSlug))!;
    expect(future.rubric.criteria.map((c) => [c.key, c.name.zh, c.weight])).toEqual([
      ['need', '需求迫切性', 60],
      ['c1', '社区特色', 40],
    ]);
    expect(future.rubric.normalize).toBe(true);
    const entry = await AuditLog.findOne({ action: 'judging.rubricChanged', targetId: future.id }).lean();
    expect((entry?.before as { criteria: unknown[] }).criteria).toHaveLength(7);
    expect((entry?.after as { criteria: unknown[] }).criteria).toHaveLength(2);
    expect(String(entry?.actor)).toBe(ids.committee);
  });
});

describe('recusal', () => {
  it('a judge who is a co-author is recused automatically and cannot open or save the sheet', async () => {
    expect((await sheetOf(ids.authorJudge!, numbers.p2!))?.status).toBe('recused');
    expect((await sheetGet(numbers.p2!, jars.authorJudge)).status).toBe(403);
    expect((await sheetPost(numbers.p2!, fullSheet(9), jars.authorJudge)).status).toBe(403);
    expect((await sheetOf(ids.authorJudge!, numbers.p2!))?.scores).toEqual([]);
  });

  it('becoming a co-author after assignment recuses too, and the sheet stops counting', async () => {
    expect((await sheetGet(numbers.p3!, jars.authorJudge)).status).toBe(200);
    const submitted = await sheetPost(numbers.p3!, fullSheet(10), jars.authorJudge);
    // A submitted sheet leads back to the judge's list.
    expect(submitted).toRedirectTo(`/competitions/${slug}/judge`, 303);
    await expect(submitted).toSendToast({ type: 'success', key: 'judging:toast.submitted', values: { number: numbers.p3! } });
    await Proposal.updateOne({ competition: competitionId, number: numbers.p3 }, { $push: { authors: new Types.ObjectId(ids.authorJudge) } });
    expect((await sheetGet(numbers.p3!, jars.authorJudge)).status).toBe(403);
    const inputs = await loadJudgingInputs(String(competitionId));
    const p3 = inputs!.proposals.find((p) => p.number === numbers.p3);
    expect(p3!.sheets.map((s) => s.judgeId)).not.toContain(ids.authorJudge);
  });

  it('a judge who declares a conflict is recused (audited), cannot open the sheet, and their draft does not count', async () => {
    const draft = await sheetPost(numbers.p4!, { ...fullSheet(3), intent: 'draft' }, jars.judge3);
    // A draft stays on its sheet.
    expect(draft).toRedirectTo(`/competitions/${slug}/judge/${numbers.p4}`, 303);
    await expect(draft).toSendToast({ type: 'success', key: 'judging:toast.draftSaved', values: { number: numbers.p4! } });
    const missingNote = await sheetPost(numbers.p4!, { intent: 'recuse', kind: 'sameCommunity', note: '', confirm: 'yes' }, jars.judge3);
    expect(missingNote.status).toBe(400);
    // Without the confirmation tick: 400 with the field's error, still a draft, nothing audited.
    const unconfirmed = await sheetPost(numbers.p4!, { intent: 'recuse', kind: 'authorRelation', note: '提案人是我的表亲。' }, jars.judge3);
    expect(unconfirmed.status).toBe(400);
    expect((unconfirmed.data as { result: { error: Record<string, string[]> } }).result.error.confirm).toEqual(['confirmRequired']);
    expect((await sheetOf(ids.judge3!, numbers.p4!))?.status).toBe('draft');
    expect(await AuditLog.countDocuments({ action: 'judging.recused', actor: new Types.ObjectId(ids.judge3) })).toBe(0);
    const declared = await sheetPost(numbers.p4!, { intent: 'recuse', kind: 'authorRelation', note: '提案人是我的表亲。', confirm: 'yes' }, jars.judge3);
    expect(declared).toRedirectTo(`/competitions/${slug}/judge`, 303);
    await expect(declared).toSendToast({ type: 'success', key: 'judging:toast.recused', values: { number: numbers.p4! } });
    const sheet = await sheetOf(ids.judge3!, numbers.p4!);
    expect(sheet).toMatchObject({ status: 'recused', recusal: { kind: 'authorRelation', note: '提案人是我的表亲。' } });
    expect((await sheetGet(numbers.p4!, jars.judge3)).status).toBe(403);
    expect((await sheetPost(numbers.p4!, fullSheet(3), jars.judge3)).status).toBe(403);
    expect(await AuditLog.countDocuments({ action: 'judging.recused', actor: new Types.ObjectId(ids.judge3) })).toBe(1);
  });
});

describe('score sheets', () => {
  it('submitting without the confirmation tick is refused with 400 and the sheet stays an editable draft; a draft needs no tick', async () => {
    const before = await sheetOf(ids.judge3!, numbers.p5!);
    const { confirm: _ticked, ...unticked } = fullSheet(6);
    for (const fields of [unticked, { ...unticked, confirm: 'no' }]) {
      const refused = await sheetPost(numbers.p5!, fields, jars.judge3);
      expect(refused.status).toBe(400);
      expect((refused.data as { result: { error: Record<string, string[]> } }).result.error.confirm).toEqual(['confirmRequired']);
    }
    expect(await sheetOf(ids.judge3!, numbers.p5!)).toEqual(before);
    expect((await sheetPost(numbers.p5!, { ...unticked, intent: 'draft' }, jars.judge3)).status).toBe(303);
    expect((await sheetOf(ids.judge3!, numbers.p5!))?.status).toBe('draft');
  });

  it('a submit needs every criterion; a draft does not', async () => {
    const partial = { intent: 'submit', 'score.need': '7', confirm: 'yes' };
    expect((await sheetPost(numbers.p5!, partial, jars.judge2)).status).toBe(400);
    expect((await sheetPost(numbers.p5!, { ...partial, intent: 'draft' }, jars.judge2)).status).toBe(303);
    const draft = await sheetOf(ids.judge2!, numbers.p5!);
    expect(draft).toMatchObject({ status: 'draft' });
    expect(draft?.scores).toContainEqual({ criterion: 'need', score: 7 });
  });

  it('a submitted sheet is locked: edits and re-submits change nothing', async () => {
    const first = await sheetPost(numbers.p1!, fullSheet(8, { comment: '方案扎实。', 'note.need': '需求真实' }), jars.judge1);
    expect(first.status).toBe(303);
    const stored = await sheetOf(ids.judge1!, numbers.p1!);
    expect(stored).toMatchObject({ status: 'submitted', comment: '方案扎实。' });
    expect(stored!.scores.map((s) => s.score)).toEqual(Array(7).fill(8));
    const again = await sheetPost(numbers.p1!, fullSheet(2, { comment: '改主意了' }), jars.judge1);
    expect(again.status).toBe(409);
    expect((again.data as { reason: string }).reason).toBe('locked');
    const draft = await sheetPost(numbers.p1!, { ...fullSheet(1), intent: 'draft' }, jars.judge1);
    expect(draft.status).toBe(409);
    const recuse = await sheetPost(numbers.p1!, { intent: 'recuse', kind: 'sameCommunity', note: '想撤回评分', confirm: 'yes' }, jars.judge1);
    expect(recuse.status).toBe(409);
    const after = await sheetOf(ids.judge1!, numbers.p1!);
    expect(after).toEqual(stored);
  });

  it('10 parallel submits with different scores: exactly one wins and its scores are kept whole', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => saveSheet({ ctx, judgeId: ids.judge2!, number: numbers.p1!, intent: 'submit', comment: `第${i}次`, scores: DEFAULT_CRITERIA.map((c) => ({ criterion: c.key, score: i + 1 })) })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'locked')).toBe(true);
    const winner = results.findIndex((r) => r.ok);
    const stored = await sheetOf(ids.judge2!, numbers.p1!);
    expect(stored?.comment).toBe(`第${winner}次`);
    expect(stored!.scores.map((s) => s.score)).toEqual(Array(7).fill(winner + 1));
  });

  it('sheets are written only during judging', async () => {
    const future = (await getJudgingContext(futureSlug))!;
    expect((await assignJudges({ ctx: future, actorId: ids.committee!, mode: 'all' })).ok).toBe(true);
    const number = (await Proposal.findOne({ competition: future.id }).lean())!.number;
    const result = await saveSheet({ ctx: future, judgeId: ids.judge3!, number, intent: 'draft', comment: '', scores: [] });
    expect(result).toEqual({ ok: false, reason: 'judgingClosed' });
  });

  it('scores are hidden from other judges: their pages never contain another judge’s sheet', async () => {
    await sheetPost(numbers.p5!, fullSheet(9, { comment: '甲的秘密总评', 'note.need': '甲的秘密意见' }), jars.judge1);
    const secrets = ['甲的秘密总评', '甲的秘密意见'];
    for (const [jar, loader, path, params] of [
      [jars.judge2, sheetLoader, `/competitions/${slug}/judge/${numbers.p5}`, { slug, number: String(numbers.p5) }],
      [jars.judge2, mineLoader, `/competitions/${slug}/judge`, { slug }],
      [jars.committee, progressLoader, `/competitions/${slug}/judging`, { slug }],
    ] as const) {
      const outcome = await call(loader as Handler, getRequest(path, { jar }), params);
      expect(outcome.status).toBe(200);
      const text = JSON.stringify(outcome.data);
      for (const secret of secrets) expect(text).not.toContain(secret);
      // A judge's pages do not even name the other judges.
      if (jar === jars.judge2) expect(text).not.toContain(ids.judge1);
    }
    const own = await call<{ sheet: { scores: { score: number | null }[] } }>(sheetLoader, getRequest(`/competitions/${slug}/judge/${numbers.p5}`, { jar: jars.judge2 }), { slug, number: String(numbers.p5) });
    // judge2's own draft (need: 7) only.
    expect(own.data.sheet.scores.map((s) => s.score)).toEqual([7, null, null, null, null, null, null]);
  });
});

describe('reopening', () => {
  it('only the committee reopens a submitted sheet, with a reason, audited; the judge may then revise it', async () => {
    const fields = { intent: 'reopen', sheet: `${ids.judge1}:${numbers.p1}`, reason: '评委要求更正笔误。' };
    const path = `/competitions/${slug}/judging`;
    expect((await call(progressAction as Handler, formRequest(path, fields, { jar: jars.judge1 }), { slug })).status).toBe(403);
    expect((await call(progressAction as Handler, formRequest(path, { ...fields, reason: '' }, { jar: jars.committee }), { slug })).status).toBe(400);
    expect((await sheetOf(ids.judge1!, numbers.p1!))?.status).toBe('submitted');
    const reopened = await call(progressAction as Handler, formRequest(path, fields, { jar: jars.committee }), { slug });
    expect(reopened).toRedirectTo(path, 303);
    await expect(reopened).toSendToast({ type: 'success', key: 'judging:toast.reopened', values: { number: numbers.p1! } });
    const sheet = await sheetOf(ids.judge1!, numbers.p1!);
    expect(sheet).toMatchObject({ status: 'draft', reopenings: [{ reason: '评委要求更正笔误。' }] });
    const entry = await AuditLog.findOne({ action: 'judging.sheetReopened', targetId: String(sheet!._id) }).lean();
    expect(entry).toMatchObject({ reason: '评委要求更正笔误。', before: { status: 'submitted' }, after: { status: 'draft' } });
    expect(String(entry?.actor)).toBe(ids.committee);
    // The judge is told why, on the sheet itself.
    const page = await sheetGet(numbers.p1!, jars.judge1);
    expect((page.data as { sheet: { reopened: { reason: string } | null } }).sheet.reopened).toMatchObject({ reason: '评委要求更正笔误。' });
    // Reopening twice finds nothing to reopen.
    expect((await call(progressAction as Handler, formRequest(path, fields, { jar: jars.committee }), { slug })).status).toBe(400);
    expect((await sheetPost(numbers.p1!, fullSheet(7), jars.judge1)).status).toBe(303);
    expect((await sheetOf(ids.judge1!, numbers.p1!))?.scores.map((s) => s.score)).toEqual(Array(7).fill(7));
    // Submitted again: the reopening's reason is history, no longer shown as a request.
    expect(((await sheetGet(numbers.p1!, jars.judge1)).data as { sheet: { reopened: unknown } }).sheet.reopened).toBeNull();
  });
});

describe('committee progress', () => {
  it('the coverage view lists proposals with fewer than 3 non-recused judges', async () => {
    const outcome = await call<{ short: { number: number; activeJudges: number }[]; judges: { id: string }[]; rows: { number: number; cells: string[] }[] }>(
      progressLoader,
      getRequest(`/competitions/${slug}/judging`, { jar: jars.committee }),
      { slug },
    );
    // p2: author-judge recused; p3: author-judge recused later; p4: judge3 declared. Each keeps 3 of 4 judges.
    expect(outcome.data.short).toEqual([]);
    const extra = await insertProposal({ competition: competitionId, author: new Types.ObjectId(ids.resident), status: 'eligible', category: CATEGORIES[1].code });
    const panel = await call(assignAction as Handler, formRequest(`/competitions/${slug}/judging/assign`, { mode: 'panel', category: CATEGORIES[1].code, judges: ids.judge1! }, { jar: jars.committee }), { slug });
    expect(panel).toRedirectTo(`/competitions/${slug}/judging`, 303);
    await expect(panel).toSendToast({ type: 'success', key: 'judging:toast.assigned', values: { count: 1 } });
    const unassigned = await insertProposal({ competition: competitionId, author: new Types.ObjectId(ids.resident), status: 'eligible' });
    const after = await call<{ short: { number: number; activeJudges: number }[]; judges: { id: string }[]; rows: { number: number; cells: string[] }[] }>(
      progressLoader,
      getRequest(`/competitions/${slug}/judging`, { jar: jars.committee }),
      { slug },
    );
    expect(after.data.short.map((s) => [s.number, s.activeJudges])).toEqual([
      [extra.number, 1],
      [unassigned.number, 0],
    ]);
    const column = after.data.judges.findIndex((j) => j.id === ids.authorJudge);
    expect(after.data.rows.find((r) => r.number === numbers.p2)!.cells[column]).toBe('recused');
  });

  it('a reminder reaches each judge of the competition with an unfinished sheet, once, linking to their sheets', async () => {
    // Every judge here still has an assigned sheet open; the judge of the other competition has none here.
    const unfinished = await judgesWithUnfinishedSheets(ctx);
    expect([...unfinished].sort()).toEqual([ids.judge1, ids.judge2, ids.judge3, ids.authorJudge].sort());
    const before = await Notification.countDocuments();
    const result = await remindJudges({ ctx, actorId: ids.committee! });
    expect(result).toEqual({ ok: true, reminded: 4 });
    expect(await Notification.countDocuments()).toBe(before + 4);
    const sent = await Notification.find({ type: 'judgingReminder' }).sort({ recipient: 1 }).lean();
    expect(sent.map((n) => String(n.recipient))).toEqual([ids.judge1, ids.judge2, ids.judge3, ids.authorJudge].sort());
    for (const n of sent) expect(n).toMatchObject({ competitionSlug: slug, actor: new Types.ObjectId(ids.committee) });
    const inbox = await listNotifications(ids.judge2!, 1);
    expect(inbox.items.filter((i) => i.message === 'judgingReminder').map((i) => i.href)).toEqual([`/competitions/${slug}/judge`]);
  });
});

describe('inputs for the results', () => {
  it('loadJudgingInputs gives every eligible proposal with only the submitted, non-recused sheets', async () => {
    const inputs = (await loadJudgingInputs(String(competitionId)))!;
    expect(inputs.rubric.normalize).toBe(true);
    expect(inputs.rubric.criteria.map((c) => [c.key, c.weight])).toEqual(DEFAULT_CRITERIA.map((c) => [c.key, c.weight]));
    const eligible = await Proposal.countDocuments({ competition: competitionId, status: 'eligible' });
    expect(inputs.proposals).toHaveLength(eligible);
    const p1 = inputs.proposals.find((p) => p.number === numbers.p1)!;
    expect(p1.sheets.map((s) => s.judgeId).sort()).toEqual([ids.judge1, ids.judge2].sort());
    expect(p1.sheets.find((s) => s.judgeId === ids.judge1)!.scores).toEqual(Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.key, 7])));
    // p4: judge3 recused (their draft never counts); p5: judge2's draft does not count, judge1 submitted.
    expect(inputs.proposals.find((p) => p.number === numbers.p4)!.sheets).toEqual([]);
    expect(inputs.proposals.find((p) => p.number === numbers.p5)!.sheets.map((s) => s.judgeId)).toEqual([ids.judge1]);
    // A submitted sheet lacking a criterion (only possible by writing around the service) is left out.
    const outsider = await createUser({ roles: [grant('resident'), grant('judge', 'competition', competitionId)] });
    const p5 = await Proposal.findOne({ competition: competitionId, number: numbers.p5 }).lean();
    await insertJudgingSheet({ competition: competitionId, judge: outsider._id, proposal: p5!._id, scores: { need: 5 } });
    const again = (await loadJudgingInputs(String(competitionId)))!;
    expect(again.proposals.find((p) => p.number === numbers.p5)!.sheets.map((s) => s.judgeId)).toEqual([ids.judge1]);
    expect(await loadJudgingInputs(new Types.ObjectId().toHexString())).toBeNull();
  });
});

describe('permissions of the judging pages', () => {
  function endpoints(): { name: string; handler: Handler; path: string; params: Record<string, string>; form?: Record<string, string> }[] {
    const p = { slug };
    const sheet = { slug, number: String(numbers.p5) };
    return [
      { name: 'progress loader', handler: progressLoader, path: `/competitions/${slug}/judging`, params: p },
      { name: 'progress action (remind)', handler: progressAction, path: `/competitions/${slug}/judging`, params: p, form: { intent: 'remind' } },
      { name: 'progress action (reopen)', handler: progressAction, path: `/competitions/${slug}/judging`, params: p, form: { intent: 'reopen', sheet: `${ids.judge1}:${numbers.p5}`, reason: '未经授权的重开' } },
      { name: 'rubric loader', handler: rubricLoader, path: `/competitions/${slug}/judging/rubric`, params: p },
      { name: 'rubric action', handler: rubricAction, path: `/competitions/${slug}/judging/rubric`, params: p, form: { 'criteria[0].nameZh': 'x', 'criteria[0].weight': '100' } },
      { name: 'assign loader', handler: assignLoader, path: `/competitions/${slug}/judging/assign`, params: p },
      { name: 'assign action', handler: assignAction, path: `/competitions/${slug}/judging/assign`, params: p, form: { mode: 'all' } },
      { name: 'my judging loader', handler: mineLoader, path: `/competitions/${slug}/judge`, params: p },
      { name: 'sheet loader', handler: sheetLoader, path: `/competitions/${slug}/judge/${numbers.p5}`, params: sheet },
      { name: 'sheet action (submit)', handler: sheetAction, path: `/competitions/${slug}/judge/${numbers.p5}`, params: sheet, form: fullSheet(1) },
      { name: 'sheet action (recuse)', handler: sheetAction, path: `/competitions/${slug}/judge/${numbers.p5}`, params: sheet, form: { intent: 'recuse', kind: 'sameCommunity', note: 'x', confirm: 'yes' } },
    ];
  }

  function hit(e: ReturnType<typeof endpoints>[number], jar?: CookieJar): Promise<Outcome> {
    return call(e.handler, e.form ? formRequest(e.path, e.form, { jar }) : getRequest(e.path, { jar }), e.params);
  }

  async function snapshot() {
    return JSON.stringify([await JudgingSheet.find().sort({ _id: 1 }).lean(), await Competition.find().sort({ _id: 1 }).lean(), await Notification.countDocuments()]);
  }

  it('anonymous visitors are sent to log in; residents and a judge of another competition get 403; nothing changes', async () => {
    const before = await snapshot();
    for (const e of endpoints()) {
      const anonymous = await hit(e);
      expect(anonymous, e.name).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: e.path })}`, 302);
      expect((await hit(e, jars.resident)).status, `${e.name} as resident`).toBe(403);
      expect((await hit(e, jars.otherJudge)).status, `${e.name} as judge of another competition`).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });

  it('judges get 403 on the committee pages', async () => {
    for (const e of endpoints().filter((x) => /^(progress|rubric|assign) /.test(x.name))) {
      expect((await hit(e, jars.judge1)).status, e.name).toBe(403);
    }
  });
});
