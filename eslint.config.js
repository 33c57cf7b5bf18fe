import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Features depend on each other one way, along the lifecycle (STYLE.md): each feature lists
 * the earlier features it may import; a feature imports its own files freely. A new feature
 * gets its line here, placed in the order, before it can import any other feature
 * (tests/unit/import-graph.test.ts fails on a feature folder missing from this list).
 * Planned order after projects: needs, wishes, volunteers, resources and dashboard.
 */
export const FEATURE_DEPENDENCIES = {
  accounts: [],
  // The registry of implementers stands on its own (members are accounts): a proposal may name
  // one (a judge who is a member is recused, decision 025) and a project names one, so
  // organizations come before both and never know them; pages that show an organization's
  // projects compose the two in the route.
  organizations: ['accounts'],
  competitions: ['accounts'],
  proposals: ['accounts', 'competitions', 'organizations'],
  voting: ['accounts', 'competitions', 'proposals'],
  judging: ['accounts', 'competitions', 'proposals', 'organizations'],
  results: ['accounts', 'competitions', 'proposals', 'voting', 'judging'],
  // A project knows its result, proposal and organization; nothing earlier knows projects.
  projects: ['accounts', 'competitions', 'proposals', 'voting', 'judging', 'results', 'organizations'],
  // Micro-wishes (issue 16): a worker registers a child's wish in their area (accounts: places and
  // roles); nothing earlier knows wishes. The dashboard reads their counts (wish rules' buckets).
  wishes: ['accounts'],
  // The district dashboard reads every earlier feature's figures; nothing reads the dashboard.
  // The needs whistle: a need shows the proposals that answer it and their projects, and its
  // helpers may be registered organizations; nothing earlier knows needs (a proposal's form
  // offers needs through its route).
  needs: ['accounts', 'competitions', 'proposals', 'organizations', 'projects'],
  // Charity resources (issue 17): pledges to a project or a public need by partners that may be
  // certified helpers; nothing earlier knows resources (the project and need pages compose them).
  resources: ['accounts', 'competitions', 'proposals', 'voting', 'judging', 'results', 'organizations', 'projects', 'needs'],
  // Volunteers (issue 17): an activity is organised by a project's team or a certified
  // organization's members; nothing earlier knows volunteers. The dashboard reads their hours.
  volunteers: ['accounts', 'organizations', 'projects'],
  dashboard: ['accounts', 'competitions', 'proposals', 'voting', 'judging', 'results', 'organizations', 'projects', 'needs', 'wishes', 'resources', 'volunteers'],
};

const feature = (name) => ['feature', { feature: name }];
/** The element's services or other .server files, and its React components. */
const serverFiles = (type) => [type, { file: '**/*.server.{ts,tsx}' }];
const uiFiles = (type) => [type, { file: '**/*.tsx' }];

/**
 * Who may import whom, by element (boundaries/elements below). Default: disallowed. When
 * several rules match an import, the last one decides, so narrowing rules follow broad ones.
 */
const dependencyRules = [
  // core is the machinery every feature uses; it knows no feature, route or component.
  { from: 'core', allow: ['core', 'app-config', 'models'] },
  { from: 'app-config', allow: ['core'] },
  { from: 'app-config', disallow: [serverFiles('core')], message: 'Shared with the browser: no server code.' },
  // Tiny pure helpers: other helpers, core's pure files, and the root loader's type.
  { from: 'utils', allow: ['utils', 'core'] },
  { from: 'utils', disallow: [serverFiles('core')], message: 'Utils are pure: no server code (${dependency.file}).' },
  { from: 'utils', allow: ['root'], importKind: 'type' },
  // Shared UI: never a service or any other .server value (types are erased at build time).
  { from: 'components', allow: ['components', 'utils', 'core', 'feature'] },
  {
    from: 'components',
    disallow: [serverFiles('core'), serverFiles('feature')],
    importKind: 'value',
    message: 'Components never import server code (${dependency.file}); `import type { … }` is fine.',
  },
  { from: 'feature', allow: ['core', 'utils', 'components', 'models'] },
  {
    from: 'feature',
    disallow: ['feature'],
    message:
      'Features depend on each other one way, along the lifecycle: ${file.feature} may not import ' +
      '${dependency.feature} (FEATURE_DEPENDENCIES in eslint.config.js).',
  },
  { from: 'feature', allow: [feature('${from.feature}')] },
  ...Object.entries(FEATURE_DEPENDENCIES)
    .filter(([, earlier]) => earlier.length > 0)
    .map(([name, earlier]) => ({ from: [feature(name)], allow: earlier.map(feature) })),
  // Routes compose features; another route's module is imported only for its loader's type.
  { from: 'route', allow: ['core', 'utils', 'components', 'feature', 'app-config', ['route', { route: '${from.route}' }]] },
  {
    from: 'route',
    allow: [['route', { file: 'route.tsx' }]],
    importKind: 'type',
  },
  { from: 'root', allow: ['core', 'utils', 'components', 'feature', 'app-config', 'styles'] },
  // A model imports other models and pure constants (enums, limits), never services or UI.
  { from: 'models', allow: ['models', 'core', 'feature'] },
  {
    from: 'models',
    disallow: [serverFiles('core'), serverFiles('feature'), uiFiles('feature')],
    message: 'Models import only pure files (${dependency.file} is a service or a component).',
  },
  // Outside app/: the server seeds an empty database (seeds/seed.ts) and nothing else of seeds.
  // ...and starts the background jobs (needs escalation, overdue micro-wish reminders: app/core/periodic.server.ts).
  { from: 'server', allow: ['core', ['seeds', { file: 'seed.ts' }], feature('needs'), feature('wishes')] },
  { from: 'seeds', allow: ['seeds', 'core', 'utils', 'feature', 'models'] },
  { from: 'scripts', allow: ['scripts', 'core', 'utils', 'feature', 'models', 'seeds', 'tests'] },
  { from: 'tests', allow: ['*'] },
];

