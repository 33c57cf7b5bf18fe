import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MENTOR_EMAIL } from '#seeds/data';
import { countAll, signIn, startHttpApp, type HttpApp } from './app';

/**
 * Milestone reports through the built server, on the demo's 2025 story (decision 024): no
 * receipt, payee or review comment reaches a public page, its single-fetch data (`<path>.data`)
 * or another project's team; receipts open only for the team, mentor and committee; the report page is
 * 404 to everyone else; a refused write through HTTP (as a resident, as another team, with a
 * JSON or a hostile body) changes nothing and is never a 500.
 */
const SLUG = '2025-laoshanxing';
let app: HttpApp;
let projectNumber: number;
let milestone: string;
let receipts: string[];
let payees: string[];
/** A committee's review comment on the report: what only the team, the mentor and the committee read. */
const REVIEW_COMMENT = '第二张收据的金额与明细不符，请核对后重新上传';
/** The 2025 projects' titles, by number: what their public pages and data do show. */
let titles: Map<number, string>;
let committee: string;
let mentor: string;
let resident: string;
let otherTeam: string;
let team: string;

const get = (path: string, cookie = '') => fetch(`${app.baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const post = (path: string, cookie: string, body: string, type = 'application/x-www-form-urlencoded') =>
  fetch(`${app.baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': type }, body });

beforeAll(async () => {
  app = await startHttpApp('milestone_reports');
  const competition = await app.db.collection('competitions').findOne({ slug: SLUG });
  const competitionId = competition!._id;
  // The demo project whose approved first report has a held line (and real payees).
  const reports = await app.db.collection('milestonereports').find({ competition: competitionId }).toArray();
  const held = reports.find((r) => (r.expenses as { held: boolean }[]).some((e) => e.held))!;
  const project = (await app.db.collection('projects').findOne({ _id: held.project as Types.ObjectId }))!;
  projectNumber = project.number as number;
  milestone = String(held.milestone);
  payees = [...new Set(reports.flatMap((r) => (r.expenses as { payee: string }[]).map((e) => e.payee)))];
  titles = new Map((await app.db.collection('projects').find({ competition: competitionId }).toArray()).map((p) => [p.number as number, p.title as string]));
  // Give one line a receipt through the database, as the form's upload would (the file itself is a stored private image).
  const photo = (held.photos as { fileId: string }[])[0]!.fileId;
  receipts = [photo];
  // And a committee review with a comment on its expenses (the demo's approved reports carry none).
  await app.db.collection('milestonereports').updateOne(
    { _id: held._id },
    {
      $set: { 'expenses.0.receiptFileId': photo, photos: [] },
      $push: { reviews: { $each: [{ decision: 'changesRequested', comments: { expenses: REVIEW_COMMENT }, by: (project.team as Types.ObjectId[])[0], at: new Date('2025-06-01T02:00:00Z') }], $position: 0 } },
    } as never,
  );
  const users = app.db.collection('users');
  const signer = async (ids: Types.ObjectId[]) => (await users.findOne({ _id: { $in: ids }, passwordHash: { $exists: true }, phone: { $exists: true } }))?.phone as string | undefined;
  team = await signIn(app.baseUrl, (await signer(project.team as Types.ObjectId[]))!);
  const other = await app.db.collection('projects').findOne({ competition: competitionId, _id: { $ne: project._id } });
  otherTeam = await signIn(app.baseUrl, (await signer(other!.team as Types.ObjectId[]))!);
  committee = await signIn(app.baseUrl, 'committee@demo.laoshanxing.cn');
  mentor = await signIn(app.baseUrl, DEMO_MENTOR_EMAIL);
  resident = await signIn(app.baseUrl, '13900000031');
});
afterAll(async () => {
  await app?.stop();
});

describe('milestone reports over HTTP', () => {
  it('never shows receipts, payees or reviews on public pages or their data', async () => {
    // Each page with a project title it shows: proof that the answer holds the page's data.
    const pages: [string, string][] = [[`/competitions/${SLUG}/projects`, titles.get(1)!], ...[1, 2, 3, 4].map((n): [string, string] => [`/competitions/${SLUG}/projects/${n}`, titles.get(n)!])];
    for (const [path, title] of pages) {
      for (const cookie of ['', resident, otherTeam]) {
        const html = await (await get(path, cookie)).text();
        const data = await (await get(`${path}.data`, cookie)).text();
        for (const text of [html, data]) {
          expect(text, path).toContain(title);
          for (const receipt of receipts) expect(text, path).not.toContain(receipt);
          for (const payee of payees) expect(text, `${path} ${payee}`).not.toContain(payee);
          expect(text, path).not.toContain(REVIEW_COMMENT);
        }
      }
    }
  });

  it('opens the report page and its receipt only for the team, the mentor and the committee', async () => {
    const page = `/competitions/${SLUG}/projects/${projectNumber}/milestones/${milestone}`;
    for (const cookie of [team, mentor, committee]) {
      const answer = await get(page, cookie);
      expect(answer.status).toBe(200);
      // The review's comment is there for them: the public pages' absence of it above means something.
      expect(await answer.text()).toContain(REVIEW_COMMENT);
      const receipt = await get(`/uploads/${receipts[0]}`, cookie);
      expect(receipt.status).toBe(200);
      expect(receipt.headers.get('cache-control')).toBe('private, no-store');
    }
    for (const cookie of [resident, otherTeam]) {
      expect((await get(page, cookie)).status).toBe(404);
      expect((await get(`/uploads/${receipts[0]}`, cookie)).status).toBe(404);
    }
    expect((await get(`/uploads/${receipts[0]}`)).status).toBe(404);
    expect((await get(page)).status).toBe(302);
  });

  it('refuses writes from others and hostile bodies without a 500, changing nothing', async () => {
    const page = `/competitions/${SLUG}/projects/${projectNumber}/milestones/${milestone}`;
    const before = await countAll(app.db);
    const reportBefore = await app.db.collection('milestonereports').findOne({ milestone: { $exists: true }, _id: { $exists: true } }, { sort: { _id: 1 } });
    for (const [cookie, status] of [
      [resident, 404],
      [otherTeam, 404],
      [mentor, 403],
    ] as const) {
      for (const body of ['intent=approve&revision=0&confirm=yes', 'intent=save&revision=&narrative=x', 'intent=release&expenseId=0123456789abcdef01234567&reason=x&confirm=yes']) {
        expect((await post(page, cookie, body)).status, body).toBe(status);
      }
    }
    for (const [body, type] of [
      ['{"intent":"approve"}', 'application/json'],
      ['intent=save&revision=0&expenses[99999].amount=1', 'application/x-www-form-urlencoded'],
      ['--x\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave', 'multipart/form-data; boundary=x'],
      ['intent=approve&revision=abc', 'application/x-www-form-urlencoded'],
    ] as const) {
      const answer = await post(page, committee, body, type);
      expect(answer.status, body).toBeGreaterThanOrEqual(400);
      expect(answer.status, body).toBeLessThan(500);
    }
    expect(await countAll(app.db)).toEqual(before);
    expect(await app.db.collection('milestonereports').findOne({ _id: reportBefore!._id })).toEqual(reportBefore);
  });
});
