import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '~/utils/dates';
import { ADMIN, countAll, DEMO_SLUG, raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The admin-only correction of a frozen competition setting (issue 11, finding 4) through the
 * built server: a committee member's session, or a forged one, posting the correction to the
 * manage page or its Remix data URL writes nothing; an admin's correction is shown on the public
 * competition page.
 */
const COMMITTEE = 'committee@demo.laoshanxing.cn';
const MANAGE = `/competitions/${DEMO_SLUG}/manage`;
const REASON = '录入时把结束日期填早了一天，按会议纪要更正。';

let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp('corrections');
});
afterAll(async () => {
  await app?.stop();
});

function post(url: string, cookie: string, fields: Record<string, string>) {
  const body = new URLSearchParams(fields).toString();
  return raw(app.baseUrl, url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), Cookie: cookie },
    body,
  });
}

/** The demo competition's running phase, and a correction of its end by one day. */
async function correctionOfTheRunningPhase(): Promise<Record<string, string>> {
  const competition = await app.db.collection('competitions').findOne({ slug: DEMO_SLUG });
  const now = new Date();
  const running = (competition?.phases as { key: string; startsAt: Date; endsAt: Date }[]).find((p) => p.startsAt <= now && now < p.endsAt && p.key !== 'closed');
  if (!running) throw new Error('the demo competition has no running phase to correct');
  return { intent: 'correct', setting: `end:${running.key}`, day: shanghaiDay(running.endsAt.getTime() + 86_400_000), reason: REASON, understood: 'on' };
}

async function state() {
  return { counts: await countAll(app.db), competition: await app.db.collection('competitions').findOne({ slug: DEMO_SLUG }) };
}

describe('correcting a frozen setting through the server', () => {
  it("a committee member's real session gets 403 at the page and at its data URL, and nothing is written", async () => {
    const cookie = await signIn(app.baseUrl, COMMITTEE);
    const fields = await correctionOfTheRunningPhase();
    const before = await state();
    for (const url of [MANAGE, `${MANAGE}.data`]) {
      expect((await post(url, cookie, fields)).status, url).toBe(403);
      expect((await post(url, cookie, { ...fields, setting: 'budget', budget: '9000000' })).status, url).toBe(403);
    }
    expect(await state()).toEqual(before);
  });

  it("a forged session (an admin's cookie with another signature, or a made-up id) is not signed in, and nothing is written", async () => {
    const admin = await signIn(app.baseUrl, ADMIN);
    const [name, value] = admin.split(';')[0]!.split('=') as [string, string];
    const forged = [`${name}=${value.slice(0, -4)}AAAA`, `${name}=${encodeURIComponent('s:' + 'f'.repeat(64) + '.forged')}`];
    const fields = await correctionOfTheRunningPhase();
    const before = await state();
    for (const cookie of forged) {
      const response = await post(MANAGE, cookie, fields);
      expect(response.status, cookie).toBe(302);
      expect(response.headers.location, cookie).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await state()).toEqual(before);
  });

  it("an admin's correction is saved and shown on the public competition page", async () => {
    const cookie = await signIn(app.baseUrl, ADMIN);
    const fields = await correctionOfTheRunningPhase();
    const form = await raw(app.baseUrl, `${MANAGE}?correct=${fields.setting}`, { headers: { Cookie: cookie } });
    expect(form.status).toBe(200);
    expect(form.body).toMatch(/<input[^>]*name="understood"/);
    expect(form.body).not.toMatch(/<input[^>]*name="understood"[^>]*checked/);
    const response = await post(MANAGE, cookie, fields);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(MANAGE);
    const page = await raw(app.baseUrl, `/competitions/${DEMO_SLUG}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(REASON);
    expect(await app.db.collection('auditlogs').countDocuments({ action: 'competition.corrected', reason: REASON })).toBe(1);
  });
});
