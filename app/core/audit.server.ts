import mongoose, { type Types } from 'mongoose';
import { AuditLog, User } from '#models';

export interface AuditEntry {
  actor?: Types.ObjectId | string | null;
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  ip?: string;
}

/** Records a privileged action. Append-only: nothing in the app updates or deletes entries. */
export async function audit(entry: AuditEntry): Promise<void> {
  await AuditLog.create(entry);
}

const AUDIT_PAGE = 50;

/** The audit log for admins, newest first, filterable by action and target. */
export async function listAudit(filter: { action?: string; targetId?: string; page: number }) {
  const query: Record<string, unknown> = {};
  if (filter.action) query.action = filter.action;
  if (filter.targetId) query.targetId = filter.targetId;
  const [entries, total, actions] = await Promise.all([
    AuditLog.find(query).sort({ createdAt: -1, _id: -1 }).skip((filter.page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE).lean(),
    AuditLog.countDocuments(query),
    AuditLog.distinct('action'),
  ]);
  const actors = await User.find({ _id: mongoose.trusted({ $in: entries.map((e) => e.actor).filter(Boolean) }) }).select('name').lean();
  const names = new Map(actors.map((a) => [String(a._id), a.name]));
  return {
    total,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE)),
    actions: actions.sort(),
    entries: entries.map((e) => ({
      id: String(e._id),
      at: e.createdAt.toISOString(),
      actor: e.actor ? (names.get(String(e.actor)) ?? String(e.actor)) : null,
      action: e.action,
      target: `${e.targetType}${e.targetId ? ` ${e.targetId}` : ''}`,
      reason: e.reason ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      ip: e.ip ?? null,
    })),
  };
}
