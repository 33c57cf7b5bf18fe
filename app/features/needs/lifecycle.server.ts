import { randomUUID } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Community, Helper, Need, NeedDetail, User } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { notifyMany } from '~/core/notifications.server';
import { hasPermission } from '~/core/permissions.server';
import { deleteImage } from '~/core/uploads.server';
import { HELPER_OPEN_CLAIMS_MAX, type NeedStatus, type NeedUrgency, type RaiserKind } from './needs';
import { needReference } from './reference.server';
import { identifyingDetails, mayMove, type IdentifyingKind } from './rules';
import { isDuplicateKeyError } from '~/core/db.server';

/**
 * A need's life (docs/decisions/028): raised -> verified (or rejected) -> claimed by one
 * certified helper -> reported done -> confirmed by the whistle-blower (or the street's
 * committee), or reopened. Each move is ONE conditional update naming the status it starts from
 * (and the current claim's key), so two helpers claiming at once, or a confirmation racing a
 * reopening, can never both apply. No private detail ever enters a Need, an audit entry or a
 * notification.
 */

export interface NeedArea {
  streetId: string;
  communityId: string;
}

/** The raiser kinds an account may raise as in an area: grid workers as such, whistle-blowers as a representative or organization. */
export function raiserKinds(user: SessionUser, area: NeedArea): RaiserKind[] {
  const kinds: RaiserKind[] = [];
  if (hasPermission(user.roles.filter((g) => g.role === 'gridWorker'), 'need:raise', area)) kinds.push('gridWorker');
  if (hasPermission(user.roles.filter((g) => g.role === 'whistleBlower'), 'need:raise', area)) kinds.push('partyRep', 'residentRep', 'socialOrg');
  if (hasPermission(user.roles.filter((g) => g.role === 'admin'), 'need:raise', area)) kinds.push('gridWorker', 'partyRep', 'residentRep', 'socialOrg');
  return [...new Set(kinds)];
}

export interface RaiseInput {
  category: string;
  urgency: NeedUrgency;
  communityId: string;
  grid: string;
  description: string;
  raisedAs: RaiserKind;
  name: string;
  address: string;
  phone: string;
  situation: string;
  /** The whistle-blower read the warning about identifying details and keeps the text. */
  acknowledged: boolean;
}

export type RaiseResult =
  | { ok: true; number: number }
  | { ok: false; reason: 'notAllowed' | 'category' | 'community'; kinds?: undefined }
  | { ok: false; reason: 'identifying'; kinds: IdentifyingKind[] };

export async function raiseNeed(input: { actor: SessionUser; need: RaiseInput; ip?: string }): Promise<RaiseResult> {
  const { need, actor } = input;
  if (!Types.ObjectId.isValid(need.communityId)) return { ok: false, reason: 'community' };
  const [community, reference] = await Promise.all([Community.findById(need.communityId).select('street').lean(), needReference()]);
  if (!community) return { ok: false, reason: 'community' };
  const area = { streetId: String(community.street), communityId: need.communityId };
  if (!raiserKinds(actor, area).includes(need.raisedAs)) return { ok: false, reason: 'notAllowed' };
  if (!reference.categories.some((c) => c.code === need.category && c.active)) return { ok: false, reason: 'category' };
  const kinds = identifyingDetails(need.description, need);
  if (kinds.length && !need.acknowledged) return { ok: false, reason: 'identifying', kinds };

  // The private half first: a need never exists without its details (a failed insert leaves only an unreachable detail, removed below).
  const id = new Types.ObjectId();
  await NeedDetail.create({ need: id, name: need.name, address: need.address, phone: need.phone, situation: need.situation });
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      const last = await Need.findOne().sort({ number: -1 }).select('number').lean();
      const number = (last?.number ?? 0) + 1;
      try {
        await Need.create({
          _id: id,
          number,
          category: need.category,
          urgency: need.urgency,
          street: area.streetId,
          community: area.communityId,
          grid: need.grid,
          description: need.description,
          raisedBy: actor.id,
          raisedAs: need.raisedAs,
        });
      } catch (error) {
        // Someone took this number at the same moment: take the next one.
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      await audit({ actor: actor.id, action: 'need.raised', targetType: 'Need', targetId: String(id), after: { number, category: need.category, urgency: need.urgency, warned: kinds }, ip: input.ip });
      const verifiers = await User.find({
        roles: mongoose.trusted({ $elemMatch: { role: 'communityWorker', scopeId: { $in: [new Types.ObjectId(area.streetId), new Types.ObjectId(area.communityId)] } } }),
      })
        .select('_id')
        .limit(200)
        .lean();
      await notifyMany([{ recipientIds: verifiers.map((v) => String(v._id)), event: { type: 'needRaised', competitionSlug: '', actorId: actor.id, data: { needNumber: number } } }]);
      return { ok: true, number };
    }
    throw new Error('could not allocate a need number');
  } catch (error) {
    await NeedDetail.deleteOne({ need: id });
    throw error;
  }
}

