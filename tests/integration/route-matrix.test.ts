/// <reference types="vite/client" />
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModels, Comment, Notification, Organization, Proposal, RateLimit, Session, Wish } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as loginAction } from '~/routes/login/route';
import type { Toast } from '~/core/toast';
import { call, CookieJar, formRequest, getRequest, type Outcome as CallOutcome } from '../support/http';

/**
 * Every loader and action, called as every kind of person, with ids of things the caller does
 * not own. Each route declares what each persona must get; a route without a declaration fails
 * this test, so a new route cannot be forgotten. A refused action must also leave the database
 * exactly as it was.
 */
type Persona = 'anonymous' | 'resident' | 'otherResident' | 'workerOtherStreet' | 'judge' | 'committeeOther' | 'admin';
const PERSONAS: Persona[] = ['anonymous', 'resident', 'otherResident', 'workerOtherStreet', 'judge', 'committeeOther', 'admin'];

/**
 * ok: allowed, answered with 200 (an action's allowed personas are not called here, see below);
 * login: sent to /login with the page to come back to (the request's own URL unless the route
 * says `loginReturn`); home: sent to the home page (signed-in visitors on login/register);
 * `{ redirect, toast }`: sent exactly there, with exactly that toast when one is named (a
 * refusal says why in a toast, and changes nothing); else the HTTP status.
 */
type Outcome = 'ok' | 'login' | 'home' | Redirect | 400 | 401 | 403 | 404 | 429;
type Expect = Outcome | Partial<Record<Persona, Outcome>> & { others: Outcome };
interface Redirect {
  redirect: (w: World) => string;
  toast?: Toast;
}

interface World {
  slug: string;
  otherSlug: string;
  proposal: number; // submitted by `resident`
  draft: number; // draft of `resident`
  commentId: string;
  residentId: string;
  userId: string; // some user the caller is not
  notificationId: string;
  fileId: string;
  organizationId: string; // registered by nobody here, implementing no project
  communityId: string; // the resident's community, in `street`
  wish: number; // a micro-wish of that community, claimed by `resident`
  streetCode: string; // the resident's street
}

interface RouteSpec {
  url: (w: World) => string;
  params: (w: World) => Record<string, string>;
  loader?: Expect;
  action?: Expect & { form?: never };
  form?: (w: World) => Record<string, string>;
  /** Other intents of the same action, refused to the same personas as `form`. */
  moreForms?: ((w: World) => Record<string, string>)[];
  /** Where the login page sends the visitor back to, when it is not the requested URL itself. */
  loginReturn?: (w: World) => string;
}

const anyone = (outcome: Outcome): Expect => ({ others: outcome });
const signedIn = (outcome: Outcome): Expect => ({ anonymous: 'login', others: outcome });
const adminOnly: Expect = { anonymous: 'login', admin: 'ok', others: 403 };
const anonymousOnly: Expect = { anonymous: 'ok', others: 'home' };
const to = (target: string | ((w: World) => string), toast?: Toast): Redirect => ({ redirect: typeof target === 'string' ? () => target : target, toast });

/** A pledge's due date a month from now (YYYY-MM-DD, Asia/Shanghai): valid, so a refusal is about who or what. */
const MONTH_AHEAD = new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10);

const wishRefusal = (key: string, target: (w: World) => string): Redirect => to(target, { type: 'error', key: `wishes:toast.${key}`, values: { max: 3 } });

