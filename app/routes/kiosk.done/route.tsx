import { data, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/core/i18n.server';
import { titleMeta } from '~/utils/meta';

export const handle = { i18n: ['common', 'kiosk'] };

const ACTS = ['ballot', 'proposal', 'need'] as const;
/** Seconds the "done" screen stays before the start screen comes back by itself. */
const BACK_TO_START_S = 15;

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/** "Done, signed out" (decision 032): shown after a completed act on a kiosk; nothing of the resident on it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const raw = new URL(request.url).searchParams.get('act');
  const act = ACTS.find((a) => a === raw) ?? null;
  return data({ title: await pageTitle(request, 'kiosk:done.title', ['kiosk', 'common']), act }, { headers: { 'Cache-Control': 'no-store' } });
}

export default function KioskDone() {
  const { t } = useTranslation(['kiosk', 'common']);
  const { act } = useLoaderData<typeof loader>();
  useEffect(() => {
    const timer = setTimeout(() => window.location.replace('/kiosk'), BACK_TO_START_S * 1000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="card mx-auto max-w-2xl space-y-4 text-center" role="status" data-testid="kiosk-done">
      <p className="text-6xl" aria-hidden="true">
        ✓
      </p>
      <h1 className="text-3xl font-bold">{t('done.title')}</h1>
      {act ? <p className="text-xl">{t(`done.act.${act}`)}</p> : null}
      <p className="text-xl">{t('done.signedOut')}</p>
      <Link to="/kiosk" replace className="btn-primary inline-block min-h-12 px-6 text-xl">
        {t('done.next')}
      </Link>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
