import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { activityForCode, checkInWithCode } from '~/features/volunteers/signups.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';

export const handle = { i18n: ['common', 'volunteers'] };

/** The page's URL carries the check-in secret: no shared cache, no referrer. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });

const KEY_MAX = 64;

/**
 * Where the activity's QR code leads: a signed-in volunteer confirms with one tap (a GET never
 * checks anyone in). A wrong key is 404, as for no activity, so keys cannot be tried here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const number = numberParam(params.number);
  const key = (new URL(request.url).searchParams.get('key') ?? '').slice(0, KEY_MAX);
  const activity = await activityForCode(number, key);
  invariantResponse(activity, 'Not found', { status: 404 });
  return { title: await pageTitle(request, 'volunteers:checkIn.title', ['volunteers', 'common']), number, activityTitle: activity.title, key };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const typed = (await readForm(request)).get('key');
  const key = typeof typed === 'string' ? typed.slice(0, KEY_MAX) : '';
  const done = await checkInWithCode({ volunteerId: user.id, number, secret: key });
  invariantResponse(done.ok || done.reason !== 'badCode', 'Not found', { status: 404 });
  return redirectWithToast(`/volunteers/${number}`, done.ok ? { type: 'success', key: done.already ? 'volunteers:toast.alreadyCheckedIn' : 'volunteers:toast.checkInDone' } : { type: 'error', key: `volunteers:toast.${done.reason}` });
}

export default function CheckIn() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { number, activityTitle, key } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('checkIn.title')}</h1>
      <p className="card text-xl font-semibold text-brand-800">{activityTitle}</p>
      <Form method="post">
        <input type="hidden" name="key" value={key} />
        <button type="submit" className="btn-primary min-h-14 w-full text-xl" data-testid="check-in">
          {t('checkIn.submit')}
        </button>
      </Form>
      <Link to={`/volunteers/${number}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
        {t('checkIn.toActivity')}
      </Link>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
