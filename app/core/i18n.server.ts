import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createCookie, type AppLoadContext } from '@remix-run/node';
import { createInstance, type i18n as I18n, type Resource, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LanguageDetector } from 'remix-i18next/server';
import i18nOptions from '~/i18n';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './locales';
import { getOptionalUser } from './auth.server';
import { oncePerRequest } from './request-context.server';

/** The visitor's language choice, remembered for a year (signed-in users also keep it in their profile). */
export const languageCookie = createCookie('lsx_lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

const detector = new LanguageDetector({
  supportedLanguages: [...LANGUAGES],
  fallbackLanguage: DEFAULT_LANGUAGE,
  cookie: languageCookie,
  order: ['searchParams', 'cookie', 'header'],
});

/**
 * Every namespace of every language, read once when the server starts. The files are small
 * (tens of KB in all), so holding them beats a backend that reads files per request.
 */
function readResources(): { resources: Resource; namespaces: string[] } {
  const root = path.resolve('public/locales');
  const namespaces = readdirSync(path.join(root, DEFAULT_LANGUAGE))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
  const resources: Resource = {};
  for (const language of LANGUAGES) {
    resources[language] = Object.fromEntries(
      namespaces.map((ns) => [ns, JSON.parse(readFileSync(path.join(root, language, `${ns}.json`), 'utf8')) as Record<string, unknown>]),
    );
  }
  return { resources, namespaces };
}

const { resources, namespaces } = readResources();

/**
 * One i18next instance per language, built at start-up and never switched: a render or a loader
 * takes the instance of its language, so requests in different languages running at the same
 * time cannot see each other's (nobody calls changeLanguage on a shared instance).
 */
const instances = Object.fromEntries(
  LANGUAGES.map((language) => {
    const instance = createInstance();
    // initReactI18next hands the `react` options to useTranslation; with inline resources and
    // no backend, init is synchronous (initImmediate: false).
    void instance.use(initReactI18next).init({ ...i18nOptions, lng: language, ns: namespaces, resources, initImmediate: false });
    return [language, instance];
  }),
) as Record<Language, I18n>;

/** The shared instance for a language, for <I18nextProvider> in entry.server.tsx. */
export function i18nFor(language: Language): I18n {
  return instances[language];
}

type Namespaces = string | readonly [string, ...string[]];

const fixedTs = new Map<string, TFunction>();

/** A `t` bound to a language and namespaces; built once per combination, then reused. */
export function fixedT(language: Language, namespaces: Namespaces = 'common'): TFunction {
  const key = `${language}|${typeof namespaces === 'string' ? namespaces : namespaces.join(',')}`;
  let t = fixedTs.get(key);
  if (!t) {
    t = instances[language].getFixedT(language, namespaces as string | string[]);
    fixedTs.set(key, t);
  }
  return t;
}

/**
 * For callers that know the language (messages, paper forms): the shape remix-i18next's
 * RemixI18Next had, served from the in-memory instances.
 */
export const i18next = {
  getFixedT(language: Language, namespaces: Namespaces = 'common'): Promise<TFunction> {
    return Promise.resolve(fixedT(language, namespaces));
  },
};

/**
 * The profile's language, else ?lng=, the cookie, Accept-Language, and finally Chinese. Decided
 * once per HTTP request (the root loader, the route's loader and the render share it).
 */
export function getLanguage(request: Request, context?: AppLoadContext): Promise<Language> {
  return oncePerRequest({ request, context }, 'language', async () => {
    const user = await getOptionalUser(request, context);
    if (user && isLanguage(user.language)) return user.language;
    return visitorLanguage(request);
  });
}

/** A visitor's language without a profile: ?lng=, the cookie, Accept-Language (by quality), else Chinese. */
export async function visitorLanguage(request: Request): Promise<Language> {
  const detected = await detector.detect(request);
  return isLanguage(detected) ? detected : DEFAULT_LANGUAGE;
}

export async function getFixedT(request: Request, namespaces: Namespaces = 'common'): Promise<TFunction> {
  return fixedT(await getLanguage(request), namespaces);
}

/** "<page> · 崂善行" in the visitor's language, for a route's meta title. */
export async function pageTitle(request: Request, key: string, namespaces: Namespaces = 'common'): Promise<string> {
  const t = await getFixedT(request, namespaces);
  return `${t(key)} · ${t('common:brand.name')}`;
}
