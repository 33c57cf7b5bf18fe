import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Ballot, IdentityCode, Proposal, RECEIPT_PATTERN, Residency } from '#models';

import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, fakePhone, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { storeImage } from '~/core/uploads.server';
import { loadResultInputs } from '~/features/results/results.server';
import { verifyResident } from '~/features/voting/verification.server';
import { findResidentsToVerify, IDENTIFIER_LOOKUP_LIMIT, listVerifiableResidents } from '~/features/voting/resident-search.server';
import { action as verifyResidentsAction, loader as verifyResidentsLoader } from '~/routes/assist_.verify/route';
import { loader as myVerifyLoader } from '~/routes/verify/route';
import { castBallot, getMyBallot, getVotingContext, voidBallot } from '~/features/voting/voting.server';
import { enterPaperBallot } from '~/features/voting/paper-ballots.server';
import { REGISTER_IP_LIMIT } from '~/features/accounts/users.server';
import { SEND_PER_IDENTIFIER } from '~/features/accounts/identity-codes.server';
import { readOutbox } from '~/core/messages.server';
import { action as loginAction } from '~/routes/login/route';
import { action as registerAction } from '~/routes/register/route';
import { loader as uploadLoader } from '~/routes/uploads.$fileId/route';
import { jpegWithGps } from '../support/images';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { sessionUser } from '../support/sessions';

/**
 * Information flow (issue 11, findings 6–10): no sequence of permitted requests reveals a
 * resident's phone number, a voter's choices, a draft's photo or a consent form to someone who
 * may not see it.
 */

const DAY = 86_400_000;


async function login(email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }, { jar }));
  expect(outcome.status).toBe(303);
  return jar.take(outcome.headers);
}

async function imageStatus(fileId: string, jar?: CookieJar): Promise<{ status: number; cache: string | null }> {
  try {
    const response = await uploadLoader({ request: getRequest(`/uploads/${fileId}`, { jar }), params: { fileId }, context: {} });
    return { status: response.status, cache: response.headers.get('Cache-Control') };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, cache: thrown.headers.get('Cache-Control') };
  }
}

async function storedPhoto(uploader: Types.ObjectId, kind: 'photo' | 'consentForm' = 'photo') {
  const stored = await storeImage({
    data: await jpegWithGps(),
    filename: 'x.jpg',
    uploaderId: String(uploader),
    kind,
    visibility: kind === 'photo' ? 'public' : 'private',
  });
  if (!stored.ok) throw new Error(stored.reason);
  return stored;
}

let street: Types.ObjectId;
let otherStreet: Types.ObjectId;
let community: Types.ObjectId;

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
});

describe("a resident's phone number cannot be rebuilt through the residents search", () => {
  it('parts of a number find nothing; the whole number finds the resident, audited without the number', async () => {
    // A name without digits, so that a part of the number cannot match the name instead.
    const resident = await createUser({ community, phone: fakePhone(), name: '号码测试居民' });
    await verifyResidentDirectly(resident._id, community);
    const worker = await createUser({ roles: [grant('gridWorker', 'street', street)] });
    const actor = sessionUser(worker);
    const phone = resident.phone!;

    const found = async (q: string) => (await listVerifiableResidents(actor, q)).residents.map((r) => r.id);
    // (Other test residents' names may contain digits, so only this resident's absence is checked.)
    for (let digits = 1; digits < phone.length; digits++) {
      expect(await found(phone.slice(0, digits))).not.toContain(String(resident._id));
    }
    expect(await found(phone.slice(3))).not.toContain(String(resident._id));
    expect(await found(phone)).toEqual([String(resident._id)]);
    // A name still finds them.
    expect(await found(resident.name)).toContain(String(resident._id));

    const logged = await AuditLog.find({ action: 'resident.lookedUp', actor: worker._id }).lean();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.targetId).toBe(String(resident._id));
    expect(JSON.stringify(logged)).not.toContain(phone);
  });

  it('a searcher gets at most IDENTIFIER_LOOKUP_LIMIT whole-number look-ups an hour', async () => {
    const resident = await createUser({ community, phone: fakePhone() });
    await verifyResidentDirectly(resident._id, community);
    const worker = sessionUser(await createUser({ roles: [grant('gridWorker', 'street', street)] }));
    for (let i = 0; i < IDENTIFIER_LOOKUP_LIMIT.max; i++) {
      expect((await listVerifiableResidents(worker, resident.phone!)).residents).toHaveLength(1);
    }
    // Used up: the paper-ballot page says so rather than showing an empty list.
    expect(await listVerifiableResidents(worker, resident.phone!)).toEqual({ residents: [], reason: 'lookupLimited' });
  });

  it('same-named residents are told apart by a masked number; the whole number is never listed', async () => {
    const phone = fakePhone();
    const resident = await createUser({ community, phone, name: '同名居民' });
    await verifyResidentDirectly(resident._id, community);
    const worker = sessionUser(await createUser({ roles: [grant('gridWorker', 'street', street)] }));
    const listed = await listVerifiableResidents(worker, '同名居民');
    expect(listed.residents.find((r) => r.id === String(resident._id))?.hint).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(listed)).not.toContain(phone);
  });

  it('a grid worker of another street does not find the resident even with the whole number', async () => {
    const resident = await createUser({ community, phone: fakePhone() });
    await verifyResidentDirectly(resident._id, community);
    const stranger = sessionUser(await createUser({ roles: [grant('gridWorker', 'street', otherStreet)] }));
    expect(await listVerifiableResidents(stranger, resident.phone!)).toEqual({ residents: [], reason: null });
  });
});

