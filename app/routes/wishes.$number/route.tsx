import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser } from '~/core/auth.server';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { childDisplay, DELIVER_WITHIN_DAYS } from '~/features/wishes/rules';
import { WishStatusBadge } from '~/features/wishes/status-badge';
import { ChildLine } from '~/features/wishes/wish-card';
import { getWish, worksInArea } from '~/features/wishes/wishes.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'wishes'] };

/**
 * One wish: what the child wishes for, the child as one character, an age and a community, its
 * value and status, who claimed it as they chose to be shown. The big 认领 button (the second of
 * three taps) leads to the claim step, through sign-in for a visitor. A withdrawn wish exists only
 * for the workers of its area. Nobody's account, id or phone is on this page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  const [found, viewer, language] = await Promise.all([getWish(number), getOptionalUser(request, context), getLanguage(request, context)]);
  invariantResponse(found, 'Not found', { status: 404 });
  const worker = Boolean(viewer && worksInArea(viewer.roles, found.access));
  invariantResponse(found.view.status !== 'withdrawn' || worker, 'Not found', { status: 404 });
  const t = fixedT(language, ['wishes', 'common']);
  return {
    title: `${found.view.title} · ${childDisplay(found.view.child, language)} · ${t('wall.title')}`,
    wish: found.view,
    mine: Boolean(viewer && found.access.claimerId === viewer.id),
    worker,
  };
}

export default function WishPage() {
  const { t } = useTranslation(['wishes', 'common']);
  const { wish, mine, worker } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const date = (iso: string) => formatDate(iso, language, { dateStyle: 'long' });
  return (
    <article className="space-y-4">
      <Link to="/wishes" className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('detail.back')}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <WishStatusBadge status={wish.status} />
        <span className="rounded-full bg-amber-100 px-3 py-1 text-sm font-semibold text-amber-900">{t(`kind.${wish.kind}`)}</span>
        <span className="text-stone-600">{t('card.number', { number: wish.number })}</span>
      </div>
      <h1 className="text-2xl font-bold">{wish.title}</h1>
      <div className="card space-y-3">
        <ChildLine wish={wish} language={language} />
        {wish.description ? <p className="whitespace-pre-line text-lg leading-relaxed">{wish.description}</p> : null}
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-stone-600">{t('detail.value')}</dt>
          <dd className="font-semibold">{formatMoney(wish.valueFen, language)}</dd>
          <dt className="text-stone-600">{t('detail.registered')}</dt>
          <dd>{date(wish.createdAt)}</dd>
        </dl>
      </div>
      {wish.status === 'open' ? (
        <div className="space-y-2">
          <Link to={`/wishes/${wish.number}/claim`} className="btn-primary min-h-14 w-full text-xl" data-testid="claim-button">
            {t('detail.claim')}
          </Link>
          <p className="text-stone-700">{t('detail.claimHint', { days: DELIVER_WITHIN_DAYS })}</p>
        </div>
      ) : null}
      {wish.claim ? (
        <section className="card space-y-2" aria-labelledby="wish-claim">
          <h2 id="wish-claim" className="text-lg font-semibold">
            {t('detail.claimTitle')}
          </h2>
          <p>{wish.claim.displayName ? t('detail.claimedBy', { name: wish.claim.displayName }) : t('detail.claimedAnonymously')}</p>
          <p className="text-stone-600">{t('detail.claimedOn', { date: date(wish.claim.at) })}</p>
          {wish.deliveredAt ? <p>{t('detail.deliveredOn', { date: date(wish.deliveredAt) })}</p> : null}
          {wish.confirmedAt ? <p className="font-semibold text-emerald-800">{t('detail.confirmedOn', { date: date(wish.confirmedAt) })}</p> : null}
          {mine && wish.status === 'claimed' ? (
            <p>
              {t('detail.mineDue', { date: date(wish.claim.dueAt) })}{' '}
              <Link to="/wishes/mine" className="font-semibold text-brand-700 underline">
                {t('detail.toMine')}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
      {wish.photo ? (
        <figure className="card space-y-2">
          <img src={`/uploads/${wish.photo.fileId}?size=thumb`} alt={t('detail.photoAlt', { title: wish.title })} className="w-full rounded-lg" loading="lazy" />
          <figcaption className="text-sm text-stone-600">{t('detail.photoCaption')}</figcaption>
        </figure>
      ) : null}
      {worker ? (
        <Link to={`/wishes/${wish.number}/manage`} className="btn-secondary">
          {t('detail.manage')}
        </Link>
      ) : null}
      <p className="text-sm text-stone-600">{t('wall.privacy')}</p>
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
