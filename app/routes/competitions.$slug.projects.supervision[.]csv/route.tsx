import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireCompetition } from '~/features/competitions/context.server';
import { supervisionCsvRows, supervisionRows } from '~/features/projects/supervision.server';
import { toCsv } from '~/utils/csv.server';
import { downloadResponse } from '~/utils/misc';

/**
 * The supervision table as CSV, for the committee of this competition only (login, then 403):
 * the same columns the import reads back (app/features/projects/supervision.server.ts).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { doc } = await requireCompetition(args, 'competition:manage');
  const rows = await supervisionRows(String(doc._id));
  return downloadResponse({ filename: `${doc.slug}-projects.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(supervisionCsvRows(rows)) });
}
