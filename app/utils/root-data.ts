import { useRouteLoaderData } from '@remix-run/react';
import type { loader as rootLoader } from '~/root';
import { DEFAULT_LANGUAGE, type Language } from '~/core/locales';

export type RootLoaderData = Awaited<ReturnType<typeof rootLoader>>['data'];

export function useRootData(): RootLoaderData | undefined {
  return useRouteLoaderData<typeof rootLoader>('root');
}

export function useLanguage(): Language {
  return useRootData()?.language ?? DEFAULT_LANGUAGE;
}
