import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, countAll, insertAccount, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The registry and naming an implementer through the built server, on the demo data (every 2025
 * project names an organization). Every write is refused to a visitor (sign-in), a resident and
 * the committee of another competition (403) with nothing written; no public page, data endpoint
 * or an unrelated committee's page carries a contact; hostile bodies are 400s.
 */
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const OTHER_COMMITTEE = 'committee-2026-only@example.test';
const RESIDENT = '13900000031';
const SECRET_NAME = '保密联系人欧阳';
const SECRET_PHONE = '19912345678';
const PROJECT = '/competitions/2025-laoshanxing/projects/1';

let app: HttpApp;
let cookies: Record<'anonymous' | 'resident' | 'otherCommittee' | 'committee' | 'admin', string>;
let orgId: string;
let streetId: string;
let otherPhones: string[];

beforeAll(async () => {
  app = await startHttpApp('organizations');
  const c2026 = await app.db.collection('competitions').findOne({ slug: '2026-laoshanxing' });
  await insertAccount(app.db, { name: '另一届评委', email: OTHER_COMMITTEE, password: 'demo-password-not-used', grants: [{ role: 'committee', scopeType: 'competition', scopeId: c2026!._id }] });
  const c2025 = await app.db.collection('competitions').findOne({ slug: '2025-laoshanxing' });
  const project = await app.db.collection('projects').findOne({ competition: c2025!._id, number: 1 });
  const organizationId = project!.organization as Types.ObjectId;
  orgId = String(organizationId);
  const organization = await app.db.collection('organizations').findOneAndUpdate(
    { _id: organizationId },
    { $set: { 'contact.name': SECRET_NAME, 'contact.phone': SECRET_PHONE } },
    { returnDocument: 'after' },
  );
  streetId = String(organization!.street);
  otherPhones = (await app.db.collection('organizations').find({}).toArray()).map((o) => (o.contact as { phone: string }).phone);
  expect(otherPhones.length).toBeGreaterThan(2);
  cookies = {
    anonymous: '',
    resident: await signIn(app.baseUrl, RESIDENT),
    otherCommittee: '',
    committee: await signIn(app.baseUrl, COMMITTEE),
    admin: await signIn(app.baseUrl, ADMIN),
  };
});
afterAll(async () => {
  await app.stop();
});

