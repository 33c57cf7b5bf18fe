import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Wish } from '#models';
import { notifyMany } from '~/core/notifications.server';

/**
 * A claim whose delivery date has passed: the claimer is reminded (deliver it, or give it back so
 * someone else can) and the worker who registered the wish is told, once per claim. Marked with
 * one updateMany that only matches claims not yet reminded, tagged with this run's key, then
 * everyone is told in one bulk write: a second run, or a run in another process at the same
 * moment, matches nothing it did not mark itself. The claim is not taken away: the worker
 * decides, on the wish's management page, whether to wait or to withdraw it.
 */
export async function remindOverdueWishClaims(input: { now?: Date } = {}): Promise<number> {
  const now = input.now ?? new Date();
  const run = randomUUID();
  const marked = await Wish.updateMany(
    { status: 'claimed', 'claim.dueAt': mongoose.trusted({ $lte: now }), 'claim.remindedAt': null },
    { $set: { 'claim.remindedAt': now, 'claim.reminderRun': run } },
  );
  if (marked.modifiedCount === 0) return 0;
  const wishes = await Wish.find({ 'claim.reminderRun': run }).select('number registeredBy claim.by').lean();
  await notifyMany(
    wishes.flatMap((w) => [
      { recipientIds: [String(w.claim!.by)], event: { type: 'wishOverdue' as const, competitionSlug: '', data: { wishNumber: w.number } } },
      { recipientIds: [String(w.registeredBy)], event: { type: 'wishOverdueWorker' as const, competitionSlug: '', data: { wishNumber: w.number } } },
    ]),
    { onceAcrossBatches: false },
  );
  return wishes.length;
}
