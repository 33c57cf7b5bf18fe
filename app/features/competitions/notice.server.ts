import type { TFunction } from 'i18next';
import type { Notice } from '~/components/notice-pdf.server';
import { pickText, type Language } from '~/core/locales';
import { publicUrl } from '~/core/request.server';
import { formatDate, formatMoney } from '~/utils/format';
import type { CompetitionRecord } from './context.server';
import { phaseWindow } from './phases';

/** The short address printed on a competition's notice: /c/<slug>. */
export function competitionShortPath(slug: string): string {
  return `/c/${encodeURIComponent(slug)}`;
}

/**
 * A competition's notice for a community board (issue 18): the call for proposals, the voting
 * dates and how to vote, on paper and without a phone too. `t` is bound to the notices namespace.
 */
export function competitionNotice(doc: CompetitionRecord, t: TFunction, language: Language, footer: string): Notice {
  const range = (key: 'submission' | 'voting') => {
    const window = phaseWindow(doc.phases, key);
    return window
      ? t('competition.range', { start: formatDate(window.startsAt, language, { dateStyle: 'long' }), end: formatDate(window.endsAt, language, { dateStyle: 'long' }) })
      : t('competition.notSet');
  };
  return {
    kicker: t('competition.kicker'),
    title: pickText(doc.title, language),
    lead: pickText(doc.summary, language),
    facts: [
      { label: t('competition.budget'), value: formatMoney(doc.budgetFen, language) },
      { label: t('competition.submission'), value: range('submission') },
      { label: t('competition.voting'), value: range('voting') },
    ],
    body: [t('competition.howPropose'), t('competition.howVote'), t('competition.directions', { list: doc.categories.map((c) => pickText(c.name, language)).join('、') })],
    url: publicUrl(`/competitions/${doc.slug}`),
    shortUrl: publicUrl(competitionShortPath(doc.slug)).replace(/^https?:\/\//, ''),
    scanHint: t('scan'),
    footer,
  };
}
