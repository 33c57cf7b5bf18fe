import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, Notification, Wish } from '#models';
import { createCommunity, createStreet, createUser, grant } from '#seeds/factories';
import { claimWish, CLAIMS_PER_HOUR, deliverWish, releaseClaim } from '~/features/wishes/claims.server';
import { confirmWish, registerWish, withdrawWish, type Worker } from '~/features/wishes/registry.server';
import { MAX_OPEN_CLAIMS } from '~/features/wishes/rules';
import { registerSchema } from '~/features/wishes/wish.schema';
import { listWall, wishCounts } from '~/features/wishes/wishes.server';
import { remindOverdueWishClaims } from '~/features/wishes/reminders.server';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { readImage } from '~/core/uploads.server';
import { jpegWithGps } from '../support/images';

/**
 * Micro-wishes through their services against the real database: one claimer per wish under 20
 * parallel claims, at most MAX_OPEN_CLAIMS open claims per person (also in parallel), only the
 * claimer delivers, only a worker of the wish's area confirms (never the claimer), and a refusal
 * changes nothing. Every change is audited and told.
 */
let street: Types.ObjectId;
let community: Types.ObjectId;
let otherStreet: Types.ObjectId;
let otherCommunity: Types.ObjectId;
let worker: Worker;
let communityWorker: Worker;
let otherWorker: Worker;
const claimers: { id: string; name: string }[] = [];

const asWorker = (user: { _id: Types.ObjectId; roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[] }): Worker => ({
  id: String(user._id),
  roles: user.roles.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeId: g.scopeId ? String(g.scopeId) : null })) as Worker['roles'],
});

const form = (overrides: Record<string, string> = {}) => ({
  kind: 'item',
  title: '一本新华字典',
  description: '上三年级了，想要一本自己的字典。',
  value: '45',
  childInitial: '明',
  childTerm: 'student',
  childAge: '9',
  community: String(community),
  ...overrides,
});

async function register(overrides: Record<string, string> = {}, by: Worker = worker): Promise<number> {
  const values = registerSchema.parse(form(overrides));
  const registered = await registerWish({ worker: by, values });
  if (!registered.ok) throw new Error(registered.reason);
  return registered.number;
}

/** The wish as stored, in the fields a refusal must leave alone. */
async function snapshot(number: number) {
  return Wish.findOne({ number }).select('-_id status claim claimSlot deliveredAt confirmedAt confirmedBy photo withdrawnAt releases updatedAt').lean();
}

beforeAll(async () => {
  street = (await createStreet())._id;
  otherStreet = (await createStreet())._id;
  community = (await createCommunity({ street }))._id;
  otherCommunity = (await createCommunity({ street: otherStreet }))._id;
  worker = asWorker(await createUser({ name: '张网格员', roles: [grant('resident'), grant('gridWorker', 'street', street)] }));
  communityWorker = asWorker(await createUser({ name: '李社工', roles: [grant('resident'), grant('communityWorker', 'community', community)] }));
  otherWorker = asWorker(await createUser({ name: '外街道社工', roles: [grant('resident'), grant('communityWorker', 'street', otherStreet)] }));
  for (let i = 0; i < 32; i++) {
    const user = await createUser({ name: `认领人${i}` });
    claimers.push({ id: String(user._id), name: user.name });
  }
});

describe('registering a micro-wish', () => {
  it('a worker of the area registers a wish with the next number; only the first character of the name is kept', async () => {
    const first = await register();
    const second = await register({ title: '一个新书包', value: '120.50', childInitial: '婷', childTerm: 'child', childAge: '6' }, communityWorker);
    expect(second).toBe(first + 1);
    const stored = await Wish.findOne({ number: second }).lean();
    expect(stored).toMatchObject({ title: '一个新书包', valueFen: 12_050, child: { initial: '婷', term: 'child', age: 6 }, status: 'open', street, community });
    expect(await AuditLog.countDocuments({ action: 'wish.registered', targetId: String(stored!._id) })).toBe(1);
  });

  it('refuses a whole name, a value above ¥500, a phone number in the text and an unknown kind, with keys for translated messages', () => {
    const result = registerSchema.safeParse(form({ childInitial: '王明轩', value: '500.01', description: '联系妈妈 138 1234 5678', kind: 'money' }));
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((issue) => [String(issue.path[0]), issue.message]));
    expect(messages).toEqual({ childInitial: 'initialOneCharacter', value: 'valueTooLarge', description: 'identifyingDetail', kind: 'kindRequired' });
  });

  it('a worker of another street cannot register a wish in this community, and nothing is stored', async () => {
    const before = await Wish.countDocuments();
    expect(await registerWish({ worker: otherWorker, values: registerSchema.parse(form()) })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await Wish.countDocuments()).toBe(before);
  });
});

