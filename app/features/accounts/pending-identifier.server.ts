import { createCookie } from '@remix-run/node';
import type { IdentityCodePurpose } from '#models';
import { isSecureRequest, cookieSecrets } from '~/core/session.server';
import { normalizeIdentifier } from './auth.schema';
import type { Identifier } from './identity-codes.server';

/**
 * Between "send me a code" and "here is the code", the number or address being proven is kept in
 * a signed, HttpOnly cookie for as long as the code lives, never in the URL (where it would reach
 * logs and browser history) nor in a hidden field the page could be made to change.
 */
const MAX_AGE_S = 15 * 60;

const cookies = new Map<boolean, ReturnType<typeof createCookie>>();

function cookieFor(request: Request) {
  const secure = isSecureRequest(request);
  let cookie = cookies.get(secure);
  if (!cookie) {
    cookie = createCookie('lsx_pending', { path: '/', httpOnly: true, sameSite: 'lax', secure, secrets: cookieSecrets(), maxAge: MAX_AGE_S });
    cookies.set(secure, cookie);
  }
  return cookie;
}

export async function pendingIdentifier(request: Request, purpose: IdentityCodePurpose): Promise<Identifier | null> {
  const value: unknown = await cookieFor(request).parse(request.headers.get('Cookie'));
  if (!value || typeof value !== 'object') return null;
  const stored = value as { purpose?: unknown; identifier?: unknown };
  if (stored.purpose !== purpose || typeof stored.identifier !== 'string') return null;
  return normalizeIdentifier(stored.identifier);
}

export function rememberIdentifier(request: Request, purpose: IdentityCodePurpose, identifier: Identifier): Promise<string> {
  return cookieFor(request).serialize({ purpose, identifier: identifier.value });
}

export function forgetIdentifier(request: Request): Promise<string> {
  return cookieFor(request).serialize('', { maxAge: 0 });
}
