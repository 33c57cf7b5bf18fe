import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import { User } from '#models';
import { dummyPasswordHash, verifyPassword } from '~/core/password.server';
import { consumeAttempt, resetAttempts, type Limit } from '~/core/rate-limit.server';
import { clientIp } from '~/core/request.server';
import { loginSchema, normalizeIdentifier } from './auth.schema';

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
