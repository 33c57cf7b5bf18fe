import { useTranslation } from 'react-i18next';
import type { WishStatus } from './rules';

const STYLE: Record<WishStatus, string> = {
  open: 'bg-amber-100 text-amber-900',
  claimed: 'bg-sky-100 text-sky-900',
  delivered: 'bg-emerald-100 text-emerald-900',
  confirmed: 'bg-emerald-700 text-white',
  withdrawn: 'bg-stone-200 text-stone-800',
};

/** A wish's status in words and colour (the colour is never the only signal). */
export function WishStatusBadge({ status }: { status: WishStatus }) {
  const { t } = useTranslation('wishes');
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${STYLE[status]}`}>{t(`status.${status}`)}</span>;
}
