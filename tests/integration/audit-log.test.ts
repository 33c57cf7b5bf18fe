import mongoose, { Types } from 'mongoose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, User } from '#models';
import { createCompetition, createUser, grant, insertJudgingSheet, insertProposal } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import type { DescribedEntry, Part } from '~/routes/admin.audit/describe';
import { loader as auditLoader } from '~/routes/admin.audit/route';
import { action as loginAction } from '~/routes/login/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/**
 * Issue 12, item 9: the audit page's loader answers sentences in the visitor's language, with
 * people and objects by name and link, changes as translated fields, and nothing secret; and it
 * asks the database the same number of times for a page of 10 entries as for a page of 50 (of 100).
 */
interface AuditPage {
  total: number;
  pages: number;
  entries: DescribedEntry[];
  actions: { value: string; label: string }[];
  actors: { id: string; name: string }[];
}

const PHONE = '13987654321';
const DOCUMENT = '370212198807074321';
let adminJar: CookieJar;
let admin: Awaited<ReturnType<typeof createUser>>;
let resident: Awaited<ReturnType<typeof createUser>>;
let competition: Awaited<ReturnType<typeof createCompetition>>;
let proposals: Awaited<ReturnType<typeof insertProposal>>[];
let sheet: Awaited<ReturnType<typeof insertJudgingSheet>>;

async function signIn(email: string): Promise<CookieJar> {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

beforeAll(async () => {
  admin = await createUser({ name: '王芳', email: 'audit-admin@example.test', roles: [grant('resident'), grant('admin')] });
  adminJar = await signIn('audit-admin@example.test');
  resident = await createUser({ name: '李建国', phone: PHONE, email: null });
  competition = await createCompetition({ slug: 'audit-test', zh: '审计测试大赛', en: 'Audit test competition' });
  proposals = [];
  for (const title of ['社区食堂助餐', '独居老人探访', '困境儿童阅读']) proposals.push(await insertProposal({ competition: competition._id, author: resident._id, title, status: 'submitted' }));
  const judge = await createUser({ name: '赵教授', roles: [grant('resident'), grant('judge', 'competition', competition._id)] });
  sheet = await insertJudgingSheet({ competition: competition._id, judge: judge._id, proposal: proposals[1]!._id, scores: { need: 8 } });
});

afterEach(async () => {
  await AuditLog.deleteMany({});
});

/** A realistic mix: each entry points at other objects, so a per-row query would show. */
let inserted = 0;
async function insertEntries(count: number) {
  const people = await User.insertMany(
    Array.from({ length: Math.min(count, 30) }, () => ({ name: `居民${++inserted}`, phone: `1380000${String(1000 + inserted)}`, roles: [{ role: 'resident', scopeType: 'platform' }] })),
  );
  const start = Date.now() - count * 1000;
  const docs = Array.from({ length: count }, (_, i) => {
    const person = people[i % people.length]!;
    const createdAt = new Date(start + i * 1000);
    switch (i % 5) {
      case 0:
        return { actor: admin._id, action: 'proposal.screened', targetType: 'Proposal', targetId: String(proposals[0]!._id), before: { status: 'submitted' }, after: { status: 'eligible' }, createdAt };
      case 1:
        return { actor: admin._id, action: 'role.granted', targetType: 'User', targetId: String(person._id), after: { role: 'committee', scopeType: 'competition', scopeId: String(competition._id) }, createdAt };
      case 2:
        return { actor: person._id, action: 'resident.verified', targetType: 'User', targetId: String(person._id), after: { scope: `competition:${String(competition._id)}`, method: 'idCard', evidence: DOCUMENT, community: String(new Types.ObjectId()) }, reason: `电话 ${PHONE}`, createdAt };
      case 3:
        return { actor: admin._id, action: 'judging.sheetReopened', targetType: 'JudgingSheet', targetId: String(sheet._id), before: { status: 'submitted', scores: [{ criterion: 'need', score: 8 }], submittedAt: createdAt }, after: { status: 'draft' }, reason: '请复核', createdAt };
      default:
        return { actor: admin._id, action: 'proposal.merged', targetType: 'Proposal', targetId: String(proposals[1]!._id), before: { status: 'submitted' }, after: { status: 'merged', mergedInto: String(proposals[2]!._id), coAuthorsAdded: [String(person._id)] }, createdAt };
    }
  });
  await AuditLog.insertMany(docs);
}

const textOf = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
const rendered = (entry: DescribedEntry) => [textOf(entry.sentence), entry.reason ?? '', ...entry.changes.flatMap((c) => [c.field, c.before ?? '', c.after ?? ''])].join('\n');

/** Every query mongoose sends while `work` runs (through its debug hook, which the query-shape recorder may also use). */
async function roundTrips(work: () => Promise<unknown>): Promise<number> {
  const previous = mongoose.get('debug') as unknown;
  let count = 0;
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    count++;
    if (typeof previous === 'function') (previous as (...a: unknown[]) => void)(collection, method, ...args);
  });
  try {
    await work();
  } finally {
    mongoose.set('debug', previous as boolean);
  }
  return count;
}

