import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireCompetition } from '~/features/competitions/context.server';

/** The short address on a competition's printed notice (`/c/<slug>`, decision 033): to the stored slug's page, or a 404. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  return redirect(`/competitions/${encodeURIComponent(doc.slug)}`, 301);
}
