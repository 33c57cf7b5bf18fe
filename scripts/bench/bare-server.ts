/**
 * The baseline for page figures: a bare `node:http` server, in its own process, answering each
 * path with the bytes the app sent for it once (status, content type and body, uncompressed as
 * the load generator asks). What the app does beyond this is the cost of making the page.
 *
 * Usage (child process with an IPC channel): tsx scripts/bench/bare-server.ts <pages.json>
 * where pages.json maps a path to { status, contentType, body (base64) }. Sends { ready: port }.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

interface Page {
  status: number;
  contentType: string;
  body: string;
}

const stored = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, Page>;
const pages = new Map(
  Object.entries(stored).map(([path, page]) => [path, { status: page.status, contentType: page.contentType, body: Buffer.from(page.body, 'base64') }]),
);

const server = createServer((req, res) => {
  const page = pages.get(req.url ?? '');
  if (!page) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(page.status, { 'Content-Type': page.contentType, 'Content-Length': page.body.length });
  res.end(page.body);
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ ready: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
