import type { Types } from 'mongoose';
import { AuditLog } from '#models';

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