// Data flows route -> feature -> core / models (STYLE.md).
const noDatabase = {
  paths: [
    { name: '#models', message: "Routes and components go through a feature's services." },
    { name: 'mongoose', message: "Routes and components go through a feature's services." },
  ],
  patterns: [{ group: ['\\#models/*', '**/models/*'], message: "Routes and components go through a feature's services." }],
};

export default tseslint.config(
  { ignores: ['build/', 'public/build/', '.cache/', 'node_modules/', 'test-results/', '.data/', '.shots/'] },
  js.configs.recommended,
  // Type-aware rules on every TypeScript file (decision 010).
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Remix's guards throw a Response: a 403 or invariantResponse's 404, or redirect()'s
      // TypedResponse (the login redirect).
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'lib', name: 'Response' },
            { from: 'package', name: 'TypedResponse', package: '@remix-run/server-runtime' },
          ],
        },
      ],
    },
  },
  // The JS config files are in no TypeScript project: the rules that need no type information.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // User text is rendered by React, which escapes it; raw HTML is never inserted (SECURITY.md).
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No raw HTML: render text, React escapes it.' },
      ],
    },
  },
  {
    files: ['app/routes/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', noDatabase] },
  },
  {
    // Components, shared or a feature's own, end up in the browser bundle.
    files: ['app/components/**/*.{ts,tsx}', 'app/features/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noDatabase,
          patterns: [
            ...noDatabase.patterns,
            // Types are erased at build time, so importing a type from a service is harmless.
            { group: ['*.server'], message: 'Components never import server code.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  // The layers and the features' one-way order (STYLE.md), checked on resolved imports.
  {
    files: ['**/*.{ts,tsx,js}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: path.join(root, 'tsconfig.json') } },
      'boundaries/root-path': root,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      // Every file is its own element (mode full); captures name its feature, route and file.
      'boundaries/elements': [
        { type: 'root', mode: 'full', pattern: 'app/{root,entry.client,entry.server}.tsx' },
        { type: 'app-config', mode: 'full', pattern: ['app/i18n.ts', 'app/load-context.d.ts'] },
        { type: 'core', mode: 'full', pattern: 'app/core/**', capture: ['file'] },
        { type: 'utils', mode: 'full', pattern: 'app/utils/**', capture: ['file'] },
        { type: 'components', mode: 'full', pattern: 'app/components/**', capture: ['file'] },
        { type: 'styles', mode: 'full', pattern: 'app/styles/**' },
        { type: 'feature', mode: 'full', pattern: 'app/features/*/**', capture: ['feature', 'file'] },
        { type: 'route', mode: 'full', pattern: 'app/routes/*/**', capture: ['route', 'file'] },
        { type: 'models', mode: 'full', pattern: 'models/**' },
        { type: 'seeds', mode: 'full', pattern: 'seeds/**', capture: ['file'] },
        { type: 'scripts', mode: 'full', pattern: 'scripts/**' },
        { type: 'tests', mode: 'full', pattern: 'tests/**' },
        { type: 'server', mode: 'full', pattern: 'server.ts' },
        { type: 'tooling', mode: 'full', pattern: ['eslint.config.js', 'vitest.config.ts', 'remix.config.js', 'postcss.config.js'] },
      ],
    },
    rules: {
      'boundaries/element-types': ['error', { default: 'disallow', rules: dependencyRules }],
      // An import of a local file outside every element above would escape the rules.
      'boundaries/no-unknown': 'error',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'models/**/*.ts'],
    rules: { 'boundaries/no-unknown-files': 'error' },
  },
);
