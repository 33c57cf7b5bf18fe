import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SubmitButton } from '~/components/forms';
import { BallotPicker, BallotReview, VotingError } from '~/features/voting/voting';
import { ballotIntentSchema, choicesFrom, choicesFromSearch } from '~/features/voting/voting.schema.server';
import { visitorSeed } from '~/core/visitor.server';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { castBallot, deviceMark, reviewBallot, voterBallot, votingContext } from '~/features/voting/voting.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { votingOpen } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition } from '~/features/competitions/context.server';
import { ReadAloudButton } from '~/components/read-aloud';
import { finishKioskAct } from '~/features/accounts/kiosk.server';

export const handle = { i18n: ['common', 'voting'] };

/**
 * The resident's ballot: mobile first, works without JavaScript. The proposals come in the
 * visitor's random order, as on the list; `?choice=` pre-ticks boxes (the review's "change" link
 * and the way back from a proposal opened on the review).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }));
  const user = await requireUser(request);
  const title = await pageTitle(request, 'voting:ballot.title', ['voting', 'common']);
  const votingPhase = ctx.phases.find((p) => p.key === 'voting');
  const base = {
    title,
    slug: ctx.slug,
    open: votingOpen(ctx.phases, new Date()),
    closesAt: votingPhase ? votingPhase.endsAt.toISOString() : null,
    opensAt: votingPhase ? votingPhase.startsAt.toISOString() : null,
    rules: ctx.rules,
    carried: choicesFromSearch(new URL(request.url)),
  };
  const { seed, setCookie } = await visitorSeed(request);
  const headers = setCookie ? { 'Set-Cookie': setCookie } : undefined;
  const { standing, options, mine } = await voterBallot(ctx, user.id, { roles: user.roles, seed, withBallot: true });
  if (!standing.ok) return data({ ...base, refusal: standing.reason, options: [], mine: null }, { headers });
  return data({ ...base, refusal: null, options, mine }, { headers });
}

interface Review {
  items: { number: number; title: string; totalFen: number }[];
  totalFen: number;
  replaceAssisted: boolean;
}

/** What the action answers short of casting: a refusal with the choices kept, or the review. */
function answer(body: { reason: string | null; choices: number[]; review: Review | null }, init?: { status?: number; headers?: HeadersInit }) {
  return data(body, init);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }));
  const user = await requireUser(request);
  const form = await readForm(request);
  const choices = choicesFrom(form);
  const intent = ballotIntentSchema.safeParse(form.get('intent') ?? undefined);
  if (!choices || !intent.success) return answer({ reason: 'invalidForm', choices: [], review: null }, { status: 400 });
  // Replacing the ballot a grid worker entered is confirmed by a tick, with or without JavaScript.
  const replaceAssisted = form.get('replaceAssisted') === 'on';
  if (intent.data === 'review') {
    const { seed, setCookie } = await visitorSeed(request);
    const headers = setCookie ? { 'Set-Cookie': setCookie } : undefined;
    const review = await reviewBallot({ ctx, voterId: user.id, voterRoles: user.roles, choices, replaceAssisted, seed });
    if (!review.ok) return answer({ reason: review.reason, choices, review: null }, { status: 400, headers });
    return answer({ reason: null, choices, review: { items: review.items, totalFen: review.totalFen, replaceAssisted } }, { headers });
  }
  const result = await castBallot({ ctx, voterId: user.id, voterRoles: user.roles, choices, replaceAssisted, ip: clientIp(request), device: deviceMark(request), kiosk: user.kiosk });
  if (!result.ok) return answer({ reason: result.reason, choices, review: null }, { status: 400 });
  // On a kiosk the resident's turn ends with the ballot (decision 032).
  if (user.kiosk) return finishKioskAct({ request, user, act: 'ballot', targetType: 'Ballot', targetId: result.ballotId, ip: clientIp(request) });
  return redirectWithToast(`/competitions/${ctx.slug}/vote/mine`, { type: 'success', key: 'voting:toast.cast' });
}

