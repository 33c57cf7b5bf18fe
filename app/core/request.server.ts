import { getEnv } from './env.server';

/**
 * server.ts replaces this header on every incoming request with Express's `req.ip` under the
 * TRUST_PROXY setting (the socket's address, or the one the trusted balancer appended), so a
 * client cannot choose its own.
 */
export const CLIENT_IP_HEADER = 'x-laoshanxing-client-ip';

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}

/**
 * An absolute link to a page of this site, for sharing (links, QR codes): built from
 * PUBLIC_ORIGIN, never from the request's Host or X-Forwarded-Host, which a client chooses.
 */
export function publicUrl(pathname: string): string {
  return new URL(pathname, getEnv().PUBLIC_ORIGIN).toString();
}

/**
 * The request's form, or a 400 when its body cannot be read as one (a multipart body with a
 * boundary but broken parts, say): a client's bad body is never a server error.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response('The form could not be read.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}
