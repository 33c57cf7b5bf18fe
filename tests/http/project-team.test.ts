import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INVITEE_PHONE_BASE, DEMO_MENTOR_EMAIL } from '#seeds/data';
import { ADMIN, countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The project team through the built server, on the demo data (a 2025 project with the demo
 * mentor and one invited resident): no page or its single-fetch data (`<path>.data`, what the
 * browser fetches on client navigation) shows a phone number; inviting
 * tells the inviter nothing about whether a number has an account; a declined invitation stays
 * declined; the mentor reads and cannot write; hostile bodies are 400, never 500.
 */
const SLUG = '2025-laoshanxing';
// An 11-digit mainland mobile number anywhere in a page or a JSON answer.
const PHONE = /(?<![0-9a-fA-F])1[3-9]\d{9}(?![0-9a-fA-F])/;
let app: HttpApp;
let number: number;
let title: string;
let member: string;
let invitee: string;
let inviteeId: string;
let competitionId: Types.ObjectId;
let mentor: string;
let resident: string;
let residentName: string;
let admin: string;

const teamPath = () => `/competitions/${SLUG}/projects/${number}/team`;
const get = (path: string, cookie = '') => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, fields: Record<string, string> | string) =>
  fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  });
/** The page's loader data, as single fetch serves it (the old `?_data=` answers with an empty body). */
const dataOf = (path: string, cookie: string) => get(`${path}.data`, cookie);

beforeAll(async () => {
  app = await startHttpApp('project_team');
  const competition = await app.db.collection('competitions').findOne({ slug: SLUG });
  competitionId = competition!._id;
  const projects = await app.db.collection('projects').find({ competition: competitionId }).sort({ number: 1 }).toArray();
  // A project whose team has a member who signs in with a password, and whose invitee is not on it.
  for (const project of projects) {
    const team = project.team as Types.ObjectId[];
    const inviteePhone = String(DEMO_INVITEE_PHONE_BASE + (project.number as number) - 1);
    const signer = await app.db.collection('users').findOne({ _id: { $in: team }, passwordHash: { $exists: true }, phone: { $exists: true } });
    const invited = await app.db.collection('users').findOne({ phone: inviteePhone });
    if (signer && invited && !team.some((id) => String(id) === String(invited._id))) {
      number = project.number as number;
      title = project.title as string;
      member = await signIn(app.baseUrl, signer.phone as string);
      invitee = await signIn(app.baseUrl, inviteePhone);
      inviteeId = String(invited._id);
      break;
    }
  }
  expect(number, 'a demo project to test with').toBeGreaterThan(0);
  mentor = await signIn(app.baseUrl, DEMO_MENTOR_EMAIL);
  resident = await signIn(app.baseUrl, '13900000031');
  residentName = (await app.db.collection('users').findOne({ phone: '13900000031' }))!.name as string;
  admin = await signIn(app.baseUrl, ADMIN);
});
afterAll(async () => {
  await app.stop();
});

