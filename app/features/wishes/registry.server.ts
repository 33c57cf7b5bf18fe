import mongoose, { Types } from 'mongoose';
import { Community, Wish } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify } from '~/core/notifications.server';
import type { Grant } from '~/core/permissions.server';
import { hasPermission } from '~/core/permissions.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import type { UploadErrorReason } from '~/core/uploads';
import type { RegisterInput } from './wish.schema';
import type { WishStatus } from './rules';

/**
 * A worker's acts on the wishes of their area (permission `wish:register` on the wish's street
 * and community): register one, confirm its delivery, withdraw it. The permission is checked
 * against the wish's own place, read from the database, never against what a form says; the
 * change is one conditional update (status, and for a confirmation: not by the claimer). Each is
 * audited; the claimer is told of a confirmation and of a withdrawal of their claim.
 */

export interface Worker {
  id: string;
  roles: readonly Grant[];
}

export type RegisterResult = { ok: true; number: number } | { ok: false; reason: 'forbidden' | 'communityUnknown' };

export async function registerWish(input: { worker: Worker; values: RegisterInput; ip?: string }): Promise<RegisterResult> {
  const { values } = input;
  const community = await Community.findById(values.community).select('street').lean();
  if (!community) return { ok: false, reason: 'communityUnknown' };
  const place = { streetId: String(community.street), communityId: String(community._id) };
  if (!hasPermission(input.worker.roles, 'wish:register', place)) return { ok: false, reason: 'forbidden' };
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await Wish.findOne().sort({ number: -1 }).select('number').lean();
    const number = (last?.number ?? 0) + 1;
    try {
      const doc = await Wish.create({
        number,
        kind: values.kind,
        title: values.title,
        description: values.description,
        valueFen: values.value,
        child: { initial: values.childInitial, term: values.childTerm, age: values.childAge },
        street: community.street,
        community: community._id,
        registeredBy: new Types.ObjectId(input.worker.id),
      });
      await audit({
        actor: input.worker.id,
        action: 'wish.registered',
        targetType: 'Wish',
        targetId: String(doc._id),
        after: { number, kind: values.kind, title: values.title, valueFen: values.value, street: place.streetId, community: place.communityId },
        ip: input.ip,
      });
      return { ok: true, number };
    } catch (error) {
      // Another registration took this number at the same moment: the next one.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('could not allocate a wish number');
}

type WorkerRefusal = 'notFound' | 'forbidden';

/** The wish and whether this worker works in its area; a withdrawn wish still exists for its workers. */
async function wishForWorker(worker: Worker, number: number) {
  const wish = await Wish.findOne({ number }).select('_id number status street community claim.by').lean();
  if (!wish) return { ok: false as const, reason: 'notFound' as WorkerRefusal };
  if (!hasPermission(worker.roles, 'wish:register', { streetId: String(wish.street), communityId: String(wish.community) })) return { ok: false as const, reason: 'forbidden' as WorkerRefusal };
  return { ok: true as const, wish };
}

export type ConfirmRefusal = WorkerRefusal | 'notDelivered' | 'claimerCannotConfirm' | 'photoConsentRequired' | UploadErrorReason;
export type ConfirmResult = { ok: true } | { ok: false; reason: ConfirmRefusal };

/**
 * A worker of the wish's area confirms that the delivered wish reached the child: never the
 * claimer (not even a worker who claimed it). An optional photo is stored (re-encoded, without
 * EXIF or location) and shown publicly, only when the worker ticked that the people in it agreed.
 */
export async function confirmWish(input: {
  worker: Worker;
  number: number;
  photo: { data: Uint8Array; filename: string } | null;
  peopleConsent: boolean;
  ip?: string;
  now?: Date;
}): Promise<ConfirmResult> {
  const found = await wishForWorker(input.worker, input.number);
  if (!found.ok) return found;
  const { wish } = found;
  const worker = new Types.ObjectId(input.worker.id);
  if (wish.claim && String(wish.claim.by) === input.worker.id) return { ok: false, reason: 'claimerCannotConfirm' };
  if (wish.status !== 'delivered') return { ok: false, reason: 'notDelivered' };
  if (input.photo && !input.peopleConsent) return { ok: false, reason: 'photoConsentRequired' };
  let photo: { fileId: string; thumbId: string } | undefined;
  if (input.photo) {
    const stored = await storeImage({ data: input.photo.data, filename: input.photo.filename, uploaderId: input.worker.id, kind: 'photo', visibility: 'public' });
    if (!stored.ok) return { ok: false, reason: stored.reason };
    photo = { fileId: stored.fileId, thumbId: stored.thumbId };
  }
  const result = await Wish.updateOne(
    { _id: wish._id, status: 'delivered', 'claim.by': mongoose.trusted({ $ne: worker }) },
    { $set: { status: 'confirmed', confirmedAt: input.now ?? new Date(), confirmedBy: worker, ...(photo ? { photo } : {}) } },
  );
  if (result.modifiedCount !== 1) {
    if (photo) await deleteImage(photo.fileId);
    return { ok: false, reason: 'notDelivered' };
  }
  await audit({
    actor: input.worker.id,
    action: 'wish.confirmed',
    targetType: 'Wish',
    targetId: String(wish._id),
    before: { status: 'delivered' },
    after: { status: 'confirmed', number: wish.number, ...(photo ? { photo: true } : {}) },
    ip: input.ip,
  });
  if (wish.claim) await notify([String(wish.claim.by)], { type: 'wishConfirmed', competitionSlug: '', actorId: input.worker.id, data: { wishNumber: wish.number } });
  return { ok: true };
}

export type WithdrawResult = { ok: true } | { ok: false; reason: WorkerRefusal | 'notWithdrawable' };

/**
 * A worker takes an open or claimed wish off the wall (the family moved, the wish was met
 * otherwise), with a reason; a claimer is told. The update names the status it read, so a claim
 * made meanwhile is seen (and told) on the next try.
 */
export async function withdrawWish(input: { worker: Worker; number: number; reason: string; ip?: string; now?: Date }): Promise<WithdrawResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await wishForWorker(input.worker, input.number);
    if (!found.ok) return found;
    const { wish } = found;
    if (wish.status !== 'open' && wish.status !== 'claimed') return { ok: false, reason: 'notWithdrawable' };
    const status: WishStatus = wish.status;
    const result = await Wish.updateOne(
      { _id: wish._id, status, ...(wish.claim ? { 'claim.by': wish.claim.by } : {}) },
      { $set: { status: 'withdrawn', withdrawnAt: input.now ?? new Date(), withdrawnBy: new Types.ObjectId(input.worker.id), withdrawReason: input.reason }, $unset: { claimSlot: 1 } },
    );
    if (result.modifiedCount !== 1) continue;
    await audit({
      actor: input.worker.id,
      action: 'wish.withdrawn',
      targetType: 'Wish',
      targetId: String(wish._id),
      before: { status },
      after: { status: 'withdrawn', number: wish.number },
      reason: input.reason,
      ip: input.ip,
    });
    if (status === 'claimed' && wish.claim) await notify([String(wish.claim.by)], { type: 'wishWithdrawn', competitionSlug: '', actorId: input.worker.id, data: { wishNumber: wish.number } });
    return { ok: true };
  }
  return { ok: false, reason: 'notWithdrawable' };
}
