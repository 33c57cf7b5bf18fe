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

/** A file to download, never cached, or 404 when there is none. */
export function downloadResponse(file: { filename: string; contentType: string; body: string } | null): Response {
  if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  return new Response(file.body, {
    headers: { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"`, 'Cache-Control': 'no-store' },
  });
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
