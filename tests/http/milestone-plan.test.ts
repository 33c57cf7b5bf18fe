import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The plan page through the built server: a resident gets nothing of a plan by any door (the
 * page, the Remix data endpoint, a post), and hostile form bodies from someone allowed to post
 * are refused with 400, never a 500, with nothing written.
 */
const PLAN = '/competitions/2025-laoshanxing/projects/1/plan';
let app: HttpApp;
let resident: string;
let admin: string;

beforeAll(async () => {
  app = await startHttpApp('milestone_plan');
  resident = await signIn(app.baseUrl, '13900000031');
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
    const before = await countAll(app.db);
    for (const path of [PLAN, `${PLAN}?_data=routes/competitions.$slug.projects.$number_.plan`]) {
      const response = await fetch(`${app.baseUrl}${path}`, { headers: { cookie: resident }, redirect: 'manual' });
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('"versions"');
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
