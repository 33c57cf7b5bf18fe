import type { LoaderFunctionArgs } from '@remix-run/node';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { chartTable, csvRows, figuresFor, isChartId, parseYear } from '~/features/dashboard/figures';
import { loadRawFigures } from '~/features/dashboard/figures.server';
import { labelsFor, placesOf } from '~/features/dashboard/labels';
import { toCsv } from '~/utils/csv.server';

/**
 * One dashboard chart's table as CSV (`/dashboard.csv?chart=moneyByStreet&year=2025`), public
 * like the page: the same rows as its table, headings and names in the visitor's language, money
 * in yuan with two decimals, turnout in percent, UTF-8 with a byte-order mark so Excel reads
 * Chinese. An unknown chart or year is a 400, never an error page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const chart = url.searchParams.get('chart');
  const parsed = parseYear(url.searchParams.get('year'));
  if (!isChartId(chart) || !parsed.ok) {
    return new Response('Bad request: chart must be one of the dashboard charts, year a year or "all".', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const [raw, language] = await Promise.all([loadRawFigures(), getLanguage(request, context)]);
  const t = fixedT(language, ['dashboard', 'projects']);
  const labels = labelsFor(t, language, placesOf(raw));
  const table = chartTable(figuresFor(raw, parsed.year), chart, labels);
  const filename = `laoshanxing-${chart}-${parsed.year ?? 'all'}.csv`;
  return new Response(toCsv(csvRows(table, (key) => t(`dashboard:${key}`))), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      // Public figures, refreshed every minute (figures.server.ts).
      'Cache-Control': 'public, max-age=60',
      Vary: 'Cookie, Accept-Language',
    },
  });
}
