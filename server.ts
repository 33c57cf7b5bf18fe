/**
 * The HTTP server: security headers, compression, static caching, request logs and graceful
 * shutdown live here, in one place. It starts the database first (see
 * app/core/db.server.ts), loads demo data into an empty one, then serves the Remix build.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import { broadcastDevReady, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { connectDb, disconnectDb } from '~/core/db.server';
import { EnvError, getEnv } from '~/core/env.server';
import { CLIENT_IP_HEADER } from '~/core/request.server';
import { isAllowedOrigin } from '~/core/origin';
import { seedIfEmpty } from './seeds/seed';

let env: ReturnType<typeof getEnv>;
try {
  env = getEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const isProduction = env.NODE_ENV === 'production';
if (process.env.TRUST_PROXY?.trim() === 'true') {
  console.warn('TRUST_PROXY=true is deprecated and now means one proxy hop; set the hop count or the balancer addresses (README, Configuration).');
}
if (isProduction && !process.env.PUBLIC_ORIGIN) {
  console.warn(`PUBLIC_ORIGIN is not set: share links and QR codes point at ${env.PUBLIC_ORIGIN}. Set it to the site's public origin (README, Configuration).`);
}
const BUILD_PATH = path.resolve('build/index.js');

if (!existsSync(BUILD_PATH)) {
  console.error('No build found at build/index.js: run `npm run build` first.');
  process.exit(1);
}

await connectDb({ persist: true });
if (env.SEED_ON_EMPTY === 'true') {
  const seeded = await seedIfEmpty();
  if (seeded) console.log('Database was empty: demo data loaded (see README for the demo logins).');
}

async function importBuild(): Promise<ServerBuild> {
  // A query string busts Node's module cache so dev rebuilds are picked up.
  const url = `${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`;
  return (await import(url)) as ServerBuild;
}

let build = await importBuild();
// Under `remix dev` the dev server waits to hear that each new build is loaded.
if (process.env.REMIX_DEV_ORIGIN) {
  let timer: NodeJS.Timeout | undefined;
  watch(path.dirname(BUILD_PATH), () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      importBuild()
        .then(async (next) => {
          build = next;
          await broadcastDevReady(build);
        })
        .catch((error: unknown) => console.error('dev: reloading the build failed', error));
    }, 100);
  });
  await broadcastDevReady(build);
}

/** The origin this request was addressed to, reading X-Forwarded-* only from trusted proxies. */
function ownOrigin(req: Request): string {
  const trusts = req.app.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean;
  const forwarded = trusts(req.socket.remoteAddress, 0) ? req.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return `${req.protocol}://${forwarded || req.get('host') || ''}`;
}

const app = express();
app.disable('x-powered-by');
// Only the configured hops or balancer addresses may speak for the client (X-Forwarded-*).
app.set('trust proxy', env.TRUST_PROXY);
app.use(compression());

app.use((req: Request, res: Response, next: NextFunction) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  const https = req.secure;
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'${isProduction ? '' : " 'unsafe-eval'"}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src 'self'${isProduction ? '' : ' ws://localhost:* ws://127.0.0.1:*'}`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (isProduction && https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  // The app learns the client's address only from here (see app/core/request.server.ts).
  req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (!isAllowedOrigin({ method: req.method, origin: req.get('origin'), referer: req.get('referer'), expected: [env.PUBLIC_ORIGIN, ownOrigin(req)] })) {
    res.status(403).type('text/plain').send('Cross-site request refused');
    return;
  }
  next();
});

// Fingerprinted assets are immutable; everything else in public/ is cached briefly.
app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }));
app.use(express.static('public', { maxAge: '1h' }));

if (env.LOG_REQUESTS === 'true') {
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  });
}

/**
 * Actions read forms (and Remix's `.data` requests post forms too): any other body would make
 * `request.formData()` throw inside an action, so it is refused here, before anything runs.
 */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
app.use((req: Request, res: Response, next: NextFunction) => {
  if (!BODY_METHODS.has(req.method)) return next();
  const [mediaType = '', ...parameters] = (req.get('content-type') ?? '').split(';').map((part) => part.trim());
  const type = mediaType.toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return next();
  if (type === 'multipart/form-data') {
    if (parameters.some((parameter) => /^boundary=.+/i.test(parameter))) return next();
    res.status(400).type('text/plain').send('Malformed form: multipart/form-data without a boundary');
    return;
  }
  res.status(415).type('text/plain').send('Unsupported Media Type: send application/x-www-form-urlencoded or multipart/form-data');
});

const remixHandler = createRequestHandler({
  // A function, so each request gets the build the dev watcher last loaded.
  build: () => Promise.resolve(build),
  mode: env.NODE_ENV,
  getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
});
// The Remix handler passes its own errors to next(); Express 4 ignores the returned promise.
app.all('*', (req, res, next) => {
  void remixHandler(req, res, next);
});

const server = app.listen(env.PORT, env.HOST, () => {
  const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  console.log(`Laoshanxing is running at http://${shown}:${env.PORT}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const forced = setTimeout(() => process.exit(1), 10_000);
  // Stop accepting, let requests in flight finish, then close the database cleanly.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
  await disconnectDb();
  clearTimeout(forced);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
