import mongoose, { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '~/utils/dates';
import { ASSISTED_SERIAL_PATTERN, AuditLog, Ballot, Notification, RECEIPT_PATTERN } from '#models';
import { DEMO_PASSWORD } from '#seeds/data';
import { createCommunity, createCompetition, createStreet, createUser, grant, insertProposal, phaseWindows, verifyResidentDirectly } from '#seeds/factories';
import { readImage } from '~/core/uploads.server';
import { listNotifications } from '~/core/notifications.server';
import { castBallot, getMyBallot, getVotingContext, voidBallot, type VotingContext } from '~/features/voting/voting.server';
import { enterPaperBallot, type BallotConsent } from '~/features/voting/paper-ballots.server';
import { action as loginAction } from '~/routes/login/route';
import { action as paperAction, loader as paperLoader } from '~/routes/competitions.$slug.vote.paper/route';
import { action as voteAction, loader as voteLoader } from '~/routes/competitions.$slug.vote._index/route';
import { loader as uploadLoader } from '~/routes/uploads.$fileId/route';
import { CLIENT_IP_HEADER } from '~/core/request.server';
import { jpegWithGps } from '../support/images';
import { call, CookieJar, formRequest, getRequest } from '../support/http';
import { sessionUser } from '../support/sessions';

/**
 * Assisted ballots (issue 11, finding 3): a grid worker's assisted ballot carries the resident's
 * consent (a signed form's photo, or verbal consent with a named witness, and the day) and a serial
 * the server draws; the resident is told and may replace it with their own ballot while voting is
 * open; a paper ballot stays final. Also the stateful-abuse and information-flow sides of it.
 */

const DAY = 86_400_000;

let street: Types.ObjectId;
let otherStreet: Types.ObjectId;
let community: Types.ObjectId;

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
});

async function votingCompetition() {
  const competition = await createCompetition({ phases: phaseWindows(new Date(Date.now() - 64 * DAY)) });
  const author = (await createUser())._id;
  const proposals = [];
  for (let i = 0; i < 3; i++) proposals.push(await insertProposal({ competition: competition._id, author, status: 'eligible', street }));
  await competition.updateOne({ $set: { voting: { method: 'approval', maxChoices: 2, scope: 'district' } } });
  const ctx = (await getVotingContext(competition.slug))!;
  expect(ctx.phase).toBe('voting');
  return { competition, ctx, numbers: proposals.map((p) => p.number), proposalIds: proposals.map((p) => String(p._id)) };
}

async function verifiedResident() {
  const user = await createUser({ community });
  await verifyResidentDirectly(user._id, community);
  return user;
}

async function streetWorker(at: Types.ObjectId = street) {
  return createUser({ roles: [grant('resident'), grant('gridWorker', 'street', at)] });
}

async function signIn(email: string): Promise<CookieJar> {
  const outcome = await call(loginAction, formRequest('/login', { identifier: email, password: DEMO_PASSWORD }));
  expect(outcome.status).toBe(303);
  return new CookieJar().take(outcome.headers);
}

/** A multipart POST as a browser sends the paper form, with an optional photo of the signed form. */
async function paperPost(slug: string, jar: CookieJar, fields: Record<string, string | string[]>, photo?: Buffer) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  if (photo) body.append('consentForm', new File([new Uint8Array(photo)], 'form.jpg', { type: 'image/jpeg' }));
  const request = new Request(`http://localhost/competitions/${slug}/vote/paper`, {
    method: 'POST',
    headers: { Cookie: jar.header(), [CLIENT_IP_HEADER]: '203.0.113.9' },
    body,
  });
  return call<{ result: { error?: Record<string, string[]>; initialValue?: Record<string, unknown> }; reason: string | null }>(paperAction, request, { slug });
}

const TODAY = shanghaiDay(Date.now());
const verbal = (witness = '王阿姨（楼长）'): BallotConsent => ({ method: 'verbalWitnessed', at: new Date(), witness });

