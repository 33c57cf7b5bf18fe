import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SheetStatusBadge } from '~/features/judging/judging';
import { pageTitle } from '~/core/i18n.server';
import { judgingContext, sheetsOpen } from '~/features/judging/context.server';
import { myAssignments } from '~/features/judging/sheets.server';
import { formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition } from '~/features/competitions/context.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'judging'] };

/** A judge's own assignments and how far they are; nothing about other judges. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:judge');
  const ctx = judgingContext(competition);
  return {
    title: await pageTitle(request, 'judging:mine.title', ['judging', 'common']),
    open: sheetsOpen(ctx),
    assignments: await myAssignments(ctx, user.id),
  };
}

export default function MyJudgingPage() {
  const { t } = useTranslation(['judging', 'common']);
  const { open, assignments } = useLoaderData<typeof loader>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const categoryName = (code: string) => pickText(competition?.categories.find((c) => c.code === code)?.name, language);
  const left = assignments.filter((a) => a.status === 'assigned' || a.status === 'draft').length;
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('mine.title')}</h2>
      <p className="text-stone-600">{open ? t('mine.open', { count: left }) : t('mine.closed')}</p>
      {assignments.length === 0 ? <EmptyState title={t('mine.empty')} next={t('mine.emptyNext')} /> : null}
      <ul className="space-y-3">
        {assignments.map((a) => (
          <li key={a.number} className="card flex flex-wrap items-center justify-between gap-2">
            <div>
              {a.status === 'recused' ? (
                <span className="text-lg font-semibold">
                  #{a.number} {a.title}
                </span>
              ) : (
                <Link to={String(a.number)} className="text-lg font-semibold text-brand-800 underline">
                  #{a.number} {a.title}
                </Link>
              )}
              <p className="text-sm text-stone-500">
                {categoryName(a.category)} · {formatMoney(a.totalFen, language)}
              </p>
            </div>
            <SheetStatusBadge status={a.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
