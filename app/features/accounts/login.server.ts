import { getEnv } from '~/core/env.server';
import { Authenticator } from 'remix-auth';
import { FormStrategy } from 'remix-auth-form';
import { User } from '#models';
import { dummyPasswordHash, hashPassword, verifyPassword } from '~/core/password.server';
import { revokeUserSessions } from '~/core/session.server';
import { audit } from '~/core/audit.server';
import type { Language } from '~/core/locales';
import { maskIdentifier } from '~/core/messages.server';
import { claimWithBackoff, consumeAttempt, resetAttempts, type Backoff, type Limit } from '~/core/rate-limit.server';
import { clientIp } from '~/core/request.server';
import { loginSchema, normalizeIdentifier } from './auth.schema';
import { countMessage, holderOf, sendIdentityCode, spendIdentityCode, type Identifier } from './identity-codes.server';

/**
 * Wrong passwords back off per (account, address): five free, then 1, 2, 4 ... minutes up to an
 * hour, forgotten after a quiet day. Someone guessing from elsewhere therefore cannot lock the
 * owner out at home. Across all addresses an account gets 30 free failures before the same
 * back-off (a guesser with many addresses); its owner can lift that with a code sent to their
 * proven number (unlockAccount). An address gets LOGIN_ATTEMPTS_PER_IP (50) attempts per 15 minutes across accounts.
 */
export const PAIR_BACKOFF: Backoff = { free: 5, baseMs: 60_000, maxMs: 60 * 60_000, forgetMs: 24 * 60 * 60_000 };
export const ACCOUNT_BACKOFF: Backoff = { free: 30, baseMs: 60_000, maxMs: 60 * 60_000, forgetMs: 24 * 60 * 60_000 };
/** Per address across accounts: LOGIN_ATTEMPTS_PER_IP (default 50) per 15 minutes. */
export const ipLoginLimit = (): Limit => ({ max: getEnv().LOGIN_ATTEMPTS_PER_IP, windowMs: 15 * 60 * 1000 });

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalidForm' | 'invalidCredentials' | 'tooManyAttempts'; retryAfterMs?: number; unlockable?: boolean };

const pairKey = (identifier: string, ip: string) => `login:pair:${identifier}:${ip}`;
const accountKey = (identifier: string) => `login:account:${identifier}`;

/**
 * Checks a login form. Each attempt is claimed before the password is checked (as a failure
 * until it succeeds), so a locked pair or account is refused without running the hash; a
 * success clears both counters.
 */
export async function verifyLogin(form: FormData, request: Request): Promise<LoginResult> {
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  const identifier = parsed.success ? normalizeIdentifier(parsed.data.identifier) : null;
  if (!parsed.success || !identifier) return { ok: false, reason: 'invalidForm' };

  const ip = clientIp(request);
  const byIp = await consumeAttempt(`login:ip:${ip}`, ipLoginLimit());
  if (!byIp.allowed) return { ok: false, reason: 'tooManyAttempts', retryAfterMs: byIp.retryAfterMs };
  const byPair = await claimWithBackoff(pairKey(identifier.value, ip), PAIR_BACKOFF);
  if (!byPair.allowed) return { ok: false, reason: 'tooManyAttempts', retryAfterMs: byPair.retryAfterMs, unlockable: true };
  const byAccount = await claimWithBackoff(accountKey(identifier.value), ACCOUNT_BACKOFF);
  if (!byAccount.allowed) return { ok: false, reason: 'tooManyAttempts', retryAfterMs: byAccount.retryAfterMs, unlockable: true };

  const user = await User.findOne({ [identifier.kind]: identifier.value }).select('+passwordHash').lean();
  const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) return { ok: false, reason: 'invalidCredentials' };

  await Promise.all([resetAttempts(pairKey(identifier.value, ip)), resetAttempts(accountKey(identifier.value))]);
  await User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
  return { ok: true, userId: String(user._id) };
}

export type AccountCodeResult = { ok: true; sentTo: string } | { ok: false; reason: 'tooManyCodes' };

/**
 * Asks for an unlock or password-reset code: it goes only to a proven number or address of an
 * existing account, but the answer is the same for any identifier, and the message limits count
 * alike, so it reveals nothing about accounts.
 */
export async function sendAccountCode(input: { purpose: 'unlock' | 'reset'; identifier: Identifier; language: Language; ip: string }): Promise<AccountCodeResult> {
  const holder = await holderOf(input.identifier);
  if (!holder?.proven) {
    const counted = await countMessage(input.identifier, input.ip, new Date());
    return counted ? { ok: true, sentTo: maskIdentifier(input.identifier.value) } : { ok: false, reason: 'tooManyCodes' };
  }
  return sendIdentityCode({ purpose: input.purpose, identifier: input.identifier, userId: holder.id, language: holder.language ?? input.language, ip: input.ip });
}

async function spendAccountCode(purpose: 'unlock' | 'reset', identifier: Identifier, code: string) {
  const user = await User.findOne({ [identifier.kind]: identifier.value }).select('_id').lean();
  if (!user) return null;
  const spent = await spendIdentityCode({ purpose, identifier, code, userId: String(user._id) });
  return spent.ok ? String(user._id) : null;
}

async function clearLocks(identifier: Identifier, ip: string) {
  await Promise.all([resetAttempts(pairKey(identifier.value, ip)), resetAttempts(accountKey(identifier.value))]);
}

/** The code lifts the account's lock and this address's, and is audited; the password is still needed. */
export async function unlockAccount(input: { identifier: Identifier; code: string; ip: string }): Promise<{ ok: boolean }> {
  const userId = await spendAccountCode('unlock', input.identifier, input.code);
  if (!userId) return { ok: false };
  await clearLocks(input.identifier, input.ip);
  await audit({ actor: userId, action: 'user.unlocked', targetType: 'User', targetId: userId, ip: input.ip });
  return { ok: true };
}

/**
 * A forgotten password, reset with a code to the proven number: the new password replaces the
 * old, every session ends, the locks are lifted, audited. The caller signs this browser in.
 */
export async function resetPasswordWithCode(input: { identifier: Identifier; code: string; password: string; ip: string }): Promise<{ ok: true; userId: string } | { ok: false }> {
  const userId = await spendAccountCode('reset', input.identifier, input.code);
  if (!userId) return { ok: false };
  await User.updateOne({ _id: userId }, { $set: { passwordHash: await hashPassword(input.password), passwordChangedAt: new Date() } });
  await revokeUserSessions(userId);
  await clearLocks(input.identifier, input.ip);
  await audit({ actor: userId, action: 'user.passwordReset', targetType: 'User', targetId: userId, ip: input.ip });
  return { ok: true, userId };
}

export const authenticator = new Authenticator<LoginResult>();
authenticator.use(new FormStrategy(({ form, request }) => verifyLogin(form, request)), 'form');
