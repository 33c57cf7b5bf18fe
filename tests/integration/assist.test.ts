import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AuditLog, Proposal, User } from '#models';
import { createCommunity, createCompetition, createStreet, createUser, grant, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as assistAction, loader as assistLoader } from '~/routes/assist/route';
import { action as claimAction } from '~/routes/claim/route';
import { loader as detailLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { action as newAction, loader as newLoader } from '~/routes/competitions.$slug.proposals.new/route';
import { action as loginAction } from '~/routes/login/route';
import { loader as profileLoader } from '~/routes/profile/route';
import { readImage } from '~/core/uploads.server';
import { call, CookieJar, formRequest, getRequest, multipartRequest } from '../support/http';
import { jpegWithGps } from '../support/images';

const DAY = 86_400_000;
type ClaimAnswer = { error: string | null; claim: { code: string; expiresAt: string; residentName: string; residentHint: string; slip: Record<string, string> } | null };
const slug = 'assist-2026';
let street: Types.ObjectId;
let community: Types.ObjectId;
let otherCommunity: Types.ObjectId;
let workerJar: CookieJar;
let otherWorkerJar: CookieJar;
let residentJar: CookieJar;

async function signIn(email: string) {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

function proposalFields(communityId: string, extra: Record<string, string> = {}) {
  return {
    intent: 'submit',
    title: '独居老人上门理发',
    summary: '每月组织志愿者上门为行动不便的老人理发。',
    category: 'elderly',
    communityId,
    'beneficiaries[0].group': 'elderlyAlone',
    'beneficiaries[0].count': '30',
    problem: '村里很多老人行动不便，去理发店很困难，头发长了也没人帮忙打理。',
    plan: '招募理发志愿者，每月一次上门，为老人理发并顺便聊天，了解他们的其他需要。',
    schedule: '每月第一个周六。',
    outcomes: '30位老人每月理发一次。',
    sustainability: '理发店认捐志愿时间。',
    'budget[0].item': '理发工具',
    'budget[0].quantity': '5',
    'budget[0].unitPrice': '1200',
    organizationKind: 'new',
    organizationName: '巧手理发志愿队',
    ...extra,
  };
}

async function registerOffline(jar: CookieJar, name: string, communityId: string, phone = '') {
  return call(assistAction, formRequest('/assist', { name, communityId, phone }, { jar }));
}

beforeAll(async () => {
  street = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  otherCommunity = (await createCommunity())._id;
  await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 3 * DAY)) });
  await createUser({ email: 'worker@example.test', roles: [grant('resident'), grant('gridWorker', 'street', street)] });
  await createUser({ email: 'other-worker@example.test', roles: [grant('resident'), grant('gridWorker', 'community', otherCommunity)] });
  await createUser({ email: 'plain@example.test' });
  workerJar = await signIn('worker@example.test');
  otherWorkerJar = await signIn('other-worker@example.test');
  residentJar = await signIn('plain@example.test');
});

describe('a grid worker registers residents without a phone', () => {
  it('registers one in their street, with no password, audited', async () => {
    const outcome = await registerOffline(workerJar, '孙桂兰', String(community));
    expect(outcome.status).toBe(200);
    const user = await User.findOne({ name: '孙桂兰' }).select('+passwordHash').lean();
    expect(user).toMatchObject({ community });
    expect(user?.passwordHash).toBeUndefined();
    expect(user?.roles.map((r) => r.role)).toEqual(['resident']);
    expect(await AuditLog.countDocuments({ action: 'resident.registeredOffline', targetId: String(user?._id) })).toBe(1);
  });

  it('cannot register anyone outside their area, and residents cannot use the page at all', async () => {
    expect((await registerOffline(workerJar, '外区居民', String(otherCommunity))).status).toBe(400);
    expect(await User.countDocuments({ name: '外区居民' })).toBe(0);
    expect((await call(assistLoader, getRequest('/assist', { jar: residentJar }))).status).toBe(403);
    expect((await registerOffline(residentJar, '冒充登记', String(community))).status).toBe(403);
    expect(await call(assistLoader, getRequest('/assist'))).toRedirectTo('/login?redirectTo=%2Fassist', 302);
  });

  it('shows a registered phone number in full only to the worker who registered it', async () => {
    await registerOffline(workerJar, '有手机的居民', String(community), '13711112222');
    const mine = await call<{ residents: { name: string; phone: string | null }[] }>(assistLoader, getRequest('/assist?q=有手机', { jar: workerJar }));
    expect(mine.data.residents).toEqual([expect.objectContaining({ name: '有手机的居民', phone: '13711112222' })]);
    const colleague = await createUser({ email: 'colleague@example.test', roles: [grant('resident'), grant('gridWorker', 'street', street)] });
    void colleague;
    const theirs = await call<{ residents: { phone: string | null }[] }>(assistLoader, getRequest('/assist?q=有手机', { jar: await signIn('colleague@example.test') }));
    expect(theirs.data.residents[0]?.phone).toBe('137****2222');
  });
});