describe('claiming', () => {
  it('20 parallel claims of one wish by 20 people give it exactly one claimer; the worker is told once', async () => {
    const number = await register({ title: '去海底世界看鱼', kind: 'experience', value: '150' });
    const results = await Promise.all(claimers.slice(0, 20).map((claimer) => claimWish({ claimer, number, displayAs: 'account' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason))).toEqual(new Set(['notOpen']));
    const stored = await Wish.findOne({ number }).lean();
    const winner = claimers[results.findIndex((r) => r.ok)]!;
    expect(stored).toMatchObject({ status: 'claimed', claim: { by: new Types.ObjectId(winner.id), displayAs: 'account', displayName: winner.name }, claimSlot: `${winner.id}:0` });
    expect(await AuditLog.countDocuments({ action: 'wish.claimed', targetId: String(stored!._id) })).toBe(1);
    expect(await Notification.countDocuments({ type: 'wishClaimed', 'data.wishNumber': number, recipient: new Types.ObjectId(worker.id) })).toBe(1);
  });

  it(`one person holds at most ${MAX_OPEN_CLAIMS} open claims, also when claiming ${MAX_OPEN_CLAIMS + 3} wishes in parallel; delivering frees a place`, async () => {
    const claimer = claimers[21]!;
    const numbers: number[] = [];
    for (let i = 0; i < MAX_OPEN_CLAIMS + 3; i++) numbers.push(await register({ title: `冬季棉服${i}` }));
    const results = await Promise.all(numbers.map((number) => claimWish({ claimer, number, displayAs: 'anonymous' })));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_OPEN_CLAIMS);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(3).fill('tooManyClaims'));
    expect(await Wish.countDocuments({ 'claim.by': new Types.ObjectId(claimer.id), status: 'claimed' })).toBe(MAX_OPEN_CLAIMS);
    const open = numbers.filter((_, i) => !results[i]!.ok);
    const held = numbers.filter((_, i) => results[i]!.ok);
    expect(await deliverWish({ claimerId: claimer.id, number: held[0]!, note: '已送到社区服务站' })).toEqual({ ok: true, number: held[0] });
    expect(await claimWish({ claimer, number: open[0]!, displayAs: 'anonymous' })).toEqual({ ok: true, number: open[0] });
    expect((await claimWish({ claimer, number: open[1]!, displayAs: 'anonymous' })).ok).toBe(false);
  });

  it('only the claimer delivers: another resident and the worker are refused and nothing changes', async () => {
    const number = await register({ title: '一套水彩笔' });
    const [claimer, stranger] = [claimers[22]!, claimers[23]!];
    expect((await claimWish({ claimer, number, displayAs: 'unit', unitName: '崂山某科技公司团支部' })).ok).toBe(true);
    const before = await snapshot(number);
    expect(await deliverWish({ claimerId: stranger.id, number, note: '' })).toEqual({ ok: false, reason: 'notYours' });
    expect(await deliverWish({ claimerId: worker.id, number, note: '' })).toEqual({ ok: false, reason: 'notYours' });
    expect(await snapshot(number)).toEqual(before);
    expect((await deliverWish({ claimerId: claimer.id, number, note: '' })).ok).toBe(true);
    expect(await deliverWish({ claimerId: claimer.id, number, note: '' })).toEqual({ ok: false, reason: 'notClaimed' });
    expect(await Notification.countDocuments({ type: 'wishDelivered', 'data.wishNumber': number })).toBe(1);
  });

  it('a released claim opens the wish for someone else; the first claimer can no longer deliver it', async () => {
    const number = await register({ title: '一双运动鞋' });
    const [first, second] = [claimers[0]!, claimers[1]!];
    expect((await claimWish({ claimer: first, number, displayAs: 'account' })).ok).toBe(true);
    expect((await releaseClaim({ claimerId: first.id, number })).ok).toBe(true);
    expect(await Wish.findOne({ number }).select('status claim claimSlot releases').lean()).toMatchObject({ status: 'open', releases: 1 });
    expect((await claimWish({ claimer: second, number, displayAs: 'account' })).ok).toBe(true);
    expect(await deliverWish({ claimerId: first.id, number, note: '' })).toEqual({ ok: false, reason: 'notYours' });
    expect(await releaseClaim({ claimerId: first.id, number })).toEqual({ ok: false, reason: 'notYours' });
    expect((await Wish.findOne({ number }).lean())?.claim?.by).toEqual(new Types.ObjectId(second.id));
  });

  it('a claim past its delivery date is reminded once to the claimer and the registering worker, run twice or in parallel; a new claim can be reminded again', async () => {
    const DAY = 86_400_000;
    const overdue = await register({ title: '一个新书包' });
    const onTime = await register({ title: '一盒积木' });
    const [claimer, next] = [claimers[30]!, claimers[31]!];
    expect((await claimWish({ claimer, number: overdue, displayAs: 'account' })).ok).toBe(true);
    expect((await claimWish({ claimer, number: onTime, displayAs: 'account' })).ok).toBe(true);
    const told = (type: 'wishOverdue' | 'wishOverdueWorker', number: number) => Notification.countDocuments({ type, 'data.wishNumber': number });
    // Only the first is late: its delivery date moved back to yesterday.
    await Wish.updateOne({ number: overdue }, { $set: { 'claim.dueAt': new Date(Date.now() - DAY) } });
    const runs = await Promise.all([remindOverdueWishClaims(), remindOverdueWishClaims(), remindOverdueWishClaims()]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await remindOverdueWishClaims()).toBe(0);
    expect(await Notification.countDocuments({ type: 'wishOverdue', 'data.wishNumber': overdue, recipient: new Types.ObjectId(claimer.id) })).toBe(1);
    expect(await Notification.countDocuments({ type: 'wishOverdueWorker', 'data.wishNumber': overdue, recipient: new Types.ObjectId(worker.id) })).toBe(1);
    expect(await told('wishOverdue', onTime)).toBe(0);
    // Still the claimer's: a reminder takes nothing away.
    expect(await Wish.findOne({ number: overdue }).select('status claim.by').lean()).toMatchObject({ status: 'claimed', claim: { by: new Types.ObjectId(claimer.id) } });
    // Given back and claimed by someone else, late again: that claim is reminded too.
    expect((await releaseClaim({ claimerId: claimer.id, number: overdue })).ok).toBe(true);
    expect((await claimWish({ claimer: next, number: overdue, displayAs: 'account' })).ok).toBe(true);
    expect(await remindOverdueWishClaims()).toBe(0);
    expect(await remindOverdueWishClaims({ now: new Date(Date.now() + 30 * DAY) })).toBeGreaterThanOrEqual(2);
    expect(await Notification.countDocuments({ type: 'wishOverdue', 'data.wishNumber': overdue, recipient: new Types.ObjectId(next.id) })).toBe(1);
    expect(await told('wishOverdue', onTime)).toBe(1);
  });

  it('claiming and giving back over and over is stopped after CLAIMS_PER_HOUR claims in an hour', async () => {
    const number = await register({ title: '一副围棋' });
    const churner = claimers[24]!;
    const now = new Date();
    for (let i = 0; i < CLAIMS_PER_HOUR.max; i++) {
      expect((await claimWish({ claimer: churner, number, displayAs: 'account', now })).ok).toBe(true);
      expect((await releaseClaim({ claimerId: churner.id, number })).ok).toBe(true);
    }
    expect(await claimWish({ claimer: churner, number, displayAs: 'account', now })).toEqual({ ok: false, reason: 'tooManyAttempts' });
    expect((await Wish.findOne({ number }).lean())?.status).toBe('open');
    expect(await claimWish({ claimer: churner, number, displayAs: 'account', now: new Date(now.getTime() + CLAIMS_PER_HOUR.windowMs + 1000) })).toMatchObject({ ok: true });
  });
});

