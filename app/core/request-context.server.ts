import type { AppLoadContext } from '@remix-run/node';

/**
 * Values loaded once per HTTP request and shared by every loader and action that serves it.
 *
 * Remix hands each loader its own copy of the Request (it strips `?index` and `?_routes`), so a
 * cache keyed on the Request is shared by one loader only. The load context is one object per
 * HTTP request (server.ts builds it), so it is the key. Callers without a context (scripts,
 * tests that call a service) fall back to the Request.
 */
export interface RequestScope {
  request: Request;
  context?: AppLoadContext;
}

const stores = new WeakMap<object, Map<string, Promise<unknown>>>();

export function oncePerRequest<T>(scope: RequestScope, key: string, load: () => Promise<T>): Promise<T> {
  const owner: object = scope.context ?? scope.request;
  let store = stores.get(owner);
  if (!store) {
    store = new Map();
    stores.set(owner, store);
  }
  let value = store.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    store.set(key, value);
  }
  return value;
}
