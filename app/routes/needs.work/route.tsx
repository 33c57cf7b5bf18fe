import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { listWork, workViews } from '~/features/needs/board.server';
import { helperOf } from '~/features/needs/helpers.server';
import { NeedCards } from '~/features/needs/need-cards';
import { workQuerySchema } from '~/features/needs/needs.schema.server';
import { needReference } from '~/features/needs/reference.server';
import { titleMeta } from '~/utils/meta';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'needs'] };

/**
 * The needs whistle's work lists for the signed-in person: needs of their area to verify (a
 * community worker), the needs they raised (a whistle-blower or grid worker), their street's
 * open needs with escalated ones first (the street committee), the needs their helper answers.
 * Someone with none of these roles is shown how to become a helper.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const search = new URL(request.url).searchParams;
  const query = workQuerySchema.parse({ view: search.get('view'), page: search.get('page') ?? '1' });
  const [helper, reference, title] = await Promise.all([helperOf(user.id), needReference(), pageTitle(request, 'needs:work.title', ['needs', 'common'])]);
  const views = workViews(user, helper?.status === 'certified');
  const view = query.view && views.includes(query.view) ? query.view : (views[0] ?? null);
  const list = view ? await listWork(user, view, query.page, helper?.id ?? null) : null;
  return {
    title,
    views,
    view,
    list,
    helper,
    mayRaise: user.roles.some((g) => g.role === 'gridWorker' || g.role === 'whistleBlower') || hasPermission(user.roles, 'admin:access'),
    mayCertify: hasPermission(user.roles, 'helper:certify'),
    categories: reference.categories.map((c) => ({ code: c.code, name: c.name })),
  };
}

export default function NeedsWork() {
  const { t } = useTranslation(['needs', 'common']);
  const { views, view, list, helper, mayRaise, mayCertify, categories } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{t('work.title')}</h1>
        <div className="flex flex-wrap gap-2">
          {mayRaise ? (
            <Link to="/needs/new" className="btn-primary">
              {t('work.raise')}
            </Link>
          ) : null}
          {mayCertify ? (
            <Link to="/needs/helpers" className="btn-secondary">
              {t('work.helpers')}
            </Link>
          ) : null}
        </div>
      </div>
      {views.length > 1 ? (
        <nav aria-label={t('work.views')} className="flex flex-wrap gap-2">
          {views.map((v) => (
            <Link key={v} to={`?view=${v}`} aria-current={v === view ? 'page' : undefined} className={v === view ? 'btn-primary' : 'btn-secondary'}>
              {t(`work.view.${v}`)}
            </Link>
          ))}
        </nav>
      ) : view ? (
        // One list only: its name says what the list is.
        <h2 className="text-lg font-semibold">{t(`work.view.${view}`)}</h2>
      ) : null}
      {/* The invitation is for someone with no needs work of their own; a worker's page starts with their list. */}
      {!helper ? (
        views.length ? null : (
          <p className="card">
            <Link to="/needs/helpers/mine" className="inline-flex min-h-11 items-center text-brand-800 underline">
              {t('work.becomeHelper')}
            </Link>
          </p>
        )
      ) : helper.status !== 'certified' ? (
        <p className="card text-stone-700">{t(`helper.status.${helper.status}`)}</p>
      ) : null}
      {list ? (
        list.total === 0 ? (
          <EmptyState title={t(`work.empty.${view}`)} next={t(`work.emptyNext.${view}`)} />
        ) : (
          <>
            <p className="text-stone-600">{t('board.count', { count: list.total })}</p>
            <NeedCards cards={list.cards} categories={categories} label={t(`work.view.${view}`)} />
            <Pagination page={list.page} pages={list.pages} />
          </>
        )
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
