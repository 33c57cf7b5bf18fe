import type { LoaderFunctionArgs } from '@remix-run/node';
import { resultsDownload } from '~/features/results/results-export.server';

/** The published result as a csv file. */
export async function loader({ params }: LoaderFunctionArgs) {
  return resultsDownload(params.slug ?? '', 'csv');
}
