import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { BarChart, ScatterChart } from '~/components/charts';
import { barRows, scatterGeometry } from '~/components/chart-geometry.server';
import { ResultsTable } from '~/features/results/results-table';
import { getOptionalUser } from '~/core/auth.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { getPublishedResults } from '~/features/results/results.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'results', 'proposals'] };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const loaded = await requireCompetition({ request, params, context });
  const rules = competitionRules(loaded);
  const [published, user, streets, title, language] = await Promise.all([
    getPublishedResults(rules.id),
    getOptionalUser(request),
    listStreetsWithCommunities(),
    pageTitle(request, 'results:title', ['results', 'common']),
    getLanguage(request, context),
  ]);
  const canManage = Boolean(user && hasPermission(user.roles, 'competition:manage', { competitionId: rules.id }));
  if (!published) return { title, published: null, canManage, judges: [] as string[], charts: null };
  const judges = [...new Set(published.inputs.sheets.map((s) => s.judge))].sort();
  const { outcome } = published;
  // The charts' positions, scaled here (visx) so the page's script carries no scale library.
  const funded = outcome.lines.filter((l) => l.funded);
  const sum = (key: (l: (typeof funded)[number]) => string) => {
    const totals = new Map<string, number>();
    for (const line of funded) totals.set(key(line), (totals.get(key(line)) ?? 0) + line.cost);
    return [...totals].sort((a, b) => b[1] - a[1]);
  };
  const categoryName = (code: string) => pickText(loaded.doc.categories.find((c) => c.code === code)?.name, language) || code;
  const streetName = (id: string) => pickText(streets.find((s) => s.id === id)?.name, language) || '—';
  const bars = (rows: [string, number][], name: (key: string) => string) => barRows(rows.map(([key, v]) => ({ name: name(key), values: [v], displays: [formatMoney(v, language)] })));
  return {
    title,
    canManage,
    judges,
    published: { method: published.method, inputsHash: published.inputsHash, publishedAt: published.publishedAt, reproduces: published.reproduces, outcome },
    charts: {
      byCategory: bars(sum((l) => l.category), categoryName),
      byStreet: bars(sum((l) => l.street), streetName),
      votesVsJudges: scatterGeometry(
        outcome.lines.filter((l) => l.judgeMean !== null).map((l) => ({ x: l.votes, y: l.judgeMean!, filled: l.funded, name: `#${l.number} ${l.title}` })),
        [1, 10],
      ),
    },
  };
}

export default function ResultsPage() {
  const { t } = useTranslation(['results', 'common']);
  const { published, canManage, judges, charts } = useLoaderData<typeof loader>();
  const language = useLanguage();
  if (!published || !charts) {
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
          <BarChart label={t('charts.byCategory')} rows={charts.byCategory} />
        </section>
        <section className="card">
          <h3 className="mb-2 font-semibold">{t('charts.byStreet')}</h3>
          <BarChart label={t('charts.byStreet')} rows={charts.byStreet} />
        </section>
        <section className="card lg:col-span-2">
          <h3 className="mb-2 font-semibold">{t('charts.votesVsJudges')}</h3>
          <ScatterChart
            label={t('charts.votesVsJudges')}
            xLabel={t('table.votes')}
            yLabel={t('table.judgeMean')}
            geometry={charts.votesVsJudges}
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