/** What the moves below read of a need. */
interface NeedFacts {
  _id: Types.ObjectId;
  number: number;
  status: NeedStatus;
  street: Types.ObjectId;
  community: Types.ObjectId;
  raisedBy: Types.ObjectId;
  publishedAt?: Date | null;
  firstClaimedAt?: Date | null;
  claim?: { key: string; helper: Types.ObjectId; by: Types.ObjectId; at: Date } | null;
  fulfilment?: { photos?: { fileId: string }[] | null } | null;
}

async function findNeed(number: number): Promise<NeedFacts | null> {
  return (await Need.findOne({ number }).select('number status street community raisedBy publishedAt firstClaimedAt claim fulfilment.photos.fileId').lean());
}

const areaOf = (need: NeedFacts): NeedArea => ({ streetId: String(need.street), communityId: String(need.community) });

/** The raiser, or the street's committee, answer for the need: confirm, reopen, withdraw. */
export function answersFor(user: SessionUser, need: { raisedBy: Types.ObjectId | string; street: Types.ObjectId | string; community: Types.ObjectId | string }): boolean {
  return String(need.raisedBy) === user.id || hasPermission(user.roles, 'need:oversee', { streetId: String(need.street), communityId: String(need.community) });
}

export type MoveFailure = 'notFound' | 'notAllowed' | 'ownNeed' | 'wrongStatus' | 'notCertified' | 'tooManyClaims';
export type MoveResult = { ok: true } | { ok: false; reason: MoveFailure };

const notify = (recipientIds: string[], type: 'needVerified' | 'needClaimed' | 'needDone' | 'needFulfilled' | 'needReopened' | 'needReleased', actorId: string, number: number, data: Record<string, number> = {}) =>
  notifyMany([{ recipientIds, event: { type, competitionSlug: '', actorId, data: { needNumber: number, ...data } } }]);

/** A community worker of the need's area decides whether it is authentic; never the raiser. */
export async function verifyNeed(input: { actor: SessionUser; number: number; authentic: boolean; note: string; ip?: string; now?: Date }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  if (!hasPermission(input.actor.roles, 'need:verify', areaOf(need))) return { ok: false, reason: 'notAllowed' };
  if (String(need.raisedBy) === input.actor.id) return { ok: false, reason: 'ownNeed' };
  const at = input.now ?? new Date();
  const verification = { by: input.actor.id, at, authentic: input.authentic, note: input.note };
  const moved = await Need.updateOne(
    { _id: need._id, status: 'pending' },
    { $set: input.authentic ? { status: 'open', verification, publishedAt: at } : { status: 'rejected', verification } },
  );
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await audit({ actor: input.actor.id, action: input.authentic ? 'need.verified' : 'need.rejected', targetType: 'Need', targetId: String(need._id), after: { number: need.number }, reason: input.note || undefined, ip: input.ip });
  await notify([String(need.raisedBy)], 'needVerified', input.actor.id, need.number, { authentic: input.authentic ? 1 : 0 });
  return { ok: true };
}

/** The raiser (or the street's committee) takes a need back before anyone claims it. */
export async function withdrawNeed(input: { actor: SessionUser; number: number; reason: string; ip?: string }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  if (!answersFor(input.actor, need)) return { ok: false, reason: 'notAllowed' };
  const moved = await Need.updateOne({ _id: need._id, status: mongoose.trusted({ $in: ['pending', 'open'] }) }, { $set: { status: 'withdrawn', withdrawnReason: input.reason } });
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await audit({ actor: input.actor.id, action: 'need.withdrawn', targetType: 'Need', targetId: String(need._id), after: { number: need.number }, reason: input.reason, ip: input.ip });
  return { ok: true };
}