// The inserted account has its own password; sign it in with it.
async function signInOther(): Promise<string> {
  const response = await fetch(`${app.baseUrl}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ identifier: OTHER_COMMITTEE, password: 'demo-password-not-used' }) });
  expect(response.status).toBe(303);
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

const get = (path: string, cookie: string) => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, body: Record<string, string> | string) =>
  fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });

const newForm = (overrides: Record<string, string> = {}) => ({ name: 'HTTP测试互助社', type: 'communitySocialOrganization', street: streetId, contactName: '测试联系人', contactPhone: '13812340000', ...overrides });

describe('organizations over HTTP', () => {
  beforeAll(async () => {
    cookies.otherCommittee = await signInOther();
  });

  it('a visitor is sent to sign in, a resident and the committee of another competition get 403 on every write, and nothing is written', async () => {
    const writes: [string, Record<string, string>, ('resident' | 'otherCommittee')[]][] = [
      ['/organizations/new', newForm(), ['resident']],
      [`/organizations/${orgId}/edit`, { intent: 'details', ...newForm({ name: '篡改' }) }, ['resident', 'otherCommittee']],
      [`/organizations/${orgId}/edit`, { intent: 'addMember', identifier: RESIDENT, role: 'leader' }, ['resident', 'otherCommittee']],
      [`/organizations/${orgId}/edit`, { intent: 'removeMember', user: new Types.ObjectId().toHexString(), confirm: 'yes' }, ['resident', 'otherCommittee']],
      [`${PROJECT}/organization`, { organization: '', expected: orgId }, ['resident', 'otherCommittee']],
    ];
    const before = await countAll(app.db);
    const organizationsBefore = JSON.stringify(await app.db.collection('organizations').find({}).sort({ _id: 1 }).toArray());
    for (const [path, body, refused] of writes) {
      const anonymous = await post(path, '', body);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.get('location'), path).toMatch(/^\/login\?/);
      for (const persona of refused) expect((await post(path, cookies[persona], body)).status, `${path} ${persona}`).toBe(403);
      // The Remix data endpoint of the same action refuses alike.
      expect((await post(`${path}.data`, cookies.resident, body)).status, `${path}.data`).toBe(403);
    }
    expect(await countAll(app.db)).toEqual(before);
    expect(JSON.stringify(await app.db.collection('organizations').find({}).sort({ _id: 1 }).toArray())).toBe(organizationsBefore);
    const project = await app.db.collection('projects').findOne({ organization: new Types.ObjectId(orgId) });
    expect(project).toBeTruthy();
  });

  it('no public page, data endpoint or another committee sees a contact; the committee of the project it implements does', async () => {
    const paths = [
      '/organizations',
      `/organizations?street=${streetId}`,
      `/organizations?type=volunteerTeam&page=2`,
      `/organizations/${orgId}`,
      `/organizations/${orgId}.data`,
      '/organizations.data',
      PROJECT,
      `${PROJECT}.data`,
      '/competitions/2025-laoshanxing/projects',
    ];
    for (const persona of ['anonymous', 'resident', 'otherCommittee'] as const) {
      for (const path of paths) {
        const response = await get(path, cookies[persona]);
        expect(response.status, `${path} as ${persona}`).toBe(200);
        const body = await response.text();
        expect(body, `${path} as ${persona}`).not.toContain(SECRET_NAME);
        for (const phone of otherPhones) expect(body, `${path} as ${persona}`).not.toContain(phone);
      }
      // The edit page and its data endpoint are refused outright (a data request's sign-in redirect is single fetch's 202).
      for (const path of [`/organizations/${orgId}/edit`, `/organizations/${orgId}/edit.data`]) {
        const response = await get(path, cookies[persona]);
        expect(persona === 'anonymous' ? [302, 202] : [403], `${path} as ${persona}`).toContain(response.status);
        expect(await response.text()).not.toContain(SECRET_PHONE);
      }
    }
    const page = await (await get(`/organizations/${orgId}`, cookies.committee)).text();
    expect(page).toContain(SECRET_NAME);
    expect(page).toContain(SECRET_PHONE);
    // The public project page names the implementer, without the contact.
    const projectPage = await (await get(PROJECT, '')).text();
    const name = (await app.db.collection('organizations').findOne({ _id: new Types.ObjectId(orgId) }))!.name as string;
    expect(projectPage).toContain(name);
    expect(projectPage).toContain(`/organizations/${orgId}`);
  });

  it("adding a member tells a non-manager nothing about whether a number has an account", async () => {
    const existing = await post(`/organizations/${orgId}/edit`, cookies.otherCommittee, { intent: 'addMember', identifier: RESIDENT, role: 'member' });
    const missing = await post(`/organizations/${orgId}/edit`, cookies.otherCommittee, { intent: 'addMember', identifier: '13877776666', role: 'member' });
    // The same page, but for the per-response script nonce.
    const page = async (response: Response) => (await response.text()).replace(/nonce="[^"]*"/g, '');
    expect([existing.status, await page(existing)]).toEqual([missing.status, await page(missing)]);
  });

  it('a committee member registers one; the same name in the same street again is a translated 409, and of 8 parallel registrations one is stored', async () => {
    const created = await post('/organizations/new', cookies.otherCommittee, newForm());
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/^\/organizations\/[0-9a-f]{24}$/);
    const duplicate = await post('/organizations/new', cookies.committee, newForm({ type: 'charity' }));
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain('这个街道已经登记了同名组织');
    const parallel = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/organizations/new', i % 2 ? cookies.committee : cookies.admin, newForm({ name: 'HTTP并发队' }))));
    expect(parallel.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409, 409, 409, 409]);
    expect(await app.db.collection('organizations').countDocuments({ name: 'HTTP并发队' })).toBe(1);
  });

  it('hostile bodies from someone allowed are 400s, never 500s, and write nothing', async () => {
    const before = await countAll(app.db);
    const bodies: [string, string][] = [
      ['/organizations/new', 'name[$gt]=&type=charity'],
      ['/organizations/new', `name=x&type=charity&street[$ne]=1&contactName=a&contactPhone=13800000000`],
      ['/organizations/new', `name=x&type=__proto__&street=${streetId}&contactName=a&contactPhone=13800000000`],
      ['/organizations/new', `name=x&type=charity&street=${streetId}&community=${'f'.repeat(24)}&contactName=a&contactPhone=13800000000`],
      [`/organizations/${orgId}/edit`, 'intent=addMember&identifier[$regex]=139&role=member'],
      [`/organizations/${orgId}/edit`, 'intent=addMember&identifier=139&role=member'],
      [`/organizations/${orgId}/edit`, 'intent=removeMember&user[$ne]=x&confirm=yes'],
      [`/organizations/${orgId}/edit`, 'intent=__proto__'],
      [`${PROJECT}/organization`, 'organization[$ne]=&expected='],
      [`${PROJECT}/organization`, 'organization=zzz&expected='],
    ];
    for (const [path, body] of bodies) {
      const response = await post(path, cookies.committee, body);
      expect(response.status, `${path} ${body}`).toBe(400);
    }
    expect(await countAll(app.db)).toEqual(before);
  });
});
