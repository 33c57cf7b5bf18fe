import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '~/core/locales';

const root = path.resolve('public/locales');

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function load(language: string, namespace: string): unknown {
  return JSON.parse(readFileSync(path.join(root, language, `${namespace}.json`), 'utf8'));
}

describe('translations', () => {
  const namespaces = readdirSync(path.join(root, 'zh')).map((file) => file.replace(/\.json$/, ''));

  it('every language has the same namespaces', () => {
    for (const language of LANGUAGES) {
      expect(readdirSync(path.join(root, language)).sort()).toEqual(namespaces.map((ns) => `${ns}.json`).sort());
    }
  });

  it.each(namespaces)('namespace %s has the same keys in every language', (namespace) => {
    const zh = keys(load('zh', namespace)).sort();
    for (const language of LANGUAGES) {
      expect(keys(load(language, namespace)).sort(), `${language}/${namespace}.json`).toEqual(zh);
    }
  });

  it.each(namespaces)('namespace %s has no empty strings', (namespace) => {
    for (const language of LANGUAGES) {
      const flat = JSON.stringify(load(language, namespace));
      expect(flat).not.toMatch(/:""/);
    }
  });
});
