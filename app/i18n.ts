import { DEFAULT_LANGUAGE, LANGUAGES } from '~/core/locales';

/** i18next options shared by the server and the browser. */
export default {
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: 'common',
  // React escapes what it renders; i18next escaping on top would double-escape.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};
