import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** A friendly, translated page for any error; details only in development. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? 'notFound' : status === 403 ? 'forbidden' : status === 400 ? 'badRequest' : 'unexpected';
  return (
    <div className="card mx-auto max-w-xl text-center" role="alert">
      <p className="text-5xl font-bold text-brand-700">{status}</p>
      <h1 className="mt-2 text-xl font-semibold">{t(`errors.${key}.title`)}</h1>
      <p className="mt-2 text-stone-600">{t(`errors.${key}.body`)}</p>
      {process.env.NODE_ENV === 'development' && error instanceof Error ? (
        <pre className="mt-4 overflow-auto text-left text-xs text-red-700">{error.stack}</pre>
      ) : null}
      <Link to="/" className="btn-primary mt-6">
        {t('errors.backHome')}
      </Link>
    </div>
  );
}
