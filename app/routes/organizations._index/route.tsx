import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { getOptionalUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { filterSchema } from '~/features/organizations/organization.schema';
import { INCUBATION_STAGES, ORGANIZATION_TYPES } from '~/features/organizations/organizations';
import { listOrganizations } from '~/features/organizations/registry.server';
import { mayCreateOrganization } from '~/features/organizations/rules';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

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
      <Form method="get" className="card flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="filter-type" className="mb-1 block font-medium">
            {t('field.type')}
          </label>
          <select id="filter-type" name="type" className="input" defaultValue={filter.type}>
            <option value="">{t('list.allTypes')}</option>
            {ORGANIZATION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`type.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-stage" className="mb-1 block font-medium">
            {t('field.stage')}
          </label>
          <select id="filter-stage" name="stage" className="input" defaultValue={filter.stage}>
            <option value="">{t('list.allStages')}</option>
            {INCUBATION_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {t(`stage.${stage}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-street" className="mb-1 block font-medium">
            {t('field.street')}
          </label>
          <select id="filter-street" name="street" className="input" defaultValue={filter.street}>
            <option value="">{t('list.allStreets')}</option>
            {streets.map((street) => (
              <option key={street.id} value={street.id}>
                {pickText(street.name, language)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-secondary">
          {t('list.filter')}
        </button>
      </Form>
      {total === 0 ? (
        <p className="card text-stone-700">{t('list.empty')}</p>
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
