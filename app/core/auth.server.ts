import { redirect, type AppLoadContext } from '@remix-run/node';
import { Types } from 'mongoose';
import { User } from '#models';
import type { Language } from './locales';
import { hasPermission, type Grant, type Permission, type Target } from './permissions.server';
import { oncePerRequest } from './request-context.server';
import { getSessionData, SESSION_ACCOUNT, SESSION_ACCOUNT_SELECT, type SessionAccount } from './session.server';

/** What pages may know about the signed-in user: no password hash, no phone. */
export interface SessionUser {
  id: string;
  name: string;
  language: Language;
  streetId: string | null;
  communityId: string | null;
  roles: Grant[];
  /** Unread notifications (up to UNREAD_CAP), when known with the session; else null. */
  unreadNotifications?: number | null;
  /** Signed in on a shared kiosk tablet: the kiosk's id (decision 032). Such a session holds only resident grants. */
  kiosk?: string | null;
}

/**
 * Pages a kiosk session never opens whatever the account may do elsewhere (decision 032):
 * account settings, and every staff page (their permissions are gone from a kiosk session's
 * grants anyway; refused here by path too, so a page guarded only by requireUser stays shut).
 */
const KIOSK_REFUSED = /^\/(?:profile|notifications|admin|assist|kiosks|dashboard\/report|needs\/work|needs\/categories|wishes\/manage|organizations\/new|organizations\/checklists|competitions\/new)(?:[/.]|$)|^\/competitions\/[^/]+\/(?:manage|screening|judge|judging|voting|projects\/supervision)(?:[/.]|$)/;

/** Whether a kiosk session may open this path. */
export function kioskMayOpen(pathname: string): boolean {
  return !KIOSK_REFUSED.test(pathname);
}

/** The signed-in user, read once per HTTP request however many loaders ask (request-context.server.ts). */
export function getOptionalUser(request: Request, context?: AppLoadContext): Promise<SessionUser | null> {
  return oncePerRequest({ request, context }, 'user', () => loadSessionUser(request, context));
}

async function loadSessionUser(request: Request, context?: AppLoadContext): Promise<SessionUser | null> {
  const { userId, kiosk } = await getSessionData(request, context);
  if (!userId || !Types.ObjectId.isValid(userId)) return null;
  // Usually already read with the session (session.server.ts); read here when it was not.
  const user = await oncePerRequest({ request, context }, `${SESSION_ACCOUNT}:${userId}`, async () =>
    (await User.findById(userId).select(SESSION_ACCOUNT_SELECT).lean()) as SessionAccount | null,
  );
  if (!user) return null;
  return {
    id: String(user._id),
    name: user.name,
    language: user.language,
    streetId: user.street ? String(user.street) : null,
    communityId: user.community ? String(user.community) : null,
    unreadNotifications: user.unread ?? null,
    kiosk,
    // On a kiosk the account acts as a resident only, even a committee member's or an admin's.
    roles: user.roles
      .filter((grant) => !kiosk || grant.role === 'resident')
      .map((grant) => ({
        role: grant.role,
        scopeType: grant.scopeType,
        scopeId: grant.scopeId ? String(grant.scopeId) : null,
      })),
  };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
  }
  if (user.kiosk && !kioskMayOpen(new URL(request.url).pathname)) throw new Response('Forbidden: not on a kiosk', { status: 403 });
  return user;
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getOptionalUser(request)) throw redirect('/');
}

/** Throws 403 (with the permission in the body, for logs) unless the user holds it. */
export async function requirePermission(
  request: Request,
  permission: Permission,
  target: Target = {},
): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasPermission(user.roles, permission, target)) {
    throw new Response(`Forbidden: ${permission}`, { status: 403 });
  }
  return user;
}
