/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  serverModuleFormat: 'esm',
  // Packages published as ESM only must be bundled into the server build.
  serverDependenciesToBundle: [/^remix-i18next/, /^remix-auth/, /^@conform-to\//],
  postcss: true,
  watchPaths: ['./models', './public/locales'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
