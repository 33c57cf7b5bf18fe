import type { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startHttpApp, type HttpApp } from './app';

/**
 * Charity resources through the built server on the demo data (decision 031): a team cannot act
 * on another project's pledges; a delivery receipt is refused to the public and to another
 * project's team, and its id is on no public page or its `.data`; the private pages' `.data` are
 * `private, no-store`; an anonymous donor's name appears nowhere public.
 */
let app: HttpApp;
const SLUG = '2025-laoshanxing';
interface ProjectRow {
  _id: ObjectId;
  number: number;
  team: ObjectId[];
}
interface PledgeRow {
  _id: ObjectId;
  number: number;
  project?: ObjectId;
  status: string;
  showName: boolean;
  partnerKind: string;
  partner: ObjectId;
  delivery?: { receiptFileId?: string };
}
const cookies: Record<string, string> = {};
let projects: ProjectRow[];
let receiptPledge: PledgeRow;
let receiptProject: ProjectRow;
let otherProject: ProjectRow;

const get = (path: string, cookie = '') => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  fetch(`${app.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

async function signInAs(userId: ObjectId): Promise<string> {
  const user = await app.db.collection('users').findOne({ _id: userId });
  return signIn(app.baseUrl, (user!.phone as string | undefined) ?? (user!.email as string));
}

beforeAll(async () => {
  app = await startHttpApp('resources');
  const competition = await app.db.collection('competitions').findOne({ slug: SLUG });
  projects = await app.db.collection<ProjectRow>('projects').find({ competition: competition!._id }).sort({ number: 1 }).toArray();
  receiptPledge = (await app.db.collection<PledgeRow>('pledges').findOne({ 'delivery.receiptFileId': { $exists: true } }))!;
  receiptProject = projects.find((p) => String(p._id) === String(receiptPledge.project))!;
  // Another project whose team shares nobody with the receipt's project.
  otherProject = projects.find((p) => p.number !== receiptProject.number && !p.team.some((m) => receiptProject.team.some((r) => String(r) === String(m))))!;
  cookies.team = await signInAs(receiptProject.team[0]!);
  cookies.otherTeam = await signInAs(otherProject.team[0]!);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

describe('charity resources over HTTP', () => {
  it('a receipt is served to its team, and is a 404 to the public and to another project’s team', async () => {
    const fileId = receiptPledge.delivery!.receiptFileId!;
    for (const size of ['', '?size=thumb']) {
      const own = await get(`/uploads/${fileId}${size}`, cookies.team);
      expect(own.status).toBe(200);
      expect(own.headers.get('cache-control')).toBe('private, no-store');
      expect((await get(`/uploads/${fileId}${size}`)).status).toBe(404);
      expect((await get(`/uploads/${fileId}${size}`, cookies.otherTeam)).status).toBe(404);
    }
  });

  it('no receipt id is on any public page or its .data', async () => {
    const fileIds = (await app.db.collection<PledgeRow>('pledges').find({ 'delivery.receiptFileId': { $exists: true } }).toArray()).map((p) => p.delivery!.receiptFileId!);
    expect(fileIds.length).toBeGreaterThan(0);
    const pages = [...projects.map((p) => `/competitions/${SLUG}/projects/${p.number}`), '/resources/partners/fund', '/dashboard'];
    for (const page of pages) {
      for (const path of [page, `${page}.data`]) {
        const response = await get(path);
        expect(response.status, path).toBe(200);
        const body = await response.text();
        for (const id of fileIds) expect(body.includes(id), `${path} carries receipt ${id}`).toBe(false);
      }
    }
  });

  it("an anonymous donor's name appears on no public page, and a named one's does", async () => {
    const anonymous = (await app.db.collection<PledgeRow>('pledges').findOne({ partnerKind: 'individual', showName: false, project: { $exists: true } }))!;
    const partner = await app.db.collection('resourcepartners').findOne({ _id: anonymous.partner });
    const name = partner!.name as string;
    const project = projects.find((p) => String(p._id) === String(anonymous.project))!;
    // The donor is not on that project's team (where their name is public for another reason).
    expect(project.team.map(String)).not.toContain(String(partner!.account));
    for (const path of [`/competitions/${SLUG}/projects/${project.number}`, `/competitions/${SLUG}/projects/${project.number}.data`]) {
      const body = await (await get(path)).text();
      expect(body).toContain(path.endsWith('.data') ? 'partnerKind' : '爱心人士');
      expect(body.includes(name), `${path} names the anonymous donor`).toBe(false);
    }
    expect((await get(`/resources/partners/${String(anonymous.partner)}`)).status).toBe(404);
  });

  it('the private pages and their .data answer private, no-store', async () => {
    for (const path of [`/resources/pledges/${receiptPledge.number}`, `/competitions/${SLUG}/projects/${receiptProject.number}/resources`]) {
      for (const url of [path, `${path}.data`]) {
        const response = await get(url, cookies.team);
        expect(response.status, url).toBe(200);
        expect(response.headers.get('cache-control'), url).toContain('no-store');
        expect(response.headers.get('cache-control'), url).toContain('private');
      }
    }
  });

  it("another project's team can neither open, deliver nor withdraw a pledge, nor record one on that project", async () => {
    const open = (await app.db.collection<PledgeRow>('pledges').findOne({ project: receiptProject._id, status: 'pledged' }))!;
    expect(open, 'the demo has a pledged pledge on the receipt project').toBeTruthy();
    expect((await get(`/resources/pledges/${open.number}`, cookies.otherTeam)).status).toBe(404);
    const deliver = await post(`/resources/pledges/${open.number}`, cookies.otherTeam!, { intent: 'deliver', deliveredOn: new Date().toISOString().slice(0, 10), confirm: 'yes' });
    expect(deliver.status).toBe(404);
    const withdraw = await post(`/resources/pledges/${open.number}`, cookies.otherTeam!, { intent: 'withdraw', reason: '越权撤回', confirm: 'yes' });
    expect(withdraw.status).toBe(404);
    expect((await app.db.collection<PledgeRow>('pledges').findOne({ _id: open._id }))!.status).toBe('pledged');
    const before = await app.db.collection('pledges').countDocuments();
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const record = await post(`/competitions/${SLUG}/projects/${receiptProject.number}/resources`, cookies.otherTeam!, { intent: 'record', partnerKind: 'enterprise', partnerName: '越权企业', kind: 'money', amount: '100', dueDate: due });
    expect(record.status).toBe(403);
    expect(await app.db.collection('pledges').countDocuments()).toBe(before);
    // The receipt's own team records one on its project: a redirect to the new pledge's page.
    const own = await post(`/competitions/${SLUG}/projects/${receiptProject.number}/resources`, cookies.team!, { intent: 'record', partnerKind: 'enterprise', partnerName: '测试企业', kind: 'money', amount: '100', dueDate: due });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toMatch(/^\/resources\/pledges\/\d+$/);
  });
});
