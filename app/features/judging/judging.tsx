import { useTranslation } from 'react-i18next';
import type { SheetStatus } from './rules';
import { FormError } from '~/components/forms';
import { SubNav } from '~/components/sub-nav';

/** A refusal from the judging services: its reason is a key under "judging:reason.". */
export function JudgingError({ reason }: { reason?: string | null }) {
  const { t } = useTranslation('judging');
  return <FormError>{reason ? t(`reason.${reason}`) : null}</FormError>;
}

export function JudgingAdminNav({ slug }: { slug: string }) {
  const { t } = useTranslation('judging');
  const base = `/competitions/${slug}/judging`;
  const links = [
    { to: base, label: t('admin.progress') },
    { to: `${base}/assign`, label: t('admin.assign') },
    { to: `${base}/rubric`, label: t('admin.rubric') },
  ];
  return <SubNav label={t('admin.nav')} links={links} />;
}

const STATUS_STYLE: Record<SheetStatus | 'none', string> = {
  none: 'bg-white text-stone-500',
  assigned: 'bg-stone-100 text-stone-700',
  draft: 'bg-amber-100 text-amber-900',
  submitted: 'bg-emerald-100 text-emerald-900',
  recused: 'bg-stone-200 text-stone-500 line-through',
};

export function SheetStatusBadge({ status }: { status: SheetStatus | 'none' }) {
  const { t } = useTranslation('judging');
  return <span className={`inline-block rounded-full px-2 py-0.5 text-sm ${STATUS_STYLE[status]}`}>{t(`status.${status}`)}</span>;
}
