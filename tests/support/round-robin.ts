import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy that hands requests to its backends in turn, as a load balancer without
 * sticky sessions would: two app instances behind it must behave as one app. Each response
 * carries `X-Backend` (the backend's index) so a test can see who answered. Used by the
 * scale-out test and the benchmark (issue 13).
 */
export interface RoundRobin {
  baseUrl: string;
  /** How many requests each backend answered since the start. */
  served: number[];
  close(): Promise<void>;
}

export async function startRoundRobin(backends: readonly string[]): Promise<RoundRobin> {
  let next = 0;
  const served = backends.map(() => 0);
  const server: Server = createServer((req, res) => {
    const index = next++ % backends.length;
    served[index]!++;
    const target = new URL(backends[index]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: req.headers.host ?? target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-backend': String(index) });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
