import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { tally, tallyVisible } from '~/features/voting/tally.server';
import { votingContext } from '~/features/voting/voting.server';
import { formatMoney, formatNumber, formatPercent } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { votingFinished } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'voting'] };

/** The public count: after voting closes, or during it when the rules make running totals public. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }));
  const user = await getOptionalUser(request);
  const isCommittee = Boolean(user && hasPermission(user.roles, 'competition:manage', { competitionId: ctx.id }));
  const title = await pageTitle(request, 'voting:results.title', ['voting', 'common']);
  if (!tallyVisible(ctx, isCommittee)) return { title, final: false, results: null };
  const counted = await tally(ctx.id);
  return {
    title,
    final: votingFinished(ctx.phase),
    results: {
      voters: counted.voters,
      rows: counted.rows.map((r) => ({ number: r.number, title: r.title, totalFen: r.totalFen, votes: r.votes, share: r.share })),
    },
  };
}

export default function ResultsPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { final, results } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h2 className="text-2xl font-bold">{t('results.title')}</h2>
      {!results ? (
        <p className="card">{t('results.hidden')}</p>
      ) : (
        <>
          <p className="text-stone-600">
            {final ? t('results.final', { voters: formatNumber(results.voters, language) }) : t('results.live', { voters: formatNumber(results.voters, language) })}
          </p>
          <ol className="space-y-2" data-testid="results">
            {results.rows.map((r) => (
              <li key={r.number} className="card space-y-1">
                <p className="font-semibold">
                  #{r.number} {r.title}
                </p>
                <p className="text-sm text-stone-600">
                  {t('results.line', { votes: formatNumber(r.votes, language), share: formatPercent(r.share, language), cost: formatMoney(r.totalFen, language) })}
                </p>
                <div className="h-2 rounded bg-stone-200" aria-hidden="true">
                  <div className="h-2 rounded bg-brand-600" style={{ width: `${Math.round(r.share * 100)}%` }} />
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