describe('confirming a delivery', () => {
  async function delivered(claimer = claimers[2]!) {
    const number = await register({ title: '一盒乐高积木' });
    expect((await claimWish({ claimer, number, displayAs: 'account' })).ok).toBe(true);
    expect((await deliverWish({ claimerId: claimer.id, number, note: '' })).ok).toBe(true);
    return number;
  }

  it('a worker of another street and the claimer are refused, and nothing changes', async () => {
    const number = await delivered();
    const before = await snapshot(number);
    expect(await confirmWish({ worker: otherWorker, number, photo: null, peopleConsent: false })).toEqual({ ok: false, reason: 'forbidden' });
    const claimer = { id: claimers[2]!.id, roles: [] };
    expect(await confirmWish({ worker: claimer, number, photo: null, peopleConsent: false })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await snapshot(number)).toEqual(before);
  });

  it('a worker who claimed a wish of their own area cannot confirm it; a colleague can', async () => {
    const number = await delivered({ id: communityWorker.id, name: '李社工' });
    expect(await confirmWish({ worker: communityWorker, number, photo: null, peopleConsent: false })).toEqual({ ok: false, reason: 'claimerCannotConfirm' });
    expect(await confirmWish({ worker, number, photo: null, peopleConsent: false })).toEqual({ ok: true });
  });

  it('a community worker of the area confirms, with a photo only when the consent box is ticked; the claimer is told', async () => {
    const number = await delivered();
    expect(await confirmWish({ worker: communityWorker, number, photo: { data: await jpegWithGps(), filename: 'gift.png' }, peopleConsent: false })).toEqual({
      ok: false,
      reason: 'photoConsentRequired',
    });
    expect((await Wish.findOne({ number }).lean())?.status).toBe('delivered');
    expect(await confirmWish({ worker: communityWorker, number, photo: { data: await jpegWithGps(), filename: 'gift.png' }, peopleConsent: true })).toEqual({ ok: true });
    const stored = await Wish.findOne({ number }).lean();
    expect(stored).toMatchObject({ status: 'confirmed', confirmedBy: new Types.ObjectId(communityWorker.id) });
    expect(stored?.photo?.fileId).toMatch(/^[0-9a-f]{24}$/);
    // Stored re-encoded: no EXIF, so no location.
    const image = await readImage(stored!.photo!.fileId, 'full');
    expect((await sharp(await buffer(image!.stream)).metadata()).exif).toBeUndefined();
    expect(await Notification.countDocuments({ type: 'wishConfirmed', 'data.wishNumber': number, recipient: new Types.ObjectId(claimers[2]!.id) })).toBe(1);
    expect(await confirmWish({ worker, number, photo: null, peopleConsent: false })).toEqual({ ok: false, reason: 'notDelivered' });
    expect(await AuditLog.countDocuments({ action: 'wish.confirmed', targetId: String(stored!._id) })).toBe(1);
  });
});

