import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInstance } from 'i18next';
import mongoose, { Types } from 'mongoose';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Comment, Proposal } from '#models';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { CommentsSection } from '~/features/proposals/comments';
import { action as commentsAction } from '~/routes/competitions.$slug.proposals.$number.comments/route';
import { action as loginAction } from '~/routes/login/route';
import type { CommentsSectionData } from '~/features/proposals/comment-fields';
import { addComment, COMMENT_LIMIT, getCommentsSection, hideComment } from '~/features/proposals/comments.server';
import { getCompetitionRules, type CompetitionRules } from '~/features/proposals/competition-rules.server';
import { call, CookieJar, formRequest } from '../support/http';

const DAY = 86_400_000;

type User = Awaited<ReturnType<typeof createUser>>;
interface Person {
  user: User;
  id: string;
  jar: CookieJar;
}

let counter = 0;
async function person(roles = [grant('resident')]): Promise<Person> {
  const email = `comments-${counter++}-${Math.random().toString(36).slice(2)}@example.test`;
  const user = await createUser({ email, roles });
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return { user, id: String(user._id), jar: new CookieJar().take(outcome.headers) };
}

let rules: CompetitionRules;
let otherRules: CompetitionRules;
let closedRules: CompetitionRules;
let proposer: Person;
let resident: Person;
let neighbour: Person;
let committee: Person;
let otherCommittee: Person;
let admin: Person;

beforeAll(async () => {
  const competition = await createCompetition({ slug: 'comments-open' });
  const other = await createCompetition({ slug: 'comments-other' });
  // Every phase over: the competition is closed.
  await createCompetition({ slug: 'comments-closed', phases: phaseWindows(new Date(Date.now() - 500 * DAY)) });
  rules = (await getCompetitionRules('comments-open'))!;
  otherRules = (await getCompetitionRules('comments-other'))!;
  closedRules = (await getCompetitionRules('comments-closed'))!;
  expect(closedRules.phase).toBe('closed');
  proposer = await person();
  resident = await person();
  neighbour = await person();
  committee = await person([grant('resident'), grant('committee', 'competition', competition._id)]);
  otherCommittee = await person([grant('resident'), grant('committee', 'competition', other._id)]);
  admin = await person([grant('admin')]);
});

async function newProposal(status: 'submitted' | 'draft' | 'withdrawn' | 'eligible' = 'submitted', on = rules) {
  const doc = await insertProposal({ competition: new Types.ObjectId(on.id), author: proposer.user._id, status });
  return doc.number;
}

function post(number: number, fields: Record<string, string>, who?: Person, slug = rules.slug) {
  return call(commentsAction, formRequest(`/competitions/${slug}/proposals/${number}/comments`, fields, { jar: who?.jar }), {
    slug,
    number: String(number),
  });
}

async function commentCount(number: number, on = rules) {
  return (await Proposal.findOne({ competition: on.id, number }).lean())?.commentCount;
}

