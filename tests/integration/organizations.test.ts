import mongoose, { type Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Organization, Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, fakePhone, grant } from '#seeds/factories';
import { MAX_MEMBERS, mayCreateOrganization, mayManageOrganization } from '~/features/organizations/rules';
import { action as loginAction } from '~/routes/login/route';
import { action as namingAction, loader as namingLoader } from '~/routes/competitions.$slug.projects.$number_.organization/route';
import { loader as projectLoader } from '~/routes/competitions.$slug.projects.$number/route';
import { action as editAction, loader as editLoader } from '~/routes/organizations.$id_.edit/route';
import { loader as detailLoader } from '~/routes/organizations.$id/route';
import { loader as listLoader } from '~/routes/organizations._index/route';
import { action as newAction } from '~/routes/organizations.new/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/**
 * The registry of implementers and naming a project's implementer, through the routes' loaders
 * and actions: who may write what (decision 022), the unique (street, name) under parallel
 * creates, members by exact phone or e-mail only, every change audited, and the contact never in
 * what a public or unrelated reader receives.
 */
const slugA = 'orgs-a-2026';
const slugB = 'orgs-b-2026';
const CONTACT = { name: '联系人韩梅梅', phone: '13987654321' };
let street: Types.ObjectId;
let otherStreet: Types.ObjectId;
let community: Types.ObjectId;
let competitionA: Types.ObjectId;
let jars: Record<'committeeA' | 'committeeB' | 'resident' | 'admin' | 'anonymous', CookieJar>;
let memberPhone: string;

async function signIn(identifier: string) {
  return new CookieJar().take((await call(loginAction, formRequest('/login', { identifier, password: DEMO_PASSWORD }))).headers);
}

const form = (overrides: Record<string, string> = {}) => ({
  name: '阳光助老服务社',
  type: 'communitySocialOrganization',
  street: String(street),
  community: String(community),
  contactName: CONTACT.name,
  contactPhone: CONTACT.phone,
  ...overrides,
});

const create = (jar: CookieJar, fields: Record<string, string>) => call<{ result?: { error?: Record<string, string[]> }; reason?: string }>(newAction, formRequest('/organizations/new', fields, { jar }));
const edit = (jar: CookieJar, id: string, fields: Record<string, string>) => call<{ reason?: string; result?: { error?: Record<string, string[]> } }>(editAction, formRequest(`/organizations/${id}/edit`, fields, { jar }), { id });
const name = (jar: CookieJar, slug: string, fields: Record<string, string>) =>
  call<{ error?: string }>(namingAction, formRequest(`/competitions/${slug}/projects/1/organization`, fields, { jar }), { slug, number: '1' });

async function registered(jar: CookieJar, fields: Record<string, string>): Promise<string> {
  const outcome = await create(jar, fields);
  expect(outcome.status, JSON.stringify(outcome.data)).toBe(303);
  return outcome.location!.split('/').pop()!;
}

const snapshot = async () => JSON.stringify([await Organization.find().select('+contact.name +contact.phone').sort({ _id: 1 }).lean(), await Project.find().sort({ _id: 1 }).lean(), await AuditLog.countDocuments()]);

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  competitionA = (await createCompetition({ slug: slugA }))._id;
  const competitionB = (await createCompetition({ slug: slugB }))._id;
  await Project.create({ competition: competitionA, proposal: new mongoose.Types.ObjectId(), proposalNumber: 1, number: 1, title: '助老项目', fundedFen: 30_000_00, approvedBudgetFen: 30_000_00, proposedOrganizationName: '提案里的老年协会' });
  await Project.create({ competition: competitionB, proposal: new mongoose.Types.ObjectId(), proposalNumber: 1, number: 1, title: '另一个项目', fundedFen: 10_000_00, approvedBudgetFen: 10_000_00 });
  await createUser({ email: 'orgs-committee-a@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionA)] });
  await createUser({ email: 'orgs-committee-b@example.test', roles: [grant('resident'), grant('committee', 'competition', competitionB)] });
  await createUser({ email: 'orgs-resident@example.test' });
  await createUser({ email: 'orgs-admin@example.test', roles: [grant('resident'), grant('admin')] });
  memberPhone = '13911112222';
  await createUser({ name: '成员李雷', phone: memberPhone, email: null });
  await createUser({ name: '未验证号码', phone: '13933334444', email: null, proven: false });
  jars = {
    committeeA: await signIn('orgs-committee-a@example.test'),
    committeeB: await signIn('orgs-committee-b@example.test'),
    resident: await signIn('orgs-resident@example.test'),
    admin: await signIn('orgs-admin@example.test'),
    anonymous: new CookieJar(),
  };
});

