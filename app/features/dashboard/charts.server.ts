import { barRows } from '~/components/chart-geometry.server';
import type { BarRow } from '~/components/charts';
import { fixedT } from '~/core/i18n.server';
import type { Language } from '~/core/locales';
import { CHARTS, cellValue, chartTable, type ChartId, type DashboardFigures } from './figures';
import { formatCell, labelsFor, seriesNameKey, type Places } from './labels';

/** One chart as the page draws it: its bars scaled (visx, here on the server), its table and CSV link, in the page's language. */
export interface DashboardChart {
  id: ChartId;
  title: string;
  series: string[] | null;
  rows: BarRow[];
  table: { columns: string[]; rows: string[][] };
  note: string | null;
  csvHref: string;
}


export function dashboardCharts(
  figures: DashboardFigures,
  language: Language,
  places: Places,
): DashboardChart[] {
  const t = fixedT(language, ['dashboard', 'projects']);
  const labels = labelsFor(t, language, places);
  const year = figures.year === null ? 'all' : String(figures.year);
  // The history chart is for all years only.
  return CHARTS.filter((chart) => chart !== 'byYear' || figures.year === null).map((chart) => {
    const table = chartTable(figures, chart, labels);
    return {
      id: chart,
      title: t(`dashboard:chart.${chart}`),
      series: table.series.length > 1 ? table.series.map((c) => t(seriesNameKey(table.columns[c]!))) : null,
      rows: barRows(
        table.rows.map((row) => ({
          name: formatCell(row[0]!, language),
          values: table.series.map((c) => cellValue(row[c]!)),
          displays: table.series.map((c) => formatCell(row[c]!, language)),
        })),
      ),
      table: { columns: table.columns.map((key) => t(`dashboard:${key}`)), rows: table.rows.map((row) => row.map((cell) => formatCell(cell, language))) },
      note:
        chart === 'organizationsByStage'
          ? t('dashboard:chart.organizationsNote', { when: figures.year === null ? t('dashboard:chart.organizationsNow') : t('dashboard:chart.organizationsAtEnd', { year: figures.year }) })
          : null,
      csvHref: `/dashboard.csv?${new URLSearchParams({ chart, year })}`,
    };
  });
}
