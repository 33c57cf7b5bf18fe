/**
 * The large-type choice ("大字", issue 18), remembered per device in a cookie so the server
 * renders the class on the first byte (no flash of small text). A plain cookie, `lsx_type=large`
 * or none: the page cache keys on exactly this value (page-cache.server.ts), so what it stores
 * under "large" is always what the app renders for "large" (docs/decisions/033).
 */
export const TEXT_SIZE_COOKIE = 'lsx_type';
const LARGE = 'large';
const YEAR = 60 * 60 * 24 * 365;

/** True when the cookie header holds exactly `lsx_type=large`. */
export function isLargeType(cookieHeader: string | null | undefined): boolean {
  for (const part of (cookieHeader ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === TEXT_SIZE_COOKIE) return part.slice(at + 1).trim() === LARGE;
  }
  return false;
}

export function wantsLargeType(request: Request): boolean {
  return isLargeType(request.headers.get('Cookie'));
}

/** Set-Cookie for the choice: large remembered a year; normal clears the cookie. */
export function textSizeSetCookie(large: boolean): string {
  return large ? `${TEXT_SIZE_COOKIE}=${LARGE}; Path=/; Max-Age=${YEAR}; SameSite=Lax; HttpOnly` : `${TEXT_SIZE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly`;
}
