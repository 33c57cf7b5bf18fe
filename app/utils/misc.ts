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
 * A same-site path to go to after login and the like; anything else (other hosts,
 * protocol-relative "//evil", backslash tricks) falls back to `fallback`.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (!to || typeof to !== 'string') return fallback;
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\') || /[\r\n\t]/.test(to)) return fallback;
  return to;
}