describe('writing comments', () => {
  it('a resident comments and the proposer replies: the reply sits under the comment, marked as the proposer\'s', async () => {
    const number = await newProposal();
    const added = await post(number, { intent: 'add', body: '这个助餐计划很好，我们小区也需要。' }, resident);
    await expect(added).toSendToast({ type: 'success', key: 'comments:toast.added' });
    const comment = await Comment.findOne({ author: resident.user._id }).lean();
    expect(added).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comment-${String(comment?._id)}`, 303);
    expect(comment?.byProposer).toBe(false);

    const replied = await post(number, { intent: 'reply', parentId: String(comment?._id), body: '谢谢支持！欢迎报名志愿者。' }, proposer);
    const reply = await Comment.findOne({ parent: comment?._id }).lean();
    expect(replied).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comment-${String(reply?._id)}`, 303);
    await expect(replied).toSendToast({ type: 'success', key: 'comments:toast.replied' });

    const section = await getCommentsSection(rules, number, null);
    expect(section?.comments).toHaveLength(1);
    expect(section?.comments[0]).toMatchObject({ authorName: resident.user.name, byProposer: false, body: '这个助餐计划很好，我们小区也需要。' });
    expect(section?.comments[0]?.replies).toEqual([
      expect.objectContaining({ authorName: proposer.user.name, byProposer: true, body: '谢谢支持！欢迎报名志愿者。' }),
    ]);
    expect(section?.count).toBe(2);
    expect(await commentCount(number)).toBe(2);
  });

  it('a reply to a reply, or to a comment of another proposal, is refused and nothing is saved', async () => {
    const number = await newProposal();
    const elsewhere = await newProposal();
    const top = await addComment({ rules, number, userId: resident.id, body: '第一条' });
    const reply = await addComment({ rules, number, userId: neighbour.id, body: '回复', parentId: top.ok ? top.id : '' });
    expect(reply.ok).toBe(true);
    const before = await Comment.countDocuments();

    const nested = await post(number, { intent: 'reply', parentId: reply.ok ? reply.id : '', body: '回复的回复' }, resident);
    expect(nested).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comments`, 303);
    await expect(nested).toSendToast({ type: 'error', key: 'comments:error.parentInvalid' });
    const crossed = await addComment({ rules, number: elsewhere, userId: resident.id, body: '串门', parentId: top.ok ? top.id : '' });
    expect(crossed).toEqual({ ok: false, reason: 'parentInvalid' });

    expect(await Comment.countDocuments()).toBe(before);
    expect(await commentCount(number)).toBe(2);
    expect(await commentCount(elsewhere)).toBe(0);
  });

  it('an empty or over-long comment is refused with a translated message and nothing is saved', async () => {
    const number = await newProposal();
    const back = `/competitions/${rules.slug}/proposals/${number}#comments`;
    const empty = await post(number, { intent: 'add', body: '   ' }, resident);
    expect(empty).toRedirectTo(back, 303);
    await expect(empty).toSendToast({ type: 'error', key: 'comments:validation.bodyRequired' });
    const long = await post(number, { intent: 'add', body: '长'.repeat(2001) }, resident);
    expect(long).toRedirectTo(back, 303);
    await expect(long).toSendToast({ type: 'error', key: 'comments:validation.bodyTooLong' });
    const unknown = await post(number, { intent: 'delete', commentId: '0123456789abcdef01234567' }, resident);
    expect(unknown).toRedirectTo(back, 303);
    await expect(unknown).toSendToast({ type: 'error', key: 'comments:validation.unknownAction' });
    expect(await Comment.countDocuments({ proposal: (await Proposal.findOne({ competition: rules.id, number }).lean())?._id })).toBe(0);

    for (const language of ['zh', 'en']) {
      const messages = JSON.parse(readFileSync(path.resolve(`public/locales/${language}/comments.json`), 'utf8')) as { validation: Record<string, string> };
      expect(messages.validation.bodyRequired).toBeTruthy();
      expect(messages.validation.bodyTooLong).toBeTruthy();
    }
  });

  it('comments on a draft or withdrawn proposal, or after the competition closed, are refused', async () => {
    const draft = await newProposal('draft');
    const withdrawn = await newProposal('withdrawn');
    expect(await addComment({ rules, number: draft, userId: proposer.id, body: '自己的草稿' })).toEqual({ ok: false, reason: 'notPublic' });
    expect((await post(draft, { intent: 'add', body: '看不到的草稿' }, resident)).status).toBe(404);
    expect((await post(withdrawn, { intent: 'add', body: '已撤回' }, resident)).status).toBe(404);

    const old = await newProposal('eligible', closedRules);
    const late = await post(old, { intent: 'add', body: '结束以后' }, resident, closedRules.slug);
    expect(late).toRedirectTo(`/competitions/${closedRules.slug}/proposals/${old}#comments`, 303);
    await expect(late).toSendToast({ type: 'error', key: 'comments:error.closed' });
    expect((await getCommentsSection(closedRules, old, { id: resident.id, roles: [] }))?.cannotComment).toBe('closed');
    expect(await Comment.countDocuments({ body: mongoose.trusted({ $in: ['自己的草稿', '看不到的草稿', '已撤回', '结束以后'] }) })).toBe(0);
  });

  it('an anonymous visitor is sent to log in and nothing is saved', async () => {
    const number = await newProposal();
    const outcome = await post(number, { intent: 'add', body: '匿名评论' });
    expect(outcome).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: `/competitions/${rules.slug}/proposals/${number}` })}`, 302);
    await expect(outcome).not.toSendToast();
    expect(await Comment.countDocuments({ body: '匿名评论' })).toBe(0);
    expect((await getCommentsSection(rules, number, null))?.cannotComment).toBe('signIn');
  });

  it(`a person writing more than ${COMMENT_LIMIT.max} comments in ten minutes is slowed down`, async () => {
    const number = await newProposal();
    const chatty = await person();
    for (let i = 0; i < COMMENT_LIMIT.max; i++) {
      expect((await addComment({ rules, number, userId: chatty.id, body: `第${i}条` })).ok).toBe(true);
    }
    expect(await addComment({ rules, number, userId: chatty.id, body: '又一条' })).toEqual({ ok: false, reason: 'tooManyComments' });
    expect(await commentCount(number)).toBe(COMMENT_LIMIT.max);
  });
});

describe('hiding comments', () => {
  async function commented() {
    const number = await newProposal();
    const result = await addComment({ rules, number, userId: resident.id, body: '这里写了受助人的电话 139xxxx' });
    if (!result.ok) throw new Error(result.reason);
    return { number, commentId: result.id };
  }

  it('a resident cannot hide a comment (403) and nothing changes', async () => {
    const { number, commentId } = await commented();
    const outcome = await post(number, { intent: 'hide', commentId, reason: '我不喜欢' }, neighbour);
    expect(outcome.status).toBe(403);
    expect((await Comment.findById(commentId).lean())?.hidden).toBeFalsy();
    expect(await commentCount(number)).toBe(1);
    expect(await AuditLog.countDocuments({ targetId: commentId })).toBe(0);
  });

  it('the committee of another competition cannot hide a comment', async () => {
    const { number, commentId } = await commented();
    const outcome = await post(number, { intent: 'hide', commentId, reason: '越权' }, otherCommittee);
    expect(outcome.status).toBe(403);
    expect(await hideComment({ rules, number, actor: { id: otherCommittee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: otherRules.id }] }, commentId, reason: '越权' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect((await Comment.findById(commentId).lean())?.hidden).toBeFalsy();
    expect(await AuditLog.countDocuments({ targetId: commentId })).toBe(0);
  });

  it('the committee hides a comment: gone from the public list, kept in the database, audited with the reason; unhiding brings it back', async () => {
    const { number, commentId } = await commented();
    const outcome = await post(number, { intent: 'hide', commentId, reason: '包含受助人的个人信息' }, committee);
    expect(outcome).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comment-${commentId}`, 303);
    await expect(outcome).toSendToast({ type: 'success', key: 'comments:toast.hidden' });

    const stored = await Comment.findById(commentId).lean();
    expect(stored?.body).toBe('这里写了受助人的电话 139xxxx');
    expect(stored?.hidden).toMatchObject({ reason: '包含受助人的个人信息' });
    expect(String(stored?.hidden?.by)).toBe(committee.id);
    expect(await commentCount(number)).toBe(0);

    const publicView = await getCommentsSection(rules, number, { id: neighbour.id, roles: [{ role: 'resident', scopeType: 'platform', scopeId: null }] });
    expect(publicView?.comments).toEqual([]);
    expect(publicView?.count).toBe(0);
    expect(JSON.stringify(await getCommentsSection(rules, number, null))).not.toContain('139xxxx');

    const moderatorView = await getCommentsSection(rules, number, { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] });
    expect(moderatorView?.canModerate).toBe(true);
    expect(moderatorView?.comments[0]).toMatchObject({ id: commentId, hidden: { reason: '包含受助人的个人信息' } });

    const entry = await AuditLog.findOne({ action: 'comment.hidden', targetId: commentId }).lean();
    expect(String(entry?.actor)).toBe(committee.id);
    expect(entry?.reason).toBe('包含受助人的个人信息');
    expect(entry?.before).toEqual({ hidden: null });
    expect(entry?.after).toMatchObject({ hidden: { reason: '包含受助人的个人信息', by: committee.id } });

    const shown = await post(number, { intent: 'unhide', commentId }, admin);
    expect(shown).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comment-${commentId}`, 303);
    await expect(shown).toSendToast({ type: 'success', key: 'comments:toast.unhidden' });
    expect((await Comment.findById(commentId).lean())?.hidden).toBeFalsy();
    expect(await commentCount(number)).toBe(1);
    const undone = await AuditLog.findOne({ action: 'comment.unhidden', targetId: commentId }).lean();
    expect(undone?.before).toMatchObject({ hidden: { reason: '包含受助人的个人信息' } });
    expect(undone?.after).toEqual({ hidden: null });
  });

  it('two committee members hiding the same comment at once count it out once', async () => {
    const { number, commentId } = await commented();
    const colleague = await person([grant('committee', 'competition', rules.id)]);
    const outcomes = await Promise.all([committee, colleague, committee, colleague].map((who) => post(number, { intent: 'hide', commentId, reason: '重复' }, who)));
    // One hides it; the others are told it is hidden already.
    const page = `/competitions/${rules.slug}/proposals/${number}`;
    const won = outcomes.filter((o) => o.location === `${page}#comment-${commentId}`);
    expect(won).toHaveLength(1);
    expect(won[0]).toRedirectTo(`${page}#comment-${commentId}`, 303);
    await expect(won[0]).toSendToast({ type: 'success', key: 'comments:toast.hidden' });
    for (const o of outcomes.filter((x) => x !== won[0])) {
      expect(o).toRedirectTo(`${page}#comments`, 303);
      await expect(o).toSendToast({ type: 'error', key: 'comments:error.alreadyHidden' });
    }
    expect(await commentCount(number)).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'comment.hidden', targetId: commentId })).toBe(1);
  });

  it('the public sees a hidden comment\'s visible replies under a bare stand-in, nothing of the comment itself', async () => {
    const { number, commentId } = await commented();
    await addComment({ rules, number, userId: proposer.id, body: '已经联系社区处理', parentId: commentId });
    await hideComment({ rules, number, actor: { id: admin.id, roles: [{ role: 'admin', scopeType: 'platform', scopeId: null }] }, commentId, reason: '个人信息' });
    const view = await getCommentsSection(rules, number, null);
    expect(view?.comments).toEqual([
      expect.objectContaining({ id: commentId, placeholder: true, body: '', authorName: '', hidden: null, replies: [expect.objectContaining({ body: '已经联系社区处理', byProposer: true })] }),
    ]);
    expect(view?.count).toBe(1);
    expect(await commentCount(number)).toBe(1);
    // Nobody can reply under a hidden comment.
    expect(await addComment({ rules, number, userId: neighbour.id, body: '补充', parentId: commentId })).toEqual({ ok: false, reason: 'parentInvalid' });
  });
});

