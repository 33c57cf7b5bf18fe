import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import mongoose, { Types } from 'mongoose';
import QRCode from 'qrcode';
import { User } from '#models';
import { audit } from './audit.server';
import { consumeAttempt, resetAttempts, type Limit } from './rate-limit.server';
import { cookieSecrets, isSecureRequest } from './session.server';

/**
 * Optional second factor for committee members, judges and admins: time-based one-time
 * passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, ±1 step of clock drift), as shown
 * by any authenticator app. A code works once (the last used step is remembered).
 */
const STEP_S = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const TOTP_LIMIT: Limit = { max: 5, windowMs: 15 * 60 * 1000 };

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code for a time step (RFC 4226 dynamic truncation). */
export function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', secret).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return String(binary).padStart(DIGITS, '0');
}

export function stepAt(time: number): number {
  return Math.floor(time / 1000 / STEP_S);
}

/** The step a code belongs to within ±1 step of now, or null. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretBase32);
  const current = stepAt(now);
  for (const step of [current, current - 1, current + 1]) {
    const expected = Buffer.from(hotp(secret, step));
    if (timingSafeEqual(expected, Buffer.from(code))) return step;
  }
  return null;
}

export async function totpStatus(userId: string): Promise<{ enabled: boolean }> {
  const user = await User.findById(userId).select('totp.enabledAt').lean();
  return { enabled: Boolean(user?.totp?.enabledAt) };
}

/**
 * A new secret waiting for confirmation, with the otpauth address as a QR code (SVG data URL).
 * Null while a second factor is on: replacing it takes turning it off first, with a current code,
 * so a stolen session alone cannot enrol the thief's authenticator.
 */
export async function startTotp(userId: string, accountLabel: string) {
  const secret = base32Encode(randomBytes(20));
  const started = await User.updateOne({ _id: userId, 'totp.enabledAt': null }, { $set: { 'totp.pendingSecret': secret } });
  if (started.matchedCount === 0) return null;
  const uri = `otpauth://totp/${encodeURIComponent(`崂善行:${accountLabel}`)}?secret=${secret}&issuer=${encodeURIComponent('崂善行')}&digits=6&period=30`;
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2 });
  return { secret, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

export async function confirmTotp(userId: string, code: string): Promise<boolean> {
  const user = await User.findById(userId).select('+totp.pendingSecret').lean();
  const pending = user?.totp?.pendingSecret;
  if (!pending) return false;
  const step = matchingStep(pending, code);
  if (step === null) return false;
  const confirmed = await User.updateOne(
    { _id: userId, 'totp.pendingSecret': pending, 'totp.enabledAt': null },
    { $set: { 'totp.secret': pending, 'totp.enabledAt': new Date(), 'totp.lastStep': step }, $unset: { 'totp.pendingSecret': 1 } },
  );
  if (confirmed.matchedCount === 0) return false;
  await audit({ actor: userId, action: 'user.totpEnabled', targetType: 'User', targetId: userId });
  return true;
}

export async function disableTotp(userId: string, code: string): Promise<boolean> {
  if (!(await checkTotp(userId, code)).ok) return false;
  await User.updateOne({ _id: userId }, { $unset: { totp: 1 } });
  await audit({ actor: userId, action: 'user.totpDisabled', targetType: 'User', targetId: userId });
  return true;
}

export type TotpCheck = { ok: true } | { ok: false; reason: 'totpInvalid' | 'tooManyAttempts' };

/**
 * Checks a code for a user with TOTP on: rate-limited per account, and each code accepted once
 * (a conditional update moves the last used step forward, so a replayed code fails).
 */
export async function checkTotp(userId: string, code: string, now = Date.now()): Promise<TotpCheck> {
  const key = `totp:${userId}`;
  if (!(await consumeAttempt(key, TOTP_LIMIT)).allowed) return { ok: false, reason: 'tooManyAttempts' };
  const user = await User.findById(userId).select('+totp.secret totp.lastStep').lean();
  const secret = user?.totp?.secret;
  const step = secret ? matchingStep(secret, code.trim(), now) : null;
  if (step === null) return { ok: false, reason: 'totpInvalid' };
  const used = await User.updateOne(
    { _id: userId, $or: [{ 'totp.lastStep': mongoose.trusted({ $lt: step }) }, { 'totp.lastStep': null }] },
    { $set: { 'totp.lastStep': step } },
  );
  if (used.matchedCount === 0) return { ok: false, reason: 'totpInvalid' };
  await resetAttempts(key);
  return { ok: true };
}

// --- The step between password and session ----------------------------------------------------

const pendingCookie = (secure: boolean) =>
  createCookie('lsx_2fa', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 300, secure, secrets: cookieSecrets() });

/** After a correct password: who is half signed in, for five minutes, in a signed cookie. */
export async function pendingSecondFactorCookie(request: Request, userId: string, redirectTo: string): Promise<string> {
  return pendingCookie(isSecureRequest(request)).serialize({ userId, redirectTo, until: Date.now() + 300_000 });
}

export async function readPendingSecondFactor(request: Request): Promise<{ userId: string; redirectTo: string } | null> {
  const value = (await pendingCookie(isSecureRequest(request)).parse(request.headers.get('Cookie'))) as
    | { userId?: string; redirectTo?: string; until?: number }
    | null;
  if (!value?.userId || !Types.ObjectId.isValid(value.userId) || !value.until || value.until < Date.now()) return null;
  return { userId: value.userId, redirectTo: value.redirectTo ?? '/' };
}

export async function clearPendingSecondFactor(request: Request): Promise<string> {
  return pendingCookie(isSecureRequest(request)).serialize('', { maxAge: 0 });
}
