import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { requireWishWorker } from '~/features/wishes/access.server';
import { communityGroups } from '~/features/wishes/filters';
import { childDisplay, WISH_STATUSES } from '~/features/wishes/rules';
import { WishStatusBadge } from '~/features/wishes/status-badge';
import { manageFilterSchema } from '~/features/wishes/wish.schema.server';
import { listAreaWishes } from '~/features/wishes/wishes.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'wishes'] };

/**
 * A worker's list of the wishes of their area (the street's or community's they are a grid or
 * community worker of), newest first, by status and community, 20 a page; each leads to the
 * wish's management page (confirm a delivery, withdraw).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, places, all } = await requireWishWorker(request);
  const search = new URL(request.url).searchParams;
  const filter = manageFilterSchema.parse({ status: search.get('status') ?? undefined, community: search.get('community') ?? undefined, page: search.get('page') ?? '1' });
  const [list, title] = await Promise.all([listAreaWishes(user.roles, filter, all), pageTitle(request, 'wishes:manage.title', ['wishes', 'common'])]);
  return {
    title,
    ...list,
    page: filter.page,
    filter: { status: filter.status ?? '', community: filter.community ?? '' },
    places: places.map((s) => ({ code: s.code, name: s.name, communities: s.communities.map((c) => ({ code: c.code, name: c.name })) })),
  };
}

export default function ManageWishes() {
  const { t } = useTranslation(['wishes', 'common']);
  const { wishes, total, page, pages, filter, places } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t('manage.title')}</h1>
        <Link to="/wishes/new" className="btn-primary">
          {t('manage.register')}
        </Link>
      </div>
      <p className="text-stone-700">{t('manage.intro')}</p>
      <FilterForm className="grid gap-3 sm:grid-cols-3 sm:items-end" submit={t('wall.filter')}>
        <FilterSelect id="manage-status" name="status" label={t('field.status')} all={t('manage.allStatuses')} value={filter.status} options={WISH_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))} />
        <FilterSelect id="manage-community" name="community" label={t('field.community')} all={t('manage.allCommunities')} value={filter.community} options={communityGroups(places, language)} />
      </FilterForm>
      {total === 0 ? (
        <EmptyState title={t('manage.empty')} next={t(filter.status || filter.community ? 'manage.emptyFilteredNext' : 'manage.emptyNext')} />
      ) : (
        <>
          <p className="text-stone-600">{t('manage.count', { count: total })}</p>
          <ul className="space-y-3" aria-label={t('manage.listLabel')}>
            {wishes.map((wish) => (
              <li key={wish.number} className="card space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <WishStatusBadge status={wish.status} />
                  <span className="text-stone-600">{t('card.number', { number: wish.number })}</span>
                  {wish.releases > 0 ? <span className="text-stone-600">{t('manage.releases', { count: wish.releases })}</span> : null}
                </div>
                <Link to={`/wishes/${wish.number}/manage`} className="block min-h-11 text-lg font-semibold text-brand-800 underline-offset-2 hover:underline">
                  {wish.title}
                </Link>
                <p className="flex flex-wrap gap-x-3 text-stone-700">
                  <span>{childDisplay(wish.child, language)}</span>
                  <span>{t('card.age', { count: wish.child.age })}</span>
                  {wish.community ? <span>{pickText(wish.community, language)}</span> : null}
                  <span>{formatMoney(wish.valueFen, language)}</span>
                </p>
                {wish.claimerName ? <p className="text-stone-700">{t('manage.claimer', { name: wish.claimerName, shown: wish.displayName || t('manage.anonymous') })}</p> : null}
                {wish.dueAt ? <p className="text-stone-700">{t('manage.due', { date: formatDate(wish.dueAt, language, { dateStyle: 'long' }) })}</p> : null}
                {wish.status === 'delivered' ? <p className="font-semibold text-emerald-800">{t('manage.toConfirm')}</p> : null}
              </li>
            ))}
          </ul>
          <Pagination page={page} pages={pages} />
        </>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
