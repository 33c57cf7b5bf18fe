import { createHash, randomBytes } from 'node:crypto';
import { createCookie, redirectDocument, type AppLoadContext } from '@remix-run/node';
import mongoose, { Types } from 'mongoose';
import { Kiosk, Street, User } from '#models';
import { audit } from '~/core/audit.server';
import type { SessionUser } from '~/core/auth.server';
import { getEnv } from '~/core/env.server';
import type { Language } from '~/core/locales';
import { maskIdentifier } from '~/core/messages.server';
import { hasPermission } from '~/core/permissions.server';
import { consumeAttempt, type Limit } from '~/core/rate-limit.server';
import { oncePerRequest } from '~/core/request-context.server';
import { destroySessionCookie, isSecureRequest, revokeKioskSessions, startKioskSession } from '~/core/session.server';
import { normalizeIdentifier } from './auth.schema';
import { claimSlipHolder } from './assist.server';
import { countMessage, sendIdentityCode, spendIdentityCode } from './identity-codes.server';

/**
 * Kiosk mode (issue 18, decision 032): a shared tablet at a service station, enrolled as a kiosk
 * of a street. The device holds a random token in an HttpOnly, SameSite=Strict cookie; only its
 * hash is stored. Residents sign in on it with a code sent to their phone or with their claim
 * slip; their session is a normal database session marked with the kiosk, which ends after
 * KIOSK_IDLE_SECONDS without a request, after each completed act, and on "start over".
 */

export const KIOSK_COOKIE = 'lsx_kiosk';
const KIOSK_COOKIE_MAX_AGE_S = 5 * 365 * 86_400;

