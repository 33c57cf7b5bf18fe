import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pickText } from '~/core/locales';
import { formatDate } from '~/utils/format';
import { useLanguage } from '~/utils/root-data';
import type { NeedCardView, NeedStatus } from './needs';

type Name = { zh: string; en?: string | null };

const STATUS_STYLE: Record<NeedStatus, string> = {
  pending: 'bg-amber-100 text-amber-900',
  rejected: 'bg-stone-200 text-stone-800',
  open: 'bg-brand-100 text-brand-800',
  claimed: 'bg-sky-100 text-sky-900',
  done: 'bg-violet-100 text-violet-900',
  fulfilled: 'bg-emerald-100 text-emerald-900',
  withdrawn: 'bg-stone-200 text-stone-800',
};

export function NeedStatusBadge({ status }: { status: NeedStatus }) {
  const { t } = useTranslation('needs');
  return <span className={`inline-block rounded-full px-3 py-0.5 text-sm font-semibold ${STATUS_STYLE[status]}`}>{t(`status.${status}`)}</span>;
}

/** The category's name in the reader's language (the code when the category is unknown). */
export function useCategoryName(categories: readonly { code: string; name: Name }[]) {
  const language = useLanguage();
  const names = new Map(categories.map((c) => [c.code, c.name]));
  return (code: string) => {
    const name = names.get(code);
    return name ? pickText(name, language) : code;
  };
}

export function NeedCards({ cards, categories, label }: { cards: readonly NeedCardView[]; categories: readonly { code: string; name: Name }[]; label: string }) {
  const { t } = useTranslation('needs');
  const language = useLanguage();
  const categoryName = useCategoryName(categories);
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label={label}>
      {cards.map((card) => (
        <li key={card.number} className="card space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <NeedStatusBadge status={card.status} />
            <span className="font-semibold">{categoryName(card.category)}</span>
            {card.urgency === 'urgent' || card.urgency === 'high' ? <span className="font-semibold text-red-800">{t(`urgency.${card.urgency}`)}</span> : null}
            {card.escalated ? <span className="text-sm text-amber-900">{t('card.escalated')}</span> : null}
          </div>
          <Link to={`/needs/${card.number}`} className="block min-h-11 text-lg text-brand-800 underline-offset-2 hover:underline">
            {card.description.length > 80 ? `${card.description.slice(0, 80)}…` : card.description}
          </Link>
          <p className="flex flex-wrap gap-x-3 text-stone-600">
            <span>#{card.number}</span>
            {card.community ? <span>{pickText(card.community, language)}</span> : null}
            {card.street ? <span>{pickText(card.street, language)}</span> : null}
            {card.publishedAt ? <span>{t('card.published', { date: formatDate(card.publishedAt, language) })}</span> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
