import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { communityGroups } from '~/features/wishes/filters';
import { WISH_KINDS } from '~/features/wishes/rules';
import { wallFilterSchema } from '~/features/wishes/wish.schema.server';
import { CountsRow, WishCard } from '~/features/wishes/wish-card';
import { listWall } from '~/features/wishes/wishes.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage, useRootData } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'wishes'] };

/**
 * The public wall of micro-wishes: how many wait, are claimed and were delivered (overall and per
 * street), and the open wishes, the longest waiting first, by street, community (codes) and kind,
 * a page at a time. The same for every visitor (the anonymous page is cached): nothing per user.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const filter = wallFilterSchema.parse({
    street: search.get('street') ?? undefined,
    community: search.get('community') ?? undefined,
    kind: search.get('kind') ?? undefined,
    page: search.get('page') ?? '1',
  });
  const [wall, title] = await Promise.all([listWall(filter), pageTitle(request, 'wishes:wall.title', ['wishes', 'common'])]);
  return {
    title,
    counts: wall.counts,
    cards: wall.cards,
    total: wall.total,
    page: filter.page,
    pages: wall.pages,
    filter: { street: filter.street ?? '', community: filter.community ?? '', kind: filter.kind ?? '' },
    streets: wall.places.map((s) => ({ id: s.id, code: s.code, name: s.name, communities: s.communities.map((c) => ({ code: c.code, name: c.name })) })),
  };
}

export default function WishWall() {
  const { t } = useTranslation(['wishes', 'common']);
  const { counts, cards, total, page, pages, filter, streets } = useLoaderData<typeof loader>();
  const signedIn = Boolean(useRootData()?.user);
  const language = useLanguage();
  const zero = { open: 0, claimed: 0, delivered: 0 };
  const chosenStreet = streets.find((s) => s.code === filter.street);
  return (
    <div className="space-y-5">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('wall.title')}</h1>
        <p className="text-stone-700">{t('wall.intro')}</p>
        {signedIn ? (
          <Link to="/wishes/mine" className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline">
            {t('wall.mine')}
          </Link>
        ) : null}
      </div>
      <section className="card space-y-3" aria-labelledby="wish-counts">
        <h2 id="wish-counts" className="text-lg font-semibold">
          {t('counts.title')}
        </h2>
        <h3 className="font-semibold">{t('counts.overall')}</h3>
        <CountsRow counts={counts.overall} language={language} label={t('counts.overall')} />
        {chosenStreet ? (
          <>
            <h3 className="font-semibold">{pickText(chosenStreet.name, language)}</h3>
            <CountsRow counts={counts.byStreet[chosenStreet.id] ?? zero} language={language} label={pickText(chosenStreet.name, language)} />
          </>
        ) : null}
        <details>
          <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-700">{t('counts.byStreet')}</summary>
          <table className="mt-2 w-full text-left">
            <thead>
              <tr className="border-b border-stone-200">
                <th scope="col" className="py-2">
                  {t('field.street')}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t('counts.open')}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t('counts.claimed')}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t('counts.delivered')}
                </th>
              </tr>
            </thead>
            <tbody>
              {streets.map((street) => {
                const row = counts.byStreet[street.id] ?? zero;
                return (
                  <tr key={street.id} className="border-b border-stone-100">
                    <th scope="row" className="py-2 font-normal">
                      {pickText(street.name, language)}
                    </th>
                    <td className="py-2 text-right">{row.open}</td>
                    <td className="py-2 text-right">{row.claimed}</td>
                    <td className="py-2 text-right">{row.delivered}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      </section>
      <FilterForm className="grid gap-3 sm:grid-cols-4 sm:items-end" submit={t('wall.filter')}>
        <FilterSelect id="wall-street" name="street" label={t('field.street')} all={t('wall.allStreets')} value={filter.street} options={streets.map((street) => ({ value: street.code, label: pickText(street.name, language) }))} />
        <FilterSelect id="wall-community" name="community" label={t('field.community')} all={t('wall.allCommunities')} value={filter.community} options={communityGroups(streets, language)} />
        <FilterSelect id="wall-kind" name="kind" label={t('field.kind')} all={t('wall.allKinds')} value={filter.kind} options={WISH_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))} />
      </FilterForm>
      {total === 0 ? (
        <EmptyState
          title={t('wall.empty')}
          next={t(filter.street || filter.community || filter.kind ? 'wall.emptyFilteredNext' : 'wall.emptyNext')}
          action={filter.street || filter.community || filter.kind ? { to: '/wishes', label: t('wall.emptyClear'), secondary: true } : null}
        />
      ) : (
        <>
          <p className="text-stone-600">{t('wall.count', { count: total })}</p>
          <ul className="grid gap-3 sm:grid-cols-2" aria-label={t('wall.listLabel')}>
            {cards.map((card) => (
              <WishCard key={card.number} wish={card} language={language} />
            ))}
          </ul>
          <Pagination page={page} pages={pages} />
        </>
      )}
      <p className="text-sm text-stone-600">{t('wall.privacy')}</p>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
