import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireCompetition } from '~/features/competitions/context.server';
import { projectExists } from '~/features/projects/notice.server';
import { invariantResponse, numberParam } from '~/utils/misc';

/**
 * The short address on a project's printed notice (`/x/<slug>/<number>`, decision 033): a
 * redirect built from the stored slug and the parsed number only; an unknown one is a 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const number = numberParam(params.number);
  invariantResponse(await projectExists(String(doc._id), number), 'Not found', { status: 404 });
  return redirect(`/competitions/${encodeURIComponent(doc.slug)}/projects/${number}`, 301);
}
