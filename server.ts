/**
 * The HTTP server: security headers, compression, static caching, request logs and graceful
 * shutdown live here, in one place. It starts the database first (see
 * app/core/db.server.ts), loads demo data into an empty one, then serves the Remix build.
 *
 * With WEB_CONCURRENCY > 1 (the default in production: one per CPU) this process is node's
 * cluster primary: it starts the database once (the embedded one too), seeds it, then forks the
 * workers that serve, handing them the database's URI. Everything a worker must agree on with
 * the others (sessions, rate limits, votes) is in the database, not in process memory.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import { broadcastDevReady, type ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '~/core/db.server';
import { EnvError, getEnv } from '~/core/env.server';
import { CLIENT_IP_HEADER } from '~/core/request.server';
import { runWithRequestContext } from '~/core/request-context.server';
import { cookieSecrets } from '~/core/session.server';
import { isAllowedOrigin } from '~/core/origin';
import { pageCache } from '~/core/page-cache.server';
import { admission } from '~/core/admission.server';
import { escalateStaleNeeds } from '~/features/needs/escalation.server';
import { remindOverdueWishClaims } from '~/features/wishes/reminders.server';
import { startPeriodicTask } from '~/core/periodic.server';
import { ensureNeedCategories } from '~/features/needs/reference.server';
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
// Said once, by the primary, not again by every worker.
if (cluster.isPrimary && process.env.TRUST_PROXY?.trim() === 'true') {
  console.warn('TRUST_PROXY=true is deprecated and now means one proxy hop; set the hop count or the balancer addresses (README, Configuration).');
}
if (cluster.isPrimary && isProduction && !process.env.PUBLIC_ORIGIN) {
  console.warn(`PUBLIC_ORIGIN is not set: share links and QR codes point at ${env.PUBLIC_ORIGIN}. Set it to the site's public origin (README, Configuration).`);
}
const BUILD_PATH = path.resolve('build/index.js');

if (!existsSync(BUILD_PATH)) {
  console.error('No build found at build/index.js: run `npm run build` first.');
  process.exit(1);
}

const clustered = env.WEB_CONCURRENCY > 1;

await connectDb({ persist: true });
if (env.SEED_ON_EMPTY === 'true' && cluster.isPrimary) {
  const seeded = await seedIfEmpty();
  if (seeded) console.log('Database was empty: demo data loaded (see README for the demo logins).');
}
// The needs whistle's 20 categories, in a database that has none yet (the demo seeds them too).
if (cluster.isPrimary) await ensureNeedCategories();
if (clustered && cluster.isPrimary) {
  runPrimary(env.WEB_CONCURRENCY);
} else {
  await serve();
}

/** Forks the workers, replaces one that dies, and stops them all (then the database) on a signal. */
function runPrimary(count: number): void {
  // The generated session secret (when SESSION_SECRET is unset) is written once, here, so that
  // workers starting together do not each write their own.
  cookieSecrets();
  const { host, port, name } = mongoose.connection;
  const workerEnv = {
    // The database this process started (or MONGODB_URI): every worker uses the same one.
    MONGODB_URI: env.MONGODB_URI ?? `mongodb://${host}:${port}/${name}`,
    SEED_ON_EMPTY: 'false',
  };
  let stopping = false;
  const listening = new Set<number>();
  const fork = () => cluster.fork(workerEnv);

  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    if (listening.size === count) {
      const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
      console.log(`Laoshanxing is running at http://${shown}:${env.PORT} (${count} workers)`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker.id)) {
      // It never served: another would fail the same way.
      console.error(`A worker exited (${signal ?? code}) before it could serve: stopping.`);
      void stop('worker failure', 1);
      return;
    }
    listening.delete(worker.id);
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}): starting another`);
    fork();
  });

  async function stop(reason: string, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: shutting down ${count} workers`);
    const forced = setTimeout(() => process.exit(1), 15_000);
    // Each worker lets its requests in flight finish (its own shutdown below), then exits.
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
    await disconnectDb();
    clearTimeout(forced);
    process.exit(exitCode);
  }
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  for (let i = 0; i < count; i++) fork();
}

/**
 * Remix writes a streamed page chunk by chunk and calls `res.flush()` after each; compression
 * turns every call into a zlib sync flush, which ends the deflate block and restarts its
 * dictionary (the list page came out 60% larger than gzipping it in one pass). Flushing once
 * per turn of the event loop sends what is ready together, in one block, and still sends a
 * streamed boundary as soon as it resolves.
 */
function coalesceFlushes(_req: Request, res: Response, next: NextFunction) {
  // Set by compression() just before (its types declare it on every Response).
  const compressed = res as Partial<Pick<Response, 'flush'>>;
  if (typeof compressed.flush === 'function') {
    const flush = compressed.flush.bind(res);
    let pending: NodeJS.Immediate | undefined;
    res.flush = () => {
      pending ??= setImmediate(() => {
        pending = undefined;
        flush();
      });
    };
    res.once('close', () => clearImmediate(pending));
  }
  next();
}

async function serve(): Promise<void> {

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
  app.use(coalesceFlushes);

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
  // Everything in public/ outside build/ is named with an extension (favicon.svg, locales/*.json);
  // a page's path has none and skips the file-system lookup.
  const publicFiles = express.static('public', { maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (path.extname(req.path)) void publicFiles(req, res, next);
    else next();
  });

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
    // One object per HTTP request (document or `.data`), shared by all its loaders: the key of
    // app/core/request-context.server.ts.
    getLoadContext: (_req, res) => res.locals.loadContext as { cspNonce: string },
  });
  // After the origin check and the body check: a refused request never reaches it.
  app.use(pageCache({ seconds: env.PAGE_CACHE_SECONDS, maxBytes: env.PAGE_CACHE_MAX_MB * 1024 * 1024 }));
  // After the cache: a hit costs next to nothing and need not wait for a place.
  const admit = admission(env.MAX_IN_FLIGHT);
  // The Remix handler passes its own errors to next(); its promise settles once the response is written.
  app.all('*', (req, res, next) => {
    const context = { cspNonce: res.locals.cspNonce as string };
    res.locals.loadContext = context;
    admit(res, next, () => runWithRequestContext(context, () => remixHandler(req, res, next)));
  });

  // Idempotent, so every worker may run them (app/core/periodic.server.ts).
  const log = (message: string, error?: unknown) => (error ? console.error(message, error) : console.log(message));
  startPeriodicTask({ name: 'needs escalated to their street committees', minutes: env.NEED_ESCALATION_CHECK_MINUTES, task: () => escalateStaleNeeds({ days: env.NEED_ESCALATION_DAYS }), log });
  startPeriodicTask({ name: 'overdue micro-wish claims reminded', minutes: env.WISH_REMINDER_CHECK_MINUTES, task: () => remindOverdueWishClaims(), log });

  const server = app.listen(env.PORT, env.HOST, () => {
    const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
    if (!clustered) console.log(`Laoshanxing is running at http://${shown}:${env.PORT}`);
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
}