/** Everything an entry could write: ballots, audit entries, notifications and stored uploads. */
async function footprint(ctx: VotingContext) {
  return {
    ballots: await Ballot.countDocuments({ competition: ctx.id }),
    audit: await AuditLog.countDocuments({ action: 'ballot.entered' }),
    notifications: await Notification.countDocuments({ type: 'assistedBallotEntered' }),
    uploads: await mongoose.connection.db!.collection('uploads.files').countDocuments(),
  };
}

describe('an assisted ballot carries a consent record and a serial', () => {
  it('without consent the form answers 400 with field errors and nothing is written', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    const jar = await signIn(worker.email!);
    const before = await footprint(ctx);
    const refused = await paperPost(ctx.slug, jar, { residentId: String(resident._id), channel: 'assisted', choice: String(numbers[0]), confirmed: 'on' });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error?.consentMethod).toEqual(['invalidChoice']);
    expect(refused.data.result.error?.consentOn).toEqual(['required']);
    // What was typed comes back to the form.
    expect(refused.data.result.initialValue).toMatchObject({ residentId: String(resident._id), channel: 'assisted', choice: String(numbers[0]) });
    expect(await footprint(ctx)).toEqual(before);
  });

  it('verbal consent without a witness, or a signed form without its photo, is refused; the service refuses them too', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    const jar = await signIn(worker.email!);
    const before = await footprint(ctx);
    const base = { residentId: String(resident._id), channel: 'assisted', consentOn: TODAY, choice: String(numbers[0]), confirmed: 'on' };
    const noWitness = await paperPost(ctx.slug, jar, { ...base, consentMethod: 'verbalWitnessed', consentWitness: '  ' });
    expect(noWitness.status).toBe(400);
    expect(noWitness.data.result.error?.consentWitness).toEqual(['witnessRequired']);
    const noPhoto = await paperPost(ctx.slug, jar, { ...base, consentMethod: 'signedForm' });
    expect(noPhoto.status).toBe(400);
    expect(noPhoto.data.result.error?.consentForm).toEqual(['consentFormRequired']);
    const unconfirmed = await paperPost(ctx.slug, jar, { ...base, consentMethod: 'verbalWitnessed', consentWitness: '王阿姨', confirmed: '' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data.result.error?.confirmed).toEqual(['confirmEntry']);
    expect(await footprint(ctx)).toEqual(before);

    const w = sessionUser(worker);
    const enter = (consent?: BallotConsent) => enterPaperBallot({ ctx, worker: w, residentId: String(resident._id), channel: 'assisted', consent, choices: [numbers[0]!] });
    expect(await enter()).toEqual({ ok: false, reason: 'consentRequired' });
    expect(await enter(verbal(' '))).toEqual({ ok: false, reason: 'witnessRequired' });
    expect(await enter({ method: 'signedForm', at: new Date() })).toEqual({ ok: false, reason: 'consentFormRequired' });
    // A consent dated tomorrow, or long before voting opened, is not a record of consent.
    expect(await enter({ ...verbal(), at: new Date(Date.now() + 86_400_000) })).toEqual({ ok: false, reason: 'consentDateInvalid' });
    expect(await enter({ ...verbal(), at: new Date(Date.now() - 400 * 86_400_000) })).toEqual({ ok: false, reason: 'consentDateInvalid' });
    expect(await footprint(ctx)).toEqual(before);
  });

  it('with a signed form: stored with a server serial and a private photo, audited without choices, the resident notified, the serial shown to the worker', async () => {
    const { ctx, numbers, proposalIds } = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    const jar = await signIn(worker.email!);
    const entered = await paperPost(
      ctx.slug,
      jar,
      // A typed serial is ignored for an assisted ballot: the server draws one.
      { residentId: String(resident._id), channel: 'assisted', serial: 'MINE-1', consentMethod: 'signedForm', consentOn: TODAY, choice: [String(numbers[0]), String(numbers[2])], confirmed: 'on' },
      await jpegWithGps(),
    );
    expect(entered.status).toBe(303);
    const ballot = (await Ballot.findOne({ competition: ctx.id, voter: resident._id }).lean())!;
    expect(entered.location).toBe(`/competitions/${ctx.slug}/vote/paper?entered=${String(ballot._id)}`);
    expect(ballot.channel).toBe('assisted');
    expect(ballot.paperSerial).toMatch(ASSISTED_SERIAL_PATTERN);
    expect(ballot.paperKey).toBe(`${ctx.id}:${ballot.paperSerial}`);
    expect(ballot.consent).toMatchObject({ method: 'signedForm' });
    expect(ballot.consent!.at!.toISOString()).toBe(`${TODAY}T04:00:00.000Z`);
    expect(await readImage(ballot.consent!.formFileId!, 'full')).toMatchObject({ visibility: 'private', uploaderId: String(worker._id) });
    expect(String(ballot.enteredBy)).toBe(String(worker._id));

    const audit = (await AuditLog.findOne({ action: 'ballot.entered', targetId: String(ballot._id) }).lean())!;
    expect(audit.after).toEqual({ voter: String(resident._id), channel: 'assisted', serial: ballot.paperSerial, consent: 'signedForm' });
    expect(String(audit.actor)).toBe(String(worker._id));

    const notes = await Notification.find({ recipient: resident._id }).lean();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'assistedBallotEntered', competitionSlug: ctx.slug, data: { serial: ballot.paperSerial } });
    const listed = await listNotifications(String(resident._id), 1);
    expect(listed.items[0]).toMatchObject({ message: 'assistedBallotEntered', serial: ballot.paperSerial, actorName: worker.name, href: `/competitions/${ctx.slug}/vote/mine` });
    // Neither the audit entry nor the notification holds the choices.
    for (const text of [JSON.stringify(audit), JSON.stringify(notes)]) {
      for (const id of proposalIds) expect(text).not.toContain(id);
    }

    const page = await call<{ entered: { serial: string; residentName: string } | null }>(
      paperLoader,
      getRequest(`/competitions/${ctx.slug}/vote/paper?entered=${String(ballot._id)}`, { jar }),
      { slug: ctx.slug },
    );
    expect(page.data.entered).toEqual({ serial: ballot.paperSerial, channel: 'assisted', residentName: resident.name });
    // Another worker cannot read the serial of this entry from the page.
    const other = await streetWorker();
    const otherPage = await call<{ entered: unknown }>(paperLoader, getRequest(`/competitions/${ctx.slug}/vote/paper?entered=${String(ballot._id)}`, { jar: await signIn(other.email!) }), { slug: ctx.slug });
    expect(otherPage.data.entered).toBeNull();
  });

  it('with verbal consent and a witness (a form without a file): stored with the witness; a paper ballot keeps its typed serial', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = await streetWorker();
    const [assisted, paper] = [await verifiedResident(), await verifiedResident()];
    const jar = await signIn(worker.email!);
    const entered = await call(
      paperAction,
      formRequest(
        `/competitions/${ctx.slug}/vote/paper`,
        { residentId: String(assisted._id), channel: 'assisted', consentMethod: 'verbalWitnessed', consentOn: TODAY, consentWitness: '王阿姨', choice: String(numbers[1]), confirmed: 'on' },
        { jar },
      ),
      { slug: ctx.slug },
    );
    expect(entered.status).toBe(303);
    const ballot = (await Ballot.findOne({ voter: assisted._id }).lean())!;
    expect(ballot.consent).toMatchObject({ method: 'verbalWitnessed', witness: '王阿姨' });
    expect(ballot.consent!.formFileId).toBeUndefined();

    const onPaper = await call(
      paperAction,
      formRequest(`/competitions/${ctx.slug}/vote/paper`, { residentId: String(paper._id), channel: 'paper', serial: 'LS-0042', choice: String(numbers[0]), confirmed: 'on' }, { jar }),
      { slug: ctx.slug },
    );
    expect(onPaper.status).toBe(303);
    const paperBallot = (await Ballot.findOne({ voter: paper._id }).lean())!;
    expect(paperBallot).toMatchObject({ channel: 'paper', paperSerial: 'LS-0042' });
    expect(paperBallot.consent?.method).toBeUndefined();
    // The paper voter is not told to replace anything.
    expect(await Notification.countDocuments({ recipient: paper._id })).toBe(0);
  });

  it('a refused entry removes the consent photo it stored', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    await castBallot({ ctx, voterId: String(resident._id), choices: [numbers[0]!] });
    const jar = await signIn(worker.email!);
    const before = await footprint(ctx);
    const refused = await paperPost(
      ctx.slug,
      jar,
      { residentId: String(resident._id), channel: 'assisted', consentMethod: 'signedForm', consentOn: TODAY, choice: String(numbers[1]), confirmed: 'on' },
      await jpegWithGps(),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.reason).toBe('alreadyVoted');
    expect(await footprint(ctx)).toEqual(before);
  });
});