describe('the audit page loader', () => {
  it('answers sentences with titles and links, translated changes, masked phones and no ids or JSON', async () => {
    await insertEntries(10);
    const page = await call<AuditPage>(auditLoader, getRequest('/admin/audit', { jar: adminJar }));
    expect(page.status).toBe(200);
    expect(page.data.total).toBe(10);
    const screened = page.data.entries.find((e) => e.action === 'proposal.screened')!;
    expect(textOf(screened.sentence)).toBe(`王芳 将提案《${proposals[0]!.title}》标记为通过审查`);
    expect(screened.sentence).toContainEqual({ text: proposals[0]!.title, href: `/competitions/audit-test/proposals/${proposals[0]!.number}`, detail: null });
    expect(screened.sentence).toContainEqual({ text: '王芳', href: `/admin/users/${String(admin._id)}`, detail: null });
    expect(screened.changes).toEqual([{ field: '状态', before: '已提交', after: '通过审查' }]);

    const reopened = page.data.entries.find((e) => e.action === 'judging.sheetReopened')!;
    expect(textOf(reopened.sentence)).toBe(`王芳 重新打开了 赵教授 对提案《${proposals[1]!.title}》的评分表`);
    expect(reopened.changes).toContainEqual({ field: '评分', before: 'need 8', after: null });

    const granted = page.data.entries.find((e) => e.action === 'role.granted')!;
    expect(textOf(granted.sentence)).toMatch(/^王芳 授予 居民\d+ “评审委员会”角色（大赛 审计测试大赛）$/);
    const person = granted.sentence.find((p): p is Exclude<Part, string> => typeof p !== 'string' && p.text.startsWith('居民'));
    expect(person?.href).toMatch(/^\/admin\/users\/[0-9a-f]{24}$/);
    expect(person?.detail).toMatch(/^138\*{4}\d{4}$/);

    const verified = page.data.entries.find((e) => e.action === 'resident.verified')!;
    expect(verified.reason).toBe('电话 139****4321');
    expect(verified.changes).toContainEqual({ field: '证件号', before: null, after: '已记录（不显示）' });
    // A community that no longer exists reads as deleted, not as its id.
    expect(verified.changes).toContainEqual({ field: '社区', before: null, after: '（已删除的社区）' });

    const merged = page.data.entries.find((e) => e.action === 'proposal.merged')!;
    expect(textOf(merged.sentence)).toBe(`王芳 将提案《${proposals[1]!.title}》合并到提案《${proposals[2]!.title}》`);

    for (const entry of page.data.entries) {
      const text = rendered(entry);
      expect(text, entry.action).not.toMatch(/[0-9a-f]{24}/);
      expect(text, entry.action).not.toMatch(/[{}"]|\[object/);
    }
    const everything = JSON.stringify(page.data);
    expect(everything).not.toContain(PHONE);
    expect(everything).not.toContain(DOCUMENT);
    expect(everything).not.toMatch(/1380000\d{4}/);
    expect(everything).not.toMatch(/passwordHash|\$scrypt|203\.0\.113/);
    expect(page.data.actions).toContainEqual({ value: 'proposal.screened', label: '资格审查' });
    expect(page.data.actors.map((a) => a.name)).toContain('王芳');
  });

  it('reads in English for an English-speaking admin', async () => {
    await insertEntries(5);
    await User.updateOne({ _id: admin._id }, { $set: { language: 'en' } });
    try {
      const page = await call<AuditPage>(auditLoader, getRequest('/admin/audit', { jar: adminJar }));
      const screened = page.data.entries.find((e) => e.action === 'proposal.screened')!;
      expect(textOf(screened.sentence)).toBe(`王芳 marked proposal “${proposals[0]!.title}” eligible`);
      expect(screened.changes).toEqual([{ field: 'Status', before: 'Submitted', after: 'Eligible' }]);
      const granted = page.data.entries.find((e) => e.action === 'role.granted')!;
      expect(textOf(granted.sentence)).toMatch(/^王芳 granted 居民\d+ the role “Committee” \(Competition Audit test competition\)$/);
    } finally {
      await User.updateOne({ _id: admin._id }, { $set: { language: 'zh' } });
    }
  });

  it('asks the database as often for 100 entries as for 10 (no query per row), and pages them', async () => {
    await insertEntries(10);
    const small = await roundTrips(() => call(auditLoader, getRequest('/admin/audit', { jar: adminJar })));
    await AuditLog.deleteMany({});
    await insertEntries(100);
    let page: AuditPage | undefined;
    const large = await roundTrips(async () => (page = (await call<AuditPage>(auditLoader, getRequest('/admin/audit', { jar: adminJar }))).data));
    expect(page!.entries).toHaveLength(50);
    expect(page!.pages).toBe(2);
    expect(small).toBeGreaterThan(5);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(20);
    const second = await call<AuditPage>(auditLoader, getRequest('/admin/audit?page=2', { jar: adminJar }));
    expect(second.data.entries).toHaveLength(50);
    expect(new Set([...page!.entries, ...second.data.entries].map((e) => e.id)).size).toBe(100);
  });

  it('filters by action, by actor and by object', async () => {
    await insertEntries(10);
    const byAction = await call<AuditPage>(auditLoader, getRequest('/admin/audit?action=role.granted', { jar: adminJar }));
    expect(byAction.data.entries.map((e) => e.action)).toEqual(['role.granted', 'role.granted']);
    const byActor = await call<AuditPage>(auditLoader, getRequest(`/admin/audit?actor=${String(admin._id)}`, { jar: adminJar }));
    expect(byActor.data.total).toBe(8);
    expect(byActor.data.entries.every((e) => e.action !== 'resident.verified')).toBe(true);
    const byTarget = await call<AuditPage>(auditLoader, getRequest(`/admin/audit?target=${String(proposals[0]!._id)}`, { jar: adminJar }));
    expect(byTarget.data.entries.map((e) => [e.action, e.targetId])).toEqual([
      ['proposal.screened', String(proposals[0]!._id)],
      ['proposal.screened', String(proposals[0]!._id)],
    ]);
  });

  it('refuses residents, committee members and judges; sends visitors to log in', async () => {
    await insertEntries(5);
    const anonymous = await call(auditLoader, getRequest('/admin/audit'));
    expect(anonymous.status).toBe(302);
    for (const [label, roles] of Object.entries({
      resident: [grant('resident')],
      committee: [grant('resident'), grant('committee', 'competition', competition._id)],
      judge: [grant('resident'), grant('judge', 'competition', competition._id)],
    })) {
      const email = `${label}-audit@example.test`;
      await createUser({ email, roles });
      const outcome = await call(auditLoader, getRequest('/admin/audit', { jar: await signIn(email) }));
      expect(outcome.status, label).toBe(403);
      expect(String(outcome.data), label).not.toContain('proposal.screened');
    }
  });
});