describe("a voter's choices cannot be read from published inputs, receipts or the audit log", () => {
  async function votingCompetition() {
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
    const author = (await createUser())._id;
    const proposals = [];
    for (let i = 0; i < 3; i++) {
      proposals.push(await insertProposal({ competition: competition._id, author, status: 'eligible', street }));
    }
    await competition.updateOne({ $set: { voting: { method: 'approval', maxChoices: 3, scope: 'district' } } });
    const ctx = (await getVotingContext(competition.slug))!;
    expect(ctx.phase).toBe('voting');
    return { competition, ctx, proposals };
  }

  it('published ballots are ordered by content, not by when they were cast', async () => {
    const { competition, ctx, proposals } = await votingCompetition();
    // Cast in an order that differs from the content order: [3], [1,2], [1].
    const orders = [[proposals[2]!.number], [proposals[0]!.number, proposals[1]!.number], [proposals[0]!.number]];
    for (const choices of orders) {
      const voter = await createUser({ community });
      await verifyResidentDirectly(voter._id, community);
      expect((await castBallot({ ctx, voterId: String(voter._id), choices })).ok).toBe(true);
    }
    const inputs = (await loadResultInputs(String(competition._id)))!;
    const keys = inputs.ballots.map((b) => b.join(','));
    expect(keys).toEqual([...keys].sort());
    expect(inputs.ballots).toHaveLength(3);
  });

  it("receipts are random codes, not the ballot's id, and the committee voids by receipt", async () => {
    const { ctx, proposals } = await votingCompetition();
    const receipts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const voter = await createUser({ community });
      await verifyResidentDirectly(voter._id, community);
      expect((await castBallot({ ctx, voterId: String(voter._id), choices: [proposals[0]!.number] })).ok).toBe(true);
      const mine = (await getMyBallot(ctx, String(voter._id)))!;
      expect(mine).not.toHaveProperty('id');
      expect(mine.receipt).toMatch(RECEIPT_PATTERN);
      const ballot = (await Ballot.findOne({ voter: voter._id }).lean())!;
      expect(mine.receipt).not.toContain(String(ballot._id).slice(0, 8).toUpperCase());
      receipts.push(mine.receipt);
    }
    expect(new Set(receipts).size).toBe(2);
    const committee = await createUser();
    expect(await voidBallot({ ctx, ballot: receipts[0]!.toLowerCase(), actorId: String(committee._id), reason: '测试' })).toMatchObject({ ok: true });
    const ballots = await Ballot.find({ competition: ctx.id }).select('receipt voided').lean();
    expect(ballots.filter((b) => b.voided?.at).map((b) => b.receipt)).toEqual([receipts[0]]);
  });

  it('the audit log of a paper ballot says who entered which serial for whom, never the choices', async () => {
    const { ctx, proposals } = await votingCompetition();
    const resident = await createUser({ community });
    await verifyResidentDirectly(resident._id, community);
    const worker = await createUser({ roles: [grant('gridWorker', 'street', street)] });
    const entered = await enterPaperBallot({
      ctx,
      worker: sessionUser(worker),
      residentId: String(resident._id),
      channel: 'paper',
      serial: 'P-0001',
      choices: [proposals[1]!.number],
    });
    expect(entered.ok).toBe(true);
    const entry = (await AuditLog.findOne({ action: 'ballot.entered', actor: worker._id }).lean())!;
    expect(entry.after).toEqual({ voter: String(resident._id), channel: 'paper', serial: 'P-0001' });
    expect(JSON.stringify(entry)).not.toContain(String(proposals[1]!._id));
  });
});

