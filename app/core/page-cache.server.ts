import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { visitorLanguage } from './i18n.server';
import type { Language } from './locales';
import { sharedOrderWindow } from './visitor.server';
import { isLargeType, TEXT_SIZE_COOKIE } from './text-size.server';

/**
 * A short micro-cache of public pages' HTML for anonymous GETs (docs/decisions/020): entries
 * live a few seconds, so several instances on one database disagree for at most that long;
 * a write handled by this instance clears it at once. Any cookie but the language and order
 * seed, any method but GET/HEAD, any response but a 200 HTML page without Set-Cookie: bypassed.
 * Visitors who ask for a page while it is being rendered wait for that render instead of
 * rendering it again (200 first visits at once cost one render, not 200); once a copy has
 * expired, the one request that renders it again is the only one to wait, the others get the
 * expired copy meanwhile (at most twice the lifetime old). A render that began before a write
 * through this instance is not kept.
 *
 * A page's single-fetch data (`/x.data`, `/_root.data` for `/`) follows its page's policy without
 * being kept here: an anonymous visitor's copy of a public page's data may be shared as its HTML
 * may, and anything personal (any other cookie, a cookie set) is `private, no-store`, like the
 * HTML (docs/decisions/020).
 */

const PUBLIC_PAGES = [
  /^\/$/,
  /^\/competitions\/[^/]+$/,
  /^\/competitions\/[^/]+\/proposals$/,
  /^\/competitions\/[^/]+\/proposals\/\d+$/,
  /^\/competitions\/[^/]+\/results$/,
  /^\/competitions\/[^/]+\/projects$/,
  /^\/competitions\/[^/]+\/projects\/\d+$/,
  // The district dashboard, any ?year= (the query is in the key).
  /^\/dashboard$/,
  // The needs board (any filters: the query is in the key). A need's own page is not here: it
  // answers `private, no-store`, as private details may be on it for some viewers.
  /^\/needs$/,
  // The micro-wishes' wall (any filter) and a wish's page.
  /^\/wishes$/,
  /^\/wishes\/\d+$/,
  // A need's share page: its public card only, the same for everyone (its card.svg is not HTML,
  // which this cache never keeps; it says its own Cache-Control).
  /^\/needs\/\d+\/share$/,
];

/** Cookies an anonymous visitor may carry and still share a cached page (all are in the key). */
const ANONYMOUS_COOKIES = new Set(['lsx_lng', 'lsx_seed', TEXT_SIZE_COOKIE]);
const NONCE_MARK = '\u0000nonce\u0000';

interface Entry {
  /** The page's bytes around each place its nonce goes (encoded once, when stored). */
  parts: Buffer[];
  etag: string;
  contentType: string;
  expires: number;
  bytes: number;
}

/** Least recently used first out once the bodies together pass `maxBytes`. */
export class ByteLru {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  /** The entry, also for `graceMs` past its expiry (the caller tells fresh from stale). */
  get(key: string, now: number, graceMs = 0): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires + graceMs <= now) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): void {
    if (entry.bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.bytes;
  }
}

