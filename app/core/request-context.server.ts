import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppLoadContext } from '@remix-run/node';

/**
 * Values loaded once per HTTP request and shared by every loader and action that serves it.
 *
 * Remix hands each loader its own copy of the Request (it strips `?index` and `?_routes`), so a
 * cache keyed on the Request is shared by one loader only. The load context is one object per
 * HTTP request (server.ts builds it), so it is the key. server.ts also runs the request's
 * handling inside runWithRequestContext, so the many callers that pass only the Request
 * (`getOptionalUser(request)`) find the same context. Callers outside a request (scripts, tests
 * that call a loader directly) fall back to the Request.
 *
 * An action shares the context with the loaders that run after it in the same request (a form
 * posted without JavaScript): actions that change the session, the user or the language
 * redirect (303), so no loader of that request reads a value the action made stale.
 */
export interface RequestScope {
  request: Request;
  context?: AppLoadContext;
}

// On globalThis: server.ts and the Remix build it loads each bundle their own copy of this module.
const storageKey = Symbol.for('laoshanxing.request-context');
const current: AsyncLocalStorage<AppLoadContext> = ((globalThis as Record<symbol, unknown>)[storageKey] as
  | AsyncLocalStorage<AppLoadContext>
  | undefined) ??
  ((globalThis as Record<symbol, unknown>)[storageKey] = new AsyncLocalStorage<AppLoadContext>());

/** Runs one HTTP request's handling with `context` as its request context. */
export function runWithRequestContext<T>(context: AppLoadContext, handle: () => T): T {
  return current.run(context, handle);
}

const stores = new WeakMap<object, Map<string, Promise<unknown>>>();

function storeOf(owner: object): Map<string, Promise<unknown>> {
  let store = stores.get(owner);
  if (!store) {
    store = new Map();
    stores.set(owner, store);
  }
  return store;
}

export function oncePerRequest<T>(scope: RequestScope, key: string, load: () => Promise<T>): Promise<T> {
  const store = storeOf(scope.context ?? current.getStore() ?? scope.request);
  let value = store.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    store.set(key, value);
  }
  return value;
}

/** The value `key` holds in the current HTTP request's context, if something loaded it; else undefined. */
export function peekForRequest<T>(key: string): Promise<T> | undefined {
  const owner = current.getStore();
  return owner ? (stores.get(owner)?.get(key) as Promise<T> | undefined) : undefined;
}

/**
 * Records a value already loaded as part of another read (the session's user, looked up with the
 * session), so a later oncePerRequest for `key` in the same HTTP request uses it instead of
 * loading it again. Outside a request it does nothing: the later call loads it itself.
 */
export function knownForRequest<T>(key: string, value: T): void {
  const owner = current.getStore();
  if (!owner) return;
  const store = storeOf(owner);
  if (!store.has(key)) store.set(key, Promise.resolve(value));
}
