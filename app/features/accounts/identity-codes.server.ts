import { createHmac, randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { IdentityCode, User, type IdentityCodePurpose } from '#models';
import { i18next } from '~/core/i18n.server';
import type { Language } from '~/core/locales';
import { maskIdentifier, sendMessage } from '~/core/messages.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { cookieSecrets } from '~/core/session.server';

/**
 * One-time codes that prove a phone number or e-mail address belongs to the person typing it
 * (issue 11, finding 2), as Chinese services do it: six digits sent through the message gateway,
 * valid ten minutes, spent once, five wrong guesses per code, and a limited number of codes per
 * address and per client address. Only an HMAC of the code (keyed with the session secret) is
 * stored, so a copy of the database does not reveal live codes.
 */

export type Identifier = { kind: 'phone' | 'email'; value: string };

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_WRONG_GUESSES = 5;
/** Messages one phone number or address receives per hour, whatever asks for them. */
export const SEND_PER_IDENTIFIER: Limit = { max: 5, windowMs: 60 * 60 * 1000 };
/** Messages one client address may cause per hour. */
export const SEND_PER_IP: Limit = { max: 20, windowMs: 60 * 60 * 1000 };

function hashCode(purpose: IdentityCodePurpose, identifier: string, code: string): string {
  return createHmac('sha256', cookieSecrets()[0]!).update(`${purpose}:${identifier}:${code}`).digest('hex');
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Where an account records that it proved its phone number or its e-mail address. */
export const PROVEN_AT = { phone: 'phoneProvenAt', email: 'emailProvenAt' } as const;

/**
 * The account holding this number or address, and whether it proved it (a code sent there);
 * every decision "does its owner get a code, a notice, an invitation" starts from this.
 */
export async function holderOf(identifier: Identifier): Promise<{ id: string; language: Language | undefined; proven: boolean } | null> {
  const user = await User.findOne({ [identifier.kind]: identifier.value }).select(`${PROVEN_AT[identifier.kind]} language`).lean();
  if (!user) return null;
  return { id: String(user._id), language: user.language, proven: Boolean(identifier.kind === 'phone' ? user.phoneProvenAt : user.emailProvenAt) };
}

export type SendResult = { ok: true; sentTo: string } | { ok: false; reason: 'tooManyCodes' };

/**
 * Counts a message against the address and the client before anything is sent. Also called
 * where nothing will be sent (an unknown account), so the limits answer alike either way.
 */
export async function countMessage(identifier: Identifier, ip: string, now: Date): Promise<boolean> {
  const byIp = await consumeAttempt(`message:ip:${ip}`, SEND_PER_IP, now);
  if (!byIp.allowed) return false;
  return (await consumeAttempt(`message:to:${identifier.value}`, SEND_PER_IDENTIFIER, now)).allowed;
}

async function deliver(identifier: Identifier, language: Language, key: string, values: Record<string, string>, purpose: string) {
  const t = await i18next.getFixedT(language, 'messages');
  await sendMessage({
    channel: identifier.kind === 'phone' ? 'sms' : 'email',
    to: identifier.value,
    subject: t('subject', values),
    text: t(key, values),
    purpose,
  });
}

/**
 * Sends a new code for (purpose, identifier), replacing any earlier one: one upsert on the
 * unique (purpose, identifier) index, so two requests at once leave one live code.
 */
export async function sendIdentityCode(input: {
  purpose: IdentityCodePurpose;
  identifier: Identifier;
  userId?: string;
  language: Language;
  ip: string;
  now?: Date;
}): Promise<SendResult> {
  const now = input.now ?? new Date();
  if (!(await countMessage(input.identifier, input.ip, now))) return { ok: false, reason: 'tooManyCodes' };
  const code = newCode();
  await IdentityCode.updateOne(
    { purpose: input.purpose, identifier: input.identifier.value },
    {
      $set: {
        kind: input.identifier.kind,
        codeHash: hashCode(input.purpose, input.identifier.value, code),
        expiresAt: new Date(now.getTime() + CODE_TTL_MS),
        wrongGuesses: 0,
        sentFromIp: input.ip,
        ...(input.userId ? { user: new Types.ObjectId(input.userId) } : {}),
      },
      $unset: { usedAt: 1, ...(input.userId ? {} : { user: 1 }) },
    },
    { upsert: true },
  );
  await deliver(input.identifier, input.language, `code.${input.purpose}`, { code, minutes: String(CODE_TTL_MS / 60_000) }, input.purpose);
  return { ok: true, sentTo: maskIdentifier(input.identifier.value) };
}

/**
 * A message without a code, counted like one: used where a code must not be sent (the number
 * already belongs to a proven account) while the answer on screen stays the same.
 */
export async function sendIdentityNotice(input: {
  identifier: Identifier;
  notice: 'alreadyRegistered' | 'invitation';
  values?: Record<string, string>;
  language: Language;
  ip: string;
  now?: Date;
}): Promise<SendResult> {
  const now = input.now ?? new Date();
  if (!(await countMessage(input.identifier, input.ip, now))) return { ok: false, reason: 'tooManyCodes' };
  await deliver(input.identifier, input.language, `notice.${input.notice}`, input.values ?? {}, input.notice);
  return { ok: true, sentTo: maskIdentifier(input.identifier.value) };
}

export type CheckResult = { ok: true } | { ok: false; reason: 'codeInvalid' };

/**
 * Spends the code if it is right, live, unspent and not guessed too often: one conditional
 * update, so a code works once under any concurrency. A wrong guess counts against the code; the
 * answer never says whether the code was wrong, expired or spent.
 */
export async function spendIdentityCode(input: {
  purpose: IdentityCodePurpose;
  identifier: Identifier;
  code: string;
  userId?: string;
  now?: Date;
}): Promise<CheckResult> {
  const now = input.now ?? new Date();
  const code = input.code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'codeInvalid' };
  const base: Record<string, unknown> = {
    purpose: input.purpose,
    identifier: input.identifier.value,
    usedAt: mongoose.trusted({ $exists: false }),
    expiresAt: mongoose.trusted({ $gt: now }),
    wrongGuesses: mongoose.trusted({ $lt: MAX_WRONG_GUESSES }),
  };
  if (input.userId) base.user = new Types.ObjectId(input.userId);
  const expected = hashCode(input.purpose, input.identifier.value, code);
  const spent = await IdentityCode.updateOne({ ...base, codeHash: expected }, { $set: { usedAt: now } });
  if (spent.matchedCount === 1) return { ok: true };
  await IdentityCode.updateOne(base, { $inc: { wrongGuesses: 1 } });
  return { ok: false, reason: 'codeInvalid' };
}
