import { Types } from 'mongoose';
import { Wish } from '#models';
import { audit } from '~/core/audit.server';
import { isDuplicateKeyError } from '~/core/db.server';
import { notify, type NotificationType } from '~/core/notifications.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { claimDisplayName, deliveryDue, MAX_OPEN_CLAIMS, type DisplayChoice, type WishStatus } from './rules';

/**
 * A claimer's acts on a wish: claim it, give the claim back, mark it delivered. Each is one
 * conditional update of the wish whose filter carries the rule (the status it must be in, the
 * claimer it must belong to), so parallel requests cannot both succeed; a refusal reads the wish
 * again only to say why. Every change is audited and the registering worker is told.
 */

export interface Claimer {
  id: string;
  name: string;
}

export type ClaimRefusal = 'notFound' | 'notOpen' | 'alreadyYours' | 'tooManyClaims' | 'tooManyAttempts';

/**
 * Claims one person may make in an hour: plenty for anyone keeping promises, too few to churn
 * wishes (claim, give back, claim) and flood the workers with notifications.
 */
export const CLAIMS_PER_HOUR: Limit = { max: 10, windowMs: 60 * 60 * 1000 };
export type ClaimantRefusal = 'notFound' | 'notYours' | 'notClaimed';
export type ClaimResult<R extends string> = { ok: true; number: number } | { ok: false; reason: R };

const slotKey = (userId: string, slot: number) => `${userId}:${slot}`;

async function tellWorker(type: NotificationType, wish: { number: number; registeredBy: Types.ObjectId }, actorId: string): Promise<void> {
  await notify([String(wish.registeredBy)], { type, competitionSlug: '', actorId, data: { wishNumber: wish.number } });
}

/**
 * Claims an open wish for the claimer, shown as they chose (their account's name by default, a
 * unit's name, or anonymous). One claimer per wish: the update requires `status: 'open'`. At most
 * MAX_OPEN_CLAIMS at once: the claim takes a free slot of the claimer's under the unique
 * `claimSlot` index, so of parallel claims by one person only as many as there are slots succeed.
 */
export async function claimWish(input: { claimer: Claimer; number: number; displayAs: DisplayChoice; unitName?: string; ip?: string; now?: Date }): Promise<ClaimResult<ClaimRefusal>> {
  const now = input.now ?? new Date();
  const by = new Types.ObjectId(input.claimer.id);
  const [wish, held] = await Promise.all([
    Wish.findOne({ number: input.number }).select('_id number status registeredBy claim.by').lean(),
    Wish.find({ 'claim.by': by, status: 'claimed' }).select('claimSlot').lean(),
  ]);
  if (!wish || wish.status === 'withdrawn') return { ok: false, reason: 'notFound' };
  if (wish.status !== 'open') return { ok: false, reason: wish.claim && String(wish.claim.by) === input.claimer.id ? 'alreadyYours' : 'notOpen' };
  const taken = new Set(held.map((w) => w.claimSlot));
  const free = Array.from({ length: MAX_OPEN_CLAIMS }, (_, slot) => slotKey(input.claimer.id, slot)).filter((key) => !taken.has(key));
  if (free.length === 0) return { ok: false, reason: 'tooManyClaims' };
  if (!(await consumeAttempt(`wish-claim:${input.claimer.id}`, CLAIMS_PER_HOUR, now)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  const claim = {
    by,
    displayAs: input.displayAs,
    displayName: claimDisplayName(input.displayAs, input.claimer.name, input.unitName),
    at: now,
    dueAt: deliveryDue(now),
  };
  for (const claimSlot of free) {
    try {
      const result = await Wish.updateOne({ _id: wish._id, status: 'open' }, { $set: { status: 'claimed', claim, claimSlot } });
      if (result.modifiedCount !== 1) return { ok: false, reason: 'notOpen' };
    } catch (error) {
      // A parallel claim of this person's took this slot a moment ago: the next one, if any.
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
    await audit({
      actor: input.claimer.id,
      action: 'wish.claimed',
      targetType: 'Wish',
      targetId: String(wish._id),
      before: { status: 'open' },
      after: { status: 'claimed', number: wish.number, displayAs: input.displayAs },
      ip: input.ip,
    });
    await tellWorker('wishClaimed', wish, input.claimer.id);
    return { ok: true, number: wish.number };
  }
  return { ok: false, reason: 'tooManyClaims' };
}

/** Why the claimer's own act was refused, read after the conditional update matched nothing. */
async function claimantRefusal(number: number, claimerId: string): Promise<ClaimantRefusal> {
  const wish = await Wish.findOne({ number }).select('status claim.by').lean();
  if (!wish || wish.status === 'withdrawn') return 'notFound';
  if (!wish.claim || String(wish.claim.by) !== claimerId) return 'notYours';
  return 'notClaimed';
}

async function claimantMove(input: {
  claimerId: string;
  number: number;
  to: WishStatus;
  set: Record<string, unknown>;
  unset: Record<string, 1>;
  inc?: Record<string, number>;
  action: string;
  notification: NotificationType;
  after: Record<string, unknown>;
  ip?: string;
}): Promise<ClaimResult<ClaimantRefusal>> {
  const by = new Types.ObjectId(input.claimerId);
  const wish = await Wish.findOne({ number: input.number, status: 'claimed', 'claim.by': by }).select('_id number registeredBy').lean();
  if (!wish) return { ok: false, reason: await claimantRefusal(input.number, input.claimerId) };
  const result = await Wish.updateOne(
    { _id: wish._id, status: 'claimed', 'claim.by': by },
    { $set: { status: input.to, ...input.set }, $unset: input.unset, ...(input.inc ? { $inc: input.inc } : {}) },
  );
  if (result.modifiedCount !== 1) return { ok: false, reason: await claimantRefusal(input.number, input.claimerId) };
  await audit({
    actor: input.claimerId,
    action: input.action,
    targetType: 'Wish',
    targetId: String(wish._id),
    before: { status: 'claimed' },
    after: { status: input.to, number: wish.number, ...input.after },
    ip: input.ip,
  });
  await tellWorker(input.notification, wish, input.claimerId);
  return { ok: true, number: wish.number };
}

/** The claimer gives the claim back before delivering: the wish is open again, the slot free. */
export function releaseClaim(input: { claimerId: string; number: number; ip?: string }): Promise<ClaimResult<ClaimantRefusal>> {
  return claimantMove({
    ...input,
    to: 'open',
    set: {},
    unset: { claim: 1, claimSlot: 1 },
    inc: { releases: 1 },
    action: 'wish.released',
    notification: 'wishReleased',
    after: {},
  });
}

/** Only the claimer marks the wish delivered (to the community); a worker of the area confirms it later. */
export function deliverWish(input: { claimerId: string; number: number; note: string; ip?: string; now?: Date }): Promise<ClaimResult<ClaimantRefusal>> {
  return claimantMove({
    ...input,
    to: 'delivered',
    set: { deliveredAt: input.now ?? new Date(), ...(input.note ? { deliveryNote: input.note } : {}) },
    unset: { claimSlot: 1 },
    action: 'wish.delivered',
    notification: 'wishDelivered',
    after: input.note ? { note: input.note } : {},
  });
}
