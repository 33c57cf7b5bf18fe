import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { Competition, Proposal } from '#models';
import { createCommunity, createCompetition, createUser, grant, insertProposal, phaseWindows } from '#seeds/factories';
import { DEMO_PASSWORD } from '#seeds/data';
import { action as editAction, loader as editLoader } from '~/routes/competitions.$slug.proposals.$number.edit/route';
import { action as detailAction, loader as detailLoader } from '~/routes/competitions.$slug.proposals.$number._index/route';
import { loader as listLoader } from '~/routes/competitions.$slug.proposals._index/route';
import { action as newAction, loader as newLoader } from '~/routes/competitions.$slug.proposals.new/route';
import { loader as mineLoader } from '~/routes/my.proposals/route';
import { loader as qrLoader } from '~/routes/competitions.$slug.proposals.$number.qr[.]svg/route';
import { action as loginAction } from '~/routes/login/route';
import { readImage } from '~/core/uploads.server';
import { call, CookieJar, formRequest, getRequest, multipartRequest } from '../support/http';
import { jpegWithGps, svgWithScript } from '../support/images';

const DAY = 86_400_000;
const slug = 'routes-2026';
let communityId: string;
let alice: CookieJar;
let bob: CookieJar;
let aliceId: string;

async function signIn(email: string) {
  const jar = new CookieJar();
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  return jar.take(outcome.headers);
}

function fields(overrides: Record<string, string | string[]> = {}) {
  return {
    intent: 'submit',
    title: '社区共享书屋',
    summary: '在社区活动室建设共享书屋，面向困难家庭儿童。',
    category: 'education',
    communityId,
    'beneficiaries[0].group': 'children',
    'beneficiaries[0].count': '80',
    problem: '困难家庭的孩子课外书很少，放学后也没有安静的地方读书写作业。',
    plan: '改造社区活动室，购置书架和图书，由志愿者轮流值班管理，每周组织读书会。',
    schedule: '第1月改造，第2月起开放。',
    outcomes: '80名儿童每周至少读书两次。',
    sustainability: '志愿者长期值班，居民捐书。',
    'budget[0].item': '图书',
    'budget[0].quantity': '800',
    'budget[0].unitPrice': '30',
    organizationKind: 'new',
    organizationName: '共享书屋志愿者',
    ...overrides,
  };
}

const params = (number?: number) => ({ slug, ...(number ? { number: String(number) } : {}) });

beforeAll(async () => {
  communityId = String((await createCommunity())._id);
  await createCompetition({ slug, phases: phaseWindows(new Date(Date.now() - 5 * DAY)) });
  aliceId = String((await createUser({ email: 'alice@example.test' }))._id);
  await createUser({ email: 'bob@example.test' });
  alice = await signIn('alice@example.test');
  bob = await signIn('bob@example.test');
});

describe('proposal pages refuse who may not use them', () => {
  it('anonymous visitors are sent to log in from the new, edit and my-proposals pages and actions', async () => {
    for (const [handler, request, p] of [
      [newLoader, getRequest(`/competitions/${slug}/proposals/new`), params()],
      [newAction, formRequest(`/competitions/${slug}/proposals/new`, fields()), params()],
      [editLoader, getRequest(`/competitions/${slug}/proposals/1/edit`), params(1)],
      [editAction, formRequest(`/competitions/${slug}/proposals/1/edit`, fields()), params(1)],
      [detailAction, formRequest(`/competitions/${slug}/proposals/1`, { intent: 'follow' }), params(1)],
      [mineLoader, getRequest('/my/proposals'), {}],
    ] as const) {
      const outcome = await call(handler, request, p);
      // Back to the very page after signing in.
      expect(outcome).toRedirectTo(`/login?${new URLSearchParams({ redirectTo: new URL(request.url).pathname })}`, 302);
    }
    expect(await Proposal.countDocuments({ title: '社区共享书屋' })).toBe(0);
  });

  it('an account without the resident role cannot propose', async () => {
    await createUser({ email: 'judge-only@example.test', roles: [grant('judge', 'platform')] });
    const jar = await signIn('judge-only@example.test');
    expect((await call(newLoader, getRequest(`/competitions/${slug}/proposals/new`, { jar }), params())).status).toBe(403);
    expect((await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, fields(), { jar }), params())).status).toBe(403);
  });
});