describe('uploads are seen only by those they belong to', () => {
  it('upload ids are not sequential ObjectIds', async () => {
    const uploader = (await createUser())._id;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const stored = await storedPhoto(uploader);
      ids.push(stored.fileId, stored.thumbId);
    }
    // A generated ObjectId starts with the current time in seconds; a random one almost never does.
    const now = Math.floor(Date.now() / 1000);
    const nearNow = ids.filter((id) => Math.abs(parseInt(id.slice(0, 8), 16) - now) < 3600);
    expect(nearNow.length).toBeLessThan(2);
    // Nor do they share the process-unique middle bytes a generated ObjectId carries.
    expect(new Set(ids.map((id) => id.slice(8, 18))).size).toBe(ids.length);
  });

  it("a draft's photo is seen by its author and the committee, and by everyone once the proposal is public", async () => {
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 5 * DAY)) });
    const author = await createUser();
    const photo = await storedPhoto(author._id);
    const proposal = await insertProposal({
      competition: competition._id,
      author: author._id,
      status: 'draft',
      street,
      photos: [{ fileId: photo.fileId, thumbId: photo.thumbId, peopleConsent: true }],
    });
    const committee = await createUser({ roles: [grant('committee', 'competition', competition._id)] });
    const otherCommittee = await createUser({ roles: [grant('committee', 'competition', new Types.ObjectId())] });
    const resident = await createUser();

    expect((await imageStatus(photo.fileId)).status).toBe(404);
    expect((await imageStatus(photo.fileId, await login(resident.email!))).status).toBe(404);
    expect((await imageStatus(photo.fileId, await login(otherCommittee.email!))).status).toBe(404);
    expect(await imageStatus(photo.fileId, await login(author.email!))).toEqual({ status: 200, cache: 'private, no-store' });
    expect((await imageStatus(photo.fileId, await login(committee.email!))).status).toBe(200);

    await Proposal.updateOne({ _id: proposal._id }, { $set: { status: 'submitted' } });
    expect(await imageStatus(photo.fileId)).toEqual({ status: 200, cache: 'public, max-age=3600' });
    await Proposal.updateOne({ _id: proposal._id }, { $set: { status: 'withdrawn' } });
    expect((await imageStatus(photo.fileId)).status).toBe(404);
  });

  it("a consent form is seen by the grid workers of the proposal's street and its competition's committee only", async () => {
    const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 5 * DAY)) });
    const resident = await createUser({ community });
    const worker = await createUser({ roles: [grant('gridWorker', 'street', street)] });
    const form = await storedPhoto(worker._id, 'consentForm');
    await insertProposal({
      competition: competition._id,
      author: resident._id,
      status: 'submitted',
      street,
      community,
      assisted: { worker: worker._id, consent: { method: 'signedForm', at: new Date(), formFileId: form.fileId } },
    });
    const sameStreetWorker = await createUser({ roles: [grant('gridWorker', 'street', street)] });
    const otherWorker = await createUser({ roles: [grant('gridWorker', 'street', otherStreet)] });
    const committee = await createUser({ roles: [grant('committee', 'competition', competition._id)] });
    const otherCommittee = await createUser({ roles: [grant('committee', 'competition', new Types.ObjectId())] });

    expect((await imageStatus(form.fileId)).status).toBe(404);
    for (const refused of [otherWorker, otherCommittee, resident]) {
      expect((await imageStatus(form.fileId, await login(refused.email!))).status).toBe(404);
    }
    for (const allowed of [worker, sameStreetWorker, committee]) {
      expect(await imageStatus(form.fileId, await login(allowed.email!))).toEqual({ status: 200, cache: 'private, no-store' });
    }
  });
});