describe('the project team over HTTP', () => {
  it('no phone number in the public project page, the team page or their data endpoints, for anyone who can open them', async () => {
    const project = `/competitions/${SLUG}/projects/${number}`;
    const publicPage = await (await get(project)).text();
    expect(publicPage).toContain('周督导');
    expect(publicPage).not.toMatch(PHONE);
    for (const cookie of [member, invitee, mentor, admin]) {
      for (const response of [await get(project, cookie), await dataOf(project, cookie), await get(teamPath(), cookie), await dataOf(teamPath(), cookie)]) {
        expect(response.status, response.url).toBe(200);
        const body = await response.text();
        // The page's own data is in it (an empty answer would pass the next check whatever leaked).
        expect(body, response.url).toContain(title);
        expect(body, response.url).not.toMatch(PHONE);
      }
    }
  });

  it('a resident of no team gets 404 from the team page, its data endpoint and a post, with nothing written', async () => {
    const before = await countAll(app.db);
    expect((await get(teamPath(), resident)).status).toBe(404);
    // The team's data holds its members for the team, so their absence below means something.
    expect(await (await dataOf(teamPath(), member)).text()).toContain('"members"');
    const data = await dataOf(teamPath(), resident);
    expect(data.status).toBe(404);
    const body = await data.text();
    expect(body).toContain(residentName);
    expect(body).not.toContain('"members"');
    expect(body).not.toContain(title);
    expect((await post(teamPath(), resident, { intent: 'invite', phone: '13900000050' })).status).toBe(404);
    expect(await countAll(app.db)).toEqual(before);
  });

  it('the inviter learns nothing about whether a number has an account: the same answer, and the same page after', async () => {
    const pageBefore = await (await get(teamPath(), member)).text();
    const known = await post(teamPath(), member, { intent: 'invite', phone: '13900000050' });
    const afterKnown = await (await get(teamPath(), member)).text();
    const unknown = await post(teamPath(), member, { intent: 'invite', phone: '13800009999' });
    const afterUnknown = await (await get(teamPath(), member)).text();
    expect([known.status, unknown.status]).toEqual([303, 303]);
    expect(unknown.headers.get('location')).toBe(known.headers.get('location'));
    expect(unknown.headers.getSetCookie()).toEqual(known.headers.getSetCookie());
    // Each invitation adds one row that reads the same (who sent it, when, until when).
    const rows = (html: string) => html.match(/value="cancel"/g)?.length ?? 0;
    expect(rows(afterKnown)).toBe(rows(pageBefore) + 1);
    expect(rows(afterUnknown)).toBe(rows(afterKnown) + 1);
    for (const html of [afterKnown, afterUnknown]) expect(html).not.toMatch(PHONE);
    // No number is stored, not even in the audit log.
    const stored = JSON.stringify(await app.db.collection('teaminvitations').find({}).toArray()) + JSON.stringify(await app.db.collection('auditlogs').find({ action: /^team\./ }).toArray());
    expect(stored).not.toContain('13900000050');
    expect(stored).not.toContain('13800009999');
  });

  it('the invitee sees the invitation; once declined it cannot be accepted, and the page closes', async () => {
    const html = await (await get(teamPath(), invitee)).text();
    const id = /name="invitationId" value="([0-9a-f]{24})"/.exec(html)?.[1];
    const round = /name="round" value="(\d+)"/.exec(html)?.[1];
    expect(id).toBeTruthy();
    expect(html).toContain('value="accept"');
    expect((await post(teamPath(), invitee, { intent: 'decline', invitationId: id!, round: round! })).status).toBe(303);
    expect((await post(teamPath(), invitee, { intent: 'accept', invitationId: id!, round: round! })).status).toBe(404);
    expect((await get(teamPath(), invitee)).status).toBe(404);
    const project = await app.db.collection('projects').findOne({ competition: competitionId, number });
    expect((project!.team as Types.ObjectId[]).map(String)).not.toContain(inviteeId);
  });

  it('the mentor reads the plan page and cannot write to it or to the team', async () => {
    const plan = `/competitions/${SLUG}/projects/${number}/plan`;
    expect((await get(plan, mentor)).status).toBe(200);
    const before = await countAll(app.db);
    expect((await post(plan, mentor, 'intent=save&milestones[0].title=x&milestones[0].dueDate=2027-01-01&milestones[0].tranche=1&milestones[0].weight=1')).status).toBe(403);
    expect((await post(plan, mentor, { intent: 'approve', revision: '0', confirm: 'yes' })).status).toBe(403);
    expect((await post(teamPath(), mentor, { intent: 'invite', phone: '13900000051' })).status).toBe(403);
    expect(await countAll(app.db)).toEqual(before);
  });

  it('hostile bodies are refused with 400 and change nothing', async () => {
    const before = await countAll(app.db);
    for (const body of [
      'intent=__proto__',
      'intent=invite&phone[$gt]=',
      `intent=invite&phone=${'1'.repeat(5000)}`,
      'intent=cancel&invitationId[$ne]=x',
      'intent=mentor&mentorId=abc&current=',
      'intent=remove&memberId=abc&reason=x&confirm=yes',
    ]) {
      const response = await post(teamPath(), admin, body);
      expect(response.status, body.slice(0, 60)).toBe(400);
    }
    expect(await countAll(app.db)).toEqual(before);
  });
});
