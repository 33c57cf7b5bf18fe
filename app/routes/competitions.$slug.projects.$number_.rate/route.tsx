import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { requireUser } from '~/core/auth.server';
import { readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { ratingSchema } from '~/features/projects/rating.schema.server';
import { rateProject } from '~/features/projects/ratings.server';
import { invariantResponse, numberParam } from '~/utils/misc';

/**
 * The project page's rating form posts here (the form is in app/features/projects/rating-form.tsx).
 * Every outcome goes back to the page's rating section with a toast, so it works without
 * JavaScript. A GET has nothing to show: it goes to the project.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  return redirect(`/competitions/${encodeURIComponent(params.slug ?? '')}/projects/${number}`);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { doc } = await requireCompetition({ request, params, context });
  const number = numberParam(params.number);
  const back = `/competitions/${doc.slug}/projects/${number}#rating`;
  const parsed = ratingSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return redirectWithToast(back, { type: 'error', key: `projects:rating.error.${parsed.error.issues[0]?.message ?? 'starsRequired'}` });
  const rated = await rateProject({ competitionId: String(doc._id), projectNumber: number, user, stars: parsed.data.stars, comment: parsed.data.comment });
  if (!rated.ok) {
    invariantResponse(rated.reason !== 'notFound', 'Not found', { status: 404 });
    return redirectWithToast(back, { type: 'error', key: `projects:rating.error.${rated.reason}` });
  }
  return redirectWithToast(back, { type: 'success', key: 'projects:rating.thanks' });
}
