import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser, requireUser } from '~/core/auth.server';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { getActivity } from '~/features/volunteers/activities.server';
import { placeText, SeatsLine, whenText } from '~/features/volunteers/activity-card';
import { signupOpen } from '~/features/volunteers/rules';
import { cancelSignup, signUp } from '~/features/volunteers/signups.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

/** What a signed-in viewer sees here (their own sign-up) is theirs: never kept by a shared cache. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

/**
 * An activity's page: what, when, where (community level), who organises it, seats left and the
 * waitlist's length. A volunteer signs up or cancels here; the team finds its manage page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  const user = await getOptionalUser(request, context);
  const [found, places, language] = await Promise.all([getActivity(number, user), listStreetsWithCommunities(), getLanguage(request, context)]);
  invariantResponse(found, 'Not found', { status: 404 });
  const now = new Date();
  return {
    title: `${found.activity.title} · ${fixedT(language, 'volunteers')('list.title')}`,
    ...found,
    places,
    open: signupOpen({ status: found.activity.status, startsAt: new Date(found.activity.startsAt), endsAt: new Date(found.activity.endsAt) }, now),
    ended: new Date(found.activity.endsAt).getTime() < now.getTime(),
    signedIn: Boolean(user),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const intent = (await readForm(request)).get('intent');
  const here = `/volunteers/${number}`;
  if (intent === 'cancel') {
    const done = await cancelSignup({ volunteerId: user.id, number });
    invariantResponse(done.ok || done.reason !== 'notFound', 'Not found', { status: 404 });
    return redirectWithToast(here, done.ok ? { type: 'success', key: 'volunteers:toast.signupCancelled' } : { type: 'error', key: `volunteers:toast.${done.reason}` });
  }
  const done = await signUp({ volunteerId: user.id, number });
  if (!done.ok) {
    invariantResponse(done.reason !== 'notFound', 'Not found', { status: 404 });
    if (done.reason === 'noProfile') return redirectWithToast(`/volunteers/profile?${new URLSearchParams({ redirectTo: here })}`, { type: 'error', key: 'volunteers:toast.noProfile' });
    return redirectWithToast(here, { type: 'error', key: `volunteers:toast.${done.reason}` });
  }
  return redirectWithToast(
    here,
    done.status === 'confirmed' ? { type: 'success', key: 'volunteers:toast.signedUp' } : { type: 'success', key: 'volunteers:toast.waitlisted', values: { position: done.position ?? 0 } },
  );
}

export default function ActivityPage() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { activity, mine, manages, places, open, ended, signedIn } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const active = mine && mine.status !== 'cancelled';
  return (
    <div className="space-y-4">
      <Link to="/volunteers" className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('activity.back')}
      </Link>
      <h1 className="text-2xl font-bold">{activity.title}</h1>
      <div className="card space-y-2 text-lg">
        <p className="text-stone-700">{t('activity.by', { name: activity.organiserName })}</p>
        <p><span aria-hidden="true">🕘</span> {whenText(activity.startsAt, activity.endsAt, language)}</p>
        <p><span aria-hidden="true">📍</span> {placeText(places, activity.streetId, activity.communityId, activity.place, language)}</p>
        {activity.skills.length ? <p>{t('activity.skills', { skills: activity.skills.map((s) => t(`skill.${s}`)).join('、') })}</p> : null}
        <SeatsLine activity={activity} language={language} />
        {activity.status === 'cancelled' && activity.cancelReason ? <p>{t('activity.cancelReason', { reason: activity.cancelReason })}</p> : null}
      </div>
      {activity.description ? <p className="card whitespace-pre-line leading-relaxed">{activity.description}</p> : null}
      {manages ? (
        <Link to={`/volunteers/${activity.number}/manage`} className="btn-secondary" data-testid="manage-link">
          {t('activity.manage')}
        </Link>
      ) : null}
      <section className="card space-y-3 border-brand-600 bg-brand-50" aria-labelledby="my-signup">
        <h2 id="my-signup" className="text-lg font-semibold">
          {t('activity.yourPlace')}
        </h2>
        {active ? (
          <p className="text-lg font-semibold" data-testid="my-status">
            {mine.status === 'confirmed'
              ? mine.checkedIn
                ? t('activity.checkedIn')
                : t('activity.confirmed')
              : t('activity.waitlisted', { position: mine.position ?? 0 })}
          </p>
        ) : null}
        {activity.status === 'cancelled' ? null : ended ? (
          <p>{t('activity.ended')}</p>
        ) : !signedIn ? (
          <Link to={`/login?${new URLSearchParams({ redirectTo: `/volunteers/${activity.number}` })}`} className="btn-primary">
            {t('activity.signInToJoin')}
          </Link>
        ) : active ? (
          mine.checkedIn ? null : (
            <Form method="post">
              <button type="submit" name="intent" value="cancel" className="btn-secondary">
                {t('activity.cancel')}
              </button>
            </Form>
          )
        ) : open ? (
          <Form method="post">
            <p className="mb-3">{t('activity.promise')}</p>
            <button type="submit" name="intent" value="signup" className="btn-primary min-h-14 w-full text-xl" data-testid="sign-up">
              {activity.left > 0 ? t('activity.signUp') : t('activity.joinWaitlist')}
            </button>
          </Form>
        ) : (
          <p>{t('activity.closed')}</p>
        )}
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