const ROUTES: Record<string, RouteSpec> = {
  _index: { url: () => '/', params: () => ({}), loader: anyone('ok') },
  healthz: { url: () => '/healthz', params: () => ({}), loader: anyone('ok') },
  login: { url: () => '/login', params: () => ({}), loader: anonymousOnly, action: { anonymous: 400, others: 'home' }, form: () => ({ identifier: 'x', password: '' }) },
  register: { url: () => '/register', params: () => ({}), loader: anonymousOnly, action: { anonymous: 400, others: 'home' }, form: () => ({ name: '', identifier: 'x' }) },
  // The second sign-in step: without a half-finished sign-in there is nothing to verify.
  'login_.verify': { url: () => '/login/verify', params: () => ({}), loader: { anonymous: to('/login'), others: 'home' }, action: { anonymous: to('/login'), others: 'home' }, form: () => ({ code: '000000' }) },
  // Lifting a sign-in lock with a code to one's proven number: an invalid identifier is a field error.
  'login_.recover': { url: () => '/login/recover', params: () => ({}), loader: anonymousOnly, action: { anonymous: 400, others: 'home' }, form: () => ({ intent: 'send', identifier: 'x' }), moreForms: [() => ({ intent: 'code', mode: 'reset', code: '1' })] },
  claim: { url: () => '/claim', params: () => ({}), loader: anonymousOnly, action: { anonymous: 400, others: 'home' }, form: () => ({ code: 'ZZZZ-ZZZZ', password: 'x' }) },
  // Logging out is always allowed (and changes only one's own session); a GET only goes home.
  logout: { url: () => '/logout', params: () => ({}), loader: anyone('home'), action: anyone('ok') },
  'set-language': { url: () => '/set-language', params: () => ({}), loader: anyone('home'), action: anyone(400), form: () => ({ language: 'xx' }) },
  // The large-type switch (decision 033): anyone's own device; an unknown size is a 400.
  'text-size': { url: () => '/text-size', params: () => ({}), loader: anyone('home'), action: anyone(400), form: () => ({ size: 'xx' }) },
  profile: { url: () => '/profile', params: () => ({}), loader: signedIn('ok'), action: signedIn(400), form: () => ({ intent: 'profile', name: '', language: 'zh' }) },
  'my.proposals': {
    url: () => '/my/proposals',
    params: () => ({}),
    loader: signedIn('ok'),
    action: signedIn(404),
    form: () => ({ intent: 'accept', invitationId: new Types.ObjectId().toHexString() }),
  },
  notifications: {
    url: () => '/notifications',
    params: () => ({}),
    loader: signedIn('ok'),
    // Opening someone else's notification finds nothing: back to the list with a message.
    action: { anonymous: 'login', resident: 'ok', others: to('/notifications', { type: 'error', key: 'notifications:toast.notFound' }) },
    form: (w) => ({ intent: 'open', id: w.notificationId }),
  },
  // Kiosk mode (decision 032). None of these callers is on an enrolled kiosk: the start screen
  // says so, its sign-in refuses; only admins and street grid workers reach the kiosks' list.
  'kiosk._index': { url: () => '/kiosk', params: () => ({}), loader: anyone('ok'), action: anyone(403), form: () => ({ intent: 'send', phone: '13900000001' }), moreForms: [() => ({ intent: 'slip', slip: 'ABCD-EFGH' })] },
  'kiosk.done': { url: () => '/kiosk/done?act=ballot', params: () => ({}), loader: anyone('ok') },
  'kiosk.end': { url: () => '/kiosk/end', params: () => ({}), loader: anyone(to('/kiosk')), action: anyone(to('/kiosk')) },
  kiosks: {
    url: () => '/kiosks',
    params: () => ({}),
    loader: { anonymous: 'login', workerOtherStreet: 'ok', admin: 'ok', others: 403 },
    // Revoking a kiosk that is not theirs (here: none at all) finds nothing.
    action: { anonymous: 'login', workerOtherStreet: 404, admin: 404, others: 403 },
    form: () => ({ intent: 'revoke', kiosk: new Types.ObjectId().toHexString(), confirm: 'yes' }),
  },
  'admin.users': { url: () => '/admin/users', params: () => ({}), loader: adminOnly },
  'admin.audit': { url: () => '/admin/audit', params: () => ({}), loader: adminOnly },
  'admin.outbox': { url: () => '/admin/outbox', params: () => ({}), loader: adminOnly },
  'admin.users_.$userId': {
    url: (w) => `/admin/users/${w.userId}`,
    params: (w) => ({ userId: w.userId }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ intent: 'grant', role: 'admin', scope: 'platform' }),
  },
  assist: {
    url: () => '/assist',
    params: () => ({}),
    loader: { anonymous: 'login', workerOtherStreet: 'ok', admin: 'ok', others: 403 },
    // The worker of another street may use the page, but not for this street's residents.
    action: { anonymous: 'login', workerOtherStreet: 400, admin: 400, others: 403 },
    form: (w) => ({ intent: 'claimCode', residentId: w.residentId }),
  },
  'competitions.new': {
    url: () => '/competitions/new',
    params: () => ({}),
    loader: adminOnly,
    action: { anonymous: 'login', admin: 400, others: 403 },
    form: () => ({ slug: 'x' }),
  },
  'competitions.$slug': { url: (w) => `/competitions/${w.slug}`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug._index': { url: (w) => `/competitions/${w.slug}`, params: (w) => ({ slug: w.slug }) },
  'competitions.$slug.manage': {
    url: (w) => `/competitions/${w.slug}/manage`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ intent: 'advance', reason: '未经授权的提前', confirm: 'yes' }),
    // Correcting a frozen setting is for admins only (the committee of this competition gets 403 too: corrections.test.ts).
    moreForms: [() => ({ intent: 'correct', setting: 'start:submission', day: '2020-01-01', reason: '未经授权的更正，不应生效', understood: 'on' })],
  },
  'competitions.$slug.screening': {
    url: (w) => `/competitions/${w.slug}/screening`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: (w) => ({ intent: 'screen', number: String(w.proposal), decision: 'ineligible', reason: '未经授权的审查' }),
  },
  'competitions.$slug.proposals._index': { url: (w) => `/competitions/${w.slug}/proposals`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug.proposals.new': {
    url: (w) => `/competitions/${w.slug}/proposals/new?for=${w.residentId}`,
    params: (w) => ({ slug: w.slug }),
    // Proposing for a resident of another street is refused to everyone but the admin.
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 400, others: 403 },
    form: () => ({ intent: 'submit', title: '冒名提案' }),
  },
  'competitions.$slug.proposals.$number._index': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.draft}`,
    params: (w) => ({ slug: w.slug, number: String(w.draft) }),
    // Someone else's draft does not exist for them.
    loader: { resident: 'ok', others: 404 },
    action: { anonymous: 'login', resident: 'ok', others: 404 },
    form: () => ({ intent: 'withdraw', confirm: 'yes' }),
  },
  'competitions.$slug.proposals.$number.edit': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.proposal}/edit`,
    params: (w) => ({ slug: w.slug, number: String(w.proposal) }),
    loader: { anonymous: 'login', resident: 'ok', others: 404 },
    action: { anonymous: 'login', resident: 'ok', others: 404 },
    form: () => ({ intent: 'submit', title: '被改掉的标题' }),
  },
  // Citing the needs a proposal answers: its authors only; anyone else finds no such proposal.
  'competitions.$slug.proposals.$number.needs': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.proposal}/needs`,
    params: (w) => ({ slug: w.slug, number: String(w.proposal) }),
    loader: { anonymous: 'login', resident: 'ok', others: 404 },
    action: { anonymous: 'login', resident: 'ok', others: 404 },
    form: () => ({ intent: 'cite', need: '1' }),
  },
  'competitions.$slug.proposals.$number.comments': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.proposal}/comments`,
    params: (w) => ({ slug: w.slug, number: String(w.proposal) }),
    // Hiding a comment is for the committee of this competition only.
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: (w) => ({ intent: 'hide', commentId: w.commentId, reason: '未经授权的隐藏' }),
    // The comments live on the proposal's page: that is where signing in leads back to.
    loginReturn: (w) => `/competitions/${w.slug}/proposals/${w.proposal}`,
  },
  'competitions.$slug.proposals.$number.qr[.]svg': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.draft}/qr.svg`,
    params: (w) => ({ slug: w.slug, number: String(w.draft) }),
    loader: anyone(404),
  },
  // Printable notices (issue 18, decision 033): the competition's and a public proposal's are
  // public (a draft has none); a street's bundle is for the competition's committee and the
  // street's grid workers (here: the admin alone). Short addresses redirect to the app's own pages.
  'competitions.$slug.notice[.]pdf': { url: (w) => `/competitions/${w.slug}/notice.pdf`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug.proposals.$number.notice[.]pdf': {
    url: (w) => `/competitions/${w.slug}/proposals/${w.draft}/notice.pdf`,
    params: (w) => ({ slug: w.slug, number: String(w.draft) }),
    loader: anyone(404),
  },
  'competitions.$slug.projects.$number_.notice[.]pdf': { url: (w) => `/competitions/${w.slug}/projects/1/notice.pdf`, params: (w) => ({ slug: w.slug, number: '1' }), loader: anyone(404) },
  'competitions.$slug.projects.$number_.qr[.]svg': { url: (w) => `/competitions/${w.slug}/projects/1/qr.svg`, params: (w) => ({ slug: w.slug, number: '1' }), loader: anyone(404) },
  'competitions.$slug.notices[.]pdf': {
    url: (w) => `/competitions/${w.slug}/notices.pdf?street=${w.streetCode}`,
    params: (w) => ({ slug: w.slug }),
    loader: { anonymous: 401, admin: 'ok', others: 403 },
  },
  'p.$slug.$number': {
    url: (w) => `/p/${w.slug}/${w.proposal}`,
    params: (w) => ({ slug: w.slug, number: String(w.proposal) }),
    loader: anyone(to((w) => `/competitions/${w.slug}/proposals/${w.proposal}`)),
  },
  'x.$slug.$number': { url: (w) => `/x/${w.slug}/1`, params: (w) => ({ slug: w.slug, number: '1' }), loader: anyone(404) },
  'c.$slug': { url: (w) => `/c/${w.slug}`, params: (w) => ({ slug: w.slug }), loader: anyone(to((w) => `/competitions/${w.slug}`)) },
  'competitions.$slug.results._index': { url: (w) => `/competitions/${w.slug}/results`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug.results.preview': {
    url: (w) => `/competitions/${w.slug}/results/preview`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ method: 'greedy' }),
  },
  // Projects (issue 14). Nothing is published in this world, so there is no project: the list is
  // empty for everyone, a project page is 404, and a budget change reaches "not found" only for
  // the committee's own (the admin here); every other persona is refused first.
  'competitions.$slug.projects._index': { url: (w) => `/competitions/${w.slug}/projects`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug.projects.$number': {
    url: (w) => `/competitions/${w.slug}/projects/1`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: anyone(404),
    action: { anonymous: 'login', admin: 404, others: 403 },
    form: () => ({ amount: '1000', reason: '未经授权的预算调整' }),
    moreForms: [() => ({ intent: 'status', to: 'terminated', reason: '未经授权的终止', confirm: 'yes' })],
  },
  // The rating form posts here; a GET only leads to the project. No project exists in this world.
  'competitions.$slug.projects.$number_.rate': {
    url: (w) => `/competitions/${w.slug}/projects/1/rate`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { redirect: (w) => `/competitions/${w.slug}/projects/1` },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ stars: '5', comment: '未经授权的评价' }),
  },
  // The milestone plan: sign-in first, then 404 for everyone (no project exists here, and a plan
  // is never shown to anyone but its team and committee); save and approve alike.
  'competitions.$slug.projects.$number_.plan': {
    url: (w) => `/competitions/${w.slug}/projects/1/plan`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'save', 'milestones[0].title': '未经授权的计划', 'milestones[0].dueDate': '2027-01-01', 'milestones[0].tranche': '1', 'milestones[0].weight': '1' }),
    moreForms: [() => ({ intent: 'approve', revision: '0', confirm: 'yes' }), () => ({ intent: 'return', revision: '0', comment: '退回' })],
  },
  // The needs whistle (issue 16). No need exists in this world: a need's page is 404 for
  // everyone and every act on it "not found"; raising needs a whistle-blower's or grid worker's
  // grant (none here but the admin); certifying helpers a street committee's.
  'needs._index': { url: () => '/needs', params: () => ({}), loader: anyone('ok') },
  'needs.$number': {
    url: () => '/needs/1',
    params: () => ({ number: '1' }),
    loader: anyone(404),
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'claim' }),
    moreForms: [() => ({ intent: 'confirm', confirm: 'yes' }), () => ({ intent: 'withdraw', reason: '未经授权的撤回', confirm: 'yes' }), () => ({ intent: 'verify', authentic: 'yes', note: '' })],
  },
  'needs.new': {
    url: () => '/needs/new',
    params: () => ({}),
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: () => ({ category: 'meals', urgency: 'normal', community: '0123456789abcdef01234567', description: '未经授权的需求', raisedAs: 'gridWorker', name: '某人' }),
  },
  // The service categories of needs: admins only.
  'needs.categories': {
    url: () => '/needs/categories',
    params: () => ({}),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ intent: 'add', code: 'matrixCategory', zh: '测试类别', en: 'Test', order: '50' }),
  },
  'needs.work': { url: () => '/needs/work', params: () => ({}), loader: signedIn('ok') },
  'needs.helpers._index': {
    url: () => '/needs/helpers',
    params: () => ({}),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ intent: 'certify', helper: '0123456789abcdef01234567' }),
  },
  'needs.helpers.mine': {
    url: () => '/needs/helpers/mine',
    params: () => ({}),
    loader: signedIn('ok'),
    action: signedIn('ok'),
    form: () => ({ kind: 'individual', name: '某人' }),
  },
  // A need's share page and its picture: public needs only, so 404 for everyone here.
  'needs.$number_.share': { url: () => '/needs/1/share', params: () => ({ number: '1' }), loader: anyone(404) },
  'needs.$number_.card[.]svg': { url: () => '/needs/1/card.svg', params: () => ({ number: '1' }), loader: anyone(404) },
  // The committee's supervision table and its CSV: login, then 403 to all but the competition's committee (the admin here).
  'competitions.$slug.projects.supervision': {
    url: (w) => `/competitions/${w.slug}/projects/supervision`,
    params: (w) => ({ slug: w.slug }),
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: () => ({ intent: 'remind' }),
    moreForms: [() => ({ intent: 'apply', text: 'number,status,planned_start,planned_end,approved_budget_yuan\n1,terminated,,,', digest: 'x' })],
  },
  'competitions.$slug.projects.supervision[.]csv': {
    url: (w) => `/competitions/${w.slug}/projects/supervision.csv`,
    params: (w) => ({ slug: w.slug }),
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
  },
  // The project team: sign-in first, then 404 for everyone (no project exists here, and who is
  // on a team or invited to it is not public); every intent alike.
  'competitions.$slug.projects.$number_.team': {
    url: (w) => `/competitions/${w.slug}/projects/1/team`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'invite', phone: '13800000000' }),
    moreForms: [
      () => ({ intent: 'accept', invitationId: new Types.ObjectId().toHexString(), round: '1' }),
      (w) => ({ intent: 'remove', memberId: w.userId, reason: '越权移出', confirm: 'yes' }),
      (w) => ({ intent: 'mentor', mentorId: w.userId, current: '' }),
      () => ({ intent: 'leave', confirm: 'yes' }),
    ],
  },
  // The implementer, named by the committee of the project's competition; no project exists here.
  'competitions.$slug.projects.$number_.organization': {
    url: (w) => `/competitions/${w.slug}/projects/1/organization`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { anonymous: 'login', admin: 404, others: 403 },
    action: { anonymous: 'login', admin: 404, others: 403 },
    form: (w) => ({ organization: w.organizationId, expected: '' }),
  },
  // The registry (issue 14, decision 022): public list and page without contacts; any committee
  // member registers (an empty form is a 400); only admins, the registrant and the committees of
  // competitions it implements in edit (here: the admin alone).
  'organizations._index': { url: () => '/organizations', params: () => ({}), loader: anyone('ok') },
  // The district dashboard (issue 15, decision 026): the page and its CSV files are public; the
  // annual report of a year is for the committee of one of that year's competitions and admins
  // (a file: 401 signed out rather than the login page).
  dashboard: { url: () => '/dashboard', params: () => ({}), loader: anyone('ok') },
  'dashboard[.]csv': { url: () => '/dashboard.csv?chart=projectsByStatus&year=all', params: () => ({}), loader: anyone('ok') },
  'dashboard_.report[.]pdf': {
    url: () => `/dashboard/report.pdf?year=${new Date().getUTCFullYear()}`,
    params: () => ({}),
    loader: { anonymous: 401, committeeOther: 'ok', admin: 'ok', others: 403 },
  },
  'organizations.new': {
    url: () => '/organizations/new',
    params: () => ({}),
    loader: { anonymous: 'login', committeeOther: 'ok', admin: 'ok', others: 403 },
    action: { anonymous: 'login', committeeOther: 400, admin: 400, others: 403 },
    form: () => ({ name: '', type: 'charity' }),
  },
  // The public profile; its action is a member's own choice to be named (nobody here is a member).
  'organizations.$id': {
    url: (w) => `/organizations/${w.organizationId}`,
    params: (w) => ({ id: w.organizationId }),
    loader: anyone('ok'),
    action: signedIn(403),
    form: () => ({ intent: 'showName', show: 'on' }),
  },
  // Incubation (decision 025): the organization's mentors and managers (here: the admin alone);
  // the same 403 for every other signed-in reader, whatever the act.
  'organizations.$id_.incubation': {
    url: (w) => `/organizations/${w.organizationId}/incubation`,
    params: (w) => ({ id: w.organizationId }),
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: () => ({ intent: 'confirm', key: 'charter', note: '越权确认' }),
    moreForms: [
      () => ({ intent: 'withdraw', key: 'charter', confirm: 'yes' }),
      () => ({ intent: 'session', date: '2026-01-05', hours: '1', topics: '越权记录' }),
      () => ({ intent: 'move', to: 'incubating', expected: 'idea', revision: '0', override: 'on', reason: '越权', confirm: 'yes' }),
    ],
  },
  // The year's checklists: any committee member and admins.
  'organizations.checklists': {
    url: () => '/organizations/checklists',
    params: () => ({}),
    loader: { anonymous: 'login', committeeOther: 'ok', admin: 'ok', others: 403 },
    action: { anonymous: 'login', committeeOther: 'ok', admin: 'ok', others: 403 },
    form: () => ({ year: '2026', stage: 'incubating', revision: '0', 'items[0].zh': '越权添加' }),
  },
  'organizations.$id_.edit': {
    url: (w) => `/organizations/${w.organizationId}/edit`,
    params: (w) => ({ id: w.organizationId }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ intent: 'details', name: '改名', type: 'charity', street: new Types.ObjectId().toHexString(), contactName: '冒名', contactPhone: '13800000000' }),
    moreForms: [(w) => ({ intent: 'addMember', identifier: '13900000001', role: 'leader', id: w.organizationId }), (w) => ({ intent: 'removeMember', user: w.residentId, confirm: 'yes' })],
  },
  // Closing (final report, evaluation): like a report, sign-in then 404 (no project exists here).
  'competitions.$slug.projects.$number_.closing': {
    url: (w) => `/competitions/${w.slug}/projects/1/closing`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'save', revision: '', outcomes: '未经授权' }),
    moreForms: [() => ({ intent: 'close', revision: '0', confirm: 'yes', score_delivery: '5', score_reach: '5', score_spending: '5', score_sustainability: '5' }), () => ({ intent: 'return', revision: '0', comment: '退回' })],
  },
  // A milestone's report: sign-in first, then 404 for everyone (no project exists here, and a
  // report is only ever opened by its team, mentor and committee); write, review and release alike.
  'competitions.$slug.projects.$number_.milestones.$milestone': {
    url: (w) => `/competitions/${w.slug}/projects/1/milestones/${w.commentId}`,
    params: (w) => ({ slug: w.slug, number: '1', milestone: w.commentId }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'save', revision: '', narrative: '未经授权的报告' }),
    moreForms: [
      () => ({ intent: 'approve', revision: '0', confirm: 'yes' }),
      () => ({ intent: 'requestChanges', revision: '0', comment_narrative: '退回' }),
      (w) => ({ intent: 'release', expenseId: w.commentId, reason: '未经授权', confirm: 'yes' }),
    ],
  },
  // Nothing is published in this world: the downloads do not exist yet, for anyone.
  'competitions.$slug.results[.]csv': { url: (w) => `/competitions/${w.slug}/results.csv`, params: (w) => ({ slug: w.slug }), loader: anyone(404) },
  'competitions.$slug.results[.]json': { url: (w) => `/competitions/${w.slug}/results.json`, params: (w) => ({ slug: w.slug }), loader: anyone(404) },
  'competitions.$slug.results[.]pb': { url: (w) => `/competitions/${w.slug}/results.pb`, params: (w) => ({ slug: w.slug }), loader: anyone(404) },
  'uploads.$fileId': { url: (w) => `/uploads/${w.fileId}`, params: (w) => ({ fileId: w.fileId }), loader: anyone(404) },
  // Voting (issue 5). The matrix competition is in its submission phase, so ballots are refused as closed.
  'competitions.$slug.vote._index': {
    url: (w) => `/competitions/${w.slug}/vote`,
    params: (w) => ({ slug: w.slug }),
    loader: signedIn('ok'),
    action: signedIn(400),
    form: (w) => ({ choice: String(w.proposal) }),
  },
  'competitions.$slug.vote.mine': { url: (w) => `/competitions/${w.slug}/vote/mine`, params: (w) => ({ slug: w.slug }), loader: signedIn('ok') },
  'competitions.$slug.vote.results': { url: (w) => `/competitions/${w.slug}/vote/results`, params: (w) => ({ slug: w.slug }), loader: anyone('ok') },
  'competitions.$slug.vote.paper': {
    url: (w) => `/competitions/${w.slug}/vote/paper`,
    params: (w) => ({ slug: w.slug }),
    loader: { anonymous: 'login', workerOtherStreet: 'ok', admin: 'ok', others: 403 },
    action: { anonymous: 'login', workerOtherStreet: 400, admin: 400, others: 403 },
    form: (w) => ({ residentId: w.residentId, channel: 'paper', serial: 'M-1', choice: String(w.proposal), confirmed: 'on' }),
  },
  'competitions.$slug.voting._index': {
    url: (w) => `/competitions/${w.slug}/voting`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ ballot: 'M-1', reason: '未经授权的作废', confirm: 'yes' }),
  },
  'competitions.$slug.voting.rules': {
    url: (w) => `/competitions/${w.slug}/voting/rules`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ method: 'approval', maxChoices: '99', scope: 'district', residentWeight: '100' }),
  },
  'competitions.$slug.voting.codes': {
    url: (w) => `/competitions/${w.slug}/voting/codes`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ communityId: new Types.ObjectId().toHexString(), count: '5', expiresOn: '2099-01-01', format: 'csv' }),
  },
  // Micro-wishes (issue 16). The wall and a wish are public; the world's wish is claimed by the
  // resident, so claiming it again is refused to everyone (and nothing changes), and only the
  // resident may mark it delivered or give it back. The worker pages are for grid and community
  // workers (the worker of another street opens the list and the form, but registers nothing
  // here and cannot open this street's wish); the admin works everywhere.
  'wishes._index': { url: () => '/wishes', params: () => ({}), loader: anyone('ok') },
  'wishes.$number': { url: (w) => `/wishes/${w.wish}`, params: (w) => ({ number: String(w.wish) }), loader: anyone('ok') },
  'wishes.$number_.claim': {
    url: (w) => `/wishes/${w.wish}/claim`,
    params: (w) => ({ number: String(w.wish) }),
    loader: signedIn('ok'),
    action: { anonymous: 'login', resident: wishRefusal('alreadyYours', () => '/wishes/mine'), others: wishRefusal('notOpen', (w) => `/wishes/${w.wish}`) },
    form: () => ({ displayAs: 'account' }),
  },
  'wishes.mine': {
    url: () => '/wishes/mine',
    params: () => ({}),
    loader: signedIn('ok'),
    action: { anonymous: 'login', resident: 'ok', others: to('/wishes/mine', { type: 'error', key: 'wishes:toast.notYours' }) },
    form: (w) => ({ intent: 'deliver', number: String(w.wish), note: '越权送达' }),
    moreForms: [(w) => ({ intent: 'release', number: String(w.wish) })],
  },
  'wishes.new': {
    url: () => '/wishes/new',
    params: () => ({}),
    loader: { anonymous: 'login', workerOtherStreet: 'ok', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: (w) => ({ kind: 'item', title: '越权登记的心愿', value: '10', childInitial: '明', childTerm: 'student', childAge: '8', community: w.communityId }),
  },
  'wishes.manage': { url: () => '/wishes/manage', params: () => ({}), loader: { anonymous: 'login', workerOtherStreet: 'ok', admin: 'ok', others: 403 } },
  'wishes.$number_.manage': {
    url: (w) => `/wishes/${w.wish}/manage`,
    params: (w) => ({ number: String(w.wish) }),
    loader: { anonymous: 'login', admin: 'ok', others: 403 },
    action: { anonymous: 'login', admin: 'ok', others: 403 },
    form: () => ({ intent: 'withdraw', reason: '越权撤回', confirm: 'yes' }),
    moreForms: [() => ({ intent: 'confirm', confirm: 'yes' })],
  },
  // Charity resources (issue 17, decision 031). No project, need, pledge or partner exists in this
  // world: the project's resources page and a pledge's page are sign-in first, then 404 for
  // everyone (who pledged what is the team's business); a valid pledge to a need that does not
  // exist is "not found"; the overview of every pledge is for district staff (committee members)
  // and admins; a partner's page (the fund's here) is public, and 404 while there is none.
  'competitions.$slug.projects.$number_.resources': {
    url: (w) => `/competitions/${w.slug}/projects/1/resources`,
    params: (w) => ({ slug: w.slug, number: '1' }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'record', partnerKind: 'enterprise', partnerName: '越权企业', kind: 'money', amount: '100', dueDate: MONTH_AHEAD }),
  },
  'needs.$number_.pledge': {
    url: () => '/needs/1/pledge',
    params: () => ({ number: '1' }),
    loader: signedIn('ok'),
    action: { anonymous: 'login', others: 404 },
    form: () => ({ partnerKind: 'self', kind: 'money', amount: '100', dueDate: MONTH_AHEAD }),
  },
  'resources._index': { url: () => '/resources', params: () => ({}), loader: { anonymous: 'login', committeeOther: 'ok', admin: 'ok', others: 403 } },
  'resources.pledges.$number': {
    url: () => '/resources/pledges/1',
    params: () => ({ number: '1' }),
    loader: { anonymous: 'login', others: 404 },
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'deliver', deliveredOn: '2026-01-01', confirm: 'yes' }),
    moreForms: [() => ({ intent: 'withdraw', reason: '越权撤回', confirm: 'yes' })],
  },
  'resources.partners.$id': { url: () => '/resources/partners/fund', params: () => ({ id: 'fund' }), loader: anyone(404) },
  // Volunteers (issue 17). No activity exists in this world: its page, its team's page and its
  // check-in are 404 for everyone, and every act on it "not found"; nobody here organises one (a
  // project's team or a certified organization's member), so publishing is 403; nobody has hours.
  'volunteers._index': { url: () => '/volunteers', params: () => ({}), loader: anyone('ok') },
  'volunteers.totals': { url: () => '/volunteers/totals', params: () => ({}), loader: anyone('ok') },
  'volunteers.$number': {
    url: () => '/volunteers/1',
    params: () => ({ number: '1' }),
    loader: anyone(404),
    action: { anonymous: 'login', others: 404 },
    form: () => ({ intent: 'signup' }),
    moreForms: [() => ({ intent: 'cancel' })],
  },
  'volunteers.$number_.manage': {
    url: () => '/volunteers/1/manage',
    params: () => ({ number: '1' }),
    loader: signedIn(404),
    action: signedIn(404),
    form: () => ({ intent: 'checkIn', signup: '0123456789abcdef01234567' }),
    moreForms: [() => ({ intent: 'cancel', reason: '越权取消', confirmed: 'yes' }), () => ({ intent: 'slots', slots: '1' })],
  },
  'volunteers.$number_.check-in': {
    url: () => '/volunteers/1/check-in?key=guess',
    params: () => ({ number: '1' }),
    loader: signedIn(404),
    action: signedIn(404),
    form: () => ({ key: 'guess' }),
  },
  'volunteers.profile': { url: () => '/volunteers/profile', params: () => ({}), loader: signedIn('ok'), action: signedIn(400), form: () => ({ community: '' }) },
  'volunteers.mine': {
    url: () => '/volunteers/mine',
    params: () => ({}),
    loader: signedIn('ok'),
    action: { anonymous: 'login', others: to('/volunteers/mine', { type: 'error', key: 'volunteers:toast.noHours' }) },
  },
  'volunteers.new': {
    url: () => '/volunteers/new',
    params: () => ({}),
    loader: signedIn(403),
    action: signedIn(403),
    form: () => ({ organiser: 'organization:0123456789abcdef01234567', title: '越权活动', startsAt: '2030-01-01T09:00', endsAt: '2030-01-01T11:00', community: '0123456789abcdef01234567', place: '社区中心', slots: '5' }),
  },
  'volunteers.certificates.$code': { url: () => '/volunteers/certificates/AAAABBBBCCCCDDDD', params: () => ({ code: 'AAAABBBBCCCCDDDD' }), loader: anyone(404) },
  'volunteers.mine_.certificate[.]pdf': { url: () => '/volunteers/mine/certificate.pdf?code=AAAABBBBCCCCDDDD', params: () => ({}), loader: signedIn(404) },
  'competitions.$slug.voting.anomalies': { url: (w) => `/competitions/${w.slug}/voting/anomalies`, params: (w) => ({ slug: w.slug }), loader: adminOnly },
  verify: { url: () => '/verify', params: () => ({}), loader: signedIn('ok'), action: signedIn(400), form: () => ({ code: 'ZZZZZ-ZZZZZ' }) },
  // Committee members verify for their own competition until its voting ends (the other one is in
  // submission and covers every street); grid workers for their area; an admin without such a grant not at all.
  'assist_.verify': {
    url: () => '/assist/verify',
    params: () => ({}),
    loader: { anonymous: 'login', workerOtherStreet: 'ok', committeeOther: 'ok', admin: 'ok', others: 403 },
    action: { anonymous: 'login', committeeOther: 'ok', others: 403 },
    form: (w) => ({ intent: 'verify', residentId: w.residentId, scope: `competition:${w.otherSlug}`, method: 'idCard' }),
  },
  // Judging (issue 6): committee pages, and the judge's own pages (the matrix proposal is not eligible, so no sheet).
  'competitions.$slug.judging._index': {
    url: (w) => `/competitions/${w.slug}/judging`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: (w) => ({ intent: 'reopen', sheet: `${w.userId}:${w.proposal}`, reason: '未经授权的重新开放' }),
  },
  'competitions.$slug.judging.rubric': {
    url: (w) => `/competitions/${w.slug}/judging/rubric`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ 'criteria[0].nameZh': '未经授权', 'criteria[0].weight': '100', 'criteria[0].lowZh': '低', 'criteria[0].midZh': '中', 'criteria[0].highZh': '高' }),
  },
  'competitions.$slug.judging.assign': {
    url: (w) => `/competitions/${w.slug}/judging/assign`,
    params: (w) => ({ slug: w.slug }),
    loader: adminOnly,
    action: adminOnly,
    form: () => ({ mode: 'all' }),
  },
  'competitions.$slug.judge._index': {
    url: (w) => `/competitions/${w.slug}/judge`,
    params: (w) => ({ slug: w.slug }),
    loader: { anonymous: 'login', judge: 'ok', admin: 'ok', others: 403 },
  },
  'competitions.$slug.judge.$number': {
    url: (w) => `/competitions/${w.slug}/judge/${w.proposal}`,
    params: (w) => ({ slug: w.slug, number: String(w.proposal) }),
    loader: { anonymous: 'login', judge: 404, admin: 404, others: 403 },
    action: { anonymous: 'login', judge: 404, admin: 404, others: 403 },
    form: () => ({ intent: 'submit', 'score.need': '10', confirm: 'yes' }),
  },
};

const routesDir = path.resolve('app/routes');
const routeIds = readdirSync(routesDir).filter((name) => !name.startsWith('.'));
const modules = import.meta.glob<{ loader?: (...a: never[]) => unknown; action?: (...a: never[]) => unknown }>('../../app/routes/*/route.tsx');

function expected(spec: Expect, persona: Persona): Outcome {
  if (typeof spec !== 'object' || 'redirect' in spec) return spec;
  return spec[persona] ?? spec.others;
}

/**
 * Checks one answer against its declaration. Soft, so one run lists every persona and route that
 * answers otherwise than declared.
 */
async function expectAnswer(outcome: CallOutcome, wanted: Outcome, spec: RouteSpec, label: string) {
  if (wanted === 'ok') {
    expect.soft(outcome.status, label).toBe(200);
  } else if (wanted === 'login') {
    const back = spec.loginReturn?.(world) ?? spec.url(world);
    expect.soft(outcome, label).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: back })}`);
  } else if (wanted === 'home') {
    expect.soft(outcome, label).toRedirectTo('/');
  } else if (typeof wanted === 'object') {
    expect.soft(outcome, label).toRedirectTo(wanted.redirect(world));
    if (wanted.toast) await expect.soft(outcome, label).toSendToast(wanted.toast);
  } else {
    expect.soft(outcome.status, label).toBe(wanted);
  }
}