describe('writing a proposal through the pages', () => {
  it('a resident submits with a photo; the stored photo has no GPS and the total is the server\'s', async () => {
    const photo = await jpegWithGps();
    const outcome = await call(
      newAction,
      multipartRequest(
        `/competitions/${slug}/proposals/new`,
        fields({ 'budget[0].unitPrice': '30.00', total: '1' , peopleConsent: 'on' }),
        [{ name: 'photos', filename: 'reading.jpg', type: 'image/jpeg', data: photo }],
        { jar: alice },
      ),
      params(),
    );
    const saved = await Proposal.findOne({ title: '社区共享书屋', authors: aliceId }).lean();
    expect(outcome).toRedirectTo(`/competitions/${slug}/proposals/${saved?.number}`, 303);
    await expect(outcome).toSendToast({ type: 'success', key: 'proposals:toast.submitted' });
    expect(saved?.status).toBe('submitted');
    expect(saved?.totalFen).toBe(800 * 3000);
    expect(saved?.photos).toHaveLength(1);
    const image = await readImage(saved!.photos[0]!.fileId, 'full');
    const chunks: Buffer[] = [];
    for await (const chunk of image!.stream as AsyncIterable<Buffer>) chunks.push(chunk);
    const meta = await sharp(Buffer.concat(chunks)).metadata();
    expect(meta.exif).toBeUndefined();
  });

  it('a photo without the consent confirmation is refused, and so is an SVG; nothing is saved', async () => {
    const before = await Proposal.countDocuments();
    const noConsent = await call(
      newAction,
      multipartRequest(`/competitions/${slug}/proposals/new`, fields(), [{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: await jpegWithGps() }], { jar: alice }),
      params(),
    );
    expect(noConsent.status).toBe(400);
    expect(noConsent.data).toMatchObject({ result: { error: { photos: ['photoConsentRequired'] } } });
    const svg = await call(
      newAction,
      multipartRequest(`/competitions/${slug}/proposals/new`, fields({ peopleConsent: 'on' }), [{ name: 'photos', filename: 'x.jpg', type: 'image/jpeg', data: svgWithScript() }], { jar: alice }),
      params(),
    );
    expect(svg.data).toMatchObject({ result: { error: { photos: ['unsupportedType'] } } });
    expect(await Proposal.countDocuments()).toBe(before);
  });

  it('a form that fails validation keeps what was typed and says why, in keys the page translates', async () => {
    const outcome = await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, fields({ 'budget[0].unitPrice': 'abc' }), { jar: alice }), params());
    expect(outcome.status).toBe(400);
    expect(outcome.data).toMatchObject({ result: { initialValue: { title: '社区共享书屋' }, error: { 'budget[0].unitPrice': ['moneyInvalid'] } } });
    const incomplete = await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, fields({ summary: '', organizationName: '' }), { jar: alice }), params());
    expect(incomplete.data).toMatchObject({ result: { error: { summary: ['requiredToSubmit'], organizationName: ['requiredToSubmit'] } } });
  });

  it('another resident cannot open or change alice\'s proposal by changing the number', async () => {
    const own = await insertProposal({ competition: (await Competition.findOne({ slug }).lean())!._id, author: new Types.ObjectId(aliceId), title: '爱丽丝的提案' });
    expect((await call(editLoader, getRequest(`/competitions/${slug}/proposals/${own.number}/edit`, { jar: bob }), params(own.number))).status).toBe(404);
    const attempt = await call(editAction, formRequest(`/competitions/${slug}/proposals/${own.number}/edit`, fields({ title: '鲍勃改的' }), { jar: bob }), params(own.number));
    expect(attempt.status).toBe(404);
    const withdraw = await call(detailAction, formRequest(`/competitions/${slug}/proposals/${own.number}`, { intent: 'withdraw', confirm: 'yes' }, { jar: bob }), params(own.number));
    expect(withdraw.status).toBe(404);
    const after = await Proposal.findById(own._id).lean();
    expect(after).toMatchObject({ title: '爱丽丝的提案', status: 'submitted' });
  });

  it('withdrawing one\'s own proposal needs the confirmation tick: without it 400 and the proposal stays as it was', async () => {
    const own = await insertProposal({ competition: (await Competition.findOne({ slug }).lean())!._id, author: new Types.ObjectId(aliceId), title: '要撤回的提案' });
    const path = `/competitions/${slug}/proposals/${own.number}`;
    const before = await Proposal.findById(own._id).lean();
    for (const form of [{ intent: 'withdraw' }, { intent: 'withdraw', confirm: 'on' }] as Record<string, string>[]) {
      const refused = await call(detailAction, formRequest(path, form, { jar: alice }), params(own.number));
      expect(refused.status).toBe(400);
      expect(refused.data).toEqual({ error: null, confirm: ['confirmRequired'] });
    }
    expect(await Proposal.findById(own._id).lean()).toEqual(before);
    const withdrawn = await call(detailAction, formRequest(path, { intent: 'withdraw', confirm: 'yes' }, { jar: alice }), params(own.number));
    expect(withdrawn).toRedirectTo(path, 303);
    const after = await Proposal.findById(own._id).lean();
    expect(after?.status).toBe('withdrawn');
    expect(after?.statusHistory.at(-1)?.status).toBe('withdrawn');
  });

  it('the author edits through the page; extra fields such as status, totalFen or authors are ignored', async () => {
    const created = await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, fields({ title: '待修改的提案' }), { jar: alice }), params());
    const number = (await Proposal.findOne({ title: '待修改的提案', authors: aliceId }).lean())!.number;
    expect(created).toRedirectTo(`/competitions/${slug}/proposals/${number}`, 303);
    const outcome = await call(
      editAction,
      formRequest(`/competitions/${slug}/proposals/${number}/edit`, fields({ title: '修改后的提案', status: 'eligible', totalFen: '1', authors: aliceId, revision: '0' }), { jar: alice }),
      params(number),
    );
    expect(outcome).toRedirectTo(`/competitions/${slug}/proposals/${number}`, 303);
    await expect(outcome).toSendToast({ type: 'success', key: 'proposals:toast.updated' });
    const saved = await Proposal.findOne({ number, title: '修改后的提案' }).lean();
    expect(saved).toMatchObject({ status: 'submitted', totalFen: 800 * 3000 });
    expect(saved?.authors.map(String)).toEqual([aliceId]);
  });

  it('a draft submitted from the edit page is told it was submitted and now waits for screening, not "changes saved"', async () => {
    await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, fields({ title: '先存草稿的提案', intent: 'save' }), { jar: alice }), params());
    const draft = (await Proposal.findOne({ title: '先存草稿的提案', authors: aliceId }).lean())!;
    expect(draft.status).toBe('draft');
    const outcome = await call(
      editAction,
      formRequest(`/competitions/${slug}/proposals/${draft.number}/edit`, fields({ title: '先存草稿的提案', revision: String(draft.revision) }), { jar: alice }),
      params(draft.number),
    );
    await expect(outcome).toSendToast({ type: 'success', key: 'proposals:toast.submitted' });
    expect((await Proposal.findById(draft._id).lean())?.status).toBe('submitted');
  });

  it('a draft saves with the blank beneficiary and budget rows the form starts with, as the browser sends them', async () => {
    const blankRows = {
      intent: 'save',
      title: '只写了标题的草稿',
      'beneficiaries[0].group': '',
      'beneficiaries[0].count': '',
      'budget[0].item': '',
      'budget[0].quantity': '1',
      'budget[0].unitPrice': '',
    };
    const outcome = await call(newAction, formRequest(`/competitions/${slug}/proposals/new`, blankRows, { jar: alice }), params());
    expect(outcome.status).toBe(303);
    const draft = await Proposal.findOne({ title: '只写了标题的草稿', authors: aliceId }).lean();
    expect(draft).toMatchObject({ status: 'draft', budget: [], beneficiaries: [] });
  });

  it('a row with something typed in it is kept and validated, never dropped: a half-filled budget line blocks the draft with its field error', async () => {
    const halfRow = { intent: 'save', title: '预算只填了一半', 'budget[0].item': '理发工具', 'budget[0].quantity': '1', 'budget[0].unitPrice': '' };
    const outcome = await call<{ result: { error: Record<string, string[]> } }>(newAction, formRequest(`/competitions/${slug}/proposals/new`, halfRow, { jar: alice }), params());
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error['budget[0].unitPrice']).toEqual(['required']);
    expect(await Proposal.countDocuments({ title: '预算只填了一半' })).toBe(0);
  });

  it('the list and detail pages show submitted proposals to anyone, and follow works for a signed-in resident', async () => {
    const list = await call<{ cards: { number: number; title: string }[]; total: number }>(listLoader, getRequest(`/competitions/${slug}/proposals?q=${encodeURIComponent('书屋')}`), params());
    expect(list.data.cards.length).toBeGreaterThan(0);
    const number = list.data.cards[0]!.number;
    expect((await call(detailLoader, getRequest(`/competitions/${slug}/proposals/${number}`), params(number))).status).toBe(200);
    const follow = await call(detailAction, formRequest(`/competitions/${slug}/proposals/${number}`, { intent: 'follow' }, { jar: bob }), params(number));
    expect(follow).toRedirectTo(`/competitions/${slug}/proposals/${number}`, 303);
    await expect(follow).toSendToast({ type: 'success', key: 'proposals:toast.followed' });
    const view = await call<{ proposal: { following: boolean; followerCount: number } }>(detailLoader, getRequest(`/competitions/${slug}/proposals/${number}`, { jar: bob }), params(number));
    expect(view.data.proposal).toMatchObject({ following: true, followerCount: 1 });
  });

  it('a public proposal has a QR code of its address; a draft has none', async () => {
    const list = await call<{ cards: { number: number }[] }>(listLoader, getRequest(`/competitions/${slug}/proposals`), params());
    const number = list.data.cards[0]!.number;
    const qr = await call<string>(qrLoader, getRequest(`/competitions/${slug}/proposals/${number}/qr.svg`), params(number));
    expect(qr.status).toBe(200);
    expect(qr.headers.get('Content-Type')).toMatch(/^image\/svg\+xml/);
    expect(qr.data).toMatch(/^<svg[^>]*>/);
    expect(qr.data).not.toMatch(/<script|href=/i);
    const draft = await insertProposal({ competition: (await Competition.findOne({ slug }).lean())!._id, author: new Types.ObjectId(aliceId), status: 'draft' });
    expect((await call(qrLoader, getRequest(`/competitions/${slug}/proposals/${draft.number}/qr.svg`), params(draft.number))).status).toBe(404);
  });

  it('an unknown or malformed proposal number is a 404, not an error', async () => {
    for (const number of ['999999', 'abc', '-1', '1e3']) {
      expect((await call(detailLoader, getRequest(`/competitions/${slug}/proposals/${number}`), { slug, number })).status).toBe(404);
    }
  });
});
