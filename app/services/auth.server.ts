import { redirect } from '@remix-run/node';
import { Types } from 'mongoose';
import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import { User } from '#models';
import { loginSchema, normalizeIdentifier } from '~/schemas/auth';
import type { Language } from '~/utils/locales';
import type { ScopeType, Role } from '~/utils/roles';
import { dummyPasswordHash, verifyPassword } from './password.server';
import { hasPermission, type Grant, type Permission, type Target } from './permissions.server';
import { consumeAttempt, resetAttempts, type Limit } from './rate-limit.server';
import { clientIp } from './request.server';
import { getUserId } from './session.server';

/** What pages may know about the signed-in user: no password hash, no phone. */
export interface SessionUser {
  id: string;
  name: string;
  language: Language;
  streetId: string | null;
  communityId: string | null;
  roles: Grant[];
}

const userCache = new WeakMap<Request, Promise<SessionUser | null>>();

export function getOptionalUser(request: Request): Promise<SessionUser | null> {
  let cached = userCache.get(request);
  if (!cached) {
    cached = loadSessionUser(request);
    userCache.set(request, cached);
  }
  return cached;
}

async function loadSessionUser(request: Request): Promise<SessionUser | null> {
  const userId = await getUserId(request);
  if (!userId || !Types.ObjectId.isValid(userId)) return null;
  const user = await User.findById(userId).select('name language street community roles').lean();
  if (!user) return null;
  return {
    id: String(user._id),
    name: user.name,
    language: user.language as Language,
    streetId: user.street ? String(user.street) : null,
    communityId: user.community ? String(user.community) : null,
    roles: user.roles.map((grant) => ({
      role: grant.role as Role,
      scopeType: grant.scopeType as ScopeType,
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

/** Ten wrong passwords in a row lock an account for 15 minutes; an IP gets 50 per 15 minutes. */
export const ACCOUNT_LOGIN_LIMIT: Limit = { max: 10, windowMs: 15 * 60 * 1000 };
export const IP_LOGIN_LIMIT: Limit = { max: 50, windowMs: 15 * 60 * 1000 };

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalidForm' | 'invalidCredentials' | 'tooManyAttempts'; retryAfterMs?: number };

/**
 * Checks a login form. Each attempt is counted before the password is checked, so an account
 * over its limit is refused without running the hash; a success clears the account's count.
 */
export async function verifyLogin(form: FormData, request: Request): Promise<LoginResult> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  const identifier = parsed.success ? normalizeIdentifier(parsed.data.identifier) : null;
  if (!parsed.success || !identifier) return { ok: false, reason: 'invalidForm' };

  const accountKey = `login:account:${identifier.value}`;
  const [byAccount, byIp] = await Promise.all([
    consumeAttempt(accountKey, ACCOUNT_LOGIN_LIMIT),
    consumeAttempt(`login:ip:${clientIp(request)}`, IP_LOGIN_LIMIT),
  ]);
  if (!byAccount.allowed || !byIp.allowed) {
    return {
      ok: false,
      reason: 'tooManyAttempts',
      retryAfterMs: Math.max(byAccount.allowed ? 0 : byAccount.retryAfterMs, byIp.allowed ? 0 : byIp.retryAfterMs),
    };
  }

  const user = await User.findOne({ [identifier.kind]: identifier.value }).select('+passwordHash').lean();
  const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) return { ok: false, reason: 'invalidCredentials' };

  await resetAttempts(accountKey);
  await User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
  return { ok: true, userId: String(user._id) };
}

export const authenticator = new Authenticator<LoginResult>();
authenticator.use(new FormStrategy(({ form, request }) => verifyLogin(form, request)), 'form');
