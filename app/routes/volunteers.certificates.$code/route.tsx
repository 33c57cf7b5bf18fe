import { data, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { hoursText } from '~/features/volunteers/activity-card';
import { verifyCertificate } from '~/features/volunteers/certificates.server';
import { formatCertificateCode, normalizeCertificateCode } from '~/features/volunteers/rules';
import { formatDate, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

/** Every answer counts against the asker's address: no cache may answer for the rate limit. */
export const headers: HeadersFunction = ({ loaderHeaders }) => ({ 'Cache-Control': loaderHeaders.get('Cache-Control') ?? 'private, no-store', 'X-Robots-Tag': 'noindex' });

/**
 * The public check of a certificate of service hours: the name's first character, the hours,
 * person-times, activities, period and date of issue, as printed. Nothing else about the person.
 * Look-ups are limited per address (20 in 10 minutes): 80-bit codes are not guessed, and not
 * walked through either.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = await getLanguage(request, context);
  const t = fixedT(language, 'volunteers');
  const found = await verifyCertificate(normalizeCertificateCode(params.code ?? ''), clientIp(request));
  const noStore = { 'Cache-Control': 'private, no-store' };
  if (!found.ok) return data({ title: t('verify.title'), certificate: null, reason: found.reason }, { status: found.reason === 'tooManyAttempts' ? 429 : 404, headers: noStore });
  return data({ title: t('verify.title'), certificate: found.certificate, reason: null }, { headers: noStore });
}

export default function VerifyCertificate() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { certificate, reason } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const day = (d: string) => formatDate(`${d}T12:00:00+08:00`, language, { dateStyle: 'long' });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('verify.title')}</h1>
      {certificate ? (
        <div className="card space-y-3 border-emerald-600 bg-emerald-50" data-testid="certificate">
          <p className="text-xl font-semibold text-emerald-900">✓ {t('verify.valid')}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-lg">
            <dt className="text-stone-600">{t('verify.code')}</dt>
            <dd className="font-mono">{formatCertificateCode(certificate.code)}</dd>
            <dt className="text-stone-600">{t('verify.name')}</dt>
            <dd>{certificate.name}</dd>
            <dt className="text-stone-600">{t('verify.hours')}</dt>
            <dd className="text-2xl font-bold" data-testid="verified-hours">
              {hoursText(certificate.minutes, language)}
            </dd>
            <dt className="text-stone-600">{t('verify.personTimes')}</dt>
            <dd>{formatNumber(certificate.personTimes, language)}</dd>
            <dt className="text-stone-600">{t('verify.activities')}</dt>
            <dd>{formatNumber(certificate.activities, language)}</dd>
            <dt className="text-stone-600">{t('verify.period')}</dt>
            <dd>
              {day(certificate.firstDay)} – {day(certificate.lastDay)}
            </dd>
            <dt className="text-stone-600">{t('verify.issued')}</dt>
            <dd>{formatDate(certificate.issuedAt, language, { dateStyle: 'long' })}</dd>
          </dl>
          <p className="text-stone-700">{t('verify.issuer')}</p>
        </div>
      ) : (
        <p className="card border-amber-300 bg-amber-50 text-lg" role="alert">
          {reason === 'tooManyAttempts' ? t('verify.tooMany') : t('verify.notFound')}
        </p>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