describe('withdrawing and counting', () => {
  it("a worker withdraws a claimed wish (the claimer is told, their place freed); another street's worker cannot", async () => {
    const number = await register({ title: '一个台灯' });
    const claimer = claimers[3]!;
    expect((await claimWish({ claimer, number, displayAs: 'account' })).ok).toBe(true);
    expect(await withdrawWish({ worker: otherWorker, number, reason: '越权' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(await withdrawWish({ worker, number, reason: '家庭已搬离本社区' })).toEqual({ ok: true });
    const stored = await Wish.findOne({ number }).lean();
    expect(stored).toMatchObject({ status: 'withdrawn', withdrawReason: '家庭已搬离本社区' });
    expect(stored?.claimSlot).toBeUndefined();
    expect(await Notification.countDocuments({ type: 'wishWithdrawn', 'data.wishNumber': number })).toBe(1);
    expect(await claimWish({ claimer: claimers[4]!, number, displayAs: 'account' })).toEqual({ ok: false, reason: 'notFound' });
  });

  it('counts open, claimed and delivered wishes overall and per street in one aggregate, leaving withdrawn ones out', async () => {
    const all = await Wish.find().select('status street').lean();
    const expected = { open: 0, claimed: 0, delivered: 0 };
    for (const w of all) {
      if (w.status === 'open' || w.status === 'claimed') expected[w.status] += 1;
      if (w.status === 'delivered' || w.status === 'confirmed') expected.delivered += 1;
    }
    const counts = await wishCounts();
    expect(counts.overall).toEqual(expected);
    expect(counts.byStreet[String(street)]).toEqual(expected);
    expect(counts.byStreet[String(otherStreet)]).toBeUndefined();
    expect((await wishCounts({ street: String(otherStreet) })).overall).toEqual({ open: 0, claimed: 0, delivered: 0 });
    const wall = await listWall({ page: 1 });
    expect(wall.counts).toEqual(counts);
    expect(wall.total).toBe(expected.open);
    expect(wall.cards.map((c) => c.number)).toEqual([...wall.cards.map((c) => c.number)].sort((a, b) => a - b));
    expect(JSON.stringify(wall.cards)).not.toMatch(/registeredBy|claim/);
    void otherCommunity;
  });
});