describe('assisted submission', () => {
  it('submits for the resident with signed consent; the form photo stays private; the page credits the worker', async () => {
    const resident = await User.findOne({ name: '孙桂兰' }).lean();
    const url = `/competitions/${slug}/proposals/new?for=${String(resident!._id)}`;
    expect((await call(newLoader, getRequest(url, { jar: workerJar }), { slug })).status).toBe(200);
    const outcome = await call(
      newAction,
      multipartRequest(url, proposalFields(String(community), { consentMethod: 'signedForm', consentOn: '2026-11-20' }), [
        { name: 'consentForm', filename: 'consent.jpg', type: 'image/jpeg', data: await jpegWithGps() },
      ], { jar: workerJar }),
      { slug },
    );
    expect(outcome.status).toBe(303);
    const proposal = await Proposal.findOne({ title: '独居老人上门理发' }).lean();
    expect(proposal?.authors.map(String)).toEqual([String(resident!._id)]);
    expect(proposal?.assisted?.consent).toMatchObject({ method: 'signedForm' });
    expect(proposal?.assisted?.consent?.at?.toISOString()).toBe('2026-11-20T04:00:00.000Z');
    const form = await readImage(proposal!.assisted!.consent!.formFileId!, 'full');
    expect(form?.visibility).toBe('private');

    const page = await call<{ proposal: { assistedBy: string | null; authors: string[] } }>(
      detailLoader,
      getRequest(`/competitions/${slug}/proposals/${proposal!.number}`),
      { slug, number: String(proposal!.number) },
    );
    expect(page.data.proposal.authors).toEqual(['孙桂兰']);
    const worker = await User.findOne({ email: 'worker@example.test' }).lean();
    expect(page.data.proposal.assistedBy).toBe(worker!.name);
    expect(JSON.stringify(page.data)).not.toContain('consent.jpg');
  });

  it('refuses a submission without consent, or verbal consent without a witness, and saves nothing', async () => {
    const resident = await User.findOne({ name: '孙桂兰' }).lean();
    const url = `/competitions/${slug}/proposals/new?for=${String(resident!._id)}`;
    const before = await Proposal.countDocuments();
    const none = await call(newAction, formRequest(url, proposalFields(String(community), { title: '没有同意' }), { jar: workerJar }), { slug });
    expect(none.status).toBe(400);
    const verbal = await call(
      newAction,
      formRequest(url, proposalFields(String(community), { consentMethod: 'verbalWitnessed', consentOn: '2026-11-20' }), { jar: workerJar }),
      { slug },
    );
    expect(verbal.status).toBe(400);
    expect(verbal.data).toMatchObject({ result: { error: { consentWitness: ['witnessRequired'] } } });
    expect(await Proposal.countDocuments()).toBe(before);
  });

  it('a worker of another area, or a plain resident, cannot submit for this resident', async () => {
    const resident = await User.findOne({ name: '孙桂兰' }).lean();
    const url = `/competitions/${slug}/proposals/new?for=${String(resident!._id)}`;
    const fields = proposalFields(String(community), { consentMethod: 'signedForm', consentOn: '2026-11-20', title: '越权代提' });
    expect((await call(newAction, formRequest(url, fields, { jar: otherWorkerJar }), { slug })).status).toBe(403);
    expect((await call(newAction, formRequest(url, fields, { jar: residentJar }), { slug })).status).toBe(403);
    expect(await Proposal.countDocuments({ title: '越权代提' })).toBe(0);
  });
});

describe('the resident claims the account', () => {
  it('with the one-time code: sets a phone and password, is signed in, and the code works only once', async () => {
    const resident = await User.findOne({ name: '孙桂兰' }).lean();
    const issued = await call<ClaimAnswer>(assistAction, formRequest('/assist', { intent: 'claimCode', residentId: String(resident!._id) }, { jar: workerJar }));
    const code = issued.data.claim!.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const stored = await User.findById(resident!._id).lean();
    expect(stored?.claim?.codeHash).not.toContain(code.replace('-', ''));

    const fields = { code: code.toLowerCase(), identifier: '13722223333', password: 'my-own-password-1', confirmPassword: 'my-own-password-1' };
    const claimed = await call(claimAction, formRequest('/claim', fields));
    expect(claimed.status).toBe(303);
    const jar = new CookieJar().take(claimed.headers);
    expect((await call(profileLoader, getRequest('/profile', { jar }))).status).toBe(200);
    expect((await call(loginAction, formRequest('/login', { identifier: '13722223333', password: 'my-own-password-1' }))).status).toBe(303);

    const again = await call(claimAction, formRequest('/claim', { ...fields, identifier: '13722224444' }));
    expect(again.status).toBe(400);
    expect(again.data).toMatchObject({ result: { error: { code: ['claimCodeInvalid'] } } });
  });

  it('a resident with no phone on file must give one; wrong codes are limited per address', async () => {
    await registerOffline(workerJar, '周凤英', String(community));
    const resident = await User.findOne({ name: '周凤英' }).lean();
    const issued = await call<ClaimAnswer>(assistAction, formRequest('/assist', { intent: 'claimCode', residentId: String(resident!._id) }, { jar: workerJar }));
    const missing = await call(claimAction, formRequest('/claim', { code: issued.data.claim!.code, password: 'another-pass-22', confirmPassword: 'another-pass-22' }));
    expect(missing.data).toMatchObject({ result: { error: { identifier: ['identifierRequired'] } } });

    const ip = '203.0.113.200';
    const statuses = [];
    for (let i = 0; i < 21; i++) {
      const outcome = await call(claimAction, formRequest('/claim', { code: `WRONG-${i}`, identifier: '13799990000', password: 'another-pass-22', confirmPassword: 'another-pass-22' }, { ip }));
      statuses.push(outcome.status);
    }
    expect(statuses.slice(0, 19).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