function cookieNames(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (name) cookies.set(name, at < 0 ? '' : part.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * The visitor's language, decided by the app's own detector (?lng=, cookie, Accept-Language),
 * remembered per combination of exactly those inputs: a hit then costs no Request object and no
 * cookie parsing. Bounded: past LANGUAGE_MEMO entries the memo starts again.
 */
const LANGUAGE_MEMO = 1_000;
const languages = new Map<string, Language>();
async function languageOf(req: Request, languageCookie: string | undefined): Promise<Language> {
  const query = req.originalUrl.indexOf('?');
  const lng = query < 0 ? '' : (new URLSearchParams(req.originalUrl.slice(query + 1)).get('lng') ?? '');
  const acceptLanguage = req.get('accept-language') ?? '';
  const key = `${lng}\u0000${languageCookie ?? '\u0001'}\u0000${acceptLanguage}`;
  const known = languages.get(key);
  if (known) return known;
  const headers: Record<string, string> = {};
  if (languageCookie !== undefined) headers.cookie = `lsx_lng=${languageCookie}`;
  if (acceptLanguage) headers['accept-language'] = acceptLanguage;
  const url = new URL(lng ? `/?lng=${encodeURIComponent(lng)}` : '/', 'http://localhost');
  const language = await visitorLanguage(new globalThis.Request(url, { headers }));
  if (languages.size >= LANGUAGE_MEMO) languages.clear();
  languages.set(key, language);
  return language;
}

export function pageCache(options: { seconds: number; maxBytes: number }) {
  const store = new ByteLru(options.maxBytes);
  /** Renders in progress, by key: the other visitors of that page wait for them. */
  const pending = new Map<string, Promise<void>>();
  /** Bumped by each write: a render that began before it is not stored. */
  let generation = 0;
  const graceMs = options.seconds * 1000;
  const cacheControl = `public, max-age=0, s-maxage=${options.seconds}, stale-while-revalidate=${options.seconds * 6}`;

  return (req: Request, res: Response, next: NextFunction): void => {
    const cookies = cookieNames(req.get('cookie'));
    const anonymous = [...cookies.keys()].every((name) => ANONYMOUS_COOKIES.has(name));
    const data = req.path.endsWith('.data');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // A write through this instance shows at once here; other instances within `seconds`.
      res.once('finish', () => {
        generation++;
        store.clear();
      });
      privateUnlessSaid(res, data, !anonymous);
      return next();
    }
    const page = data ? req.path.slice(0, -'.data'.length).replace(/^\/_root$/, '/') : req.path;
    const publicPage = PUBLIC_PAGES.some((pattern) => pattern.test(page));
    // A public page's URL is shared by signed-in and anonymous visitors: a CDN keys on Cookie.
    if (publicPage) res.setHeader('Vary', 'Cookie, Accept-Language');
    if (options.seconds <= 0 || !anonymous || !publicPage) {
      privateUnlessSaid(res, data, !anonymous);
      return next();
    }
    if (data) {
      publicUnlessSaid(req, res);
      return next();
    }

    void languageOf(req, cookies.get('lsx_lng'))
      .then((language) => {
        const now = Date.now();
        // The list's order follows the visitor's seed, or without one the hour's shared seed.
        // Large type (decision 033) is rendered on the server: keyed on exactly what the app reads.
        const size = isLargeType(req.get('cookie')) ? 'large' : '';
        const key = `${language}|${size}|${cookies.get('lsx_seed') ?? ''}|${sharedOrderWindow(now)}|${req.originalUrl}`;
        const nonce = res.locals.cspNonce as string;
        const entry = store.get(key, now, graceMs);
        if (entry && entry.expires > now) return serve(req, res, entry, nonce, 'hit');
        const rendering = pending.get(key);
        // Expired while another visitor's request renders it again: the copy before, once more.
        if (entry && rendering) return serve(req, res, entry, nonce, 'stale');
        if (!rendering) {
          capture(req, res, key, nonce);
          return next();
        }
        // Not there yet and being rendered: wait for that render rather than render it again.
        // Returned, so that an error on the way goes to Express like any other here.
        return settledOrLate(rendering).then(() => {
          const rendered = store.get(key, Date.now());
          if (rendered) return serve(req, res, rendered, nonce, 'hit');
          capture(req, res, key, nonce);
          next();
        });
      })
      .catch(next);
  };

  function serve(req: Request, res: Response, entry: Entry, nonce: string, kind: 'hit' | 'stale'): void {
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('ETag', entry.etag);
    res.setHeader('X-Page-Cache', kind);
    const match = req.get('if-none-match');
    if (match && match.split(',').some((tag) => tag.trim() === entry.etag || tag.trim() === `W/${entry.etag}`)) {
      // The browser keeps the page it has and the policy (nonce) that came with it.
      res.removeHeader('Content-Security-Policy');
      res.status(304).end();
      return;
    }
    res.status(200).type(entry.contentType).send(withNonce(entry.parts, nonce));
  }

  /** Pages not served from the cache say so: no browser or proxy keeps a signed-in page. */
  function privateUnlessSaid(res: Response, data: boolean, personal: boolean): void {
    let decided = false;
    onWrite(res, () => {
      if (decided) return;
      decided = true;
      markPrivate(res, data, personal);
    });
  }

  /** An anonymous visitor's data of a public page: as long in a shared cache as its HTML, not kept here. */
  function publicUnlessSaid(req: Request, res: Response): void {
    let decided = false;
    onWrite(res, () => {
      if (decided) return;
      decided = true;
      if (shareable(req, res, true)) res.setHeader('Cache-Control', cacheControl);
      else markPrivate(res, true, false);
    });
  }

  function capture(req: Request, res: Response, key: string, nonce: string): void {
    const startedAt = generation;
    let done = () => {};
    const rendering = new Promise<void>((resolve) => (done = resolve));
    pending.set(key, rendering);
    const settle = () => {
      if (pending.get(key) === rendering) pending.delete(key);
      done();
    };
    res.once('close', settle);
    const chunks: Buffer[] = [];
    let decided = false;
    let keep = false;
    const decide = () => {
      if (decided) return;
      decided = true;
      keep = shareable(req, res, false);
      if (keep) {
        res.setHeader('Cache-Control', cacheControl);
        res.setHeader('X-Page-Cache', 'miss');
      } else {
        markPrivate(res, false, false);
      }
    };
    onWrite(res, (chunk, encoding) => {
      decide();
      if (!keep || chunk == null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    });
    res.once('finish', () => {
      if (!keep || generation !== startedAt) return settle();
      const html = Buffer.concat(chunks).toString('utf8');
      const parts = (nonce ? html.split(nonce) : [html]).map((part) => Buffer.from(part, 'utf8'));
      // The same for every visitor: the nonce's places are hashed as a mark.
      const hash = createHash('sha1');
      parts.forEach((part, i) => {
        if (i > 0) hash.update(NONCE_MARK);
        hash.update(part);
      });
      const etag = `"${hash.digest('base64url')}"`;
      store.set(key, { parts, etag, contentType: String(res.getHeader('content-type')), expires: Date.now() + options.seconds * 1000, bytes: parts.reduce((sum, part) => sum + part.length, 0) });
      settle();
    });
  }
}

/** A visitor waits for another's render at most this long, then renders the page itself. */
const WAIT_MS = 10_000;
function settledOrLate(rendering: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, WAIT_MS)));
  return Promise.race([rendering, late]).finally(() => clearTimeout(timer));
}

