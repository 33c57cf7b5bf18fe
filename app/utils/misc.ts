import type { TypedResponse } from '@remix-run/node';

/** Throws a Response (caught by the nearest ErrorBoundary) when a condition fails. */
export function invariantResponse(
  condition: unknown,
  message: string,
  init?: ResponseInit,
): asserts condition {
  if (!condition) {
    throw new Response(message, { status: 400, ...init, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...init?.headers } });
  }
}

/**
 * A file to download, never cached, or 404 when there is none. Typed as `redirect()` is: the
 * browser saves the file and the page gets no data from it, so an action that may answer with
 * a download keeps its `useActionData` type (a plain Response would make it `any`).
 */
export function downloadResponse(file: { filename: string; contentType: string; body: string } | null): TypedResponse<never> {
  if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } }) as TypedResponse<never>;
  return new Response(file.body, {
    headers: { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"`, 'Cache-Control': 'no-store' },
  }) as TypedResponse<never>;
}

// Only the path matters here; any fixed origin serves to tell "same site" from "elsewhere".
const REDIRECT_BASE = 'http://redirect.invalid';

/**
 * A same-site path to go to after login and the like, checked after the normalisation a router
 * and a browser apply (`/./\evil` becomes `/\evil`, `/.//evil` becomes `//evil`): the result
 * is the parsed path, query and hash, percent-encoded (so always a valid ASCII Location).
 * Anything with a backslash or control character, or that lands on another origin, falls back.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (!to || typeof to !== 'string') return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!to.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  const target = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== REDIRECT_BASE || !target.startsWith('/') || target.startsWith('//')) return fallback;
  return target;
}

/**
 * A route's `$number` (a proposal's, a project's, a need's, a wish's), written the one way a link
 * writes it ("12", not "012", "1e1", "0x0c", "12.0" or " 12"): a thing has one address, so no
 * page is cached or shared under another spelling and no act posted to one lands on it. Anything
 * else is a 404.
 */
export function numberParam(raw: string | undefined): number {
  invariantResponse(raw !== undefined && /^[1-9]\d{0,14}$/.test(raw), 'Not found', { status: 404 });
  return Number(raw);
}
