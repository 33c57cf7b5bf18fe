import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);
const alias = {
  '~': path.join(root, 'app'),
  '#models': path.join(root, 'models/index.ts'),
  '#seeds': path.join(root, 'seeds'),
};
const env = {
  NODE_ENV: 'test' as const,
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters-long',
  LOG_REQUESTS: 'false',
};

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default'],
    // Workers: vitest's default (one fewer than the cores, here one). Three workers ran faster on a
    // busy two-core machine (992 s -> 745 s) but slower on CI's (616 s -> 1,003 s, with a browser
    // test timing out under the contention), so the suite runs files one after another.
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], env },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.{ts,tsx}'],
          env,
          globalSetup: ['tests/support/global-database.ts'],
          setupFiles: ['tests/support/integration-setup.ts', 'tests/support/custom-matchers.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'index-coverage',
          include: ['tests/coverage/**/*.test.ts'],
          env,
          // Its global setup gives the run a directory for query shapes; it checks them after the
          // integration project (group 0) has recorded them.
          globalSetup: ['tests/support/global-query-shapes.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'http',
          include: ['tests/http/**/*.test.ts'],
          env,
          // The database server, and one build; each file starts the app(s) it attacks.
          globalSetup: ['tests/support/global-database.ts', 'tests/http/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          env,
          globalSetup: ['tests/support/global-database.ts', 'tests/support/global-app.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One browser and one app for the whole run.
          fileParallelism: false,
        },
      },
    ],
  },
});