/**
 * A member of a certified helper claims an open need. The helper's claim count is reserved first
 * (one conditional update, capped), then the need moves from open (one conditional update): of
 * twenty helpers claiming at once, one moves it and the rest give their reservation back.
 */
export async function claimNeed(input: { actor: SessionUser; number: number; ip?: string; now?: Date }): Promise<MoveResult> {
  const [need, helper] = await Promise.all([findNeed(input.number), Helper.findOne({ members: new Types.ObjectId(input.actor.id) }).select('status').lean()]);
  if (!need) return { ok: false, reason: 'notFound' };
  if (!helper || helper.status !== 'certified') return { ok: false, reason: 'notCertified' };
  // The whistle-blower's chain answers for the need; it does not claim it.
  if (answersFor(input.actor, need) || hasPermission(input.actor.roles, 'need:verify', areaOf(need))) return { ok: false, reason: 'ownNeed' };
  if (!mayMove(need.status, 'claim')) return { ok: false, reason: 'wrongStatus' };
  const reserved = await Helper.updateOne({ _id: helper._id, status: 'certified', openClaims: mongoose.trusted({ $lt: HELPER_OPEN_CLAIMS_MAX }) }, { $inc: { openClaims: 1 } });
  if (reserved.modifiedCount !== 1) return { ok: false, reason: 'tooManyClaims' };
  const at = input.now ?? new Date();
  const first = need.firstClaimedAt ? {} : { firstClaimedAt: at, claimMs: need.publishedAt ? Math.max(0, at.getTime() - need.publishedAt.getTime()) : 0 };
  const moved = await Need.updateOne(
    { _id: need._id, status: 'open' },
    { $set: { status: 'claimed', claim: { key: randomUUID(), helper: helper._id, by: input.actor.id, at }, ...first } },
  );
  if (moved.modifiedCount !== 1) {
    await Helper.updateOne({ _id: helper._id, openClaims: mongoose.trusted({ $gt: 0 }) }, { $inc: { openClaims: -1 } });
    return { ok: false, reason: 'wrongStatus' };
  }
  await audit({ actor: input.actor.id, action: 'need.claimed', targetType: 'Need', targetId: String(need._id), after: { number: need.number, helper: String(helper._id) }, ip: input.ip });
  await notify([String(need.raisedBy)], 'needClaimed', input.actor.id, need.number);
  return { ok: true };
}

/** The current claim, if the actor belongs to the helper holding it. */
async function ownClaim(actor: SessionUser, need: NeedFacts): Promise<NeedFacts['claim'] | null> {
  if (!need.claim) return null;
  const member = await Helper.exists({ _id: need.claim.helper, members: new Types.ObjectId(actor.id) });
  return member ? need.claim : null;
}

/** Ends the current claim: the need goes back on the board, the claim into the history. */
async function endClaim(need: NeedFacts, claim: NonNullable<NeedFacts['claim']>, from: NeedStatus[], outcome: 'released' | 'reopened', at: Date) {
  return Need.updateOne(
    { _id: need._id, status: mongoose.trusted({ $in: from }), 'claim.key': claim.key },
    {
      $set: { status: 'open', claim: null },
      $unset: { fulfilment: 1 },
      $push: { claims: { ...claim, endedAt: at, outcome } },
      ...(outcome === 'reopened' ? { $inc: { reopenCount: 1 } } : {}),
    },
  );
}

const freeSlot = (helperId: Types.ObjectId, fulfilled = false) =>
  Helper.updateOne({ _id: helperId, openClaims: mongoose.trusted({ $gt: 0 }) }, { $inc: { openClaims: -1, ...(fulfilled ? { fulfilledCount: 1 } : {}) } });

