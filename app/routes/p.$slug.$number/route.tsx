import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { requireCompetition } from '~/features/competitions/context.server';
import { getProposalView } from '~/features/proposals/browse.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { invariantResponse, numberParam } from '~/utils/misc';

/**
 * The short address on a proposal's printed notice (`/p/<slug>/<number>`, decision 033): a
 * redirect to the proposal's page, built from the stored competition's slug and the parsed
 * number, never from the request's text, so it can only lead to this app's own page. An unknown
 * competition or a proposal that is not public is a 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const number = numberParam(params.number);
  invariantResponse(await getProposalView(rules, number, null), 'Not found', { status: 404 });
  return redirect(`/competitions/${encodeURIComponent(rules.slug)}/proposals/${number}`, 301);
}
