import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MENTOR_EMAIL } from '#seeds/data';
import { ADMIN, countAll, insertAccount, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The incubation page's guards through the built server, on the demo data (seeds/incubation.ts:
 * the demo mentor mentors two 2025 implementers; one has a private evidence image and mentor
 * notes). A visitor is sent to sign in; a resident, a member of the organization and another
 * organization's mentor get the same 403 whatever the organization holds, on the page and its
 * data endpoint; their writes change nothing; the evidence image is 404 to them; no public page
 * or data endpoint carries a note or the image's address; hostile bodies are 400s.
 */
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const RESIDENT = '13900000031';
const OTHER_MENTOR = 'other-mentor@example.test';
const OTHER_PASSWORD = 'other-mentor-password-1';

let app: HttpApp;
let cookies: Record<'anonymous' | 'resident' | 'member' | 'otherMentor' | 'mentor' | 'committee' | 'admin', string>;
let orgA: string;
let orgB: string;
let evidenceId: string;
let notes: string[];

const get = (path: string, cookie: string) => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, body: Record<string, string> | string) =>
  fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
// The same page but for the per-response script nonce.
const normalised = async (response: Response) => (await response.text()).replace(/nonce="[^"]*"/g, '');

beforeAll(async () => {
  app = await startHttpApp('incubation');
  const mentor = await app.db.collection('users').findOne({ email: DEMO_MENTOR_EMAIL });
  const mentored = (mentor!.roles as { role: string; scopeType: string; scopeId: Types.ObjectId }[]).filter((g) => g.role === 'mentor' && g.scopeType === 'organization');
  expect(mentored).toHaveLength(2);
  orgA = String(mentored[0]!.scopeId);
  orgB = String(mentored[1]!.scopeId);
  const a = await app.db.collection('organizations').findOne({ _id: new Types.ObjectId(orgA) });
  evidenceId = (a!.checklist as { evidenceFileId?: string }[]).find((c) => c.evidenceFileId)!.evidenceFileId!;
  notes = (await app.db.collection('mentorsessions').find({}).toArray()).map((s) => s.notes as string).filter(Boolean);
  expect(notes.length).toBeGreaterThan(2);
  // Another organization's mentor (the idea group's), and a member of organization A.
  const idea = await app.db.collection('organizations').findOne({ stage: 'idea' });
  await insertAccount(app.db, { name: '另一位督导', email: OTHER_MENTOR, password: OTHER_PASSWORD, grants: [{ role: 'mentor', scopeType: 'organization', scopeId: idea!._id }] });
  const memberId = (a!.members as { user: Types.ObjectId }[])[0]!.user;
  const member = await app.db.collection('users').findOne({ _id: memberId });
  const login = async (identifier: string, password: string) =>
    (await fetch(`${app.baseUrl}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ identifier, password }) })).headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
  cookies = {
    anonymous: '',
    resident: await signIn(app.baseUrl, RESIDENT),
    member: await signIn(app.baseUrl, (member!.phone as string | undefined) ?? (member!.email as string)),
    otherMentor: await login(OTHER_MENTOR, OTHER_PASSWORD),
    mentor: await signIn(app.baseUrl, DEMO_MENTOR_EMAIL),
    committee: await signIn(app.baseUrl, COMMITTEE),
    admin: await signIn(app.baseUrl, ADMIN),
  };
  expect(cookies.otherMentor).toContain('=');
});
afterAll(async () => {
  await app.stop();
});

describe('the incubation page over HTTP', () => {
  it('opens for the mentor, the committee and admins; a visitor is sent to sign in; everyone else gets one and the same 403, on the page and its data endpoint', async () => {
    for (const persona of ['mentor', 'committee', 'admin'] as const) {
      const page = await get(`/organizations/${orgA}/incubation`, cookies[persona]);
      expect(page.status, persona).toBe(200);
      expect(await page.text()).toContain(notes[0]!.slice(0, 8));
    }
    const anonymous = await get(`/organizations/${orgA}/incubation`, '');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    for (const persona of ['resident', 'member', 'otherMentor'] as const) {
      const refusals = new Set<string>();
      for (const id of [orgA, orgB]) {
        const page = await get(`/organizations/${id}/incubation`, cookies[persona]);
        expect(page.status, `${persona} ${id}`).toBe(403);
        // The page's own address (the language switch returns to it) is the only difference allowed.
        refusals.add((await normalised(page)).replaceAll(id, 'ID'));
        const data = await get(`/organizations/${id}/incubation.data`, cookies[persona]);
        expect(data.status, `${persona} ${id} .data`).toBe(403);
        const body = await data.text();
        for (const note of notes) expect(body).not.toContain(note);
      }
      // No oracle: an organization with evidence and many notes answers exactly as one with fewer.
      expect(refusals.size, persona).toBe(1);
    }
    expect((await get(`/organizations/${new Types.ObjectId().toHexString()}/incubation`, cookies.resident)).status).toBe(404);
  });

  it('refuses every write of a visitor, a resident, a member and another mentor, writing nothing; the mentor cannot move the stage', async () => {
    const before = await countAll(app.db);
    const organizationsBefore = JSON.stringify(await app.db.collection('organizations').find({}).sort({ _id: 1 }).toArray());
    const writes: Record<string, string>[] = [
      { intent: 'confirm', key: 'filingCertificate', note: '越权确认' },
      { intent: 'withdraw', key: 'charter', confirm: 'yes' },
      { intent: 'session', date: '2026-01-05', hours: '1', topics: '越权' },
      { intent: 'move', to: 'filed', expected: 'incubating', revision: '0', override: 'on', reason: '越权', confirm: 'yes' },
    ];
    for (const body of writes) {
      const path = `/organizations/${orgA}/incubation`;
      const anonymous = await post(path, '', body);
      expect(anonymous.status).toBe(302);
      for (const persona of ['resident', 'member', 'otherMentor'] as const) expect((await post(path, cookies[persona], body)).status, `${body.intent} ${persona}`).toBe(403);
      expect((await post(`${path}.data`, cookies.resident, body)).status).toBe(403);
    }
    // Moving is the committee's: the mentor's move is refused before anything is compared.
    expect((await post(`/organizations/${orgA}/incubation`, cookies.mentor, writes[3]!)).status).toBe(403);
    expect(await countAll(app.db)).toEqual(before);
    expect(JSON.stringify(await app.db.collection('organizations').find({}).sort({ _id: 1 }).toArray())).toBe(organizationsBefore);
  });

  it('serves the evidence image to the mentor and the committee only; no public page or data endpoint carries it or a note', async () => {
    for (const persona of ['mentor', 'committee', 'admin'] as const) {
      const image = await get(`/uploads/${evidenceId}`, cookies[persona]);
      expect(image.status, persona).toBe(200);
      expect(image.headers.get('cache-control')).toBe('private, no-store');
    }
    for (const persona of ['anonymous', 'resident', 'member', 'otherMentor'] as const) {
      expect((await get(`/uploads/${evidenceId}`, cookies[persona])).status, persona).toBe(404);
      expect((await get(`/uploads/${evidenceId}?size=thumb`, cookies[persona])).status, persona).toBe(404);
      for (const path of ['/organizations', '/organizations.data', '/organizations?stage=incubating', `/organizations/${orgA}`, `/organizations/${orgA}.data`]) {
        const response = await get(path, cookies[persona]);
        expect(response.status, `${path} ${persona}`).toBe(200);
        const body = await response.text();
        expect(body).not.toContain(evidenceId);
        for (const note of notes) expect(body, `${path} ${persona}`).not.toContain(note);
      }
    }
  });

  it('hostile bodies from the mentor and the committee are 400s, never 500s, and write nothing', async () => {
    const before = await countAll(app.db);
    const path = `/organizations/${orgA}/incubation`;
    const bodies: [keyof typeof cookies, string][] = [
      ['mentor', 'intent=confirm&key[$ne]=x&note=a'],
      ['mentor', 'intent=confirm&key=__proto__&note=a'],
      ['mentor', 'intent=session&date[$gt]=&hours=1&topics=a'],
      ['mentor', 'intent=session&date=2026-02-30&hours=1&topics=a'],
      ['mentor', 'intent=session&date=2026-01-05&hours=1e9&topics=a'],
      ['committee', 'intent=move&to[$ne]=idea&expected=incubating&revision=0&confirm=yes'],
      ['committee', 'intent=move&to=filed&expected=incubating&revision=-1&confirm=yes'],
      ['committee', 'intent=__proto__'],
    ];
    for (const [persona, body] of bodies) expect((await post(path, cookies[persona], body)).status, body).toBe(400);
    expect(await countAll(app.db)).toEqual(before);
  });
});