/** The stored page with this response's nonce in each of its places. */
function withNonce(parts: readonly Buffer[], nonce: string): Buffer {
  if (parts.length === 1) return parts[0]!;
  const mark = Buffer.from(nonce, 'utf8');
  const pieces: Buffer[] = [];
  parts.forEach((part, i) => {
    if (i > 0) pieces.push(mark);
    pieces.push(part);
  });
  return Buffer.concat(pieces);
}

function isHtml(res: Response): boolean {
  return String(res.getHeader('content-type') ?? '').startsWith('text/html');
}

/**
 * Whether a response to an anonymous visitor is the public page everyone gets: a 200 page (HTML,
 * or its `.data`) to a GET that sets no cookie and whose route said no Cache-Control of its own.
 */
function shareable(req: Request, res: Response, data: boolean): boolean {
  return req.method === 'GET' && res.statusCode === 200 && !res.getHeader('set-cookie') && !res.getHeader('cache-control') && (data || isHtml(res));
}

/**
 * A page (HTML, or its `.data`) that is not the public page everyone gets is private and not
 * stored. Its route may say its own Cache-Control, but a personal page (the request carries a
 * cookie other than the anonymous ones, or the response sets one) is kept out of shared caches
 * whatever its route said.
 */
function markPrivate(res: Response, data: boolean, personal: boolean): void {
  if (!data && !isHtml(res)) return;
  const own = String(res.getHeader('cache-control') ?? '');
  if (own && !personal && !res.getHeader('set-cookie')) return;
  if (/\b(?:private|no-store)\b/i.test(own)) return;
  res.setHeader('Cache-Control', 'private, no-store');
}

/** Calls `seen` with each chunk before it is written (res.write and res.end), headers still unsent. */
function onWrite(res: Response, seen: (chunk: unknown, encoding: unknown) => void): void {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((...args: unknown[]) => {
    seen(args[0], args[1]);
    return write(...args);
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    seen(args[0], args[1]);
    return end(...args);
  }) as Response['end'];
}
