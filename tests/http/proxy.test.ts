import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SLUG, raw, startHttpApp, type HttpApp } from './app';

/**
 * What a client writes into X-Forwarded-* counts only as far as TRUST_PROXY says: with no proxy
 * trusted the address is the socket's; with one hop it is the one the balancer appended, never
 * what the client put before it. Per-IP login limits fire however the client forges the header,
 * share links and QR codes come from PUBLIC_ORIGIN whatever Host says, and the Origin check
 * compares scheme, host and port.
 */
const PUBLIC_ORIGIN = 'https://laoshanxing.example.cn';
const FORGED_HOST = 'evil.example';

let direct: HttpApp; // TRUST_PROXY=false: the test talks to the app directly
let behindBalancer: HttpApp; // TRUST_PROXY=1: the test plays the balancer on 127.0.0.1
let behindListed: HttpApp; // TRUST_PROXY=<addresses>: the balancers by address

beforeAll(async () => {
  [direct, behindBalancer, behindListed] = await Promise.all([
    startHttpApp('proxy_direct', { TRUST_PROXY: 'false' }),
    startHttpApp('proxy_hop', { TRUST_PROXY: '1', PUBLIC_ORIGIN }),
    startHttpApp('proxy_list', { TRUST_PROXY: 'loopback, 10.0.0.0/8' }),
  ]);
});
afterAll(async () => {
  await Promise.all([direct?.stop(), behindBalancer?.stop(), behindListed?.stop()]);
});

async function failedLogin(app: HttpApp, index: number, forwardedFor: string): Promise<number> {
  const response = await raw(app.baseUrl, '/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': forwardedFor },
    // A different unknown account each time: only the per-IP limit can stop these.
    body: new URLSearchParams({ identifier: `nobody${index}@example.cn`, password: 'wrong-password' }).toString(),
  });
  return response.status;
}

async function ipKeys(app: HttpApp): Promise<string[]> {
  const rows = await app.db.collection('ratelimits').find({ key: { $regex: '^login:ip:' } }).toArray();
  return rows.map((row) => String(row.key)).sort();
}

describe('forwarded addresses', () => {
  it('with TRUST_PROXY=false ignores X-Forwarded-For: the limit of 50 per IP fires however it is forged', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push(await failedLogin(direct, i, `198.51.100.${i + 1}`));
    expect(statuses.slice(0, 50).every((status) => status === 400)).toBe(true);
    expect(statuses[50]).toBe(429);
    expect(await ipKeys(direct)).toEqual(['login:ip:127.0.0.1']);
  });

  it('with one trusted hop takes the address the balancer appended, not the one the client wrote', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push(await failedLogin(behindBalancer, i, `198.51.100.${i + 1}, 203.0.113.9`));
    expect(statuses.slice(0, 50).every((status) => status === 400)).toBe(true);
    expect(statuses[50]).toBe(429);
    // Another client behind the same balancer is not caught by the first one's limit.
    expect(await failedLogin(behindBalancer, 99, '203.0.113.10')).toBe(400);
    expect(await ipKeys(behindBalancer)).toEqual(['login:ip:203.0.113.10', 'login:ip:203.0.113.9']);
  });

  it('with the balancers listed by address takes the first address that is not one of them', async () => {
    // The client forged 198.51.100.1; the outer balancer saw 203.0.113.20; an inner one (10.1.2.3)
    // passed it on to the app over loopback.
    expect(await failedLogin(behindListed, 0, '198.51.100.1, 203.0.113.20, 10.1.2.3')).toBe(400);
    expect(await ipKeys(behindListed)).toEqual(['login:ip:203.0.113.20']);
  });
});

describe('share links and QR codes', () => {
  async function submittedProposal(app: HttpApp): Promise<number> {
    const competition = await app.db.collection('competitions').findOne({ slug: DEMO_SLUG });
    const proposal = await app.db.collection('proposals').findOne({ competition: competition?._id, status: 'submitted' }, { sort: { number: 1 } });
    if (!proposal) throw new Error('the demo data has no submitted proposal');
    return Number(proposal.number);
  }
  const forged = { Host: FORGED_HOST, 'X-Forwarded-Host': FORGED_HOST, 'X-Forwarded-Proto': 'http' };

  for (const [name, app, origin] of [
    ['behind the balancer', () => behindBalancer, () => PUBLIC_ORIGIN],
    ['served directly', () => direct, () => direct.baseUrl],
  ] as const) {
    it(`are built from PUBLIC_ORIGIN whatever Host and X-Forwarded-Host say (${name})`, async () => {
      const number = await submittedProposal(app());
      const path = `/competitions/${DEMO_SLUG}/proposals/${number}`;
      const expected = `${origin()}${path}`;
      const page = await raw(app().baseUrl, path, { headers: forged });
      expect(page.status).toBe(200);
      expect(page.body).toContain(`value="${expected}"`);
      expect(page.body).not.toContain(FORGED_HOST);

      const qr = await raw(app().baseUrl, `${path}/qr.svg`, { headers: forged });
      expect(qr.status).toBe(200);
      const svg = await QRCode.toString(expected, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#0c564a', light: '#ffffff' } });
      expect(qr.body).toBe(svg);
    });
  }
});

describe('the Origin check', () => {
  async function post(app: HttpApp, headers: Record<string, string>): Promise<number> {
    // An unknown language: the action refuses it with 400 without writing anything.
    const response = await raw(app.baseUrl, '/set-language', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: 'language=xx',
    });
    return response.status;
  }

  it('compares the scheme too: a page on https:// is not the http:// site, nor the other way round', async () => {
    const own = new URL(direct.baseUrl);
    expect(await post(direct, { Origin: direct.baseUrl })).toBe(400);
    expect(await post(direct, { Origin: `https://${own.host}` })).toBe(403);
    expect(await post(direct, { Referer: `https://${own.host}/login` })).toBe(403);
    expect(await post(direct, { Origin: `http://${own.hostname}:1` })).toBe(403);
  });

  it('behind the balancer accepts PUBLIC_ORIGIN and the forwarded scheme, nothing else', async () => {
    const host = new URL(PUBLIC_ORIGIN).host;
    expect(await post(behindBalancer, { Origin: PUBLIC_ORIGIN, Host: host, 'X-Forwarded-Proto': 'https' })).toBe(400);
    expect(await post(behindBalancer, { Origin: `http://${host}`, Host: host, 'X-Forwarded-Proto': 'https' })).toBe(403);
    expect(await post(behindBalancer, { Origin: `https://${host}:8443`, Host: host, 'X-Forwarded-Proto': 'https' })).toBe(403);
  });
});