/** Everything in the database except sessions and rate-limit counters, which refused requests may touch. */
async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const model of allModels) {
    if (model === (Session as unknown) || model === (RateLimit as unknown)) continue;
    const docs = await model.find().sort({ _id: 1 }).lean();
    hash.update(model.modelName).update(JSON.stringify(docs));
  }
  const files = await mongoose.connection.db!.collection('uploads.files').find().sort({ _id: 1 }).toArray();
  hash.update(JSON.stringify(files));
  return hash.digest('hex');
}

let world: World;
const jars = new Map<Persona, CookieJar>();
const counts = { loaderCalls: 0, refusedActionCalls: 0, payloadCalls: 0 };
afterAll(() => {
  console.log(`route matrix: ${routeIds.length} routes, ${counts.loaderCalls} loader calls, ${counts.refusedActionCalls} refused action calls checked for data changes, ${counts.payloadCalls} payload calls`);
});

beforeAll(async () => {
  const street = await createStreet();
  const otherStreet = await createStreet();
  const community = await createCommunity({ street: street._id });
  const competition = await createCompetition({ slug: 'matrix-2026', phases: phaseWindows(new Date(Date.now() - 3 * 86_400_000)) });
  const other = await createCompetition({ slug: 'matrix-other' });
  const people: Record<Exclude<Persona, 'anonymous'>, Parameters<typeof createUser>[0]> = {
    resident: { street: street._id, community: community._id },
    otherResident: {},
    workerOtherStreet: { roles: [grant('resident'), grant('gridWorker', 'street', otherStreet._id)] },
    judge: { roles: [grant('resident'), grant('judge', 'competition', competition._id)] },
    committeeOther: { roles: [grant('resident'), grant('committee', 'competition', other._id)] },
    admin: { roles: [grant('resident'), grant('admin')] },
  };
  const ids: Partial<Record<Persona, string>> = {};
  for (const [persona, overrides] of Object.entries(people)) {
    const email = `matrix-${persona}@example.test`;
    const user = await createUser({ email, ...overrides });
    ids[persona as Persona] = String(user._id);
    const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
    jars.set(persona as Persona, new CookieJar().take(outcome.headers));
  }
  jars.set('anonymous', new CookieJar());
  const author = new Types.ObjectId(ids.resident);
  const proposal = await insertProposal({ competition: competition._id, author, community: community._id, street: street._id });
  const draft = await insertProposal({ competition: competition._id, author, status: 'draft' });
  const comment = await Comment.create({ proposal: proposal._id, author, body: '一条评论', byProposer: true });
  const notification = await Notification.create({ recipient: author, type: 'newComment', competitionSlug: competition.slug, proposalNumber: proposal.number, proposal: proposal._id });
  const offline = await createUser({ name: '本街道居民', street: street._id, community: community._id, email: null, phone: null });
  const wish = await Wish.create({
    number: 1,
    kind: 'item',
    title: '一本新华字典',
    valueFen: 45_00,
    child: { initial: '明', term: 'student', age: 9 },
    street: street._id,
    community: community._id,
    registeredBy: author,
    status: 'claimed',
    claim: { by: author, displayAs: 'account', displayName: '矩阵居民', at: new Date(), dueAt: new Date(Date.now() + 14 * 86_400_000) },
    claimSlot: `${String(author)}:0`,
  });
  const organization = await Organization.create({ name: '矩阵志愿服务队', type: 'volunteerTeam', street: street._id, contact: { name: '矩阵联系人', phone: '13812345678' } });
  world = {
    slug: competition.slug,
    otherSlug: other.slug,
    proposal: proposal.number,
    draft: draft.number,
    commentId: String(comment._id),
    residentId: String(offline._id),
    userId: ids.otherResident!,
    notificationId: String(notification._id),
    fileId: new Types.ObjectId().toHexString(),
    organizationId: String(organization._id),
    communityId: String(community._id),
    wish: wish.number,
    streetCode: street.code,
  };
  expect(await Proposal.countDocuments()).toBe(2);
});