export default function BallotPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { slug, open, closesAt, opensAt, rules, refusal, options, mine, carried } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const categoryName = (code: string) => pickText(competition?.categories.find((c) => c.code === code)?.name, language);
  const initial = actionData?.choices ?? (carried.length ? carried : (mine?.choices.map((c) => c.number) ?? []));
  const assisted = mine?.channel === 'assisted' && !mine.voided ? mine : null;
  const castLabel = assisted ? t('ballot.replace') : mine ? t('ballot.change') : t('ballot.submit');
  const review = actionData?.review ?? null;
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-2xl font-bold" data-read-aloud>
          {t('ballot.title')}
        </h2>
        <ReadAloudButton language={language} />
      </div>
      {closesAt && open ? <p className="text-stone-600">{t('ballot.closesAt', { date: formatDate(closesAt, language, { dateStyle: 'long', timeStyle: 'short' }) })}</p> : null}
      {!open ? (
        <p className="card text-stone-700">
          {opensAt && new Date(opensAt) > new Date() ? t('ballot.notYetOpen', { date: formatDate(opensAt, language, { dateStyle: 'long' }) }) : t('ballot.closed')}
        </p>
      ) : null}
      {!open || rules.publicTotals ? (
        <Link to={`/competitions/${slug}/vote/results`} className="inline-block text-brand-800 underline">
          {t('results.link')}
        </Link>
      ) : null}
      {refusal ? (
        <div className="card space-y-2">
          <VotingError reason={refusal} />
          {refusal === 'notVerified' ? (
            <Link to="/verify" className="btn-primary inline-block">
              {t('ballot.verifyFirst')}
            </Link>
          ) : null}
        </div>
      ) : null}
      {assisted ? (
        <div className="card space-y-2 border-2 border-amber-400 bg-amber-50" role="status" data-testid="assisted-notice">
          <p className="text-lg">{t('ballot.assistedEntered', { date: formatDate(assisted.submittedAt, language, { dateStyle: 'long' }), serial: assisted.serial ?? '' })}</p>
          {open ? <p>{t('ballot.assistedMayReplace')}</p> : null}
          <Link to={`/competitions/${slug}/vote/mine`} className="text-brand-800 underline">
            {t('mine.title')}
          </Link>
        </div>
      ) : mine ? (
        <p className="rounded-lg bg-stone-100 p-3 text-sm">
          {mine.voided
            ? t('ballot.voided')
            : mine.channel === 'paper'
              ? t('ballot.paperEntered', { date: formatDate(mine.submittedAt, language, { dateStyle: 'long' }), serial: mine.serial ?? '' })
              : t('ballot.alreadyVoted', { date: formatDate(mine.submittedAt, language, { dateStyle: 'medium', timeStyle: 'short' }) })}{' '}
          <Link to={`/competitions/${slug}/vote/mine`} className="text-brand-800 underline">
            {t('mine.title')}
          </Link>
        </p>
      ) : null}
      {open && !refusal && review ? (
        <BallotReview
          slug={slug}
          items={review.items}
          totalFen={review.totalFen}
          replaceAssisted={review.replaceAssisted}
          castLabel={castLabel}
          language={language}
        />
      ) : null}
      {open && !refusal && !review && (!mine || assisted || (mine.channel === 'online' && !mine.voided)) ? (
        <Form method="post" className="space-y-4">
          <p className="text-stone-700" data-read-aloud>
            {rules.method === 'approval'
              ? t('ballot.howApproval', { max: rules.maxChoices })
              : t('ballot.howBudget')}
          </p>
          <VotingError reason={actionData?.reason} />
          {options.length === 0 ? <p className="card">{t('ballot.noProposals')}</p> : null}
          <BallotPicker
            key={initial.join(',')}
            options={options.map((o) => ({ ...o, categoryName: categoryName(o.category) }))}
            method={rules.method}
            maxChoices={rules.maxChoices}
            ballotBudgetFen={rules.ballotBudgetFen}
            initial={initial}
            language={language}
            castLabel={castLabel}
          />
          {assisted ? (
            <label className="flex items-start gap-3 rounded-lg bg-amber-50 p-3 text-lg">
              <input type="checkbox" name="replaceAssisted" required className="mt-1 h-7 w-7 shrink-0" />
              <span>{t('ballot.replaceConfirm')}</span>
            </label>
          ) : null}
          <SubmitButton name="intent" value="review" className="btn-primary w-full py-3 text-lg">
            {t('ballot.toReview')}
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
