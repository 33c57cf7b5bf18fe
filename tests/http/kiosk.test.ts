import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, signIn, startHttpApp, type HttpApp } from './app';

/**
 * Kiosk mode through the built server (decision 032): the device token's cookie, the caching of
 * every page a kiosk shows, and the refusal of a token that is revoked or made up.
 */
const WORKER = 'grid.zhonghan@demo.laoshanxing.cn';
const OTHER_WORKER = 'grid.beizhai@demo.laoshanxing.cn';

let app: HttpApp;
let kioskCookie = '';
let kioskSetCookie = '';
let enrolAnswer: { status: number; location: string | null; setCookies: string[] };

const cookiePair = (line: string) => line.split(';')[0]!;

async function enrol(worker: string, name: string) {
  const cookie = await signIn(app.baseUrl, worker);
  const street = await app.db.collection('streets').findOne({ code: worker.split('.')[1]!.split('@')[0] });
  const response = await fetch(`${app.baseUrl}/kiosks`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ intent: 'enrol', street: String(street!._id), name }),
  });
  return { status: response.status, location: response.headers.get('location'), setCookies: response.headers.getSetCookie() };
}

const sendCode = (cookie: string) =>
  raw(app.baseUrl, '/kiosk?index', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=send&phone=13900000012' });

beforeAll(async () => {
  app = await startHttpApp('kiosk');
  enrolAnswer = await enrol(WORKER, 'HTTP 测试平板');
  kioskSetCookie = enrolAnswer.setCookies.find((line) => line.startsWith('lsx_kiosk='))!;
  kioskCookie = cookiePair(kioskSetCookie);
});

afterAll(async () => {
  await app?.stop();
});

describe('the kiosk device cookie', () => {
  it('is HttpOnly and SameSite=Strict, and enrolling clears the enroller’s session on the device', () => {
    expect(enrolAnswer.status).toBe(303);
    expect(enrolAnswer.location).toBe('/kiosk');
    expect(kioskSetCookie).toMatch(/;\s*HttpOnly/i);
    expect(kioskSetCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(kioskSetCookie).toMatch(/;\s*Path=\//i);
    const session = enrolAnswer.setCookies.find((line) => line.startsWith('lsx_session='));
    expect(session).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });
});

describe('what a kiosk shows is never stored', () => {
  it.each(['/kiosk', '/kiosk.data', '/kiosk/done?act=ballot', '/kiosk/done.data?act=ballot', '/needs', '/needs.data', '/competitions/2026-laoshanxing', '/competitions/2026-laoshanxing.data'])(
    '%s answers the kiosk with no-store',
    async (path) => {
      const response = await raw(app.baseUrl, path, { headers: { cookie: kioskCookie } });
      expect(response.status).toBe(200);
      expect(String(response.headers['cache-control'])).toMatch(/\bno-store\b/);
    },
  );

  it('the start screen offers no password sign-in: /login sends the kiosk to its start screen', async () => {
    const response = await raw(app.baseUrl, '/login', { headers: { cookie: kioskCookie } });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/kiosk');
    const start = await raw(app.baseUrl, '/kiosk', { headers: { cookie: kioskCookie } });
    expect(start.body).toContain('data-testid="kiosk-start"');
    expect(start.body).not.toContain('name="password"');
  });
});

describe('a token that is not a live kiosk’s', () => {
  it('a made-up token is refused', async () => {
    const forged = `lsx_kiosk=${Buffer.from(JSON.stringify('A'.repeat(43))).toString('base64')}`;
    expect((await sendCode(forged)).status).toBe(403);
    expect((await sendCode('lsx_kiosk=garbage')).status).toBe(403);
  });

  it('a revoked token is refused, where it was accepted before', async () => {
    const own = await enrol(WORKER, 'HTTP 待收回平板');
    const cookie = cookiePair(own.setCookies.find((line) => line.startsWith('lsx_kiosk='))!);
    expect((await sendCode(cookie)).status).toBe(200);
    // A worker of another street cannot revoke it; the street's own worker can.
    const kiosk = await app.db.collection('kiosks').findOne({ name: 'HTTP 待收回平板' });
    const revoke = async (worker: string) =>
      fetch(`${app.baseUrl}/kiosks`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: await signIn(app.baseUrl, worker), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'revoke', kiosk: String(kiosk!._id), confirm: 'yes' }),
      });
    expect((await revoke(OTHER_WORKER)).status).toBe(404);
    expect((await sendCode(cookie)).status).toBe(200);
    expect((await revoke(WORKER)).status).toBe(303);
    expect((await sendCode(cookie)).status).toBe(403);
  });
});