describe('registration cannot be used to enumerate accounts', () => {
  it('answers a taken number exactly as a new one; its owner gets a notice, never a code', async () => {
    const existing = await createUser({ phone: fakePhone() });
    const fresh = fakePhone();
    const ask = (identifier: string) => call(registerAction, formRequest('/register', { intent: 'send', identifier }, { ip: '198.51.100.20' }));
    const [taken, free] = [await ask(existing.phone!), await ask(fresh)];
    for (const answer of [taken, free]) expect(answer).toRedirectTo('/register?step=code', 303);
    expect(taken.data).toEqual(free.data);
    expect(taken.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(free.headers.getSetCookie().map((c) => c.split('=')[0]));
    const [notice] = await readOutbox({ to: existing.phone!, limit: 1 });
    expect(notice?.purpose).toBe('alreadyRegistered');
    expect(notice?.text).not.toMatch(/\d{6}/);
    expect(await IdentityCode.exists({ identifier: existing.phone! })).toBeNull();
    expect((await readOutbox({ to: fresh, limit: 1 }))[0]?.purpose).toBe('register');
  });

  it('one address gets REGISTER_IP_LIMIT attempts an hour, taken or not; then even a new number is refused and nothing is sent', async () => {
    const ip = '198.51.100.7';
    const register = (identifier: string, from = ip) => call(registerAction, formRequest('/register', { intent: 'send', identifier }, { ip: from }));
    for (let i = 0; i < REGISTER_IP_LIMIT.max; i++) {
      // Taken and new numbers alike.
      const identifier = i % 2 ? (await createUser({ phone: fakePhone() })).phone! : fakePhone();
      expect((await register(identifier)).status).toBe(303);
    }
    const fresh = fakePhone();
    const refused = await register(fresh);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('registerTooMany');
    expect(await readOutbox({ to: fresh })).toEqual([]);
    // Another address is not affected.
    expect((await register(fresh, '198.51.100.8')).status).toBe(303);
  });

  it('a number gets at most SEND_PER_IDENTIFIER messages an hour, whoever asks', async () => {
    const target = fakePhone();
    for (let i = 0; i < SEND_PER_IDENTIFIER.max; i++) {
      expect((await call(registerAction, formRequest('/register', { intent: 'send', identifier: target }, { ip: `198.51.100.${30 + i}` }))).status).toBe(303);
    }
    const over = await call(registerAction, formRequest('/register', { intent: 'send', identifier: target }, { ip: '198.51.100.60' }));
    expect(over.status).toBe(400);
    expect(JSON.stringify(over.data)).toContain('tooManyCodes');
    expect(await readOutbox({ to: target })).toHaveLength(SEND_PER_IDENTIFIER.max);
  });
});

describe('residency evidence stays with the verifier (issue 11, finding 1)', () => {
  const NOTE = '住3号楼2单元，邻居王阿姨作证';
  const ID_NUMBER = '370212195001011234';

  it("the resident's verify page shows scope, end and method, never the verifier or a note; the residents list shows a note to its author only", async () => {
    const stamp = Date.now();
    const author = await createUser({ email: `note-author-${stamp}@example.test`, roles: [grant('resident'), grant('gridWorker', 'street', street)] });
    await createUser({ email: `note-colleague-${stamp}@example.test`, roles: [grant('resident'), grant('gridWorker', 'street', street)] });
    const resident = await createUser({ email: `note-resident-${stamp}@example.test`, community });
    const until = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    expect(await verifyResident({ actor: sessionUser(author), residentId: String(resident._id), scope: { kind: 'street', id: String(street) }, method: 'householdRegister', until, note: NOTE })).toEqual({ ok: true });

    const own = await call<{ verifications: unknown[] }>(myVerifyLoader, getRequest('/verify', { jar: await login(`note-resident-${stamp}@example.test`) }), {});
    expect(own.data.verifications).toMatchObject([{ scope: 'area', method: 'householdRegister', status: 'current' }]);
    const ownText = JSON.stringify(own.data);
    for (const secret of [NOTE, author.name, String(author._id)]) expect(ownText).not.toContain(secret);

    const list = (jar: CookieJar) => call<{ residents: { id: string; verifications: { note: string | null }[] }[] }>(verifyResidentsLoader, getRequest(`/assist/verify?${new URLSearchParams({ scope: `street:${String(street)}`, q: resident.name })}`, { jar }), {});
    const seenByColleague = await list(await login(`note-colleague-${stamp}@example.test`));
    expect(seenByColleague.data.residents.find((r) => r.id === String(resident._id))?.verifications).toHaveLength(1);
    expect(JSON.stringify(seenByColleague.data)).not.toContain(NOTE);
    const seenByAuthor = await list(await login(`note-author-${stamp}@example.test`));
    expect(seenByAuthor.data.residents.find((r) => r.id === String(resident._id))?.verifications[0]?.note).toBe(NOTE);
  });

  it('a note or reason carrying a document number is refused and nothing is stored; the audit entry holds no document number', async () => {
    const stamp = Date.now();
    await createUser({ email: `id-worker-${stamp}@example.test`, roles: [grant('resident'), grant('gridWorker', 'street', street)] });
    const jar = await login(`id-worker-${stamp}@example.test`);
    const resident = await createUser({ community });
    const until = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const form = { intent: 'verify', residentId: String(resident._id), scope: `street:${String(street)}`, method: 'idCard', until };
    const post = (fields: Record<string, string>) => call(verifyResidentsAction, formRequest('/assist/verify', fields, { jar }), {});
    for (const note of [`身份证 ${ID_NUMBER}`, '370212 19500101 123X', '37021219500101123x']) {
      const refused = await post({ ...form, note });
      expect(refused.status, note).toBe(400);
      expect(JSON.stringify(refused.data)).toContain('noteHasNumber');
    }
    expect(await Residency.countDocuments({ resident: resident._id })).toBe(0);
    expect(await AuditLog.countDocuments({ action: 'resident.verified', targetId: String(resident._id) })).toBe(0);

    // Extra fields carrying the number are dropped; what is kept is the kind of document.
    const saved = await post({ ...form, note: '看过身份证原件', idNumber: ID_NUMBER, 'evidence.number': ID_NUMBER, documentNumber: ID_NUMBER });
    expect(saved.status).toBe(303);
    const stored = (await Residency.findOne({ resident: resident._id }).lean())!;
    expect(stored.evidence).toEqual({ document: 'idCard' });
    const entries = await AuditLog.find({ targetId: String(resident._id) }).lean();
    expect(entries.map((e) => e.action)).toEqual(['resident.verified']);
    expect(entries[0]!.after).toMatchObject({ method: 'idCard', evidence: 'idCard' });
    for (const text of [JSON.stringify(stored), JSON.stringify(entries)]) expect(text).not.toContain(ID_NUMBER);
    expect(JSON.stringify(entries)).not.toContain('看过身份证原件');

    const revoke = await post({ intent: 'revoke', verificationId: String(stored._id), reason: `证件号 ${ID_NUMBER} 有误`, confirm: 'yes' });
    expect(revoke.status).toBe(400);
    expect((await Residency.findById(stored._id).lean())?.revokedAt).toBeUndefined();
    expect(JSON.stringify(await AuditLog.find({ targetId: String(resident._id) }).lean())).not.toContain(ID_NUMBER);
  });

  it('used-up whole-number look-ups are told apart from "nobody found"', async () => {
    const resident = await createUser({ community, phone: fakePhone() });
    const worker = sessionUser(await createUser({ roles: [grant('gridWorker', 'street', street)] }));
    const scope = { kind: 'street' as const, id: String(street) };
    for (let i = 0; i < IDENTIFIER_LOOKUP_LIMIT.max; i++) expect((await findResidentsToVerify(worker, { query: resident.phone!, scope })).reason).toBeNull();
    expect(await findResidentsToVerify(worker, { query: resident.phone!, scope })).toEqual({ residents: [], reason: 'lookupLimited' });
    expect(await findResidentsToVerify(worker, { query: fakePhone(), scope })).toEqual({ residents: [], reason: 'lookupLimited' });
  });
});
