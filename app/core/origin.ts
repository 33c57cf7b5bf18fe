/**
 * Forgery check for state-changing requests (decision 007): besides SameSite=Lax cookies, a
 * non-GET request that says where it comes from (Origin, else Referer) must come from this
 * site: the same scheme, host and port as one of the expected origins (PUBLIC_ORIGIN and the
 * request's own origin). A page on http:// posting to the https:// site is another origin.
 * Requests that name no origin at all (curl, server-to-server) carry no browser cookies by
 * accident, so they pass here and meet the usual session checks.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function isAllowedOrigin(input: { method: string; origin?: string | null; referer?: string | null; expected: readonly string[] }): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  if (input.origin === 'null') return false;
  const claimed = input.origin || input.referer;
  if (!claimed) return true;
  const origin = originOf(claimed);
  if (!origin) return false;
  return input.expected.some((expected) => originOf(expected) === origin);
}
