import { useRouteLoaderData } from '@remix-run/react';
import type { loader as rootLoader } from '~/root';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '~/core/locales';

export type RootLoaderData = Awaited<ReturnType<typeof rootLoader>>['data'];

export function useRootData(): RootLoaderData | undefined {
  return useRouteLoaderData<typeof rootLoader>('root');
}

/**
 * The page's language: the root loader's, or, on a URL no route matches (the root loader never
 * ran), the one the server's i18n instance was started with (entry.server.tsx; the browser's
 * reads it back from <html data-lng>).
 */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  const fromLoader = useRootData()?.language;
  return fromLoader ?? (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
}
