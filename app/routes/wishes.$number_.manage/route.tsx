import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { fixedT } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { parseUploadForm, uploadedFile } from '~/core/uploads.server';
import { requireWishWorker } from '~/features/wishes/access.server';
import { confirmWish, withdrawWish } from '~/features/wishes/registry.server';
import { canMove, childDisplay, WITHDRAW_REASON_MAX } from '~/features/wishes/rules';
import { WishStatusBadge } from '~/features/wishes/status-badge';
import { manageActionSchema } from '~/features/wishes/wish.schema.server';
import { ChildLine } from '~/features/wishes/wish-card';
import { getWish, workerDetails, worksInArea } from '~/features/wishes/wishes.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'wishes'] };

const ERROR_KEYS = ['wishes:error.', 'validation.'] as const;

/** The wish, for a worker of its area only (a worker elsewhere: 403; a wish that does not exist: 404). */
async function managedWish(request: Request, rawNumber: string | undefined) {
  const { user } = await requireWishWorker(request);
  const number = numberParam(rawNumber);
  const found = await getWish(number);
  invariantResponse(found, 'Not found', { status: 404 });
  if (!worksInArea(user.roles, found.access)) throw new Response('Forbidden: wish:register', { status: 403 });
  return { user, number, found };
}

/**
 * A worker's page for one wish of their area: who claimed it (account name, for the worker only),
 * the claimer's note, and the two irreversible acts, each asked first (with and without scripts):
 * confirm that the delivered wish reached the child (with an optional photo, public only with the
 * consent of the people in it), or withdraw an open or claimed wish with a reason.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, found } = await managedWish(request, params.number);
  const details = await workerDetails(found.access);
  const t = fixedT(user.language, ['wishes', 'common']);
  return {
    title: `${t('manageOne.title', { number: found.view.number })} · ${found.view.title}`,
    wish: found.view,
    details,
    selfClaimed: found.access.claimerId === user.id,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, number } = await managedWish(request, params.number);
  const back = `/wishes/${number}/manage`;
  const upload = await parseUploadForm(request, { maxFiles: 1 });
  if (!upload.ok) return redirectWithToast(back, { type: 'error', key: `wishes:toast.${upload.reason === 'tooLarge' ? 'tooLarge' : 'invalidForm'}` });
  const form = upload.formData;
  const fields = Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string'));
  const parsed = manageActionSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    const intent = fields.intent === 'withdraw' ? 'withdraw' : 'confirm';
    return data({ intent, errors, reason: typeof fields.reason === 'string' ? fields.reason.slice(0, WITHDRAW_REASON_MAX) : '' }, { status: 400 });
  }
  const ip = clientIp(request);
  if (parsed.data.intent === 'confirm') {
    const photo = await uploadedFile(form, 'photo');
    const confirmed = await confirmWish({ worker: user, number, photo, peopleConsent: parsed.data.peopleConsent === 'on', ip });
    if (!confirmed.ok) {
      if (confirmed.reason === 'forbidden') throw new Response('Forbidden: wish:register', { status: 403 });
      return redirectWithToast(back, { type: 'error', key: `wishes:toast.${confirmed.reason}` });
    }
    return redirectWithToast(back, { type: 'success', key: 'wishes:toast.confirmed', values: { number } });
  }
  const withdrawn = await withdrawWish({ worker: user, number, reason: parsed.data.reason, ip });
  if (!withdrawn.ok) {
    if (withdrawn.reason === 'forbidden') throw new Response('Forbidden: wish:register', { status: 403 });
    return redirectWithToast(back, { type: 'error', key: `wishes:toast.${withdrawn.reason}` });
  }
  return redirectWithToast('/wishes/manage', { type: 'success', key: 'wishes:toast.withdrawn', values: { number } });
}

export default function ManageWish() {
  const { t } = useTranslation(['wishes', 'common']);
  const { wish, details, selfClaimed } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  const date = (iso: string) => formatDate(iso, language, { dateStyle: 'long' });
  const errorsFor = (intent: 'confirm' | 'withdraw') => (answer?.intent === intent ? answer.errors : {});
  const name = childDisplay(wish.child, language);
  return (
    <div className="space-y-4">
      <Link to="/wishes/manage" className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('manage.title')}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <WishStatusBadge status={wish.status} />
        <span className="text-stone-600">{t('card.number', { number: wish.number })}</span>
      </div>
      <h1 className="text-2xl font-bold">{wish.title}</h1>
      <div className="card space-y-2">
        <ChildLine wish={wish} language={language} />
        {wish.description ? <p className="whitespace-pre-line">{wish.description}</p> : null}
        <p>{t('card.value', { value: formatMoney(wish.valueFen, language) })}</p>
        {wish.status !== 'withdrawn' ? (
          <Link to={`/wishes/${wish.number}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
            {t('manageOne.publicPage')}
          </Link>
        ) : null}
      </div>
      <section className="card space-y-2" aria-labelledby="manage-claim">
        <h2 id="manage-claim" className="text-lg font-semibold">
          {t('manageOne.claimTitle')}
        </h2>
        {wish.claim ? (
          <>
            <p>{t('manage.claimer', { name: details.claimerName ?? '—', shown: wish.claim.displayName || t('manage.anonymous') })}</p>
            <p className="text-stone-700">{t('detail.claimedOn', { date: date(wish.claim.at) })}</p>
            {wish.status === 'claimed' ? <p className="text-stone-700">{t('manage.due', { date: date(wish.claim.dueAt) })}</p> : null}
            {wish.deliveredAt ? <p>{t('detail.deliveredOn', { date: date(wish.deliveredAt) })}</p> : null}
            {details.deliveryNote ? <p className="rounded-lg bg-stone-100 p-3">{t('manageOne.note', { note: details.deliveryNote })}</p> : null}
            {wish.confirmedAt ? <p className="font-semibold text-emerald-800">{t('detail.confirmedOn', { date: date(wish.confirmedAt) })}</p> : null}
          </>
        ) : (
          <p className="text-stone-700">{t('manageOne.unclaimed')}</p>
        )}
        {details.releases > 0 ? <p className="text-stone-700">{t('manage.releases', { count: details.releases })}</p> : null}
        {details.withdrawnAt ? <p>{t('manageOne.withdrawn', { date: date(details.withdrawnAt), reason: details.withdrawReason })}</p> : null}
      </section>
      {canMove(wish.status, 'confirm') ? (
        selfClaimed ? (
          <p className="card border-amber-300 bg-amber-50">{t('manageOne.selfClaimed')}</p>
        ) : (
          <Form method="post" encType="multipart/form-data" className="card space-y-3" aria-labelledby="confirm-title">
            <h2 id="confirm-title" className="text-lg font-semibold">
              {t('manageOne.confirmTitle')}
            </h2>
            <p>{t('manageOne.confirmIntro', { name })}</p>
            <div>
              <label htmlFor="confirm-photo" className="mb-1 block font-medium">
                {t('manageOne.photo')}
              </label>
              <input id="confirm-photo" type="file" name="photo" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} aria-describedby="confirm-photo-help" />
              <p id="confirm-photo-help" className="mt-1 text-stone-700">
                {t('manageOne.photoHelp')}
              </p>
            </div>
            <label className="flex items-start gap-3">
              <input type="checkbox" name="peopleConsent" className="mt-1" />
              <span>{t('manageOne.peopleConsent')}</span>
            </label>
            <ConfirmStep act="confirmWish" values={{ number: wish.number, name, title: wish.title }} errors={errorsFor('confirm').confirm} />
            <SubmitButton pending="uploading" name="intent" value="confirm" className="btn-primary min-h-12 text-lg">
              {t('manageOne.confirm')}
            </SubmitButton>
          </Form>
        )
      ) : null}
      {canMove(wish.status, 'withdraw') ? (
        <Form method="post" encType="multipart/form-data" className="card space-y-3" aria-labelledby="withdraw-title">
          <h2 id="withdraw-title" className="text-lg font-semibold">
            {t('manageOne.withdrawTitle')}
          </h2>
          <div>
            <label htmlFor="withdraw-reason" className="mb-1 block font-medium">
              {t('manageOne.reason')}
            </label>
            <textarea
              id="withdraw-reason"
              name="reason"
              rows={2}
              maxLength={WITHDRAW_REASON_MAX}
              className="input"
              defaultValue={answer?.intent === 'withdraw' ? answer.reason : ''}
              aria-invalid={errorsFor('withdraw').reason ? true : undefined}
              aria-describedby={errorsFor('withdraw').reason ? 'withdraw-reason-error' : undefined}
            />
            <ErrorList id="withdraw-reason-error" errors={errorsFor('withdraw').reason} keyPrefixes={ERROR_KEYS} />
          </div>
          <ConfirmStep act="withdrawWish" values={{ number: wish.number, title: wish.title }} errors={errorsFor('withdraw').confirm} />
          <SubmitButton name="intent" value="withdraw" className="btn-danger">
            {t('manageOne.withdraw')}
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
