/**
 * Forgery check for state-changing requests (decision 007): besides SameSite=Lax cookies, a
 * non-GET request that says where it comes from (Origin, else Referer) must come from this
 * site. Requests that name no origin at all (curl, server-to-server) carry no browser cookies
 * by accident, so they pass here and meet the usual session checks.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isAllowedOrigin(input: { method: string; origin?: string | null; referer?: string | null; host: string }): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  const claimed = input.origin && input.origin !== 'null' ? input.origin : input.referer;
  if (input.origin === 'null') return false;
  if (!claimed) return true;
  try {
    return new URL(claimed).host === input.host;
  } catch {
    return false;
  }
}
