import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { listBoard } from '~/features/needs/board.server';
import { NeedCards } from '~/features/needs/need-cards';
import { NEED_URGENCIES, PUBLIC_NEED_STATUSES } from '~/features/needs/needs';
import { boardQuerySchema } from '~/features/needs/needs.schema.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'needs'] };

/**
 * The needs board (红哨子): verified needs only, newest first, 20 a page, filtered by street,
 * category, urgency and status; community names, never a map or an address. The same for
 * everyone, so anonymous visitors get it from the page cache; what a signed-in person may do is
 * on each need's page and in /needs/work.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const query = boardQuerySchema.parse(Object.fromEntries(['street', 'category', 'urgency', 'status', 'page'].map((k) => [k, search.get(k)])));
  const [board, title] = await Promise.all([listBoard(query, query.page), pageTitle(request, 'needs:board.title', ['needs', 'common'])]);
  return { title, ...board, filter: { street: query.street ?? '', category: query.category ?? '', urgency: query.urgency ?? '', status: query.status ?? '' } };
}

export default function NeedsBoard() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { cards, total, page, pages, categories, streets, filter } = useLoaderData<typeof loader>();
  const select = (name: keyof typeof filter, label: string, all: string, options: { value: string; label: string }[]) => (
    <FilterSelect id={`filter-${name}`} name={name} label={label} all={all} value={filter[name]} options={options} />
  );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t('board.title')}</h1>
        <Link to="/needs/work" className="btn-secondary">
          {t('board.work')}
        </Link>
      </div>
      <p className="text-stone-700">{t('board.intro')}</p>
      <FilterForm className="flex flex-wrap items-end gap-3" submit={t('board.filter')}>
        {select('street', t('field.street'), t('board.allStreets'), streets.map((s) => ({ value: s.code, label: pickText(s.name, language) })))}
        {select('category', t('field.category'), t('board.allCategories'), categories.map((c) => ({ value: c.code, label: pickText(c.name, language) })))}
        {select('urgency', t('field.urgency'), t('board.allUrgencies'), NEED_URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) })))}
        {select('status', t('field.status'), t('board.allStatuses'), PUBLIC_NEED_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })))}
      </FilterForm>
      {total === 0 ? (
        <EmptyState
          title={t('board.empty')}
          next={t(filter.street || filter.category || filter.urgency || filter.status ? 'board.emptyFilteredNext' : 'board.emptyNext')}
          action={filter.street || filter.category || filter.urgency || filter.status ? { to: '/needs', label: t('board.emptyClear'), secondary: true } : null}
        />
      ) : (
        <>
          <p className="text-stone-600">{t('board.count', { count: total })}</p>
          <NeedCards cards={cards} categories={categories} label={t('board.label')} />
          <Pagination page={page} pages={pages} />
        </>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