describe('the resident may replace an assisted ballot with their own while voting is open', () => {
  async function assistedBallot() {
    const setup = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    const entered = await enterPaperBallot({ ctx: setup.ctx, worker: sessionUser(worker), residentId: String(resident._id), channel: 'assisted', consent: verbal(), choices: [setup.numbers[0]!] });
    if (!entered.ok) throw new Error(entered.reason);
    return { ...setup, worker, resident, serial: entered.serial, ballotId: entered.ballotId };
  }

  it('the vote page tells them, asks for confirmation, and the replacement is one online ballot recording the serial', async () => {
    const { ctx, numbers, proposalIds, resident, serial, ballotId } = await assistedBallot();
    const before = (await Ballot.findById(ballotId).lean())!;
    const jar = await signIn(resident.email!);
    const page = await call<{ mine: { channel: string; serial: string | null; submittedAt: string } }>(voteLoader, getRequest(`/competitions/${ctx.slug}/vote`, { jar }), { slug: ctx.slug });
    expect(page.data.mine).toMatchObject({ channel: 'assisted', serial, submittedAt: before.submittedAt.toISOString() });

    // Without the tick nothing changes.
    const unconfirmed = await call<{ reason: string }>(voteAction, formRequest(`/competitions/${ctx.slug}/vote`, { choice: String(numbers[1]) }, { jar }), { slug: ctx.slug });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data.reason).toBe('confirmReplace');
    expect(await Ballot.findById(ballotId).lean()).toEqual(before);

    const body = new URLSearchParams([['choice', String(numbers[1])], ['choice', String(numbers[2])], ['replaceAssisted', 'on']]);
    const request = new Request(`http://localhost/competitions/${ctx.slug}/vote`, {
      method: 'POST',
      headers: { Cookie: jar.header(), 'Content-Type': 'application/x-www-form-urlencoded', [CLIENT_IP_HEADER]: '203.0.113.5' },
      body,
    });
    const done = await call(voteAction, request, { slug: ctx.slug });
    expect(done).toRedirectTo(`/competitions/${ctx.slug}/vote/mine`, 303);

    const ballots = await Ballot.find({ competition: ctx.id, voter: resident._id }).lean();
    expect(ballots).toHaveLength(1);
    const after = ballots[0]!;
    expect(String(after._id)).toBe(ballotId);
    expect(after.channel).toBe('online');
    expect(after.choices.map(String)).toEqual([proposalIds[1], proposalIds[2]]);
    expect(after.replacedAssisted).toMatchObject({ serial });
    expect(after.replacedAssisted!.at).toBeInstanceOf(Date);
    expect(after.paperKey).toBeUndefined();
    expect(after.paperSerial).toBeUndefined();
    // Kept for the committee: who entered it and the consent.
    expect(String(after.enteredBy)).toBe(String(before.enteredBy));
    expect(after.consent).toMatchObject({ method: 'verbalWitnessed', witness: '王阿姨（楼长）' });
    // A receipt of the resident's own, not the one the worker may have seen.
    expect(after.receipt).toMatch(RECEIPT_PATTERN);
    expect(after.receipt).not.toBe(before.receipt);

    const audit = await AuditLog.find({ action: 'ballot.assistedReplaced', targetId: ballotId }).lean();
    expect(audit).toHaveLength(1);
    expect(String(audit[0]!.actor)).toBe(String(resident._id));
    expect(audit[0]!.before).toMatchObject({ channel: 'assisted', serial });
    for (const id of proposalIds) expect(JSON.stringify(audit)).not.toContain(id);

    const mine = (await getMyBallot(ctx, String(resident._id)))!;
    expect(mine).toMatchObject({ channel: 'online', serial: null, receipt: after.receipt, replacedAssisted: { serial } });
    // From now on it is an ordinary online ballot: changed without any tick.
    expect(await castBallot({ ctx, voterId: String(resident._id), choices: [numbers[0]!] })).toMatchObject({ ok: true });
    // Voiding by the old serial finds nothing: it no longer names a ballot.
    expect(await voidBallot({ ctx, ballot: serial, actorId: String(new Types.ObjectId()), reason: '按编号作废' })).toEqual({ ok: false, reason: 'ballotNotFound' });
  });

  it('after voting closes the assisted ballot stays', async () => {
    const { ctx, numbers, resident, ballotId } = await assistedBallot();
    const before = await Ballot.findById(ballotId).lean();
    const afterClose = new Date(ctx.phases.find((p) => p.key === 'voting')!.endsAt.getTime() + 1000);
    expect(await castBallot({ ctx, voterId: String(resident._id), choices: [numbers[1]!], replaceAssisted: true, now: afterClose })).toEqual({ ok: false, reason: 'votingClosed' });
    expect(await Ballot.findById(ballotId).lean()).toEqual(before);
  });

  it('a paper ballot is final, and a voided assisted ballot cannot be replaced', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = sessionUser(await streetWorker());
    const onPaper = await verifiedResident();
    expect((await enterPaperBallot({ ctx, worker, residentId: String(onPaper._id), channel: 'paper', serial: 'P-77', choices: [numbers[0]!] })).ok).toBe(true);
    expect(await castBallot({ ctx, voterId: String(onPaper._id), choices: [numbers[1]!], replaceAssisted: true })).toEqual({ ok: false, reason: 'votedOtherChannel' });
    expect(await Ballot.findOne({ voter: onPaper._id }).lean()).toMatchObject({ channel: 'paper', paperSerial: 'P-77' });

    const assisted = await verifiedResident();
    const entered = await enterPaperBallot({ ctx, worker, residentId: String(assisted._id), channel: 'assisted', consent: verbal(), choices: [numbers[0]!] });
    if (!entered.ok) throw new Error(entered.reason);
    expect(await voidBallot({ ctx, ballot: entered.serial, actorId: String(new Types.ObjectId()), reason: '同意记录有疑问' })).toMatchObject({ ok: true });
    expect(await castBallot({ ctx, voterId: String(assisted._id), choices: [numbers[1]!], replaceAssisted: true })).toEqual({ ok: false, reason: 'ballotVoided' });
    expect(await Ballot.findOne({ voter: assisted._id }).lean()).toMatchObject({ channel: 'assisted' });
  });
});