describe('the registry rules', () => {
  const committee = { id: 'c', roles: [{ role: 'committee' as const, scopeType: 'competition' as const, scopeId: 'A' }] };
  it('admins and committee members register; the registrant, admins and the committees it implements for manage', () => {
    expect(mayCreateOrganization(committee)).toBe(true);
    expect(mayCreateOrganization({ id: 'r', roles: [{ role: 'resident', scopeType: 'platform', scopeId: null }] })).toBe(false);
    expect(mayManageOrganization(committee, { createdBy: 'c' }, [])).toBe(true);
    expect(mayManageOrganization(committee, { createdBy: 'x' }, [])).toBe(false);
    expect(mayManageOrganization(committee, { createdBy: 'x' }, ['A'])).toBe(true);
    expect(mayManageOrganization(committee, { createdBy: 'x' }, ['B'])).toBe(false);
    // A former committee member (no committee grant left) no longer edits what they registered.
    expect(mayManageOrganization({ id: 'c', roles: [{ role: 'resident', scopeType: 'platform', scopeId: null }] }, { createdBy: 'c' }, [])).toBe(false);
  });
});

describe('registering organizations', () => {
  it('a committee member registers one, audited without the contact; it is stored with its contact', async () => {
    const id = await registered(jars.committeeA, form());
    const doc = await Organization.findById(id).select('+contact.name +contact.phone').lean();
    expect(doc).toMatchObject({ name: '阳光助老服务社', contact: CONTACT });
    const entry = await AuditLog.findOne({ action: 'organization.created', targetId: id }).lean();
    expect(entry).toBeTruthy();
    expect(JSON.stringify(entry)).not.toContain(CONTACT.phone);
    expect(JSON.stringify(entry)).not.toContain(CONTACT.name);
  });

  it('a second one of the same name in the same street is refused by the unique index (409, field error), in another street it is fine', async () => {
    const before = await snapshot();
    const duplicate = await create(jars.committeeB, form({ type: 'charity' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.data.result?.error?.name).toEqual(['duplicateName']);
    expect(await snapshot()).toBe(before);
    await registered(jars.committeeB, form({ street: String(otherStreet), community: '' }));
  });

  it('of 12 parallel registrations of one name in one street exactly one is stored', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => create(i % 2 ? jars.committeeA : jars.admin, form({ name: '并发志愿队', type: 'volunteerTeam' }))));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 409)).toHaveLength(11);
    expect(await Organization.countDocuments({ name: '并发志愿队' })).toBe(1);
    expect(await AuditLog.countDocuments({ action: 'organization.created', 'after.name': '并发志愿队' })).toBe(1);
  });

  it('bad input is refused with translated field errors and nothing changes', async () => {
    const before = await snapshot();
    const cases: [Record<string, string>, string, string][] = [
      [form({ contactPhone: '12345' }), 'contactPhone', 'contactPhoneInvalid'],
      [form({ contactPhone: '1391111222' }), 'contactPhone', 'contactPhoneInvalid'],
      [form({ name: '   ' }), 'name', 'nameRequired'],
      [form({ name: '长'.repeat(81) }), 'name', 'nameTooLong'],
      [form({ type: 'cult' }), 'type', 'typeRequired'],
      [form({ street: 'nope' }), 'street', 'streetRequired'],
      [form({ contactName: '' }), 'contactName', 'contactNameRequired'],
    ];
    for (const [fields, field, key] of cases) {
      const outcome = await create(jars.committeeA, { ...fields, name: fields.name === form().name ? `坏输入${key}` : fields.name! });
      expect(outcome.status, key).toBe(400);
      expect(outcome.data.result?.error?.[field], key).toEqual([key]);
    }
    // A community of another street, and a street that does not exist.
    expect((await create(jars.committeeA, form({ name: '错社区', street: String(otherStreet) }))).data.result?.error?.community).toEqual(['placeInvalid']);
    expect((await create(jars.committeeA, form({ name: '无街道', street: new mongoose.Types.ObjectId().toHexString(), community: '' }))).status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('residents and visitors cannot register', async () => {
    const before = await snapshot();
    expect((await create(jars.resident, form({ name: '居民自建' }))).status).toBe(403);
    expect((await create(jars.anonymous, form({ name: '匿名自建' }))).status).toBe(302);
    expect(await snapshot()).toBe(before);
  });

  it('the phone is accepted with spaces, dashes and +86, and stored as 11 digits', async () => {
    const id = await registered(jars.committeeA, form({ name: '格式化电话', contactPhone: '+86 139-8765-4300' }));
    expect((await Organization.findById(id).select('+contact.phone').lean())?.contact?.phone).toBe('13987654300');
  });
});

describe('editing and members', () => {
  let id: string;
  beforeAll(async () => {
    id = await registered(jars.committeeA, form({ name: '编辑测试社' }));
  });

  it('only the registrant and admins may open the edit page before it implements anything; others get 403', async () => {
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.committeeA }), { id })).status).toBe(200);
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.admin }), { id })).status).toBe(200);
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.committeeB }), { id })).status).toBe(403);
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.resident }), { id })).status).toBe(403);
    expect((await call(editLoader, getRequest(`/organizations/${new mongoose.Types.ObjectId().toHexString()}/edit`, { jar: jars.admin }), { id: 'x' })).status).toBe(404);
  });

  it('the registrant edits the details; the audit says the contact changed, not to what', async () => {
    const outcome = await edit(jars.committeeA, id, { intent: 'details', ...form({ name: '编辑测试社（新）', contactPhone: '13700001111' }) });
    expect(outcome.status).toBe(303);
    const doc = await Organization.findById(id).select('+contact.phone name').lean();
    expect(doc).toMatchObject({ name: '编辑测试社（新）', contact: { phone: '13700001111' } });
    const entry = await AuditLog.findOne({ action: 'organization.updated', targetId: id }).lean();
    expect(entry?.after).toMatchObject({ name: '编辑测试社（新）', contactChanged: true });
    expect(JSON.stringify(entry)).not.toContain('13700001111');
  });

  it('another committee, a resident and a visitor change nothing by any intent', async () => {
    const before = await snapshot();
    for (const jar of [jars.committeeB, jars.resident, jars.anonymous]) {
      const attempts: Record<string, string>[] = [{ intent: 'details', ...form({ name: '篡改' }) }, { intent: 'addMember', identifier: memberPhone, role: 'leader' }, { intent: 'removeMember', user: new mongoose.Types.ObjectId().toHexString(), confirm: 'yes' }];
      for (const fields of attempts) {
        const outcome = await edit(jar, id, fields);
        expect([302, 403]).toContain(outcome.status);
        if (outcome.status === 302) expect(outcome.location).toMatch(/^\/login\?/);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("someone who may not manage learns nothing about a number: the answer is the same for a number with an account and one without", async () => {
    const withAccount = await edit(jars.committeeB, id, { intent: 'addMember', identifier: memberPhone, role: 'member' });
    const without = await edit(jars.committeeB, id, { intent: 'addMember', identifier: '13955556666', role: 'member' });
    expect([withAccount.status, withAccount.data]).toEqual([without.status, without.data]);
  });

  it('a member is added by the exact phone number only (no partial match, no unproven number), once even under 10 parallel adds, and removed', async () => {
    expect((await edit(jars.committeeA, id, { intent: 'addMember', identifier: memberPhone.slice(0, 7), role: 'member' })).data.reason).toBe('identifierInvalid');
    expect((await edit(jars.committeeA, id, { intent: 'addMember', identifier: '13955556666', role: 'member' })).data.reason).toBe('noAccount');
    expect((await edit(jars.committeeA, id, { intent: 'addMember', identifier: '13933334444', role: 'member' })).data.reason).toBe('noAccount');
    expect((await edit(jars.committeeA, id, { intent: 'addMember', identifier: memberPhone, role: 'boss' })).data.reason).toBe('roleInvalid');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => edit(jars.committeeA, id, { intent: 'addMember', identifier: `${memberPhone.slice(0, 3)} ${memberPhone.slice(3)}`, role: 'leader' })));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 409).every((o) => o.data.reason === 'alreadyMember')).toBe(true);
    const doc = await Organization.findById(id).select('members').lean();
    expect(doc?.members).toHaveLength(1);
    expect(doc?.members[0]?.role).toBe('leader');
    expect(await AuditLog.countDocuments({ action: 'organization.memberAdded', targetId: id })).toBe(1);

    const member = String(doc!.members[0]!.user);
    expect((await edit(jars.committeeA, id, { intent: 'removeMember', user: member })).data.reason).toBe('confirmRequired');
    expect((await edit(jars.committeeA, id, { intent: 'removeMember', user: member, confirm: 'yes' })).status).toBe(303);
    expect((await edit(jars.committeeA, id, { intent: 'removeMember', user: member, confirm: 'yes' })).data.reason).toBe('memberNotFound');
    expect((await Organization.findById(id).select('members').lean())?.members).toHaveLength(0);
    expect(await AuditLog.countDocuments({ action: 'organization.memberRemoved', targetId: id })).toBe(1);
  });
});

