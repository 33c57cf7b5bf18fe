import { type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { PledgeList } from '~/features/resources/pledge-list';
import { pageNumber, PARTNER_KINDS, PLEDGE_FILTERS, type PartnerKind, type PledgeFilter } from '~/features/resources/rules';
import { overviewPledges, streetsForFilter } from '~/features/resources/views.server';
import { titleMeta } from '~/utils/meta';
import { OBJECT_ID } from '~/utils/object-id';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'resources'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

const oneOf = <T extends string>(values: readonly T[], raw: string | null): T | null => (raw && (values as readonly string[]).includes(raw) ? (raw as T) : null);

/** District staff's overview of every pledge: by status (overdue too), by partner kind, by street; a page at a time. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'resource:manage');
  const search = new URL(request.url).searchParams;
  const street = search.get('street');
  const filter = {
    status: oneOf<PledgeFilter>(PLEDGE_FILTERS, search.get('status')),
    partnerKind: oneOf<PartnerKind>(PARTNER_KINDS, search.get('partnerKind')),
    streetId: street && OBJECT_ID.test(street) ? street : null,
  };
  const page = pageNumber(search.get('page'));
  const [list, streets, title] = await Promise.all([overviewPledges(filter, page), streetsForFilter(), pageTitle(request, 'resources:overview.title', ['resources', 'common'])]);
  return { title, list, streets, filter, page };
}

export default function ResourcesOverview() {
  const { t } = useTranslation(['resources', 'common']);
  const { list, streets, filter, page } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('overview.title')}</h1>
      <p className="text-stone-700">{t('overview.intro')}</p>
      <FilterForm className="grid gap-3 sm:grid-cols-4 sm:items-end" submit={t('overview.filter')}>
        <FilterSelect id="filter-status" name="status" label={t('overview.status')} all={t('overview.all')} value={filter.status ?? ''} options={PLEDGE_FILTERS.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        <FilterSelect id="filter-kind" name="partnerKind" label={t('overview.partnerKind')} all={t('overview.all')} value={filter.partnerKind ?? ''} options={PARTNER_KINDS.map((k) => ({ value: k, label: t(`partnerKind.${k}`) }))} />
        <FilterSelect id="filter-street" name="street" label={t('overview.street')} all={t('overview.all')} value={filter.streetId ?? ''} options={streets.map((s) => ({ value: s.id, label: pickText(s.name, language) }))} />
      </FilterForm>
      <p className="font-semibold">{t('overview.count', { count: list.total })}</p>
      <PledgeList
        lines={list.items}
        language={language}
        link={(line) => `/resources/pledges/${line.number}`}
        extra={(line) => {
          const item = list.items.find((i) => i.number === line.number)!;
          return item.target.type === 'project' ? (
            <Link to={`/competitions/${item.target.competitionSlug}/projects/${item.target.number}`} className="inline-flex min-h-11 items-center underline">
              {t('overview.toProject', { title: item.target.title })}
            </Link>
          ) : (
            <Link to={`/needs/${item.target.number}`} className="inline-flex min-h-11 items-center underline">
              {t('overview.toNeed', { number: item.target.number })}
            </Link>
          );
        }}
      />
      <Pagination page={page} pages={list.pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
