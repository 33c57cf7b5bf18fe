import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { getOptionalUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { pickText } from '~/core/locales';
import { requireCompetition } from '~/features/competitions/context.server';
import { ProjectStatusBadge } from '~/features/projects/status-badge';
import { listProjects } from '~/features/projects/views.server';
import { formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'projects'] };

/** ?page=n; anything that is not a sensible page number reads as the first page. */
function pageOf(request: Request): number {
  const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
  return Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}

/** The competition's projects, 20 a page, in their numbers' order (the result's order). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const page = pageOf(request);
  const [list, title, viewer] = await Promise.all([listProjects(String(doc._id), page), pageTitle(request, 'projects:list.title', ['projects', 'common']), getOptionalUser(request)]);
  // The committee's way to the supervision table (the session is read once per request anyway).
  const canSupervise = Boolean(viewer && hasPermission(viewer.roles, 'competition:manage', { competitionId: String(doc._id) }));
  return { title, page, canSupervise, ...list };
}

export default function ProjectsPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { cards, total, page, pages, canSupervise } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('list.title')}</h2>
      <p className="text-stone-700">{t('list.intro')}</p>
      {canSupervise ? (
        <Link to="supervision" relative="path" className="inline-flex min-h-11 items-center font-semibold underline">
          {t('list.supervisionLink')}
        </Link>
      ) : null}
      {total === 0 ? (
        <EmptyState title={t('list.empty')} next={t('list.emptyNext')} action={{ to: '../proposals', label: t('list.emptyAction'), secondary: true }} />
      ) : (
        <>
          <p className="text-stone-600">{t('list.count', { count: total })}</p>
          <ul className="grid gap-3 sm:grid-cols-2" aria-label={t('list.label')}>
            {cards.map((card) => (
              <li key={card.number} className="card space-y-2">
                <div className="flex flex-wrap items-center gap-2">
                  <ProjectStatusBadge status={card.status} />
                  <span className="text-stone-600">{t('detail.number', { number: card.number })}</span>
                </div>
                <Link to={String(card.number)} className="block min-h-11 text-lg font-semibold text-brand-800 underline-offset-2 hover:underline">
                  {card.title}
                </Link>
                <p className="font-semibold">{t('list.budget', { amount: formatMoney(card.approvedBudgetFen, language) })}</p>
                <p className="flex flex-wrap gap-x-3 text-stone-600">
                  <span>{card.organization || t('list.organizationPending')}</span>
                  {card.street ? <span>{pickText(card.street, language)}</span> : null}
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
