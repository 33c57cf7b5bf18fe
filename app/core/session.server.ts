import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCookie, createSessionStorage, redirect, type AppLoadContext, type Session as RemixSession, type SessionStorage, type TypedResponse } from '@remix-run/node';
import { Types } from 'mongoose';
import { Notification, Session, User } from '#models';
import { getEnv } from './env.server';
import type { Role, ScopeType } from './roles';
import { knownForRequest, oncePerRequest, peekForRequest } from './request-context.server';

/**
 * Sessions live in MongoDB; the cookie holds only a random, signed id
 * (docs/decisions/003-passwords-and-sessions.md).
 */
export const SESSION_COOKIE = 'lsx_session';
export const SESSION_MAX_AGE_S = 60 * 60 * 24 * 30;

export interface SessionData {
  userId: string;
  /** Set on a resident's session on a shared kiosk tablet: the kiosk's id (decision 032). */
  kiosk?: string;
}

/** A kiosk session ends after this long without a request (KIOSK_IDLE_SECONDS), on the server. */
function kioskIdleExpiry(): Date {
  return new Date(Date.now() + getEnv().KIOSK_IDLE_SECONDS * 1000);
}

/** The user fields every page may know (auth.server.ts turns them into the SessionUser). */
export interface SessionAccount {
  _id: Types.ObjectId;
  name: string;
  language: 'zh' | 'en';
  street?: Types.ObjectId | null;
  community?: Types.ObjectId | null;
  roles: { role: Role; scopeType: ScopeType; scopeId?: Types.ObjectId | null }[];
  /** Unread notifications, counted up to UNREAD_CAP; absent when the user was read alone. */
  unread?: number;
}
/** Unread notifications are counted up to this many (the bell shows "99+" from 100). */
export const UNREAD_CAP = 100;
export const SESSION_ACCOUNT_SELECT = 'name language street community roles';
const ACCOUNT_FIELDS = Object.fromEntries(['_id', ...SESSION_ACCOUNT_SELECT.split(' ')].map((field) => [`account.${field}`, 1]));
/** The request-context key under which the session read leaves its user, per user id. */
export const SESSION_ACCOUNT = 'sessionAccount';

let secrets: string[] | undefined;
export function cookieSecrets(): string[] {
  if (secrets) return secrets;
  const env = getEnv();
  if (env.SESSION_SECRET) {
    secrets = [env.SESSION_SECRET];
    return secrets;
  }
  // No secret configured: keep a generated one under DATA_DIR so sessions survive restarts.
  const file = path.join(env.DATA_DIR, 'session-secret');
  if (!existsSync(file)) {
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  secrets = [readFileSync(file, 'utf8').trim()];
  return secrets;
}

function makeStorage(secure: boolean): SessionStorage<SessionData> {
  const cookie = createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure,
    maxAge: SESSION_MAX_AGE_S,
    secrets: cookieSecrets(),
  });
  return createSessionStorage<SessionData>({
    cookie,
    async createData(data, expires) {
      const id = randomBytes(32).toString('base64url');
      await Session.create({
        _id: id,
        user: data.userId ? new Types.ObjectId(data.userId) : undefined,
        data,
        expiresAt: data.kiosk ? kioskIdleExpiry() : (expires ?? new Date(Date.now() + SESSION_MAX_AGE_S * 1000)),
      });
      return id;
    },
    async readData(id) {
      // One round trip for the session and its user: the page's user (auth.server.ts) is then
      // known without a second read.
      const [doc] = await Session.aggregate<{ data?: Partial<SessionData>; account?: Omit<SessionAccount, 'unread'>; unread: number }>([
        { $match: { _id: id, expiresAt: { $gt: new Date() } } },
        { $limit: 1 },
        { $lookup: { from: User.collection.name, localField: 'user', foreignField: '_id', as: 'account' } },
        // Unwound first: the user's fields are then projected from one document, not an array.
        { $unwind: { path: '$account', preserveNullAndEmptyArrays: true } },
        // The header's unread count, bounded: the bell shows "99+" beyond (index recipient, readAt).
        {
          $lookup: {
            from: Notification.collection.name,
            let: { user: '$user' },
            pipeline: [{ $match: { $expr: { $eq: ['$recipient', '$$user'] }, readAt: null } }, { $limit: UNREAD_CAP }, { $project: { _id: 1 } }],
            as: 'unread',
          },
        },
        { $project: { data: 1, ...ACCOUNT_FIELDS, unread: { $size: '$unread' } } },
      ]);
      const data = doc?.data ?? null;
      const account = doc?.account;
      // A kiosk session's idle time counts from its last request: each one moves its end on.
      if (data?.kiosk) await Session.updateOne({ _id: id }, { $set: { expiresAt: kioskIdleExpiry() } });
      if (data?.userId && account && String(account._id) === data.userId) knownForRequest(`${SESSION_ACCOUNT}:${data.userId}`, { ...account, unread: doc.unread });
      return data;
    },
    async updateData(id, data, expires) {
      // Only refresh existing sessions: a revoked id must never come back to life.
      await Session.updateOne(
        { _id: id },
        { $set: { data, expiresAt: data.kiosk ? kioskIdleExpiry() : (expires ?? new Date(Date.now() + SESSION_MAX_AGE_S * 1000)) } },
      );
    },
    async deleteData(id) {
      await Session.deleteOne({ _id: id });
    },
  });
}

