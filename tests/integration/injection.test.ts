import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Proposal, Residency, Session, User } from '#models';
import { createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { loader as usersLoader } from '~/routes/admin.users/route';
import { action as newProposalAction } from '~/routes/competitions.$slug.proposals.new/route';
import { loader as listLoader } from '~/routes/competitions.$slug.proposals._index/route';
import { action as loginAction } from '~/routes/login/route';
import { action as profileAction } from '~/routes/profile/route';
import { action as registerAction } from '~/routes/register/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { lastCodeSentTo } from '../support/outbox';

/**
 * MongoDB operator payloads and extra fields, as an attacker would send them: in form fields
 * (bracket and dotted names, JSON strings) and query parameters. None may reach a query as an
 * operator, and no extra field may set a role, status, author or total.
 */
const OPERATOR_VALUES = ['{"$gt":""}', '{"$ne":null}', '{"$where":"sleep(1000)"}', '{"$regex":".*"}', '.*', '^', '[', '\\'];
let jar: CookieJar;
let userId: string;
const slug = 'injection-2026';

beforeAll(async () => {
  await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 86_400_000)) });
  userId = String((await createUser({ email: 'target@example.test', name: '被攻击的居民' }))._id);
  await createUser({ email: 'admin-inj@example.test', roles: [grant('resident'), grant('admin')] });
  jar = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: 'target@example.test', password: DEMO_PASSWORD }))).headers);
});

describe('operator injection', () => {
  it('login with operator payloads in bracket, dotted or JSON form never signs anyone in', async () => {
    const payloads: Record<string, string>[] = [
      { 'identifier[$ne]': 'x', password: 'x' },
      { identifier: 'target@example.test', 'password[$ne]': 'x' },
      { 'identifier.$gt': '', password: 'x' },
      { identifier: '{"$gt":""}', password: '{"$gt":""}' },
      { identifier: 'target@example.test', password: '{"$ne":null}' },
    ];
    const sessions = await Session.countDocuments();
    for (const fields of payloads) {
      const outcome = await call(loginAction, formRequest('/login', fields, { ip: '198.18.0.1' }));
      expect(outcome.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
    }
    expect(await Session.countDocuments()).toBe(sessions);
  });

  it('search boxes treat operator and regex text literally', async () => {
    const competition = await createCompetition({ slug: 'inj-search', phases: phaseWindows(new Date(Date.now() - 86_400_000)) });
    await insertProposal({ competition: competition._id, author: new Types.ObjectId(userId), title: '普通的提案' });
    for (const q of OPERATOR_VALUES) {
      const list = await call<{ total: number }>(listLoader, getRequest(`/competitions/inj-search/proposals?q=${encodeURIComponent(q)}`), { slug: 'inj-search' });
      expect(list.status, q).toBe(200);
      expect(list.data.total, q).toBe(0);
    }
    const bracket = await call<{ total: number }>(listLoader, getRequest('/competitions/inj-search/proposals?q[$regex]=.*&category[$ne]=x&page[$gt]=0'), { slug: 'inj-search' });
    expect(bracket.status).toBe(200);
    expect(bracket.data.total).toBe(1);
    const admin = new CookieJar().take((await call(loginAction, formRequest('/login', { identifier: 'admin-inj@example.test', password: DEMO_PASSWORD }))).headers);
    for (const q of OPERATOR_VALUES) {
      const users = await call<{ total: number }>(usersLoader, getRequest(`/admin/users?q=${encodeURIComponent(q)}`, { jar: admin }));
      expect(users.status, q).toBe(200);
      expect(users.data.total, q).toBe(0);
    }
  });
});

describe('mass assignment', () => {
  it('registering with role, roles, admin or verified fields gives a plain resident', async () => {
    const jar = new CookieJar();
    jar.take((await call(registerAction, formRequest('/register', { intent: 'send', identifier: 'sneaky@example.test', role: 'admin' }, { jar }))).headers);
    await call(
      registerAction,
      formRequest('/register', {
        intent: 'finish',
        code: (await lastCodeSentTo('sneaky@example.test'))!,
        name: '想当管理员',
        identifier: 'other@example.test',
        phoneProvenAt: '2020-01-01',
        password: 'harbour-lights-9',
        confirmPassword: 'harbour-lights-9',
        role: 'admin',
        'roles[0].role': 'admin',
        'roles[0].scopeType': 'platform',
        roles: 'admin',
        isAdmin: 'true',
        verified: 'true',
        'residency.community': '0123456789abcdef01234567',
      }, { jar }),
    );
    const user = await User.findOne({ email: 'sneaky@example.test' }).lean();
    expect(user?.roles.map((r) => r.role)).toEqual(['resident']);
    expect(await User.exists({ email: 'other@example.test' })).toBeNull();
    expect(JSON.stringify(user)).not.toContain('0123456789abcdef01234567');
    expect(await Residency.countDocuments({ resident: user!._id })).toBe(0);
  });

  it('a profile update cannot change roles, e-mail or password hash', async () => {
    const before = await User.findById(userId).select('+passwordHash').lean();
    const outcome = await call(
      profileAction,
      formRequest('/profile', { intent: 'profile', name: '新名字', language: 'zh', email: 'other@example.test', passwordHash: 'x', 'roles[0].role': 'admin', role: 'admin' }, { jar }),
    );
    expect(outcome.status).toBe(200);
    const after = await User.findById(userId).select('+passwordHash').lean();
    expect(after).toMatchObject({ name: '新名字', email: 'target@example.test', passwordHash: before?.passwordHash });
    expect(after?.roles.map((r) => r.role)).toEqual(['resident']);
  });

  it('a new proposal ignores status, score, budget total, authors and other owners sent with it', async () => {
    const stranger = await createUser();
    const outcome = await call(
      newProposalAction,
      formRequest(`/competitions/${slug}/proposals/new`, {
        intent: 'save',
        title: '带额外字段的提案',
        status: 'eligible',
        totalFen: '1',
        score: '100',
        authors: String(stranger._id),
        'authors[0]': String(stranger._id),
        competition: '0123456789abcdef01234567',
        number: '9999',
        followerCount: '1000',
      }, { jar }),
      { slug },
    );
    expect(outcome.status).toBe(303);
    const saved = await Proposal.findOne({ title: '带额外字段的提案' }).lean();
    expect(saved).toMatchObject({ status: 'draft', totalFen: 0, followerCount: 0 });
    expect(saved?.number).not.toBe(9999);
    expect(saved?.authors.map(String)).toEqual([userId]);
  });
});
