import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatMoney, formatNumber } from '~/utils/format';
import { childDisplay, type BucketCounts, type ChildTerm, type WishKind } from './rules';

export interface WishCardData {
  number: number;
  kind: WishKind;
  title: string;
  valueFen: number;
  child: { initial: string; term: ChildTerm; age: number };
  community: LocalizedText | null;
}

/** "明同学 · 9岁 · 张村社区": all the public ever learns of the child. */
export function ChildLine({ wish, language }: { wish: Pick<WishCardData, 'child' | 'community'>; language: Language }) {
  const { t } = useTranslation('wishes');
  return (
    <p className="flex flex-wrap gap-x-3 text-stone-700">
      <span className="font-semibold">{childDisplay(wish.child, language)}</span>
      <span>{t('card.age', { count: wish.child.age })}</span>
      {wish.community ? <span>{pickText(wish.community, language)}</span> : null}
    </p>
  );
}

/** A wish on the wall: the whole card is one large link to the wish (the first of three taps). */
export function WishCard({ wish, language }: { wish: WishCardData; language: Language }) {
  const { t } = useTranslation('wishes');
  return (
    <li>
      <Link to={`/wishes/${wish.number}`} className="card block h-full space-y-2 transition-colors hover:border-brand-600 hover:bg-brand-50" data-testid="wish-card">
        <span className="flex flex-wrap items-center justify-between gap-2">
          <span className="rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-900">{t(`kind.${wish.kind}`)}</span>
          <span className="text-sm text-stone-600">{t('card.number', { number: wish.number })}</span>
        </span>
        <span className="block text-xl font-bold text-brand-800">{wish.title}</span>
        <ChildLine wish={wish} language={language} />
        <span className="flex items-center justify-between gap-2">
          <span className="text-stone-700">{t('card.value', { value: formatMoney(wish.valueFen, language) })}</span>
          <span className="shrink-0 font-semibold whitespace-nowrap text-brand-700" aria-hidden="true">
            {t('card.open')} →
          </span>
        </span>
      </Link>
    </li>
  );
}

/** The wall's three numbers. */
export function CountsRow({ counts, language, label }: { counts: BucketCounts; language: Language; label: string }) {
  const { t } = useTranslation('wishes');
  return (
    <dl className="grid grid-cols-3 gap-2 text-center" aria-label={label}>
      {(['open', 'claimed', 'delivered'] as const).map((bucket) => (
        <div key={bucket} className="rounded-lg bg-stone-100 p-2">
          <dt className="text-sm text-stone-600">{t(`counts.${bucket}`)}</dt>
          <dd className="text-2xl font-bold text-brand-800">{formatNumber(counts[bucket], language)}</dd>
        </div>
      ))}
    </dl>
  );
}