const storages = new Map<boolean, SessionStorage<SessionData>>();

/** Secure cookies when served over HTTPS (or always/never, by COOKIE_SECURE). */
export function isSecureRequest(request: Request): boolean {
  const setting = getEnv().COOKIE_SECURE;
  if (setting !== 'auto') return setting === 'true';
  return new URL(request.url).protocol === 'https:';
}

function storageFor(request: Request): SessionStorage<SessionData> {
  const secure = isSecureRequest(request);
  let storage = storages.get(secure);
  if (!storage) {
    storage = makeStorage(secure);
    storages.set(secure, storage);
  }
  return storage;
}

export function getSession(request: Request): Promise<RemixSession<SessionData>> {
  return storageFor(request).getSession(request.headers.get('Cookie'));
}

/** The request-context key of the session's data (read once per HTTP request). */
export const SESSION_DATA = 'sessionData';

/** The session's user id and kiosk, read once per HTTP request: root and route loaders share it. */
export function getSessionData(request: Request, context?: AppLoadContext): Promise<{ userId: string | null; kiosk: string | null }> {
  return oncePerRequest({ request, context }, SESSION_DATA, () =>
    getSession(request).then((session) => ({ userId: session.get('userId') ?? null, kiosk: session.get('kiosk') ?? null })),
  );
}

/** The signed-in user's id, or null. */
export function getUserId(request: Request, context?: AppLoadContext): Promise<string | null> {
  return getSessionData(request, context).then((data) => data.userId);
}

/**
 * The kiosk of the session this HTTP request runs in, if it is a kiosk session; outside a
 * request, or before anything read the session, null. The audit log marks acts with it.
 */
export async function currentKiosk(): Promise<string | null> {
  const data = peekForRequest<{ kiosk: string | null }>(SESSION_DATA);
  return data ? ((await data).kiosk ?? null) : null;
}

/**
 * Starts a fresh session for a user who just proved who they are and returns its Set-Cookie
 * header. The old session, if any, is deleted and a new id issued (no session fixation).
 */
export async function startUserSession(request: Request, userId: string): Promise<string> {
  const storage = storageFor(request);
  const old = await storage.getSession(request.headers.get('Cookie'));
  if (old.id) await storage.destroySession(old);
  const session = await storage.getSession();
  session.set('userId', userId);
  return storage.commitSession(session, { maxAge: SESSION_MAX_AGE_S });
}

/** Starts the session and redirects; typed as `redirect()` types it, so it adds no `any` to `useActionData`. */
export async function createUserSession(request: Request, userId: string, redirectTo: string): Promise<TypedResponse<never>> {
  return redirect(redirectTo, { status: 303, headers: { 'Set-Cookie': await startUserSession(request, userId) } });
}

/**
 * Starts a resident's session on a kiosk (decision 032): like startUserSession, but marked with
 * the kiosk, ending after KIOSK_IDLE_SECONDS without a request, and a browser-session cookie.
 */
export async function startKioskSession(request: Request, userId: string, kioskId: string): Promise<string> {
  const storage = storageFor(request);
  const old = await storage.getSession(request.headers.get('Cookie'));
  if (old.id) await storage.destroySession(old);
  const session = await storage.getSession();
  session.set('userId', userId);
  session.set('kiosk', kioskId);
  return storage.commitSession(session, { maxAge: undefined, expires: undefined });
}

/** Ends every session of a kiosk (it was revoked). */
export async function revokeKioskSessions(kioskId: string): Promise<number> {
  const result = await Session.deleteMany({ 'data.kiosk': kioskId });
  return result.deletedCount;
}

/** Ends the current session on the server and clears the cookie. */
export async function destroySessionCookie(request: Request): Promise<string> {
  const storage = storageFor(request);
  const session = await storage.getSession(request.headers.get('Cookie'));
  return storage.destroySession(session);
}

/** Revokes every session of a user (password change, an admin's action). */
export async function revokeUserSessions(userId: string): Promise<number> {
  const result = await Session.deleteMany({ user: new Types.ObjectId(userId) });
  return result.deletedCount;
}
