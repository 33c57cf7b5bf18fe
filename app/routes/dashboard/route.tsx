import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser } from '~/core/auth.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { dashboardCharts } from '~/features/dashboard/charts.server';
import { DashboardBody, FigureDefinitions } from '~/features/dashboard/dashboard';
import { figuresFor, parseYear } from '~/features/dashboard/figures';
import { loadRawFigures } from '~/features/dashboard/figures.server';
import { placesOf } from '~/features/dashboard/labels';
import { downloadsReports, mayDownloadReport } from '~/features/dashboard/report-access.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'dashboard', 'projects'] };

/**
 * The public district dashboard (issue 15): every year's figures or one year's, from the kept
 * aggregates (features/dashboard/figures.server.ts; no database read when they are fresh). An
 * anonymous visitor's page is micro-cached like the other public pages (decision 020). A year
 * that is not a year answers 400 with the all-years page and a message, never an error.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = parseYear(new URL(request.url).searchParams.get('year'));
  const year = parsed.ok ? parsed.year : null;
  const [raw, user, title, language] = await Promise.all([
    loadRawFigures(),
    getOptionalUser(request, context),
    pageTitle(request, 'dashboard:title', ['dashboard', 'common']),
    getLanguage(request, context),
  ]);
  const figures = figuresFor(raw, year);
  const body = {
    title,
    invalidYear: !parsed.ok,
    figures,
    charts: dashboardCharts(figures, language, placesOf(raw)),
    // The committee's annual report of the year shown, or a hint to choose a year.
    report: !user ? null : year !== null ? (mayDownloadReport(user, raw, year) ? ('year' as const) : null) : downloadsReports(user) ? ('choose' as const) : null,
  };
  return parsed.ok ? body : data(body, { status: 400 });
}

export default function DashboardPage() {
  const { t } = useTranslation(['dashboard', 'common']);
  const { figures, charts, invalidYear, report } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const yearValue = figures.year === null ? 'all' : String(figures.year);
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <h1 className="text-3xl font-bold">{t('title')}</h1>
        <p className="max-w-3xl text-stone-700">{t('intro')}</p>
      </header>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('year.label')}</span>
          <select name="year" defaultValue={yearValue} key={yearValue} className="input min-h-11 min-w-40">
            <option value="all">{t('year.all')}</option>
            {[...figures.years].reverse().map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-secondary">
          {t('year.show')}
        </button>
      </Form>
      {invalidYear ? (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          {t('year.invalid')}
        </p>
      ) : null}
      {figures.year !== null && figures.summary.competitions === 0 ? <p className="text-stone-700">{t('year.none', { year: figures.year })}</p> : null}
      <DashboardBody summary={figures.summary} needs={figures.needs} wishes={figures.wishes} resources={figures.resources} service={figures.service} charts={charts} language={language} />
      {report === 'choose' ? <p className="text-stone-700">{t('report.chooseYear')}</p> : null}
      {report === 'year' && figures.year !== null ? (
        <section className="card space-y-2" aria-labelledby="report-heading">
          <h2 id="report-heading" className="text-lg font-semibold">
            {t('report.title')}
          </h2>
          <p className="text-stone-700">{t('report.intro', { year: figures.year })}</p>
          <a href={`/dashboard/report.pdf?year=${figures.year}`} className="btn-primary" download>
            {t('report.download', { year: figures.year })}
          </a>
        </section>
      ) : null}
      <FigureDefinitions />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