const cookies = new Map<boolean, ReturnType<typeof createCookie>>();
function deviceCookie(request: Request) {
  const secure = isSecureRequest(request);
  let cookie = cookies.get(secure);
  if (!cookie) {
    cookie = createCookie(KIOSK_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure, maxAge: KIOSK_COOKIE_MAX_AGE_S });
    cookies.set(secure, cookie);
  }
  return cookie;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Code requests one kiosk may make per hour (its own count, not its station's shared address). */
export const KIOSK_CODES_PER_HOUR = 20;
/** Sign-in attempts (a code or a slip) one kiosk may make per 15 minutes. */
export const KIOSK_SIGNIN_LIMIT: Limit = { max: 60, windowMs: 15 * 60 * 1000 };
/** lastUsedAt is written at most this often per kiosk. */
const TOUCH_EVERY_MS = 60_000;

export interface DeviceKiosk {
  id: string;
  name: string;
  streetId: string;
}

export type DeviceState = { state: 'kiosk'; kiosk: DeviceKiosk } | { state: 'revoked' } | { state: 'none' };

/** What this device is: an enrolled kiosk, a revoked one, or an ordinary browser. Once per request. */
export function deviceKiosk(request: Request, context?: AppLoadContext): Promise<DeviceState> {
  return oncePerRequest({ request, context }, 'deviceKiosk', async () => {
    const header = request.headers.get('Cookie');
    if (!header?.includes(`${KIOSK_COOKIE}=`)) return { state: 'none' } as const;
    const token: unknown = await deviceCookie(request).parse(header);
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return { state: 'revoked' } as const;
    const kiosk = await Kiosk.findOne({ tokenHash: hashToken(token) }).select('name street revokedAt lastUsedAt').lean();
    if (!kiosk || kiosk.revokedAt) return { state: 'revoked' } as const;
    const now = new Date();
    if (!kiosk.lastUsedAt || now.getTime() - kiosk.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await Kiosk.updateOne({ _id: kiosk._id }, { $set: { lastUsedAt: now } });
    }
    return { state: 'kiosk', kiosk: { id: String(kiosk._id), name: kiosk.name, streetId: String(kiosk.street) } } as const;
  });
}

/** The enrolled, unrevoked kiosk this request comes from, or a 403. */
export async function requireKioskDevice(request: Request, context?: AppLoadContext): Promise<DeviceKiosk> {
  const device = await deviceKiosk(request, context);
  if (device.state !== 'kiosk') throw new Response('Forbidden: not an enrolled kiosk', { status: 403 });
  return device.kiosk;
}

// --- Enrolment (admins; a street's grid workers) -----------------------------------------------

export function mayManageKiosks(user: SessionUser, streetId: string): boolean {
  return hasPermission(user.roles, 'kiosk:manage', { streetId });
}

/** The streets this person may enrol kiosks in: all for admins, their street grants for workers. */
export async function enrolmentStreets(user: SessionUser, language: Language) {
  const streets = await Street.find().select('name order').sort({ order: 1 }).lean();
  return streets
    .filter((s) => mayManageKiosks(user, String(s._id)))
    .map((s) => ({ id: String(s._id), name: (language === 'en' ? s.name.en : null) ?? s.name.zh }));
}

export interface KioskRow {
  id: string;
  name: string;
  street: string;
  enrolledBy: string;
  enrolledAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** The kiosks this person may see: every kiosk for admins, their streets' for grid workers. */
export async function listKiosks(user: SessionUser, language: Language): Promise<KioskRow[]> {
  const streets = await enrolmentStreets(user, language);
  if (streets.length === 0) return [];
  const isAdmin = hasPermission(user.roles, 'admin:access');
  const filter = isAdmin ? {} : { street: mongoose.trusted({ $in: streets.map((s) => new Types.ObjectId(s.id)) }) };
  const kiosks = await Kiosk.find(filter).select('name street enrolledBy enrolledAt lastUsedAt revokedAt revokedBy').sort({ enrolledAt: -1 }).limit(200).lean();
  const people = [...new Set(kiosks.flatMap((k) => [String(k.enrolledBy), ...(k.revokedBy ? [String(k.revokedBy)] : [])]))];
  const users = await User.find({ _id: mongoose.trusted({ $in: people.map((id) => new Types.ObjectId(id)) }) }).select('name').lean();
  const nameOf = new Map(users.map((u) => [String(u._id), u.name]));
  const streetName = new Map(streets.map((s) => [s.id, s.name]));
  return kiosks.map((k) => ({
    id: String(k._id),
    name: k.name,
    street: streetName.get(String(k.street)) ?? '',
    enrolledBy: nameOf.get(String(k.enrolledBy)) ?? '',
    enrolledAt: k.enrolledAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    revokedBy: k.revokedBy ? (nameOf.get(String(k.revokedBy)) ?? '') : null,
  }));
}

export type EnrolResult = { ok: true; kioskId: string; headers: Headers } | { ok: false; reason: 'outsideArea' };

/**
 * Enrols the device this request comes from as a kiosk of the street and signs the enrolling
 * person out of it (their session must not stay on a shared tablet): the answer's headers set
 * the device cookie and clear the session cookie.
 */
export async function enrolThisDevice(input: { request: Request; user: SessionUser; streetId: string; name: string; ip?: string }): Promise<EnrolResult> {
  if (!Types.ObjectId.isValid(input.streetId) || !mayManageKiosks(input.user, input.streetId)) return { ok: false, reason: 'outsideArea' };
  const street = await Street.exists({ _id: input.streetId });
  if (!street) return { ok: false, reason: 'outsideArea' };
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const kiosk = await Kiosk.create({ street: input.streetId, name: input.name, tokenHash: hashToken(token), enrolledBy: input.user.id, enrolledAt: now });
  await audit({ actor: input.user.id, action: 'kiosk.enrolled', targetType: 'Kiosk', targetId: String(kiosk._id), after: { name: input.name, street: input.streetId }, ip: input.ip });
  const headers = new Headers();
  headers.append('Set-Cookie', await deviceCookie(input.request).serialize(token));
  headers.append('Set-Cookie', await destroySessionCookie(input.request));
  return { ok: true, kioskId: String(kiosk._id), headers };
}

export type RevokeResult = { ok: true } | { ok: false; reason: 'notFound' | 'alreadyRevoked' };

/**
 * Revokes a kiosk: its token is refused from now on and every session on it ends. Only on the
 * revoker's street (a kiosk of another street is "not found", as if it did not exist).
 */
export async function revokeKiosk(input: { user: SessionUser; kioskId: string; ip?: string }): Promise<RevokeResult> {
  if (!Types.ObjectId.isValid(input.kioskId)) return { ok: false, reason: 'notFound' };
  const kiosk = await Kiosk.findById(input.kioskId).select('street revokedAt').lean();
  if (!kiosk || !mayManageKiosks(input.user, String(kiosk.street))) return { ok: false, reason: 'notFound' };
  const now = new Date();
  const result = await Kiosk.updateOne({ _id: kiosk._id, revokedAt: mongoose.trusted({ $exists: false }) }, { $set: { revokedAt: now, revokedBy: input.user.id } });
  if (result.matchedCount === 0) return { ok: false, reason: 'alreadyRevoked' };
  await revokeKioskSessions(input.kioskId);
  await audit({ actor: input.user.id, action: 'kiosk.revoked', targetType: 'Kiosk', targetId: input.kioskId, ip: input.ip });
  return { ok: true };
}

// --- Signing a resident in on a kiosk ----------------------------------------------------------

/** The pseudo-address a kiosk's messages count against (its station's connection is shared). */
const kioskSender = (kiosk: DeviceKiosk) => `kiosk:${kiosk.id}`;

export type KioskCodeResult = { ok: true; sentTo: string; phone: string } | { ok: false; reason: 'invalidPhone' | 'tooManyCodes' };

/**
 * Sends a sign-in code to the number if an account holds it; the answer and the limits are the
 * same either way (no one learns at the kiosk whether a number has an account). Limits: the
 * gateway's per number (5 an hour) and KIOSK_CODES_PER_HOUR per kiosk.
 */
export async function sendKioskCode(input: { kiosk: DeviceKiosk; phone: string; language: Language }): Promise<KioskCodeResult> {
  const identifier = normalizeIdentifier(input.phone);
  if (!identifier || identifier.kind !== 'phone') return { ok: false, reason: 'invalidPhone' };
  const holder = await User.findOne({ phone: identifier.value }).select('language').lean();
  if (!holder) {
    const counted = await countMessage(identifier, kioskSender(input.kiosk), new Date());
    return counted ? { ok: true, sentTo: maskIdentifier(identifier.value), phone: identifier.value } : { ok: false, reason: 'tooManyCodes' };
  }
  const sent = await sendIdentityCode({ purpose: 'kiosk', identifier, userId: String(holder._id), language: holder.language ?? input.language, ip: kioskSender(input.kiosk) });
  return sent.ok ? { ...sent, phone: identifier.value } : sent;
}

export type KioskSignInResult = { ok: true; headers: Headers; userId: string } | { ok: false; reason: 'codeInvalid' | 'claimCodeInvalid' | 'tooManyAttempts' };

async function signIn(request: Request, kiosk: DeviceKiosk, userId: string, method: 'code' | 'slip', ip?: string): Promise<KioskSignInResult> {
  const headers = new Headers();
  headers.append('Set-Cookie', await startKioskSession(request, userId, kiosk.id));
  await audit({ actor: userId, action: 'kiosk.signedIn', targetType: 'Kiosk', targetId: kiosk.id, after: { method }, kiosk: kiosk.id, ip });
  return { ok: true, headers, userId };
}

/** Signs the holder of the number in with the code just sent to it (spent once). */
export async function signInWithCode(input: { request: Request; kiosk: DeviceKiosk; phone: string; code: string; ip?: string }): Promise<KioskSignInResult> {
  const attempt = await consumeAttempt(`kiosk:signin:${input.kiosk.id}`, KIOSK_SIGNIN_LIMIT);
  if (!attempt.allowed) return { ok: false, reason: 'tooManyAttempts' };
  const identifier = normalizeIdentifier(input.phone);
  if (!identifier || identifier.kind !== 'phone') return { ok: false, reason: 'codeInvalid' };
  const holder = await User.findOne({ phone: identifier.value }).select('_id').lean();
  if (!holder) return { ok: false, reason: 'codeInvalid' };
  const spent = await spendIdentityCode({ purpose: 'kiosk', identifier, code: input.code, userId: String(holder._id) });
  if (!spent.ok) return { ok: false, reason: 'codeInvalid' };
  return signIn(input.request, input.kiosk, String(holder._id), 'code', input.ip);
}

/** Signs a resident in with the claim slip a grid worker gave them (the slip stays valid to claim the account). */
export async function signInWithSlip(input: { request: Request; kiosk: DeviceKiosk; slip: string; ip?: string }): Promise<KioskSignInResult> {
  const attempt = await consumeAttempt(`kiosk:signin:${input.kiosk.id}`, KIOSK_SIGNIN_LIMIT);
  if (!attempt.allowed) return { ok: false, reason: 'tooManyAttempts' };
  const userId = await claimSlipHolder(input.slip);
  if (!userId) return { ok: false, reason: 'claimCodeInvalid' };
  return signIn(input.request, input.kiosk, userId, 'slip', input.ip);
}

// --- Ending a kiosk session --------------------------------------------------------------------

/**
 * Headers that end the session and leave nothing of it in the browser: the session cookie
 * cleared, and the origin's HTTP cache and back/forward cache dropped (Clear-Site-Data: the
 * device cookie is a cookie too, so "cookies" is not asked for).
 */
export async function kioskSignOutHeaders(request: Request): Promise<Headers> {
  const headers = new Headers();
  headers.append('Set-Cookie', await destroySessionCookie(request));
  headers.set('Clear-Site-Data', '"cache"');
  headers.set('Cache-Control', 'no-store');
  return headers;
}

export type KioskAct = 'ballot' | 'proposal' | 'need';

/**
 * After a completed act on a kiosk: audited as a kiosk act, the session ended, and the "done,
 * signed out" screen. Callers check `user.kiosk` first; for any other session they answer as usual.
 */
export async function finishKioskAct(input: { request: Request; user: SessionUser; act: KioskAct; targetType: string; targetId: string; ip?: string }) {
  await audit({
    actor: input.user.id,
    action: 'kiosk.actCompleted',
    targetType: input.targetType,
    targetId: input.targetId,
    after: { act: input.act },
    kiosk: input.user.kiosk ?? null,
    ip: input.ip,
  });
  // A whole new document: nothing of the resident's pages stays in the page's memory either.
  return redirectDocument(`/kiosk/done?act=${input.act}`, { status: 303, headers: await kioskSignOutHeaders(input.request) });
}

/** Seconds of idleness after which the kiosk's screen and its session end. */
export function kioskIdleSeconds(): number {
  return getEnv().KIOSK_IDLE_SECONDS;
}
