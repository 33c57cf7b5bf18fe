import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { ProposalStatusBadge } from '~/features/proposals/status-badge';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { proposalListQuery } from '~/features/proposals/proposal.schema.server';
import { competitionSummary } from '~/features/competitions/competitions.server';
import { pageTitle } from '~/core/i18n.server';
import { listProposals } from '~/features/proposals/browse.server';
import { competitionRules, phaseEnd } from '~/features/proposals/competition-rules.server';
import { listSeed } from '~/core/visitor.server';
import { getOptionalUser } from '~/core/auth.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'proposals'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const loaded = await requireCompetition({ request, params, context });
  const rules = competitionRules(loaded);
  const competition = competitionSummary(loaded);
  const query = proposalListQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { seed, setCookie } = await listSeed(request, (await getOptionalUser(request, context)) !== null);
  const [list, title] = await Promise.all([listProposals(rules, query, seed), pageTitle(request, 'proposals:list.title', ['proposals', 'common'])]);
  const streets = list.places;
  const names = new Map(streets.flatMap((s) => [[s.id, s.name] as const, ...s.communities.map((c) => [c.id, c.name] as const)]));
  return data(
    {
      title,
      query,
      submissionOpen: rules.phase === 'submission',
      submissionEndsAt: phaseEnd(rules, 'submission')?.toISOString() ?? null,
      categories: competition.categories,
      streets: streets.map((s) => ({ id: s.id, code: s.code, name: s.name, communities: s.communities.map((c) => ({ id: c.id, code: c.code, name: c.name })) })),
      total: list.total,
      pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
      counts: list.counts,
      cards: list.cards.map((card) => ({
        ...card,
        community: card.communityId ? (names.get(card.communityId) ?? null) : null,
      })),
    },
    { headers: setCookie ? { 'Set-Cookie': setCookie } : undefined },
  );
}

export default function ProposalListPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { query, submissionOpen, submissionEndsAt, categories, streets, total, pages, counts, cards } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const categoryName = (code: string) => pickText(categories.find((c) => c.code === code)?.name, language);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-2xl font-bold">{t('list.title')}</h2>
          <p className="text-stone-600">{t('list.intro')}</p>
          <p className="text-sm text-stone-600">
            {submissionOpen && submissionEndsAt
              ? t('list.submissionOpenUntil', { date: formatDate(submissionEndsAt, language, { dateStyle: 'long' }) })
              : t('list.submissionClosed')}
          </p>
        </div>
        {submissionOpen ? (
          <Link to="new" className="btn-primary">
            {t('list.new')}
          </Link>
        ) : null}
      </div>

      <Form method="get" className="card grid gap-3 sm:grid-cols-6" role="search" aria-label={t('list.filters')}>
        <div className="sm:col-span-6">
          <label htmlFor="q" className="mb-1 block font-medium">
            {t('list.searchLabel')}
          </label>
          <div className="flex gap-2">
            <input id="q" name="q" type="search" defaultValue={query.q ?? ''} placeholder={t('list.searchPlaceholder')} className="input" />
            <button type="submit" className="btn-primary">
              {t('list.search')}
            </button>
          </div>
        </div>
        <select name="category" defaultValue={query.category ?? ''} className="input sm:col-span-2" aria-label={t('fields.category')}>
          <option value="">{t('list.allCategories')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {pickText(c.name, language)} ({counts.category[c.code] ?? 0})
            </option>
          ))}
        </select>
        <select name="street" defaultValue={query.street ?? ''} className="input sm:col-span-2" aria-label={t('list.streetLabel')}>
          <option value="">{t('list.allStreets')}</option>
          {streets.map((s) => (
            <option key={s.code} value={s.code}>
              {pickText(s.name, language)} ({counts.street[s.id] ?? 0})
            </option>
          ))}
        </select>
        <select name="community" defaultValue={query.community ?? ''} className="input sm:col-span-2" aria-label={t('list.communityLabel')}>
          <option value="">{t('list.allCommunities')}</option>
          {streets
            .filter((s) => !query.street || s.code === query.street)
            .map((s) => (
              <optgroup key={s.code} label={pickText(s.name, language)}>
                {s.communities.map((c) => (
                  <option key={c.code} value={c.code}>
                    {pickText(c.name, language)} ({counts.community[c.id] ?? 0})
                  </option>
                ))}
              </optgroup>
            ))}
        </select>
        <select name="status" defaultValue={query.status ?? ''} className="input sm:col-span-2" aria-label={t('list.statusLabel')}>
          <option value="">{t('list.allStatuses')}</option>
          {(['submitted', 'changesRequested', 'eligible', 'ineligible'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)} ({counts.status[s] ?? 0})
            </option>
          ))}
        </select>
        <select name="sort" defaultValue={query.sort} className="input sm:col-span-2" aria-label={t('list.sort')}>
          <option value="random">{t('list.sortRandom')}</option>
          <option value="newest">{t('list.sortNewest')}</option>
          <option value="mostFollowed">{t('list.sortMostFollowed')}</option>
        </select>
        <div className="flex gap-2 sm:col-span-6">
          <button type="submit" className="btn-secondary">
            {t('list.apply')}
          </button>
          <Link to="." className="btn-secondary">
            {t('list.clear')}
          </Link>
        </div>
      </Form>

      <p className="text-sm text-stone-600" aria-live="polite">
        {t('list.count', { count: total })}
      </p>
      {cards.length === 0 ? (
        query.q || query.category || query.street || query.community || query.status ? (
          <EmptyState title={t('list.empty')} next={t('list.emptyFilteredNext')} action={{ to: '.', label: t('list.clear'), secondary: true }} />
        ) : (
          <EmptyState
            title={t('list.emptyNone')}
            next={t(submissionOpen ? 'list.emptyNoneOpenNext' : 'list.emptyNoneClosedNext')}
            action={submissionOpen ? { to: 'new', label: t('list.emptyFirst') } : null}
          />
        )
      ) : null}
      <ul className="grid gap-3 sm:grid-cols-2">
        {cards.map((card) => (
          <li key={card.number} className="card flex gap-3">
            {card.photoId ? (
              <img src={`/uploads/${card.photoId}?size=thumb`} alt="" className="h-20 w-20 shrink-0 rounded-lg object-cover" loading="lazy" />
            ) : null}
            <div className="min-w-0 space-y-1">
              <Link to={String(card.number)} className="block text-lg font-semibold text-brand-800 hover:underline">
                {card.title}
              </Link>
              <p className="line-clamp-2 text-sm text-stone-700">{card.summary}</p>
              <p className="flex flex-wrap gap-x-3 text-sm text-stone-500">
                <span>{categoryName(card.category)}</span>
                {card.community ? <span>{pickText(card.community, language)}</span> : null}
                <span>{t('list.requested', { amount: formatMoney(card.totalFen, language) })}</span>
                <span>{t('list.followers', { count: card.followerCount })}</span>
                <ProposalStatusBadge status={card.status} funded={card.funded} />
              </p>
            </div>
          </li>
        ))}
      </ul>
      <Pagination page={query.page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
