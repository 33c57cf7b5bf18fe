import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const absolutePath = z.string().refine((value) => path.isAbsolute(value), 'must be an absolute path');

/** Names Express (proxy-addr) knows for whole private ranges. */
const NAMED_SUBNETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (NAMED_SUBNETS.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies in front of the app may speak for the client (Express's `trust proxy`):
 * `false`, a hop count, or the balancers' addresses / CIDRs. `true` is the deprecated spelling
 * of one hop: trusting every hop let a client write its own address into X-Forwarded-For.
 */
const trustProxy = z
  .string()
  .transform((value, ctx): false | number | string[] => {
    const trimmed = value.trim();
    if (trimmed === 'false') return false;
    if (trimmed === 'true') return 1;
    if (/^\d+$/.test(trimmed)) return Number(trimmed) === 0 ? false : Number(trimmed);
    const entries = trimmed.split(',').map((entry) => entry.trim());
    if (entries.every((entry) => entry !== '' && isAddressOrSubnet(entry))) return entries;
    ctx.addIssue({ code: 'custom', message: 'must be false, a hop count (1, 2) or a comma-separated list of proxy addresses/CIDRs' });
    return z.NEVER;
  });

/** Where people reach the site: share links and QR codes are built from it, never from Host. */
const publicOrigin = z.string().transform((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const bare = url && /^https?:$/.test(url.protocol) && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  if (!url || !bare || !/^https?:\/\/[^/]+\/?$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin without a path, e.g. https://laoshanxing.example.cn' });
    return z.NEVER;
  }
  return url.origin;
});

/**
 * Every environment variable the app, its scripts and its test support read, validated once
 * at start-up. README's "Configuration" section lists the same variables; keep them in step.
 */
const envShape = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGOMS_SYSTEM_BINARY: z.string().optional(),
  // mongodb-memory-server's download retries (its own default is 3). 0: its download host is
  // unreachable on some machines, so fail at the first attempt and fall back to the stand-in.
  MONGOMS_MAX_RETRIES: z
    .string()
    .regex(/^\d+$/, 'must be a non-negative integer')
    .transform(Number)
    .default(0),
  DATA_DIR: z.string().min(1).default('.data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  TRUST_PROXY: trustProxy.default(false),
  PUBLIC_ORIGIN: publicOrigin.optional(),
  SEED_ON_EMPTY: z.enum(['true', 'false']).default('true'),
  LOG_REQUESTS: z.enum(['true', 'false']).default('true'),
  // Anonymous public pages' micro-cache (docs/decisions/020): seconds an entry lives (0: off), and its memory cap.
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  PAGE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(32),
  // Sign-in attempts one address may make per 15 minutes across accounts (a service station's
  // shared connection may need more; app/features/accounts/login.server.ts).
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(5).max(100_000).default(50),
  // Seconds without a touch after which a resident's session on a kiosk ends (decision 032).
  KIOSK_IDLE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  // The CJK font the annual report's PDF embeds (a subset of it): a TrueType/OpenType file or
  // collection; in a collection the report uses the Simplified Chinese face (app/features/dashboard/report-pdf.server.ts).
  PDF_FONT_PATH: absolutePath
    .refine((value) => /\.(ttc|ttf|otf)$/i.test(value), 'must be a .ttc, .ttf or .otf font file')
    .default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  // The needs whistle (app/features/needs/escalation.server.ts): days a verified need may wait on
  // the board unclaimed before the street's committee is told, and how often each process looks.
  NEED_ESCALATION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  NEED_ESCALATION_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  WISH_REMINDER_CHECK_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),
  // Requests one process works on at once; the rest wait in line (app/core/admission.server.ts).
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(16),
  // Worker processes `npm start` runs (node:cluster), all on one database. Unset: one per CPU in
  // production, 1 in development and tests.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  // Set by `remix dev` for the server it runs, which then reloads each new build.
  REMIX_DEV_ORIGIN: z.url('must be a URL, e.g. http://localhost:3001').optional(),
  // End-to-end tests only: the browser they drive.
  CHROMIUM_PATH: absolutePath.default('/usr/bin/chromium'),
  // How one-time codes and notices reach phones and mailboxes (app/core/messages.server.ts):
  // "outbox" writes them to DATA_DIR/outbox.jsonl, readable by admins at /admin/outbox.
  SMS_GATEWAY: z.enum(['outbox', 'http']).default('outbox'),
  SMS_API_URL: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  SMS_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SMS_SIGN_NAME: z.string().min(2).max(20).default('崂善行'),
  EMAIL_GATEWAY: z.enum(['outbox', 'smtp']).default('outbox'),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'must be smtp://user:pass@host:port or smtps://...').optional(),
  MAIL_FROM: z.string().min(3).optional(),
});

/** The names of every variable above (the README's Configuration table lists the same). */
export const ENV_KEYS = Object.keys(envShape.shape);

const envSchema = envShape
  .superRefine((env, ctx) => {
    if (env.SMS_GATEWAY === 'http') {
      if (!env.SMS_API_URL) ctx.addIssue({ code: 'custom', path: ['SMS_API_URL'], message: 'required when SMS_GATEWAY=http' });
      if (!env.SMS_API_TOKEN) ctx.addIssue({ code: 'custom', path: ['SMS_API_TOKEN'], message: 'required when SMS_GATEWAY=http' });
    }
    if (env.EMAIL_GATEWAY === 'smtp') {
      if (!env.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'required when EMAIL_GATEWAY=smtp' });
      if (!env.MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'required when EMAIL_GATEWAY=smtp' });
    }
  })
  .transform((env) => ({
    ...env,
    PUBLIC_ORIGIN: env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`,
    // `remix dev` reloads the build in the one process it talks to.
    WEB_CONCURRENCY: env.WEB_CONCURRENCY ?? (env.NODE_ENV === 'production' && !env.REMIX_DEV_ORIGIN ? availableParallelism() : 1),
  }));

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new EnvError(`Invalid environment variables:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
