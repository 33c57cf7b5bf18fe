import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Project } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { action as loginAction } from '~/routes/login/route';
import { loader as bundleLoader } from '~/routes/competitions.$slug.notices[.]pdf/route';
import { loader as proposalNoticeLoader } from '~/routes/competitions.$slug.proposals.$number.notice[.]pdf/route';
import { loader as projectNoticeLoader } from '~/routes/competitions.$slug.projects.$number_.notice[.]pdf/route';
import { loader as shortProposalLoader } from '~/routes/p.$slug.$number/route';
import { loader as shortProjectLoader } from '~/routes/x.$slug.$number/route';
import { action as textSizeAction } from '~/routes/text-size/route';
import { call, CookieJar, formRequest, getRequest } from '../support/http';

/** Printable notices, short addresses and the large-type switch (issue 18, decision 033). */

const slug = 'notices-2026';
const otherSlug = 'notices-other';
let streetCode = '';
let submitted = 0;
let draft = 0;
let withdrawn = 0;
const jars: Record<string, CookieJar> = {};

async function signIn(email: string): Promise<CookieJar> {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  return new CookieJar().take(outcome.headers);
}

beforeAll(async () => {
  const street = await createStreet();
  const otherStreet = await createStreet();
  streetCode = street.code;
  const community = await createCommunity({ street: street._id });
  // In the vote now: the street's bundle shows the eligible proposals.
  const competition = await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 62 * 86_400_000)) });
  const other = await createCompetition({ slug: otherSlug });
  const author = await createUser({ email: 'notices-author@example.test', street: street._id, community: community._id });
  submitted = (await insertProposal({ competition: competition._id, author: author._id, status: 'eligible', street: street._id, community: community._id, title: '长者助餐点' })).number;
  draft = (await insertProposal({ competition: competition._id, author: author._id, status: 'draft' })).number;
  withdrawn = (await insertProposal({ competition: competition._id, author: author._id, status: 'withdrawn', street: street._id })).number;
  await Project.create({ competition: competition._id, fundedFen: 50_000_00, approvedBudgetFen: 50_000_00, summary: '', proposedOrganizationName: '', proposal: new Types.ObjectId(), proposalNumber: submitted, number: 1, title: '儿童图书角', team: [], street: street._id });
  const people = {
    worker: [grant('resident'), grant('gridWorker', 'street', street._id)],
    workerOther: [grant('resident'), grant('gridWorker', 'street', otherStreet._id)],
    committee: [grant('resident'), grant('committee', 'competition', competition._id)],
    committeeOther: [grant('resident'), grant('committee', 'competition', other._id)],
  };
  for (const [name, roles] of Object.entries(people)) {
    await createUser({ email: `notices-${name}@example.test`, roles });
    jars[name] = await signIn(`notices-${name}@example.test`);
  }
  jars.author = await signIn('notices-author@example.test');
});

function bundle(jar: CookieJar | undefined, street = streetCode, competition = slug) {
  return call(bundleLoader, getRequest(`/competitions/${competition}/notices.pdf?street=${street}`, { jar }), { slug: competition });
}

describe("a street's notices in one PDF", () => {
  it("is made for the competition's committee and the street's grid worker", async () => {
    for (const who of ['committee', 'worker']) {
      const outcome = await bundle(jars[who]);
      expect(outcome.status, who).toBe(200);
      expect(outcome.headers.get('Content-Type')).toBe('application/pdf');
      expect(outcome.headers.get('Cache-Control')).toBe('private, no-store');
    }
  });

  it('is refused to a grid worker of another street and a committee of another competition', async () => {
    expect((await bundle(jars.workerOther)).status).toBe(403);
    expect((await bundle(jars.committeeOther)).status).toBe(403);
    // The other competition's committee gets its own competition's bundle, never this one's.
    expect((await bundle(jars.committeeOther, streetCode, otherSlug)).status).toBe(200);
    expect((await bundle(undefined)).status).toBe(401);
  });

  it('is a 404 for a street that does not exist', async () => {
    expect((await bundle(jars.committee, 'no-such-street')).status).toBe(404);
  });
});

