import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAll, DEMO_SLUG, signIn, startHttpApp, type HttpApp } from './app';

/**
 * The paper-ballot form through the running server, as a browser without JavaScript posts it
 * (multipart, because of the consent photo): an assisted ballot without the resident's consent is
 * refused with 400 and its field errors, and nothing is written (issue 11, finding 3). The demo
 * competition is not voting yet, so the page shows no form; the errors are read at the data URL.
 */
let app: HttpApp;
let worker: string;
let residentId: string;
const page = `/competitions/${DEMO_SLUG}/vote/paper`;

beforeAll(async () => {
  app = await startHttpApp('paper_ballot');
  worker = await signIn(app.baseUrl, 'grid.zhonghan@demo.laoshanxing.cn');
  const resident = await app.db.collection('users').findOne({ 'roles.role': 'resident', email: { $exists: false } });
  residentId = String(resident!._id);
});
afterAll(async () => {
  await app.stop();
});

function post(url: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('consentForm', new File([], ''));
  return fetch(`${app.baseUrl}${url}`, { method: 'POST', redirect: 'manual', headers: { Cookie: worker }, body });
}

describe('the paper-ballot form over HTTP', () => {
  it('refuses an assisted ballot without consent with 400 and field errors, writing nothing', async () => {
    const before = await countAll(app.db);
    const fields = { residentId, channel: 'assisted', choice: '1', confirmed: 'on' };
    expect((await post(page, fields)).status).toBe(400);
    // The demo competition is not voting, so the page shows no form: read the errors from the data URL.
    const data = await post(`${page}.data`, fields);
    expect(data.status).toBe(400);
    const text = await data.text();
    expect(text).toContain('consentMethod');
    expect(text).toContain('consentOn');
    expect(await countAll(app.db)).toEqual(before);
  });

  it('refuses verbal consent without a witness at the page and at its data URL', async () => {
    const before = await countAll(app.db);
    const fields = { residentId, channel: 'assisted', consentMethod: 'verbalWitnessed', consentOn: '2026-11-20', choice: '1', confirmed: 'on' };
    expect((await post(page, fields)).status).toBe(400);
    const data = await post(`${page}.data`, fields);
    expect(data.status).toBe(400);
    expect(await data.text()).toContain('witnessRequired');
    expect(await countAll(app.db)).toEqual(before);
  });

  it('refuses a signed consent whose photo input was left empty, and nothing is stored', async () => {
    const before = await countAll(app.db);
    const fields = { residentId, channel: 'assisted', consentMethod: 'signedForm', consentOn: '2026-11-20', choice: '1', confirmed: 'on' };
    expect((await post(page, fields)).status).toBe(400);
    const data = await post(`${page}.data`, fields);
    expect(data.status).toBe(400);
    expect(await data.text()).toContain('consentFormRequired');
    expect(await countAll(app.db)).toEqual(before);
  });
});
