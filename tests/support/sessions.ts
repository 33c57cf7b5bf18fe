import type { Types } from 'mongoose';
import type { SessionUser } from '~/core/auth.server';

/** A stored user as the app's session sees them, for calling services directly. */
export function sessionUser(doc: { _id: Types.ObjectId; name: string; roles: { role: string; scopeType: string; scopeId?: Types.ObjectId | null }[] }): SessionUser {
  return {
    id: String(doc._id),
    name: doc.name,
    language: 'zh',
    streetId: null,
    communityId: null,
    roles: doc.roles.map((r) => ({ role: r.role, scopeType: r.scopeType, scopeId: r.scopeId ? String(r.scopeId) : null })) as SessionUser['roles'],
  };
}