/** The helper gives a claimed need back before reporting it done. */
export async function releaseNeed(input: { actor: SessionUser; number: number; ip?: string; now?: Date }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  const claim = await ownClaim(input.actor, need);
  if (!claim) return { ok: false, reason: 'notAllowed' };
  const moved = await endClaim(need, claim, ['claimed'], 'released', input.now ?? new Date());
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await freeSlot(claim.helper);
  await audit({ actor: input.actor.id, action: 'need.released', targetType: 'Need', targetId: String(need._id), after: { number: need.number }, ip: input.ip });
  await notify([String(need.raisedBy)], 'needReleased', input.actor.id, need.number);
  return { ok: true };
}

export interface NeedPhoto {
  fileId: string;
  thumbId: string;
  peopleConsent: boolean;
}

/** The helper reports what was done, with photos (stored already, metadata stripped); the raiser then confirms or reopens. */
export async function reportNeedDone(input: { actor: SessionUser; number: number; note: string; photos: NeedPhoto[]; ip?: string; now?: Date }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  const claim = await ownClaim(input.actor, need);
  if (!claim) return { ok: false, reason: 'notAllowed' };
  const moved = await Need.updateOne(
    { _id: need._id, status: 'claimed', 'claim.key': claim.key },
    { $set: { status: 'done', fulfilment: { note: input.note, photos: input.photos, at: input.now ?? new Date() } } },
  );
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await audit({ actor: input.actor.id, action: 'need.done', targetType: 'Need', targetId: String(need._id), after: { number: need.number, photos: input.photos.length }, ip: input.ip });
  await notify([String(need.raisedBy)], 'needDone', input.actor.id, need.number);
  return { ok: true };
}

async function helperMembers(helperId: Types.ObjectId): Promise<string[]> {
  const doc = await Helper.findById(helperId).select('members').lean();
  return (doc?.members ?? []).map(String);
}

/** The raiser, or the street's committee, confirms the need fulfilled; the helper's access to its details ends. */
export async function confirmNeed(input: { actor: SessionUser; number: number; ip?: string; now?: Date }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  if (!answersFor(input.actor, need)) return { ok: false, reason: 'notAllowed' };
  const claim = need.claim;
  if (!claim || !mayMove(need.status, 'confirm')) return { ok: false, reason: 'wrongStatus' };
  const at = input.now ?? new Date();
  const moved = await Need.updateOne(
    { _id: need._id, status: 'done', 'claim.key': claim.key },
    {
      $set: { status: 'fulfilled', claim: null, fulfilledBy: claim.helper, fulfilledAt: at, fulfilMs: need.publishedAt ? Math.max(0, at.getTime() - need.publishedAt.getTime()) : 0 },
      $push: { claims: { ...claim, endedAt: at, outcome: 'fulfilled' } },
    },
  );
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await freeSlot(claim.helper, true);
  await audit({ actor: input.actor.id, action: 'need.fulfilled', targetType: 'Need', targetId: String(need._id), after: { number: need.number }, ip: input.ip });
  await notify(await helperMembers(claim.helper), 'needFulfilled', input.actor.id, need.number);
  return { ok: true };
}

/** The raiser, or the street's committee, reopens a need that is not solved: the claim ends, the photos of the report go. */
export async function reopenNeed(input: { actor: SessionUser; number: number; reason: string; ip?: string; now?: Date }): Promise<MoveResult> {
  const need = await findNeed(input.number);
  if (!need) return { ok: false, reason: 'notFound' };
  if (!answersFor(input.actor, need)) return { ok: false, reason: 'notAllowed' };
  const claim = need.claim;
  if (!claim || !mayMove(need.status, 'reopen')) return { ok: false, reason: 'wrongStatus' };
  const moved = await endClaim(need, claim, ['claimed', 'done'], 'reopened', input.now ?? new Date());
  if (moved.modifiedCount !== 1) return { ok: false, reason: 'wrongStatus' };
  await freeSlot(claim.helper);
  await Promise.all((need.fulfilment?.photos ?? []).map((p) => deleteImage(p.fileId)));
  await audit({ actor: input.actor.id, action: 'need.reopened', targetType: 'Need', targetId: String(need._id), after: { number: need.number }, reason: input.reason, ip: input.ip });
  await notify(await helperMembers(claim.helper), 'needReopened', input.actor.id, need.number);
  return { ok: true };
}