describe('reporting comments', () => {
  it('a report must say why: without a reason (or "other" without a note) it is refused and counts nothing; with one the committee sees the reason, never who', async () => {
    const number = await newProposal();
    const result = await addComment({ rules, number, userId: resident.id, body: '我家电话 13800000000，有事找我' });
    const commentId = result.ok ? result.id : '';
    const refusals: [Record<string, string>, string][] = [
      [{ intent: 'report', commentId }, 'reportReasonRequired'],
      [{ intent: 'report', commentId, reason: '' }, 'reportReasonRequired'],
      [{ intent: 'report', commentId, reason: 'dislike' }, 'reportReasonRequired'],
      [{ intent: 'report', commentId, reason: 'other', note: '  ' }, 'reportNoteRequired'],
    ];
    for (const [fields, key] of refusals) {
      const refused = await post(number, fields, neighbour);
      await expect(refused).toSendToast({ type: 'error', key: `comments:validation.${key}` });
    }
    expect(await Comment.findById(commentId).select('+reports').lean()).toMatchObject({ reportCount: 0, reports: [] });

    const filed = await post(number, { intent: 'report', commentId, reason: 'personalInfo', note: '留了自己的手机号' }, neighbour);
    await expect(filed).toSendToast({ type: 'info', key: 'comments:toast.reported' });
    // The same person cannot pile up reports, not even with another reason: the first one stands.
    const again = await post(number, { intent: 'report', commentId, reason: 'abuse' }, neighbour);
    await expect(again).toSendToast({ type: 'info', key: 'comments:toast.alreadyReported' });
    const stored = await Comment.findById(commentId).select('+reports').lean();
    expect(stored?.reportCount).toBe(1);
    expect(stored?.reports).toEqual([expect.objectContaining({ by: neighbour.user._id, reason: 'personalInfo', note: '留了自己的手机号' })]);

    const forCommittee = await getCommentsSection(rules, number, { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] });
    expect(forCommittee?.comments[0]?.reports?.map(({ reason, note }) => ({ reason, note }))).toEqual([{ reason: 'personalInfo', note: '留了自己的手机号' }]);
    expect(JSON.stringify(forCommittee)).not.toContain(neighbour.id);
    for (const viewer of [{ id: neighbour.id, roles: [] }, { id: resident.id, roles: [] }, null]) {
      expect((await getCommentsSection(rules, number, viewer))?.comments[0]?.reports).toBeNull();
    }
  });

  it('reporting a comment twice counts once, even with 10 parallel requests; one\'s own comment cannot be reported', async () => {
    const number = await newProposal();
    const result = await addComment({ rules, number, userId: resident.id, body: '广告：低价代办' });
    const commentId = result.ok ? result.id : '';
    const first = await post(number, { intent: 'report', commentId, reason: 'spam' }, neighbour);
    expect(first).toRedirectTo(`/competitions/${rules.slug}/proposals/${number}#comment-${commentId}`, 303);
    await expect(first).toSendToast({ type: 'info', key: 'comments:toast.reported' });
    const again = await post(number, { intent: 'report', commentId, reason: 'spam' }, neighbour);
    await expect(again).toSendToast({ type: 'info', key: 'comments:toast.alreadyReported' });

    const others = await Promise.all([person(), person()]);
    await Promise.all(others.flatMap((who) => Array.from({ length: 10 }, () => post(number, { intent: 'report', commentId, reason: 'spam' }, who))));
    const stored = await Comment.findById(commentId).select('+reports').lean();
    expect(stored?.reportCount).toBe(3);
    expect(stored?.reports.map((r) => String(r.by)).sort()).toEqual([neighbour.id, ...others.map((o) => o.id)].sort());

    const own = await post(number, { intent: 'report', commentId, reason: 'spam' }, resident);
    await expect(own).toSendToast({ type: 'error', key: 'comments:error.ownComment' });
    expect((await Comment.findById(commentId).lean())?.reportCount).toBe(3);

    const forNeighbour = await getCommentsSection(rules, number, { id: neighbour.id, roles: [] });
    expect(forNeighbour?.comments[0]).toMatchObject({ reportedByMe: true, reportCount: null });
    const forCommittee = await getCommentsSection(rules, number, { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] });
    expect(forCommittee?.comments[0]).toMatchObject({ reportCount: 3 });
  });
});

