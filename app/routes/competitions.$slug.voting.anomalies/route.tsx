import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { VotingAdminNav } from '~/features/voting/voting';
import { pageTitle } from '~/core/i18n.server';
import { anomalies } from '~/features/voting/tally.server';
import { verifierAnomalies } from '~/features/voting/residency-anomalies.server';
import { kioskAnomalies } from '~/features/voting/kiosk-anomalies.server';
import { getLanguage } from '~/core/i18n.server';
import { formatDate, formatNumber, formatPercent } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { votingContext } from '~/features/voting/voting.server';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'voting'] };

/** Patterns worth a second look; nothing here is proof of anything. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const language = await getLanguage(request, context);
  const [found, verifiers, kiosks, title] = await Promise.all([anomalies(ctx.id), verifierAnomalies(ctx), kioskAnomalies(ctx.id, language), pageTitle(request, 'voting:anomalies.title', ['voting', 'common'])]);
  return { title, slug: ctx.slug, ...found, ...verifiers, ...kiosks };
}

type Row = { key: string; label: string; count: number; from: string; to: string };

export default function AnomaliesPage() {
  const { t } = useTranslation(['voting', 'common']);
  const data = useLoaderData<typeof loader>();
  const language = useLanguage();
  const time = (iso: string) => formatDate(iso, language, { dateStyle: 'short', timeStyle: 'short' });
  const section = (key: 'byIp' | 'byDevice' | 'byWorker' | 'codeBursts', rows: Row[]) => (
    <section key={key} className="card space-y-2" data-testid={`anomalies-${key}`}>
      <h3 className="font-semibold">{t(`anomalies.${key}`)}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-stone-600">{t('anomalies.none')}</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {rows.map((r) => (
            <li key={r.key}>
              <span className="font-mono">{r.label}</span> · {t('anomalies.line', { count: r.count, from: time(r.from), to: time(r.to) })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('anomalies.title')}</h2>
      <VotingAdminNav slug={data.slug} />
      <p className="text-stone-600">{t('anomalies.intro', { minutes: data.windowMinutes, threshold: data.threshold })}</p>
      {section('byIp', data.byIp)}
      {section('byDevice', data.byDevice)}
      {section('byWorker', data.byWorker)}
      <section className="card space-y-2">
        <h3 className="font-semibold">{t('anomalies.workerTotals')}</h3>
        {data.workerTotals.length === 0 ? (
          <p className="text-sm text-stone-600">{t('anomalies.none')}</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {data.workerTotals.map((w) => (
              <li key={w.name}>
                {w.name}: {w.count}
              </li>
            ))}
          </ul>
        )}
      </section>
      {section('codeBursts', data.codeBursts)}
      <section className="card space-y-2" data-testid="anomalies-byKiosk">
        <h3 className="font-semibold">{t('anomalies.byKiosk')}</h3>
        <p className="text-sm text-stone-600">{t('anomalies.kioskIntro', { threshold: data.kioskThreshold, count: data.kioskBallots })}</p>
        {data.kioskHours.length === 0 ? (
          <p className="text-sm text-stone-600">{t('anomalies.none')}</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {data.kioskHours.map((k) => (
              <li key={k.key} className={k.flagged ? 'font-semibold text-red-800' : undefined} data-flagged={k.flagged ? 'true' : undefined}>
                {k.kiosk}
                {k.street ? ` (${k.street})` : ''} · {t('anomalies.kioskLine', { count: k.count, hour: time(k.hour) })}
                {k.flagged ? <> · {t('anomalies.kioskFlag')}</> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card space-y-2" data-testid="anomalies-byVerifier">
        <h3 className="font-semibold">{t('anomalies.byVerifier')}</h3>
        <p className="text-sm text-stone-600">{t('anomalies.verifierIntro', { minutes: data.verifierWindowMinutes, threshold: data.verifierThreshold, ballots: data.countedBallots })}</p>
        {data.verifiers.length === 0 ? (
          <p className="text-sm text-stone-600">{t('anomalies.none')}</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {data.verifiers.map((v) => (
              <li key={v.key} className={v.burst ? 'font-semibold text-red-800' : undefined}>
                <span className={v.kind === 'batch' ? 'font-mono' : undefined}>
                  {v.kind === 'user' ? v.label : v.kind === 'batch' ? t('anomalies.verifierBatch', { batch: v.label }) : t('anomalies.verifierUnknown')}
                </span>{' '}
                ·{' '}
                {t('anomalies.verifierLine', {
                  verifications: v.verifications,
                  ballots: v.ballots,
                  share: formatPercent(v.share, language),
                })}
                {v.burst ? <> · {t('anomalies.verifierBurst', { count: v.burst.count, from: time(v.burst.from), to: time(v.burst.to) })}</> : null}
              </li>
            ))}
          </ul>
        )}
        {data.verifierTotal > data.verifiers.length ? (
          <p className="text-sm text-stone-600">{t('anomalies.verifierMore', { shown: formatNumber(data.verifiers.length, language), total: formatNumber(data.verifierTotal, language) })}</p>
        ) : null}
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