describe("naming a project's implementer", () => {
  let id: string;
  beforeAll(async () => {
    // Registered by the admin, so committee A may manage it only through the project it implements.
    id = await registered(jars.admin, form({ name: '实施方服务中心', type: 'socialWorkAgency' }));
  });

  it('the committee of another competition, a resident and a visitor are refused, and the page is theirs to open neither', async () => {
    const before = await snapshot();
    expect((await name(jars.committeeB, slugA, { organization: id, expected: '' })).status).toBe(403);
    expect((await name(jars.resident, slugA, { organization: id, expected: '' })).status).toBe(403);
    expect((await name(jars.anonymous, slugA, { organization: id, expected: '' })).status).toBe(302);
    expect((await call(namingLoader, getRequest(`/competitions/${slugA}/projects/1/organization`, { jar: jars.committeeB }), { slug: slugA, number: '1' })).status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it("until one is named the project page shows the proposal's group; the committee names one (audited), then manages it", async () => {
    const load = async (jar: CookieJar) =>
      call<{ project: { organization: { named: boolean; name: string } } }>(projectLoader, getRequest(`/competitions/${slugA}/projects/1`, { jar }), { slug: slugA, number: '1' });
    expect((await load(jars.anonymous)).data.project.organization).toMatchObject({ named: false, name: '提案里的老年协会' });
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.committeeA }), { id })).status).toBe(403);

    const named = await name(jars.committeeA, slugA, { organization: id, expected: '' });
    expect(named.status).toBe(303);
    expect(String((await Project.findOne({ competition: competitionA, number: 1 }).lean())?.organization)).toBe(id);
    expect(await AuditLog.countDocuments({ action: 'project.organizationNamed', 'after.organization': id })).toBe(1);
    expect((await load(jars.anonymous)).data.project.organization).toMatchObject({ named: true, name: '实施方服务中心' });
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.committeeA }), { id })).status).toBe(200);
    expect((await call(editLoader, getRequest(`/organizations/${id}/edit`, { jar: jars.committeeB }), { id })).status).toBe(403);
  });

  it('a stale form (the implementer changed since it was read) is refused with 409; an unknown organization with 400', async () => {
    const before = await snapshot();
    expect((await name(jars.committeeA, slugA, { organization: '', expected: '' })).status).toBe(409);
    expect((await name(jars.committeeA, slugA, { organization: new mongoose.Types.ObjectId().toHexString(), expected: id })).data.error).toBe('organizationNotFound');
    expect((await name(jars.committeeA, slugA, { organization: 'abc', expected: id })).status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('of two committee members naming different organizations at once, one wins and the other is told', async () => {
    const other = await registered(jars.admin, form({ name: '另一家机构', type: 'charity' }));
    const outcomes = await Promise.all([name(jars.committeeA, slugA, { organization: other, expected: id }), name(jars.admin, slugA, { organization: '', expected: id })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual([303, 409]);
  });
});

describe('information flow: the contact reaches only those who manage', () => {
  it('never appears in the list, the page or a project page for visitors, residents and an unrelated committee; the manager sees it', async () => {
    const id = await registered(jars.committeeA, form({ name: '保密测试社', contactName: '保密联系人张三', contactPhone: '13612340000' }));
    await Project.updateOne({ competition: competitionA, number: 1 }, { $set: { organization: id } });
    const secrets = ['保密联系人张三', '13612340000', '1361234'];
    for (const jar of [jars.anonymous, jars.resident, jars.committeeB]) {
      const pages = [
        await call(listLoader, getRequest('/organizations', { jar })),
        await call(listLoader, getRequest(`/organizations?street=${String(street)}&type=communitySocialOrganization`, { jar })),
        await call(detailLoader, getRequest(`/organizations/${id}`, { jar }), { id }),
        await call(projectLoader, getRequest(`/competitions/${slugA}/projects/1`, { jar }), { slug: slugA, number: '1' }),
      ];
      for (const page of pages) {
        expect(page.status).toBe(200);
        const text = JSON.stringify(page.data);
        for (const secret of secrets) expect(text).not.toContain(secret);
        // Members' accounts are not named either.
        expect(text).not.toContain('成员李雷');
      }
    }
    const managed = await call<{ managed: { contact: { phone: string } } | null }>(detailLoader, getRequest(`/organizations/${id}`, { jar: jars.committeeA }), { id });
    expect(managed.data.managed?.contact.phone).toBe('13612340000');
  });
});

describe('stateful abuse: sequences and races of permitted acts', () => {
  it("a committee's management follows the naming: once the project names another implementer it can no longer edit the first", async () => {
    const first = await registered(jars.admin, form({ name: '先被指定的机构' }));
    const current = await Project.findOne({ competition: competitionA, number: 1 }).select('organization').lean();
    expect((await name(jars.committeeA, slugA, { organization: first, expected: current?.organization ? String(current.organization) : '' })).status).toBe(303);
    expect((await call(editLoader, getRequest(`/organizations/${first}/edit`, { jar: jars.committeeA }), { id: first })).status).toBe(200);
    expect((await name(jars.committeeA, slugA, { organization: '', expected: first })).status).toBe(303);
    const before = await snapshot();
    expect((await call(editLoader, getRequest(`/organizations/${first}/edit`, { jar: jars.committeeA }), { id: first })).status).toBe(403);
    expect((await edit(jars.committeeA, first, { intent: 'details', ...form({ name: '离任后改名' }) })).status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it('two organizations of one street renamed to the same name at once: one rename applies, the other is a 409', async () => {
    const one = await registered(jars.admin, form({ name: '改名甲' }));
    const two = await registered(jars.admin, form({ name: '改名乙' }));
    const outcomes = await Promise.all([one, two].map((id) => edit(jars.admin, id, { intent: 'details', ...form({ name: '同一个新名字' }) })));
    expect(outcomes.map((o) => o.status).sort()).toEqual([303, 409]);
    expect(await Organization.countDocuments({ street, name: '同一个新名字' })).toBe(1);
  });

  it(`members never exceed ${MAX_MEMBERS}, even with 6 parallel adds for the last 2 places`, async () => {
    const id = await registered(jars.admin, form({ name: '满员测试队' }));
    const filler = Array.from({ length: MAX_MEMBERS - 2 }, () => ({ user: new mongoose.Types.ObjectId(), role: 'volunteer' }));
    await Organization.updateOne({ _id: id }, { $set: { members: filler } });
    const phones = Array.from({ length: 6 }, () => fakePhone());
    for (const phone of phones) await createUser({ phone, email: null });
    const outcomes = await Promise.all(phones.map((phone) => edit(jars.admin, id, { intent: 'addMember', identifier: phone, role: 'member' })));
    expect(outcomes.filter((o) => o.status === 303)).toHaveLength(2);
    expect(outcomes.filter((o) => o.status !== 303).map((o) => o.data.reason)).toEqual(Array(4).fill('tooManyMembers'));
    expect((await Organization.findById(id).select('members').lean())?.members).toHaveLength(MAX_MEMBERS);
  });
});
