import type { LoaderFunctionArgs } from '@remix-run/node';
import { resultsDownload } from '~/features/results/results-export.server';
import { downloadResponse } from '~/utils/misc';

/** The published result as a json file. */
export async function loader({ params }: LoaderFunctionArgs) {
  return downloadResponse(await resultsDownload(params.slug ?? '', 'json'));
}
