import { resolve } from 'node:path';
import { createCookie } from '@remix-run/node';
import Backend from 'i18next-fs-backend';
import { RemixI18Next } from 'remix-i18next/server';
import i18n from '~/i18n';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './locales';
import { getOptionalUser } from './auth.server';

/** The visitor's language choice, remembered for a year (signed-in users also keep it in their profile). */
export const languageCookie = createCookie('lsx_lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    order: ['searchParams', 'cookie', 'header'],
  },
  i18next: {
    ...i18n,
    backend: { loadPath: resolve('./public/locales/{{lng}}/{{ns}}.json') },
  },
  plugins: [Backend],
});

/** The profile's language, else ?lng=, the cookie, Accept-Language, and finally Chinese. */
export async function getLanguage(request: Request): Promise<Language> {
  const user = await getOptionalUser(request);
  if (user && isLanguage(user.language)) return user.language;
  const detected = await i18next.getLocale(request);
  return isLanguage(detected) ? detected : DEFAULT_LANGUAGE;
}

type Namespaces = string | readonly [string, ...string[]];

export async function getFixedT(request: Request, namespaces: Namespaces = 'common') {
  return i18next.getFixedT(await getLanguage(request), namespaces);
}

/** "<page> · 崂善行" in the visitor's language, for a route's meta title. */
export async function pageTitle(request: Request, key: string, namespaces: Namespaces = 'common'): Promise<string> {
  const t = await getFixedT(request, namespaces);
  return `${t(key)} · ${t('common:brand.name')}`;
}
