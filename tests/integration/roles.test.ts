import mongoose from 'mongoose';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, User } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as loginAction } from '~/routes/login/route';
import { loader as auditLoader } from '~/routes/admin.audit/route';
import { loader as usersLoader } from '~/routes/admin.users/route';
import { action as rolesAction, loader as rolesLoader } from '~/routes/admin.users_.$userId/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

async function signIn(email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return jar.take(outcome.headers);
}

describe('the admin grants and revokes scoped roles', () => {
  let admin: Awaited<ReturnType<typeof createUser>>;
  let adminJar: CookieJar;

  beforeEach(async () => {
    const email = `admin-${Math.random().toString(36).slice(2)}@example.test`;
    admin = await createUser({ email, roles: [grant('resident'), grant('admin')] });
    adminJar = await signIn(email);
  });

  it('grants a grid worker role on a street, audited with who, what and when', async () => {
    const street = await createStreet();
    const worker = await createUser();
    const outcome = await call(
      rolesAction,
      formRequest(`/admin/users/${String(worker._id)}`, { intent: 'grant', role: 'gridWorker', scope: `street:${String(street._id)}` }, { jar: adminJar }),
      { userId: String(worker._id) },
    );
    expect(outcome.status).toBe(200);
    const saved = await User.findById(worker._id).lean();
    expect(saved?.roles.map((r) => [r.role, r.scopeType, String(r.scopeId ?? '')])).toContainEqual(['gridWorker', 'street', String(street._id)]);

    const entry = await AuditLog.findOne({ action: 'role.granted', targetId: String(worker._id) }).lean();
    expect(String(entry?.actor)).toBe(String(admin._id));
    expect(entry?.after).toEqual({ role: 'gridWorker', scopeType: 'street', scopeId: String(street._id) });
    expect(entry?.createdAt).toBeInstanceOf(Date);
  });

  it('refuses a role on a scope it cannot have, or on a scope that does not exist, and changes nothing', async () => {
    const competition = await createCompetition();
    const community = await createCommunity();
    const person = await createUser();
    const attempts = [
      { role: 'judge', scope: `street:${String(community.street)}` },
      { role: 'gridWorker', scope: `competition:${String(competition._id)}` },
      { role: 'committee', scope: 'competition:0123456789abcdef01234567' },
      { role: 'admin', scope: `community:${String(community._id)}` },
      { role: 'team', scope: 'project:0123456789abcdef01234567' },
      { role: 'superuser', scope: 'platform' },
    ];
    for (const fields of attempts) {
      const outcome = await call(
        rolesAction,
        formRequest(`/admin/users/${String(person._id)}`, { intent: 'grant', ...fields }, { jar: adminJar }),
        { userId: String(person._id) },
      );
      expect(outcome.status, JSON.stringify(fields)).toBe(400);
    }
    expect((await User.findById(person._id).lean())?.roles).toHaveLength(1);
    expect(await AuditLog.countDocuments({ targetId: String(person._id) })).toBe(0);
  });

  it('the same grant twice at once is stored once', async () => {
    const competition = await createCompetition();
    const person = await createUser();
    const fields = { intent: 'grant', role: 'judge', scope: `competition:${String(competition._id)}` };
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(rolesAction, formRequest(`/admin/users/${String(person._id)}`, fields, { jar: adminJar }), { userId: String(person._id) }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1);
    const roles = (await User.findById(person._id).lean())?.roles ?? [];
    expect(roles.filter((r) => r.role === 'judge')).toHaveLength(1);
  });

  it('revokes a grant, audited with what it was', async () => {
    const competition = await createCompetition();
    const person = await createUser({ roles: [grant('resident'), grant('committee', 'competition', competition._id)] });
    const grantId = String(person.roles.find((r) => r.role === 'committee')?._id);
    // Without the confirmation tick: 400 with the field's error; the role stays, nothing audited.
    const unconfirmed = await call(rolesAction, formRequest(`/admin/users/${String(person._id)}`, { intent: 'revoke', grantId }, { jar: adminJar }), { userId: String(person._id) });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ intent: 'revoke', result: { error: { confirm: ['confirmRequired'] } } });
    expect((await User.findById(person._id).lean())?.roles.map((r) => r.role)).toEqual(['resident', 'committee']);
    expect(await AuditLog.countDocuments({ action: 'role.revoked', targetId: String(person._id) })).toBe(0);
    const outcome = await call(
      rolesAction,
      formRequest(`/admin/users/${String(person._id)}`, { intent: 'revoke', grantId, confirm: 'yes' }, { jar: adminJar }),
      { userId: String(person._id) },
    );
    expect(outcome.status).toBe(200);
    expect((await User.findById(person._id).lean())?.roles.map((r) => r.role)).toEqual(['resident']);
    const entry = await AuditLog.findOne({ action: 'role.revoked', targetId: String(person._id) }).lean();
    expect(entry?.before).toMatchObject({ role: 'committee', scopeType: 'competition', scopeId: String(competition._id) });
  });

  it('will not remove the last platform admin', async () => {
    await User.deleteMany({ _id: mongoose.trusted({ $ne: admin._id }), 'roles.role': 'admin' });
    const grantId = String(admin.roles.find((r) => r.role === 'admin')?._id);
    const outcome = await call(
      rolesAction,
      formRequest(`/admin/users/${String(admin._id)}`, { intent: 'revoke', grantId, confirm: 'yes' }, { jar: adminJar }),
      { userId: String(admin._id) },
    );
    expect(outcome.status).toBe(400);
    expect((await User.findById(admin._id).lean())?.roles.some((r) => r.role === 'admin')).toBe(true);
  });

  it('the audit log shows the grant with who did it, and filters by action', async () => {
    const street = await createStreet();
    const worker = await createUser({ name: '审计对象' });
    await call(
      rolesAction,
      formRequest(`/admin/users/${String(worker._id)}`, { intent: 'grant', role: 'gridWorker', scope: `street:${String(street._id)}` }, { jar: adminJar }),
      { userId: String(worker._id) },
    );
    const log = await call<{ entries: { action: string; sentence: (string | { text: string; href: string | null })[] }[]; actions: { value: string }[] }>(
      auditLoader,
      getRequest(`/admin/audit?action=role.granted&target=${String(worker._id)}`, { jar: adminJar }),
    );
    expect(log.status).toBe(200);
    expect(log.data.entries).toHaveLength(1);
    const sentence = log.data.entries[0]!.sentence.map((part) => (typeof part === 'string' ? part : part.text)).join('');
    expect(sentence).toBe(`${admin.name} 授予 审计对象 “网格员”角色（街道 ${street.name.zh}）`);
    expect(log.data.entries[0]!.sentence).toContainEqual(expect.objectContaining({ text: '审计对象', href: `/admin/users/${String(worker._id)}` }));
    expect(log.data.actions.map((a) => a.value)).toContain('role.granted');
  });

  it('finds people by name, showing only a masked phone number', async () => {
    await createUser({ name: '崔海燕', phone: '13912345678', email: null });
    const outcome = await call<{ users: { name: string; contact: string }[] }>(
      usersLoader,
      getRequest(`/admin/users?q=${encodeURIComponent('海燕')}`, { jar: adminJar }),
    );
    expect(outcome.data.users).toEqual([expect.objectContaining({ name: '崔海燕', contact: '139****5678' })]);
  });
});