describe('rendering', () => {
  async function render(section: CommentsSectionData): Promise<string> {
    const i18n = createInstance();
    void i18n.use(initReactI18next).init({
      lng: 'zh',
      fallbackLng: 'zh',
      ns: ['comments', 'common'],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      resources: {
        zh: {
          comments: JSON.parse(readFileSync(path.resolve('public/locales/zh/comments.json'), 'utf8')) as Record<string, unknown>,
          common: JSON.parse(readFileSync(path.resolve('public/locales/zh/common.json'), 'utf8')) as Record<string, unknown>,
        },
      },
    });
    const handler = createStaticHandler([
      { path: '*', element: createElement(CommentsSection, { competitionSlug: rules.slug, proposalNumber: 1, section }) },
    ]);
    const context = await handler.query(new Request('http://localhost/'));
    if (context instanceof Response) throw context;
    const router = createStaticRouter(handler.dataRoutes, context);
    return renderToString(createElement(I18nextProvider, { i18n }, createElement(StaticRouterProvider, { router, context })));
  }

  it('a script in a comment is stored as typed and shown as inert text; a proposer\'s reply is marked', async () => {
    const number = await newProposal();
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const top = await addComment({ rules, number, userId: resident.id, body: payload });
    await addComment({ rules, number, userId: proposer.id, body: '谢谢', parentId: top.ok ? top.id : '' });
    expect((await Comment.findById(top.ok ? top.id : '').lean())?.body).toBe(payload);

    const html = await render((await getCommentsSection(rules, number, { id: neighbour.id, roles: [] }))!);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert');
    expect(html).toContain('提案人');
    expect(html).toContain('举报');
    expect(html).not.toContain('隐藏原因');
  });

  it('reporting is a form that asks a reason (no one-tap report); the committee reads the reasons in its language', async () => {
    const number = await newProposal();
    const top = await addComment({ rules, number, userId: resident.id, body: '加微信领红包' });
    const commentId = top.ok ? top.id : '';
    await post(number, { intent: 'report', commentId, reason: 'spam' }, neighbour);
    const forOther = await render((await getCommentsSection(rules, number, { id: proposer.id, roles: [] }))!);
    expect(forOther).toMatch(/<select[^>]*name="reason"[^>]*required/);
    expect(forOther).toContain('广告或垃圾信息');
    expect(forOther).not.toContain('居民举报的原因');
    expect(forOther).not.toMatch(/<button[^>]*name="intent"[^>]*value="report"/);
    const forCommittee = await render((await getCommentsSection(rules, number, { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] }))!);
    expect(forCommittee).toContain('居民举报的原因');
    expect(forCommittee).toMatch(/<li>广告或垃圾信息<\/li>/);
  });

  it('the committee sees a hidden comment greyed, marked hidden, with the reason; others do not see it', async () => {
    const number = await newProposal();
    const top = await addComment({ rules, number, userId: resident.id, body: '要被隐藏的评论' });
    await hideComment({ rules, number, actor: { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] }, commentId: top.ok ? top.id : '', reason: '与提案无关' });
    const forCommittee = await render((await getCommentsSection(rules, number, { id: committee.id, roles: [{ role: 'committee', scopeType: 'competition', scopeId: rules.id }] }))!);
    expect(forCommittee).toContain('要被隐藏的评论');
    expect(forCommittee).toContain('已隐藏');
    expect(forCommittee).toContain('与提案无关');
    expect(forCommittee).toContain('取消隐藏');
    const forPublic = await render((await getCommentsSection(rules, number, null))!);
    expect(forPublic).not.toContain('要被隐藏的评论');
    expect(forPublic).not.toContain('与提案无关');
  });
});
