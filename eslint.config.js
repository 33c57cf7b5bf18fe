import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'public/build/', '.cache/', 'node_modules/', 'test-results/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
  // Data flows route -> service -> model (STYLE.md).
  {
    files: ['app/routes/**/*.{ts,tsx}', 'app/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '#models', message: 'Routes and components go through app/services.' },
            { name: 'mongoose', message: 'Routes and components go through app/services.' },
          ],
          patterns: [{ group: ['\\#models/*', '**/models/*'], message: 'Routes and components go through app/services.' }],
        },
      ],
    },
  },
  {
    files: ['app/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '#models', message: 'Components never touch the database.' }],
          // Types are erased at build time, so importing a type from a service is harmless.
          patterns: [{ group: ['*.server'], message: 'Components never import server code.', allowTypeImports: true }],
        },
      ],
    },
  },
);