describe('nobody else can manage roles', () => {
  it('anonymous visitors are sent to log in; residents, judges, committee members and grid workers get 403', async () => {
    const competition = await createCompetition();
    const street = await createStreet();
    const target = await createUser();
    const people = {
      resident: [grant('resident')],
      judge: [grant('resident'), grant('judge', 'competition', competition._id)],
      committee: [grant('resident'), grant('committee', 'competition', competition._id)],
      gridWorker: [grant('resident'), grant('gridWorker', 'street', street._id)],
    };
    const anonymous = await call(usersLoader, getRequest('/admin/users'));
    expect(anonymous).toRedirectTo('/login?redirectTo=%2Fadmin%2Fusers', 302);

    for (const [label, roles] of Object.entries(people)) {
      const email = `${label}-${Math.random().toString(36).slice(2)}@example.test`;
      const person = await createUser({ email, roles });
      const jar = await signIn(email);
      expect((await call(usersLoader, getRequest('/admin/users', { jar }))).status, label).toBe(403);
      expect((await call(auditLoader, getRequest('/admin/audit', { jar }))).status, label).toBe(403);
      expect((await call(rolesLoader, getRequest(`/admin/users/${String(target._id)}`, { jar }), { userId: String(target._id) })).status, label).toBe(403);
      const selfPromotion = await call(
        rolesAction,
        formRequest(`/admin/users/${String(person._id)}`, { intent: 'grant', role: 'admin', scope: 'platform' }, { jar }),
        { userId: String(person._id) },
      );
      expect(selfPromotion.status, label).toBe(403);
      expect((await User.findById(person._id).lean())?.roles.some((r) => r.role === 'admin'), label).toBe(false);
    }
  });
});