describe('route × role matrix', () => {
  it('declares every route module', () => {
    expect(routeIds.filter((id) => !(id in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((id) => !routeIds.includes(id))).toEqual([]);
  });

  it.each(routeIds)('%s answers every persona as declared, and refused actions change nothing', async (id) => {
    const spec = ROUTES[id];
    if (!spec) throw new Error(`no declaration for route ${id}`);
    const load = modules[`../../app/routes/${id}/route.tsx`];
    if (!load) throw new Error(`module not found for ${id}`);
    const module = await load();
    expect(Boolean(module.loader), `${id}: loader declared iff present`).toBe(Boolean(spec.loader));
    expect(Boolean(module.action), `${id}: action declared iff present`).toBe(Boolean(spec.action));
    const tried: string[] = [];
    for (const persona of PERSONAS) {
      const jar = jars.get(persona)!;
      if (module.loader && spec.loader) {
        const outcome = await call(module.loader as never, getRequest(spec.url(world), { jar }), spec.params(world));
        await expectAnswer(outcome, expected(spec.loader, persona), spec, `${id} GET as ${persona}`);
        tried.push(`GET ${persona}`);
        counts.loaderCalls += 1;
      }
      if (module.action && spec.action) {
        const wanted = expected(spec.action, persona);
        // Allowed personas are exercised by the feature tests; here only refusals are checked.
        if (wanted === 'ok') continue;
        for (const form of [spec.form, ...(spec.moreForms ?? [])]) {
          const before = await fingerprint();
          const fields = form?.(world) ?? {};
          const outcome = await call(module.action as never, formRequest(spec.url(world), fields, { jar }), spec.params(world));
          await expectAnswer(outcome, wanted, spec, `${id} POST ${fields.intent ?? ''} as ${persona}`);
          expect.soft(await fingerprint(), `${id} POST ${fields.intent ?? ''} as ${persona}: changed data`).toBe(before);
          tried.push(`POST ${persona}`);
          counts.refusedActionCalls += 1;
        }
      }
    }
    // Layout-only modules (an index without loader or action) have nothing to call.
    expect(tried.length > 0 || (!module.loader && !module.action)).toBe(true);
  });

  /**
   * Operator and mass-assignment payloads on every action, as every persona: each declared
   * field carries an operator object in JSON and in bracket form, and privileged extra fields
   * ride along. Nothing may crash (5xx); for the personas the route refuses, no role, status or
   * owner may change either (those it allows may legitimately change things).
   */
  it.each(routeIds)('%s survives operator payloads in every field', async (id) => {
    const spec = ROUTES[id]!;
    const load = modules[`../../app/routes/${id}/route.tsx`]!;
    const module = await load();
    if (!module.action || !spec.action) return;
    const PAYLOADS = ['{"$gt":""}', '{"$ne":null}', '{"$where":"1"}', '.*'];
    const problems: string[] = [];
    for (const persona of PERSONAS) {
      const jar = jars.get(persona)!;
      for (const payload of PAYLOADS) {
        const fields: Record<string, string> = {};
        for (const [key, value] of Object.entries(spec.form?.(world) ?? {})) {
          // Keep the intent so each branch of the action is reached; poison everything else.
          fields[key] = key === 'intent' ? value : payload;
          fields[`${key}[$ne]`] = 'x';
          fields[`${key}.$gt`] = '';
        }
        Object.assign(fields, { role: 'admin', 'roles[0].role': 'admin', status: 'eligible', authors: world.userId, verified: 'true', score: '10', totalFen: '1' });
        const refused = expected(spec.action, persona) !== 'ok';
        const before = refused ? await privileges() : '';
        const outcome = await call(module.action as never, formRequest(spec.url(world), fields, { jar }), spec.params(world));
        counts.payloadCalls += 1;
        if (outcome.status >= 500) problems.push(`${id} POST as ${persona} with ${payload}: ${outcome.status}`);
        if (refused && (await privileges()) !== before) problems.push(`${id} POST as ${persona} with ${payload}: roles, statuses or authors changed`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Who holds which role, and every proposal's status and authors: what a payload must not move. */
async function privileges(): Promise<string> {
  const [users, proposals] = await Promise.all([
    mongoose.connection.db!.collection('users').find({}, { projection: { roles: 1 } }).sort({ _id: 1 }).toArray(),
    Proposal.find().select('status authors').sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify([users.map((u) => [u._id, (u.roles as { role: string; scopeId?: Types.ObjectId }[]).map((r) => [r.role, String(r.scopeId ?? '')])]), proposals]);
}
