import { createCookieSessionStorage, redirect, type TypedResponse } from '@remix-run/node';
import type { Toast } from './toast';
import { cookieSecrets } from './session.server';

/**
 * One-time messages shown after a redirect ("Saved", "Signed out"). They live in their own
 * small cookie so anonymous visitors need no database session.
 */

let storage: ReturnType<typeof createCookieSessionStorage<Record<string, never>, { toast: Toast }>> | undefined;
function toastStorage() {
  storage ??= createCookieSessionStorage<Record<string, never>, { toast: Toast }>({
    cookie: { name: 'lsx_toast', path: '/', httpOnly: true, sameSite: 'lax', secrets: cookieSecrets() },
  });
  return storage;
}

export async function toastCookie(toast: Toast): Promise<string> {
  const session = await toastStorage().getSession();
  session.flash('toast', toast);
  return toastStorage().commitSession(session);
}

/** A redirect, typed as `redirect()` types it, so it adds no `any` to `useActionData`. */
export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}): Promise<TypedResponse<never>> {
  const headers = new Headers(init.headers);
  headers.append('Set-Cookie', await toastCookie(toast));
  return redirect(url, { status: 303, ...init, headers });
}

/** Reads the pending toast, if any, and the Set-Cookie header that clears it. */
export async function takeToast(request: Request): Promise<{ toast: Toast | null; headers: Headers }> {
  const session = await toastStorage().getSession(request.headers.get('Cookie'));
  const toast = session.get('toast') ?? null;
  const headers = new Headers();
  if (toast) headers.append('Set-Cookie', await toastStorage().destroySession(session));
  return { toast, headers };
}
