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

export const handle = { i18n: ['common', 'voting'] };

/** "My ballot": the receipt (ballot id and time) and what was chosen. Only the voter sees it. */
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
        <p className="card">
          {t('mine.none')}{' '}
          <Link to={`/competitions/${slug}/vote`} className="text-brand-800 underline">
            {t('ballot.title')}
          </Link>
        </p>
      ) : (
        <>
          <section className="card space-y-2" aria-labelledby="receipt-heading" data-testid="receipt">
            <h3 id="receipt-heading" className="font-semibold">
              {t('mine.receipt')}
            </h3>
            <p className="break-all">{t('mine.ballotId', { id: mine.receipt })}</p>
            <p>{t('mine.time', { time: formatDate(mine.submittedAt, language, { dateStyle: 'long', timeStyle: 'medium' }) })}</p>
            <p>{t('mine.channel', { channel: t(`channel.${mine.channel}`) })}</p>
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
        </>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
