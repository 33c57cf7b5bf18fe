import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { BarChart, ScatterChart } from '~/features/results/charts';
import { ResultsTable } from '~/features/results/results-table';
import { getOptionalUser } from '~/core/auth.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { getPublishedResults } from '~/features/results/results.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'results', 'proposals'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const [published, user, streets, title] = await Promise.all([
    getPublishedResults(rules.id),
    getOptionalUser(request),
    listStreetsWithCommunities(),
    pageTitle(request, 'results:title', ['results', 'common']),
  ]);
  const canManage = Boolean(user && hasPermission(user.roles, 'competition:manage', { competitionId: rules.id }));
  if (!published) return { title, published: null, canManage, judges: [] as string[], streets: [] };
  const judges = [...new Set(published.inputs.sheets.map((s) => s.judge))].sort();
  return {
    title,
    canManage,
    judges,
    streets: streets.map((s) => ({ id: s.id, name: s.name })),
    published: { method: published.method, inputsHash: published.inputsHash, publishedAt: published.publishedAt, reproduces: published.reproduces, outcome: published.outcome },
  };
}

export default function ResultsPage() {
  const { t } = useTranslation(['results', 'common']);
  const { published, canManage, judges, streets } = useLoaderData<typeof loader>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  if (!published) {
    return (
      <div className="card space-y-3">
        <h2 className="text-2xl font-bold">{t('title')}</h2>
        <p className="text-stone-600">{t('notYet')}</p>
        {canManage ? (
          <Link to="preview" className="btn-primary">
            {t('preview.link')}
          </Link>
        ) : null}
      </div>
    );
  }
  const { outcome } = published;
  const funded = outcome.lines.filter((l) => l.funded);
  const sum = (key: (l: (typeof funded)[number]) => string) => {
    const totals = new Map<string, number>();
    for (const line of funded) totals.set(key(line), (totals.get(key(line)) ?? 0) + line.cost);
    return [...totals].sort((a, b) => b[1] - a[1]);
  };
  const categoryName = (code: string) => pickText(competition?.categories.find((c) => c.code === code)?.name, language) || code;
  const streetName = (id: string) => pickText(streets.find((s) => s.id === id)?.name, language) || '—';
  return (
    <div className="space-y-5">
      <h2 className="text-2xl font-bold">{t('title')}</h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div className="card">
          <dt className="text-sm text-stone-500">{t('summary.funded')}</dt>
          <dd className="text-2xl font-semibold">{funded.length}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-stone-500">{t('summary.spent')}</dt>
          <dd className="text-2xl font-semibold">{formatMoney(outcome.spent, language)}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-stone-500">{t('summary.budget')}</dt>
          <dd className="text-2xl font-semibold">{formatMoney(outcome.budgetFen, language)}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-stone-500">{t('summary.voters')}</dt>
          <dd className="text-2xl font-semibold">{outcome.voters}</dd>
        </div>
      </dl>
      <p className="text-sm text-stone-600">
        {t(`method.${published.method}`)} · {t('publishedAt', { date: formatDate(published.publishedAt, language, { dateStyle: 'long' }) })}
      </p>
      <ResultsTable outcome={outcome} language={language} judges={judges} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="card">
          <h3 className="mb-2 font-semibold">{t('charts.byCategory')}</h3>
          <BarChart label={t('charts.byCategory')} rows={sum((l) => l.category).map(([code, v]) => ({ name: categoryName(code), value: v, display: formatMoney(v, language) }))} />
        </section>
        <section className="card">
          <h3 className="mb-2 font-semibold">{t('charts.byStreet')}</h3>
          <BarChart label={t('charts.byStreet')} rows={sum((l) => l.street).map(([id, v]) => ({ name: streetName(id), value: v, display: formatMoney(v, language) }))} />
        </section>
        <section className="card lg:col-span-2">
          <h3 className="mb-2 font-semibold">{t('charts.votesVsJudges')}</h3>
          <ScatterChart
            label={t('charts.votesVsJudges')}
            xLabel={t('table.votes')}
            yLabel={t('table.judgeMean')}
            points={outcome.lines.filter((l) => l.judgeMean !== null).map((l) => ({ x: l.votes, y: l.judgeMean!, funded: l.funded, name: `#${l.number} ${l.title}` }))}
          />
          <p className="text-sm text-stone-600">{t('charts.legend')}</p>
        </section>
      </div>
      <section className="card space-y-2">
        <h3 className="font-semibold">{t('downloads.title')}</h3>
        <div className="flex flex-wrap gap-2">
          <a href="results.csv" className="btn-secondary" download>
            CSV
          </a>
          <a href="results.json" className="btn-secondary" download>
            JSON
          </a>
          <a href="results.pb" className="btn-secondary" download>
            Pabulib (.pb)
          </a>
        </div>
        <p className="text-sm text-stone-600">
          {t('downloads.check', { hash: published.inputsHash.slice(0, 16) })} {published.reproduces ? t('downloads.reproduces') : t('downloads.mismatch')}
        </p>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
