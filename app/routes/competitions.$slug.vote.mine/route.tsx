import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { getMyBallot, votingContext } from '~/features/voting/voting.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { votingOpen } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'voting'] };

/**
 * "My ballot": the receipt (a random code and the time), the serial of a paper or assisted
 * ballot, and what was chosen. Only the voter sees it; an assisted ballot may be replaced.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }));
  const user = await requireUser(request);
  const [mine, title] = await Promise.all([getMyBallot(ctx, user.id), pageTitle(request, 'voting:mine.title', ['voting', 'common'])]);
  return { title, slug: ctx.slug, mine, open: votingOpen(ctx.phases, new Date()) };
}

export default function MyBallotPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { slug, mine, open } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <h2 className="text-2xl font-bold">{t('mine.title')}</h2>
      {!mine ? (
        <EmptyState title={t('mine.none')} next={t(open ? 'mine.noneOpenNext' : 'mine.noneClosedNext')} action={open ? { to: `/competitions/${slug}/vote`, label: t('ballot.title') } : null} />
      ) : (
        <>
          <section className="card space-y-2" aria-labelledby="receipt-heading" data-testid="receipt">
            <h3 id="receipt-heading" className="font-semibold">
              {t('mine.receipt')}
            </h3>
            <p className="break-all">{t('mine.ballotId', { id: mine.receipt })}</p>
            <p>{t('mine.time', { time: formatDate(mine.submittedAt, language, { dateStyle: 'long', timeStyle: 'medium' }) })}</p>
            <p>{t('mine.channel', { channel: t(`channel.${mine.channel}`) })}</p>
            {mine.serial ? <p>{t('mine.serial', { serial: mine.serial })}</p> : null}
            {mine.replacedAssisted ? (
              <p>{t('mine.replaced', { serial: mine.replacedAssisted.serial, date: formatDate(mine.replacedAssisted.at, language, { dateStyle: 'long' }) })}</p>
            ) : null}
            {mine.voided ? <p className="field-error">{t('ballot.voided')}</p> : null}
          </section>
          <section className="card space-y-2">
            <h3 className="font-semibold">{t('mine.choices')}</h3>
            <ul className="list-disc space-y-1 pl-5">
              {mine.choices.map((c) => (
                <li key={c.number}>
                  #{c.number} {c.title} · {formatMoney(c.totalFen, language)}
                </li>
              ))}
            </ul>
            <p className="text-sm text-stone-600">{t('mine.total', { amount: formatMoney(mine.totalFen, language) })}</p>
          </section>
          {open && mine.channel === 'online' && !mine.voided ? (
            <Link to={`/competitions/${slug}/vote`} className="btn-secondary inline-block">
              {t('ballot.change')}
            </Link>
          ) : null}
          {mine.channel === 'assisted' && !mine.voided ? (
            <div className="card space-y-2 border-2 border-amber-400 bg-amber-50" data-testid="assisted-notice">
              <p className="text-lg">{t('ballot.assistedEntered', { date: formatDate(mine.submittedAt, language, { dateStyle: 'long' }), serial: mine.serial ?? '' })}</p>
              {open ? (
                <>
                  <p>{t('ballot.assistedMayReplace')}</p>
                  <Link to={`/competitions/${slug}/vote`} className="btn-primary inline-block py-3 text-lg">
                    {t('mine.replaceLink')}
                  </Link>
                </>
              ) : null}
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
