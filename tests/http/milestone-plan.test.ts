import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The plan page through the built server: a resident gets nothing of a plan by any door (the
 * page, its single-fetch data at `<path>.data`, a post), and hostile form bodies from someone
 * allowed to post are refused with 400, never a 500, with nothing written.
 */
const PLAN = '/competitions/2025-laoshanxing/projects/1/plan';
// Where single fetch serves the page's loader data (turbo-stream: keys appear as quoted strings).
const PLAN_DATA = `${PLAN}.data`;
let app: HttpApp;
let resident: string;
let residentName: string;
let admin: string;

beforeAll(async () => {
  app = await startHttpApp('milestone_plan');
  resident = await signIn(app.baseUrl, '13900000031');
  residentName = (await app.db.collection('users').findOne({ phone: '13900000031' }))!.name as string;
  admin = await signIn(app.baseUrl, ADMIN);
});
afterAll(async () => {
  await app.stop();
});

const post = (cookie: string, body: string, query = '') =>
  fetch(`${app.baseUrl}${PLAN}${query}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('the milestone plan over HTTP', () => {
  it('a visitor is sent to sign in; a resident gets 404 from the page, the data endpoint and a post', async () => {
    const anonymous = await fetch(`${app.baseUrl}${PLAN}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?/);
    // Single fetch's redirect, as data: to the login page and nothing else.
    const anonymousData = await fetch(`${app.baseUrl}${PLAN_DATA}`, { redirect: 'manual' });
    expect(anonymousData.status).toBe(202);
    const redirect = await anonymousData.text();
    expect(redirect).toContain('"/login?redirectTo=');
    expect(redirect).not.toContain('"versions"');
    // The data endpoint does carry the plan to someone allowed, so its absence below means something.
    const allowed = await fetch(`${app.baseUrl}${PLAN_DATA}`, { headers: { cookie: admin }, redirect: 'manual' });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('"versions"');
    const before = await countAll(app.db);
    for (const path of [PLAN, PLAN_DATA]) {
      const response = await fetch(`${app.baseUrl}${path}`, { headers: { cookie: resident }, redirect: 'manual' });
      expect(response.status, path).toBe(404);
      const body = await response.text();
      // An answer that would hold the plan if it leaked (the route's 404 beside the root's data), not an empty body.
      expect(body, path).toContain(residentName);
      expect(body, path).not.toContain('"versions"');
    }
    expect((await post(resident, 'intent=save&milestones[0].title=x&milestones[0].dueDate=2027-01-01&milestones[0].tranche=1&milestones[0].weight=1')).status).toBe(404);
    expect(await countAll(app.db)).toEqual(before);
  });

  it('the page itself renders for someone allowed (the admin): the plan form, not the project page', async () => {
    const response = await fetch(`${app.baseUrl}${PLAN}`, { headers: { cookie: admin }, redirect: 'manual' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('name="milestones[0].title"');
    expect(html).toContain('value="submit"');
  });

  it('hostile bodies are refused with 400 and change nothing', async () => {
    const before = await countAll(app.db);
    const bodies = [
      'intent=save&milestones[100000].title=x',
      `intent=save&${Array.from({ length: 30 }, (_, i) => `milestones[${i}].title=t&milestones[${i}].dueDate=2027-01-01&milestones[${i}].tranche=1&milestones[${i}].weight=1`).join('&')}`,
      'intent=save&milestones[0].title=x&milestones[0].dueDate=2027-01-01&milestones[0].tranche=-1&milestones[0].weight=1',
      'intent=save&milestones[0].title=x&milestones[0].dueDate=2027-01-01&milestones[0].tranche=1e9&milestones[0].weight=1e400',
      'intent=save&milestones[0][title][$gt]=&milestones[0].weight=1',
      'intent=save&milestones=abc',
      'intent=approve&revision=abc&confirm=yes',
      'intent=return&revision=0',
      'intent=__proto__',
    ];
    for (const body of bodies) {
      const response = await post(admin, body);
      expect(response.status, body.slice(0, 60)).toBe(400);
    }
    expect(await countAll(app.db)).toEqual(before);
  });
});
