import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { deliverWish, releaseClaim } from '~/features/wishes/claims.server';
import { DELIVERY_NOTE_MAX, MAX_OPEN_CLAIMS } from '~/features/wishes/rules';
import { WishStatusBadge } from '~/features/wishes/status-badge';
import { mineActionSchema, pageSchema } from '~/features/wishes/wish.schema.server';
import { ChildLine } from '~/features/wishes/wish-card';
import { listMyClaims } from '~/features/wishes/wishes.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'wishes'] };

/**
 * "My claimed wishes": the ones still to bring (with the date promised), delivered and confirmed.
 * Only the claimer marks a wish delivered or gives it back; the services' filters name the
 * claimer, so another person's number changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { page } = pageSchema.parse({ page: new URL(request.url).searchParams.get('page') ?? '1' });
  const [list, title] = await Promise.all([listMyClaims(user.id, page), pageTitle(request, 'wishes:mine.title', ['wishes', 'common'])]);
  return { title, page, ...list };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = mineActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const message = parsed.error.issues.find((issue) => issue.path[0] === 'note')?.message ?? 'notFound';
    return redirectWithToast('/wishes/mine', { type: 'error', key: `wishes:toast.${message === 'noteTooLong' ? 'noteTooLong' : 'notYours'}` });
  }
  const { number } = parsed.data;
  const done =
    parsed.data.intent === 'deliver'
      ? await deliverWish({ claimerId: user.id, number, note: parsed.data.note, ip: clientIp(request) })
      : await releaseClaim({ claimerId: user.id, number, ip: clientIp(request) });
  if (!done.ok) return redirectWithToast('/wishes/mine', { type: 'error', key: `wishes:toast.${done.reason}` });
  return redirectWithToast(`/wishes/mine#wish-${number}`, { type: 'success', key: parsed.data.intent === 'deliver' ? 'wishes:toast.delivered' : 'wishes:toast.released', values: { number } });
}

export default function MyWishes() {
  const { t } = useTranslation(['wishes', 'common']);
  const { claims, total, open, page, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const date = (iso: string) => formatDate(iso, language, { dateStyle: 'long' });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('mine.title')}</h1>
      <p className="text-stone-700">{t('mine.intro', { open, max: MAX_OPEN_CLAIMS })}</p>
      {total === 0 ? (
        <EmptyState title={t('mine.empty')} next={t('mine.emptyNext')} action={{ to: '/wishes', label: t('mine.toWall') }} />
      ) : (
        <ul className="space-y-3" aria-label={t('mine.listLabel')}>
          {claims.map((wish) => (
            <li key={wish.number} id={`wish-${wish.number}`} className="card space-y-3" data-testid="my-wish">
              <div className="flex flex-wrap items-center gap-2">
                <WishStatusBadge status={wish.status} />
                <span className="text-stone-600">{t('card.number', { number: wish.number })}</span>
              </div>
              <Link to={`/wishes/${wish.number}`} className="block min-h-11 text-xl font-bold text-brand-800 underline-offset-2 hover:underline">
                {wish.title}
              </Link>
              <ChildLine wish={wish} language={language} />
              <p className="text-stone-700">
                {t('card.value', { value: formatMoney(wish.valueFen, language) })} · {wish.displayName ? t('mine.shownAs', { name: wish.displayName }) : t('mine.shownAnonymously')}
              </p>
              {wish.status === 'claimed' ? (
                <>
                  <p className="font-semibold">{t('mine.due', { date: date(wish.dueAt) })}</p>
                  <p className="text-stone-700">{t('mine.howToDeliver')}</p>
                  <Form method="post" className="space-y-2">
                    <input type="hidden" name="number" value={wish.number} />
                    <label htmlFor={`note-${wish.number}`} className="block font-medium">
                      {t('mine.note')}
                    </label>
                    <textarea id={`note-${wish.number}`} name="note" rows={2} maxLength={DELIVERY_NOTE_MAX} className="input" />
                    <div className="flex flex-wrap gap-3">
                      <button type="submit" name="intent" value="deliver" className="btn-primary min-h-12 text-lg">
                        {t('mine.deliver')}
                      </button>
                      <button type="submit" name="intent" value="release" className="btn-secondary">
                        {t('mine.release')}
                      </button>
                    </div>
                  </Form>
                </>
              ) : null}
              {wish.status === 'delivered' && wish.deliveredAt ? <p>{t('mine.waitingConfirmation', { date: date(wish.deliveredAt) })}</p> : null}
              {wish.status === 'confirmed' && wish.confirmedAt ? <p className="font-semibold text-emerald-800">{t('mine.confirmed', { date: date(wish.confirmedAt) })}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
