/**
 * server.ts replaces this header on every incoming request with the socket's (or, behind a
 * trusted proxy, the forwarded) address, so a client cannot choose its own.
 */
export const CLIENT_IP_HEADER = 'x-laoshanxing-client-ip';

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}
