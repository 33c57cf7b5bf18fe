import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { getOptionalUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { filterSchema } from '~/features/organizations/organization.schema.server';
import { INCUBATION_STAGES, ORGANIZATION_TYPES } from '~/features/organizations/organizations';
import { listOrganizations } from '~/features/organizations/registry.server';
import { mayCreateOrganization } from '~/features/organizations/rules';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'organizations'] };

/**
 * The registry, public: name, type, place and member count only (contacts and member names are
 * for those who manage an entry), with each one's incubation stage. ?type=, ?stage= and ?street=
 * filter, ?page= pages; anything unknown reads as no filter.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const filter = filterSchema.parse({ type: search.get('type') ?? undefined, stage: search.get('stage') ?? undefined, street: search.get('street') ?? undefined, page: search.get('page') ?? '1' });
  const [list, streets, viewer, title] = await Promise.all([
    listOrganizations(filter),
    listStreetsWithCommunities(),
    getOptionalUser(request, context),
    pageTitle(request, 'organizations:list.title', ['organizations', 'common']),
  ]);
  return {
    title,
    ...list,
    page: filter.page,
    filter: { type: filter.type ?? '', stage: filter.stage ?? '', street: filter.street ?? '' },
    streets: streets.map((s) => ({ id: s.id, name: s.name })),
    mayCreate: Boolean(viewer && mayCreateOrganization(viewer)),
  };
}

export default function OrganizationsPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { cards, total, page, pages, filter, streets, mayCreate } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t('list.title')}</h1>
        {mayCreate ? (
          <Link to="/organizations/new" className="btn-primary">
            {t('list.new')}
          </Link>
        ) : null}
      </div>
      <p className="text-stone-700">{t('list.intro')}</p>
      <FilterForm className="flex flex-wrap items-end gap-3" submit={t('list.filter')}>
        <FilterSelect id="filter-type" name="type" label={t('field.type')} all={t('list.allTypes')} value={filter.type} options={ORGANIZATION_TYPES.map((type) => ({ value: type, label: t(`type.${type}`) }))} />
        <FilterSelect id="filter-stage" name="stage" label={t('field.stage')} all={t('list.allStages')} value={filter.stage} options={INCUBATION_STAGES.map((stage) => ({ value: stage, label: t(`stage.${stage}`) }))} />
        <FilterSelect id="filter-street" name="street" label={t('field.street')} all={t('list.allStreets')} value={filter.street} options={streets.map((street) => ({ value: street.id, label: pickText(street.name, language) }))} />
      </FilterForm>
      {total === 0 ? (
        <EmptyState
          title={t('list.empty')}
          next={t(filter.type || filter.stage || filter.street ? 'list.emptyFilteredNext' : 'list.emptyNext')}
          action={filter.type || filter.stage || filter.street ? { to: '/organizations', label: t('list.emptyClear'), secondary: true } : null}
        />
      ) : (
        <>
          <p className="text-stone-600">{t('list.count', { count: total })}</p>
          <ul className="grid gap-3 sm:grid-cols-2" aria-label={t('list.label')}>
            {cards.map((card) => (
              <li key={card.id} className="card space-y-1">
                <Link to={`/organizations/${card.id}`} className="block min-h-11 text-lg font-semibold text-brand-800 underline-offset-2 hover:underline">
                  {card.name}
                </Link>
                <p className="text-stone-700">
                  {t(`type.${card.type}`)} · {t(`stage.${card.stage}`)}
                </p>
                <p className="flex flex-wrap gap-x-3 text-stone-600">
                  {card.street ? <span>{pickText(card.street, language)}</span> : null}
                  {card.community ? <span>{pickText(card.community, language)}</span> : null}
                  <span>{t('detail.memberCount', { count: card.memberCount })}</span>
                </p>
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
