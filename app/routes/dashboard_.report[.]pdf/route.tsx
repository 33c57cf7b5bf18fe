import { existsSync } from 'node:fs';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getOptionalUser } from '~/core/auth.server';
import { getEnv } from '~/core/env.server';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { parseYear } from '~/features/dashboard/figures';
import { loadRawFigures } from '~/features/dashboard/figures.server';
import { renderAnnualReport } from '~/features/dashboard/report-pdf.server';
import { mayDownloadReport } from '~/features/dashboard/report-access.server';
import { annualReport } from '~/features/dashboard/report.server';

const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' } });

/**
 * The committee's annual report of a year as a PDF (`/dashboard/report.pdf?year=2025`): for an
 * admin or a committee member of one of that year's competitions (401 signed out, 403 for anyone
 * else, 400 without a year, 404 for a year without a competition, 503 without the font).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, language] = await Promise.all([getOptionalUser(request, context), getLanguage(request, context)]);
  const t = fixedT(language, 'dashboard');
  if (!user) return text(t('pdf.needSignIn'), 401);
  const parsed = parseYear(new URL(request.url).searchParams.get('year'));
  if (!parsed.ok || parsed.year === null) return text(t('pdf.badYear'), 400);
  const year = parsed.year;
  const raw = await loadRawFigures();
  if (!mayDownloadReport(user, raw, year)) return text(t('pdf.forbidden'), 403);
  if (!existsSync(getEnv().PDF_FONT_PATH)) return text(t('pdf.unavailable'), 503);
  const report = await annualReport(year);
  if (!report) return text(t('pdf.none'), 404);
  const pdf = await renderAnnualReport(report);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="laoshanxing-${year}-annual-report.pdf"`,
      'Content-Length': String(pdf.length),
      'Cache-Control': 'private, no-store',
    },
  });
}
