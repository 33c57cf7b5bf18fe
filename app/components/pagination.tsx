import { Link, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** Previous / "page x of y" / next, keeping the other query parameters (filters, search). */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation('common');
  const [searchParams] = useSearchParams();
  if (pages <= 1) return null;
  const link = (to: number) => {
    const next = new URLSearchParams(searchParams);
    next.set('page', String(to));
    return `?${next}`;
  };
  return (
    <nav className="flex items-center gap-3" aria-label={t('pagination.label')}>
      {page > 1 ? (
        <Link to={link(page - 1)} className="btn-secondary">
          {t('pagination.previous')}
        </Link>
      ) : null}
      <span className="text-sm">{t('pagination.page', { page, pages })}</span>
      {page < pages ? (
        <Link to={link(page + 1)} className="btn-secondary">
          {t('pagination.next')}
        </Link>
      ) : null}
    </nav>
  );
}