describe('stateful abuse: one ballot per resident whatever the worker and the resident do at once', () => {
  it('the resident replacing twice and the worker re-entering twice, all in parallel, leave exactly one ballot', async () => {
    for (let round = 0; round < 3; round++) {
      const { ctx, numbers } = await votingCompetition();
      const worker = sessionUser(await streetWorker());
      const resident = await verifiedResident();
      const voterId = String(resident._id);
      const first = await enterPaperBallot({ ctx, worker, residentId: voterId, channel: 'assisted', consent: verbal(), choices: [numbers[0]!] });
      expect(first.ok).toBe(true);
      const results = await Promise.all([
        castBallot({ ctx, voterId, choices: [numbers[1]!], replaceAssisted: true }),
        enterPaperBallot({ ctx, worker, residentId: voterId, channel: 'assisted', consent: verbal(), choices: [numbers[2]!] }),
        castBallot({ ctx, voterId, choices: [numbers[2]!], replaceAssisted: true }),
        enterPaperBallot({ ctx, worker, residentId: voterId, channel: 'paper', serial: `R-${round}`, choices: [numbers[2]!] }),
      ]);
      expect(results.slice(0, 1).concat(results.slice(2, 3)).every((r) => r.ok)).toBe(true);
      expect([results[1], results[3]]).toEqual([{ ok: false, reason: 'alreadyVoted' }, { ok: false, reason: 'alreadyVoted' }]);
      const ballots = await Ballot.find({ competition: ctx.id, voter: resident._id }).lean();
      expect(ballots).toHaveLength(1);
      expect(ballots[0]!.channel).toBe('online');
      expect(ballots[0]!.choices).toHaveLength(1);
      expect(await AuditLog.countDocuments({ action: 'ballot.assistedReplaced', targetId: String(ballots[0]!._id) })).toBe(1);
      // And the worker still cannot enter one afterwards.
      expect(await enterPaperBallot({ ctx, worker, residentId: voterId, channel: 'assisted', consent: verbal(), choices: [numbers[0]!] })).toEqual({ ok: false, reason: 'alreadyVoted' });
    }
  });

  it('replacing while the committee voids the ballot: either it was replaced and then voided, or it stays voided as assisted', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = sessionUser(await streetWorker());
    const resident = await verifiedResident();
    const voterId = String(resident._id);
    const entered = await enterPaperBallot({ ctx, worker, residentId: voterId, channel: 'assisted', consent: verbal(), choices: [numbers[0]!] });
    if (!entered.ok) throw new Error(entered.reason);
    const [cast] = await Promise.all([
      castBallot({ ctx, voterId, choices: [numbers[1]!], replaceAssisted: true }),
      voidBallot({ ctx, ballot: entered.ballotId, actorId: String(new Types.ObjectId()), reason: '同意记录有疑问' }),
    ]);
    const ballots = await Ballot.find({ competition: ctx.id, voter: resident._id }).lean();
    expect(ballots).toHaveLength(1);
    expect(ballots[0]!.voided?.at).toBeInstanceOf(Date);
    expect(ballots[0]!.channel).toBe(cast.ok ? 'online' : 'assisted');
  });

  it('serials never repeat under 20 parallel assisted entries', async () => {
    const { ctx, numbers } = await votingCompetition();
    const worker = sessionUser(await streetWorker());
    const residents = [];
    for (let i = 0; i < 20; i++) residents.push(await verifiedResident());
    const results = await Promise.all(
      residents.map((r) => enterPaperBallot({ ctx, worker, residentId: String(r._id), channel: 'assisted', consent: verbal(), choices: [numbers[0]!] })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ballots = await Ballot.find({ competition: ctx.id }).select('paperSerial').lean();
    expect(ballots).toHaveLength(20);
    expect(ballots.every((b) => ASSISTED_SERIAL_PATTERN.test(b.paperSerial ?? ''))).toBe(true);
    expect(new Set(ballots.map((b) => b.paperSerial)).size).toBe(20);
  });
});

describe("information flow: an assisted ballot's consent form and choices", () => {
  async function imageStatus(fileId: string, jar?: CookieJar): Promise<number> {
    try {
      const response = await uploadLoader({ request: getRequest(`/uploads/${fileId}`, { jar }), params: { fileId }, context: {} });
      return response.status;
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      return thrown.status;
    }
  }

  it("the consent photo is for the worker who took it, the street's grid workers and the competition's committee only", async () => {
    const { competition, ctx, numbers } = await votingCompetition();
    const worker = await streetWorker();
    const resident = await verifiedResident();
    const entered = await paperPost(
      ctx.slug,
      await signIn(worker.email!),
      { residentId: String(resident._id), channel: 'assisted', consentMethod: 'signedForm', consentOn: TODAY, choice: String(numbers[0]), confirmed: 'on' },
      await jpegWithGps(),
    );
    expect(entered.status).toBe(303);
    const fileId = (await Ballot.findOne({ voter: resident._id }).lean())!.consent!.formFileId!;

    const sameStreet = await streetWorker();
    const otherWorker = await streetWorker(otherStreet);
    const committee = await createUser({ roles: [grant('committee', 'competition', competition._id)] });
    const otherCommittee = await createUser({ roles: [grant('committee', 'competition', new Types.ObjectId())] });
    const otherResident = await verifiedResident();

    expect(await imageStatus(fileId)).toBe(404);
    for (const refused of [otherWorker, otherCommittee, otherResident, resident]) {
      expect(await imageStatus(fileId, await signIn(refused.email!))).toBe(404);
    }
    for (const allowed of [worker, sameStreet, committee]) {
      expect(await imageStatus(fileId, await signIn(allowed.email!))).toBe(200);
    }
  });
});
