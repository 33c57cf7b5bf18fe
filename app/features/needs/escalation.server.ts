import { randomUUID } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { Need, User } from '#models';
import { notifyMany } from '~/core/notifications.server';
import { escalationCutoff } from './rules';

/**
 * Needs that waited on the board unclaimed for `days` days are escalated to their street's
 * committee: marked once (one updateMany that only matches needs not yet escalated, tagged with
 * this run's key), then every street committee member of those streets is told in one bulk write.
 * Idempotent: a second run, or a run in another process at the same moment, matches nothing it
 * did not mark itself, so each need is escalated and told once.
 */
export async function escalateStaleNeeds(input: { days: number; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const run = randomUUID();
  const marked = await Need.updateMany(
    { status: 'open', escalatedAt: null, publishedAt: mongoose.trusted({ $lte: escalationCutoff(now, input.days) }) },
    { $set: { escalatedAt: now, escalationRun: run } },
  );
  if (marked.modifiedCount === 0) return 0;
  const needs = await Need.find({ escalationRun: run }).select('number street').lean();
  const streets = [...new Set(needs.map((n) => String(n.street)))].map((id) => new Types.ObjectId(id));
  const committee = await User.find({ roles: mongoose.trusted({ $elemMatch: { role: 'streetCommittee', scopeType: 'street', scopeId: { $in: streets } } }) })
    .select('roles')
    .lean();
  const membersOf = (street: string) =>
    committee.filter((u) => u.roles.some((g) => g.role === 'streetCommittee' && String(g.scopeId) === street)).map((u) => String(u._id));
  await notifyMany(
    needs.map((n) => ({ recipientIds: membersOf(String(n.street)), event: { type: 'needEscalated' as const, competitionSlug: '', data: { needNumber: n.number } } })),
    { onceAcrossBatches: false },
  );
  return needs.length;
}
