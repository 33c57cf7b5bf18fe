import { useTranslation } from 'react-i18next';
import { BarChart, ChartFigure } from '~/components/charts';
import type { Language } from '~/core/locales';
import { formatMoney, formatNumber } from '~/utils/format';
import type { DashboardChart } from './charts.server';
import type { BucketCounts } from '~/features/wishes/rules';
import type { DashboardFigures, NeedFigures, ResourceSums, ServiceSums } from './figures';

/** The dashboard's key figures and its charts, prepared by the loader (charts.server.ts). */
export function DashboardBody({
  summary,
  needs,
  wishes,
  resources,
  service,
  charts,
  language,
}: {
  summary: DashboardFigures['summary'];
  needs: NeedFigures;
  wishes: BucketCounts;
  resources: ResourceSums & { bySource: (ResourceSums & { source: string })[] };
  service: ServiceSums;
  charts: DashboardChart[];
  language: Language;
}) {
  const { t } = useTranslation('dashboard');
  const cards: [string, string, string?][] = [
    ['competitions', formatNumber(summary.competitions, language)],
    ['proposals', formatNumber(summary.proposals, language)],
    ['voters', formatNumber(summary.voters, language)],
    ['projects', formatNumber(summary.projects, language)],
    ['approved', formatMoney(summary.approvedFen, language)],
    ['spent', formatMoney(summary.spentFen, language)],
    ['peopleServed', formatNumber(summary.peopleServed, language)],
    [
      'volunteerHours',
      t('summary.volunteerHoursValue', { hours: formatNumber(Math.round(summary.volunteerHours * 10) / 10, language) }),
      t('summary.volunteerPersonTimes', { times: formatNumber(summary.volunteerPersonTimes, language) }),
    ],
    [
      'rating',
      summary.ratingAverage === null ? t('summary.noRating') : t('summary.ratingValue', { average: summary.ratingAverage.toFixed(1) }),
      summary.ratings ? t('summary.ratingCount', { n: formatNumber(summary.ratings, language) }) : undefined,
    ],
    ['organizations', formatNumber(summary.organizations, language)],
    ['needs', formatNumber(needs.raised, language), t('summary.needsFulfilled', { n: formatNumber(needs.fulfilled, language) })],
    [
      'needsMedian',
      needs.claimHours === null ? t('summary.noMedian') : t('summary.hoursValue', { hours: formatNumber(needs.claimHours, language) }),
      needs.fulfilHours === null ? undefined : t('summary.needsFulfilHours', { hours: formatNumber(needs.fulfilHours, language) }),
    ],
    ['wishes', formatNumber(wishes.delivered, language), t('summary.wishesDetail', { open: formatNumber(wishes.open, language), claimed: formatNumber(wishes.claimed, language) })],
    [
      'resources',
      formatMoney(resources.deliveredFen, language),
      t('summary.resourcesDetail', {
        fund: formatMoney(resources.bySource.find((s) => s.source === 'fund')?.deliveredFen ?? 0, language),
        pledged: formatMoney(resources.pledgedFen, language),
      }),
    ],
    [
      'serviceHours',
      t('summary.volunteerHoursValue', { hours: formatNumber(service.hours, language) }),
      t('summary.serviceDetail', { times: formatNumber(service.personTimes, language), count: service.volunteers, volunteers: formatNumber(service.volunteers, language) }),
    ],
  ];
  return (
    <div className="space-y-6">
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="sr-only">
          {t('summary.label')}
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {cards.map(([key, value, detail]) => (
            <div key={key} className="card">
              <dt className="text-sm text-stone-600">{t(`summary.${key}`)}</dt>
              <dd className="text-lg font-semibold tabular-nums sm:text-xl">{value}</dd>
              {detail ? <dd className="text-sm text-stone-600">{detail}</dd> : null}
            </div>
          ))}
        </dl>
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        {charts.map((chart) => (
          <ChartFigure
            key={chart.id}
            id={chart.id}
            title={chart.title}
            chart={<BarChart label={chart.title} series={chart.series ?? undefined} rows={chart.rows} />}
            note={chart.note ?? undefined}
            table={chart.table}
            csvHref={chart.csvHref}
            labels={{ table: t('chart.table'), csv: t('chart.csv') }}
          />
        ))}
      </div>
    </div>
  );
}

/** The short note under the dashboard: how each figure is counted (the decision record says the same). */
export function FigureDefinitions() {
  const { t } = useTranslation('dashboard');
  const keys = ['scope', 'proposals', 'voters', 'turnout', 'approved', 'spent', 'people', 'rating', 'organizations', 'needs', 'wishes', 'resources', 'service', 'freshness'] as const;
  return (
    <section className="card space-y-2" aria-labelledby="definitions-heading">
      <h2 id="definitions-heading" className="text-lg font-semibold">
        {t('definitions.title')}
      </h2>
      <ul className="list-disc space-y-1 pl-5 text-stone-700">
        {keys.map((key) => (
          <li key={key}>{t(`definitions.${key}`)}</li>
        ))}
      </ul>
    </section>
  );
}
