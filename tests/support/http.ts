import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { CLIENT_IP_HEADER } from '~/core/request.server';
import { runWithRequestContext } from '~/core/request-context.server';

const BASE = 'http://localhost';

/** A browser's cookie jar, enough for our cookies: keeps name=value, drops expired ones. */
export class CookieJar {
  private cookies = new Map<string, string>();

  take(headers: Headers): this {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const expired = attributes.some(
        (a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()),
      );
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1));
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

interface RequestOptions {
  jar?: CookieJar;
  cookie?: string;
  ip?: string;
  headers?: Record<string, string>;
}

function headersFor(options: RequestOptions): Headers {
  const headers = new Headers(options.headers);
  const cookie = options.cookie ?? options.jar?.header();
  if (cookie) headers.set('Cookie', cookie);
  headers.set(CLIENT_IP_HEADER, options.ip ?? '203.0.113.1');
  return headers;
}

export function getRequest(path: string, options: RequestOptions = {}): Request {
  return new Request(new URL(path, BASE), { headers: headersFor(options) });
}

export function formRequest(path: string, fields: Record<string, string>, options: RequestOptions = {}): Request {
  const headers = headersFor(options);
  headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return new Request(new URL(path, BASE), { method: 'POST', headers, body: new URLSearchParams(fields) });
}

export interface Outcome<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
  location: string | null;
}

/** What a loader or action answered, whether it returned or threw, as one shape. */
export async function call<T = unknown>(
  handler: (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown,
  request: Request,
  params: Record<string, string> = {},
): Promise<Outcome<T>> {
  let result: unknown;
  try {
    // One load context per call, and the call run inside it, as server.ts runs each HTTP request.
    const context = {};
    result = await runWithRequestContext(context, () => handler({ request, params, context }));
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    return { status: result.status, headers: result.headers, data: text as T, location: result.headers.get('Location') };
  }
  if (result && typeof result === 'object' && (result as { type?: string }).type === 'DataWithResponseInit') {
    const { data, init } = result as { data: T; init: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data, location: null };
  }
  return { status: 200, headers: new Headers(), data: result as T, location: null };
}

/** A multipart POST, as a browser sends a form with files. */
export function multipartRequest(
  path: string,
  fields: Record<string, string | string[]>,
  files: { name: string; filename: string; type: string; data: Uint8Array }[] = [],
  options: RequestOptions = {},
): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  for (const file of files) body.append(file.name, new Blob([new Uint8Array(file.data)], { type: file.type }), file.filename);
  return new Request(new URL(path, BASE), { method: 'POST', headers: headersFor(options), body });
}
