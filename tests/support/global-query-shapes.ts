import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set only when the index-coverage project is part of the run: integration files record into it. */
    queryShapesDir?: string;
  }
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BASE = path.join(ROOT, 'test-results/query-shapes');
const STALE_MS = 6 * 60 * 60 * 1000;

/**
 * The index-coverage project's global setup. Global setups run before any test of the run, so
 * this gives the whole run (every project, through the root context) one fresh directory for
 * the query shapes; runs started by others at the same time keep theirs. Removed at the end.
 */
export default function setup(project: TestProject) {
  mkdirSync(BASE, { recursive: true });
  // Directories of runs that were killed before their teardown.
  for (const name of readdirSync(BASE)) {
    const dir = path.join(BASE, name);
    if (name.startsWith('run-') && Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
  }
  const dir = path.join(BASE, `run-${Date.now()}-${process.pid}`);
  mkdirSync(dir);
  project.vitest.provide('queryShapesDir', dir);
  return () => {
    rmSync(dir, { recursive: true, force: true });
  };
}
