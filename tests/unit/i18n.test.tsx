import { PassThrough } from 'node:stream';
import { createElement, Suspense } from 'react';
import { renderToPipeableStream } from 'react-dom/server';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { fixedT, i18nFor } from '~/core/i18n.server';
import type { Language } from '~/core/locales';

/**
 * The server holds one i18next instance per language for every request: these check that
 * renders running at the same time in different languages never borrow each other's.
 */

const waits = new Map<string, { done: boolean; promise: Promise<void> }>();

/** Suspends the first time (for `ms`), so renders started together finish interleaved. */
function Later({ id, ms }: { id: string; ms: number }) {
  const { t } = useTranslation(['common', 'proposals']);
  let wait = waits.get(id);
  if (!wait) {
    const entry = { done: false, promise: new Promise<void>((resolve) => setTimeout(resolve, ms)).then(() => void (entry.done = true)) };
    waits.set(id, entry);
    wait = entry;
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- how a component suspends in React 18: it throws what it waits for
  if (!wait.done) throw wait.promise;
  return createElement('p', null, `${t('nav.skipToContent')}|${t('proposals:tab.proposals')}`);
}

function Page({ id, ms }: { id: string; ms: number }) {
  const { t, i18n } = useTranslation();
  return createElement(
    'main',
    { lang: i18n.language },
    createElement('h1', null, t('brand.name')),
    createElement(Suspense, { fallback: '…' }, createElement(Later, { id, ms })),
  );
}

function render(language: Language, id: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let html = '';
    const { pipe } = renderToPipeableStream(
      createElement(I18nextProvider, { i18n: i18nFor(language) }, createElement(Page, { id, ms })),
      {
        onAllReady() {
          const sink = new PassThrough();
          sink.on('data', (chunk: Buffer) => (html += chunk.toString()));
          sink.on('end', () => resolve(html));
          pipe(sink);
        },
        onError: reject,
      },
    );
  });
}

const expected = (language: Language) => ({
  brand: fixedT(language)('brand.name'),
  skip: fixedT(language)('nav.skipToContent'),
  tab: fixedT(language, 'proposals')('tab.proposals'),
});

describe('server-side translation', () => {
  it('two renders in zh and en at the same time each keep their own language', async () => {
    // Alternating languages with crossing delays: the en render resolves before the zh one.
    const jobs = Array.from({ length: 12 }, (_, i) => {
      const language: Language = i % 2 ? 'en' : 'zh';
      return render(language, `render-${i}`, 5 + ((12 - i) % 4) * 7).then((html) => ({ language, html }));
    });
    for (const { language, html } of await Promise.all(jobs)) {
      const other: Language = language === 'zh' ? 'en' : 'zh';
      expect(html).toContain(`lang="${language}"`);
      expect(html).toContain(expected(language).brand);
      expect(html).toContain(`${expected(language).skip}|${expected(language).tab}`);
      expect(html).not.toContain(expected(other).skip);
    }
    expect(i18nFor('zh').language).toBe('zh');
    expect(i18nFor('en').language).toBe('en');
  });

  it('translates every namespace from memory in both languages, without loading anything', () => {
    expect(fixedT('zh')('nav.skipToContent')).toBe('跳到正文');
    expect(fixedT('en')('nav.skipToContent')).toBe('Skip to content');
    expect(fixedT('en', 'proposals')('tab.proposals')).toBe('Proposals');
    expect(fixedT('zh', ['proposals', 'common'])('tab.proposals')).toBe('提案');
    expect(i18nFor('en').hasLoadedNamespace('proposals')).toBe(true);
    expect(i18nFor('zh').isInitialized).toBe(true);
  });

  it('hands out the same `t` for the same language and namespaces', () => {
    expect(fixedT('en', ['proposals', 'common'])).toBe(fixedT('en', ['proposals', 'common']));
    expect(fixedT('en', 'common')).not.toBe(fixedT('zh', 'common'));
  });
});