describe("a proposal's notice", () => {
  const notice = (number: number, jar?: CookieJar) =>
    call(proposalNoticeLoader, getRequest(`/competitions/${slug}/proposals/${number}/notice.pdf`, { jar }), { slug, number: String(number) });

  it('is a PDF for a public proposal', async () => {
    const outcome = await notice(submitted);
    expect(outcome.status).toBe(200);
    expect(outcome.headers.get('Content-Type')).toBe('application/pdf');
  });

  it('is refused (404) for a draft and a withdrawn proposal, even to their author', async () => {
    for (const number of [draft, withdrawn]) {
      expect((await notice(number)).status, String(number)).toBe(404);
      expect((await notice(number, jars.author)).status, String(number)).toBe(404);
    }
  });

  it("a project's notice is a PDF, and a 404 for a number that is not a project", async () => {
    const ok = await call(projectNoticeLoader, getRequest(`/competitions/${slug}/projects/1/notice.pdf`), { slug, number: '1' });
    expect(ok.status).toBe(200);
    const missing = await call(projectNoticeLoader, getRequest(`/competitions/${slug}/projects/9/notice.pdf`), { slug, number: '9' });
    expect(missing.status).toBe(404);
  });
});

describe('short addresses', () => {
  it("redirect only to the app's own page of that proposal or project", async () => {
    const proposal = await call(shortProposalLoader, getRequest(`/p/${slug}/${submitted}`), { slug, number: String(submitted) });
    expect(proposal.status).toBe(301);
    expect(proposal.location).toBe(`/competitions/${slug}/proposals/${submitted}`);
    const project = await call(shortProjectLoader, getRequest(`/x/${slug}/1`), { slug, number: '1' });
    expect(project.location).toBe(`/competitions/${slug}/projects/1`);
  });

  it('never redirect anywhere for anything else: a draft, an unknown competition, a crafted slug or number', async () => {
    const cases: Record<string, string>[] = [
      { slug, number: String(draft) },
      { slug: 'evil.com', number: String(submitted) },
      { slug: '/evil.com', number: String(submitted) },
      { slug, number: '//evil.com' },
      { slug, number: `${submitted}@evil.com` },
    ];
    for (const params of cases) {
      const outcome = await call(shortProposalLoader, getRequest('/p/x/1'), params);
      expect(outcome.status, JSON.stringify(params)).toBe(404);
      expect(outcome.location).toBeNull();
    }
  });
});

describe('the large-type switch without JavaScript', () => {
  const post = (fields: Record<string, string>) => call(textSizeAction, formRequest('/text-size', fields));

  it('sets the cookie and goes back to the page it came from', async () => {
    const outcome = await post({ size: 'large', redirectTo: `/competitions/${slug}/proposals/${submitted}?x=1` });
    expect(outcome.status).toBe(303);
    expect(outcome.location).toBe(`/competitions/${slug}/proposals/${submitted}?x=1`);
    expect(outcome.headers.getSetCookie()[0]).toMatch(/^lsx_type=large; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly$/);
  });

  it('clears the cookie when switched back', async () => {
    const outcome = await post({ size: 'normal', redirectTo: '/' });
    expect(outcome.headers.getSetCookie()[0]).toMatch(/^lsx_type=; .*Max-Age=0/);
  });

  it('returns to a same-origin path only: another site goes home', async () => {
    for (const redirectTo of ['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)', '/%2F%2Fevil.com']) {
      const outcome = await post({ size: 'large', redirectTo });
      expect(outcome.status, redirectTo).toBe(303);
      const location = outcome.location ?? '';
      expect(location.startsWith('/') && !location.startsWith('//'), `${redirectTo} -> ${location}`).toBe(true);
      expect(new URL(location, 'http://localhost').origin).toBe('http://localhost');
    }
    expect((await post({ size: 'large', redirectTo: '//evil.com' })).location).toBe('/');
    expect((await post({ size: 'large', redirectTo: 'https://evil.com' })).location).toBe('/');
  });

  it('refuses an unknown size', async () => {
    expect((await post({ size: 'huge' })).status).toBe(400);
  });
});
