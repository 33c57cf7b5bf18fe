import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { confirmedField } from '~/core/confirm.schema';
import { pageTitle } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { parseUploadForm, uploadedFile } from '~/core/uploads.server';
import { PledgeStatusBadge, pledgeWhat } from '~/features/resources/pledge-list';
import { deliverySchema, withdrawSchema } from '~/features/resources/pledge.schema';
import { deliverPledge, loadPledge, pledgeActor, withdrawPledge } from '~/features/resources/pledges.server';
import { dateInputValue, isOverdue, mayConfirmDelivery, mayWithdraw, maySeeReceipt, PLEDGE_NOTE_MAX } from '~/features/resources/rules';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'resources'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

const ERROR_KEYS = ['resources:error.', 'confirmDialog.errors.', 'validation.'] as const;

/**
 * One pledge, for its project's team, the committee (and district staff) and the person who
 * offered it (404 to anyone else, as for a pledge that does not exist): the delivery record
 * with its private receipt, and the two irreversible acts, each asked first: confirm the
 * delivery (team or committee) or withdraw the promise (also the pledger), only while pledged.
 */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const loaded = await loadPledge(numberParam(args.params.number));
  invariantResponse(loaded, 'Not found', { status: 404 });
  const actor = pledgeActor(user, loaded);
  invariantResponse(actor.team || actor.committee || actor.pledger, 'Not found', { status: 404 });
  return { user, loaded, actor };
}

export async function loader(args: LoaderFunctionArgs) {
  const { loaded, actor } = await guard(args);
  const { pledge, project, partner } = loaded;
  const title = await pageTitle(args.request, 'resources:pledge.title', ['resources', 'common']);
  const pledged = pledge.status === 'pledged';
  return {
    title: `#${pledge.number} · ${title}`,
    pledge: {
      number: pledge.number,
      partnerName: partner?.name ?? '',
      partnerKind: pledge.partnerKind,
      showName: pledge.showName,
      kind: pledge.kind,
      status: pledge.status,
      item: pledge.item ?? '',
      quantity: pledge.quantity ?? 0,
      unit: pledge.unit ?? '',
      valueFen: pledge.valueFen,
      dueAt: pledge.dueAt.toISOString(),
      note: pledge.note,
      overdue: isOverdue(pledge),
      delivery: pledge.delivery
        ? {
            at: pledge.delivery.at.toISOString(),
            note: pledge.delivery.note,
            receiptFileId: maySeeReceipt(actor) ? (pledge.delivery.receiptFileId ?? null) : null,
          }
        : null,
      withdrawnAt: pledge.withdrawnAt ? pledge.withdrawnAt.toISOString() : null,
      withdrawReason: pledge.withdrawReason ?? '',
    },
    target: project && loaded.competitionSlug ? { type: 'project' as const, href: `/competitions/${loaded.competitionSlug}/projects/${project.number}`, title: project.title } : { type: 'need' as const, href: `/needs/${loaded.needNumber}`, title: String(loaded.needNumber) },
    mayDeliver: pledged && mayConfirmDelivery(actor),
    mayWithdraw: pledged && mayWithdraw(actor),
    today: dateInputValue(new Date()),
  };
}

type Reply = { intent: 'deliver' | 'withdraw'; errors: Partial<Record<string, string[]>>; typed: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { user, loaded } = await guard(args);
  const number = loaded.pledge.number;
  const back = `/resources/pledges/${number}`;
  const upload = await parseUploadForm(args.request, { maxFiles: 1 });
  if (!upload.ok) return data<Reply>({ intent: 'deliver', errors: { form: [upload.reason] }, typed: {} }, { status: 400 });
  const form = upload.formData;
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const intent = fields.intent === 'withdraw' ? 'withdraw' : 'deliver';
  const typed = { note: (fields.note ?? '').slice(0, PLEDGE_NOTE_MAX), reason: (fields.reason ?? '').slice(0, PLEDGE_NOTE_MAX), deliveredOn: (fields.deliveredOn ?? '').slice(0, 10) };
  const schema = intent === 'deliver' ? deliverySchema.extend({ confirm: confirmedField }) : withdrawSchema.extend({ confirm: confirmedField });
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    const errors: Reply['errors'] = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    return data<Reply>({ intent, errors, typed }, { status: 400 });
  }
  const ip = clientIp(args.request);
  const moved =
    intent === 'deliver'
      ? await deliverPledge({ user, number, deliveredOn: (parsed.data as { deliveredOn: Date }).deliveredOn, note: (parsed.data as { note: string }).note, receipt: await uploadedFile(form, 'receipt'), ip })
      : await withdrawPledge({ user, number, reason: (parsed.data as { reason: string }).reason, ip });
  if (!moved.ok) {
    if (moved.reason === 'forbidden') throw new Response('Forbidden', { status: 403 });
    invariantResponse(moved.reason !== 'notFound', 'Not found', { status: 404 });
    return data<Reply>({ intent, errors: { form: [moved.reason] }, typed }, { status: moved.reason === 'wrongStatus' ? 409 : 400 });
  }
  return redirectWithToast(back, { type: 'success', key: intent === 'deliver' ? 'resources:toast.delivered' : 'resources:toast.withdrawn', values: { number } });
}

export default function PledgePage() {
  const { t } = useTranslation(['resources', 'common']);
  const { pledge, target, mayDeliver, mayWithdraw: withdrawable, today } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  const date = (iso: string) => formatDate(iso, language, { dateStyle: 'long' });
  const errorsFor = (intent: 'deliver' | 'withdraw') => (answer?.intent === intent ? answer.errors : {});
  const typedFor = (intent: 'deliver' | 'withdraw') => (answer?.intent === intent ? answer.typed : {}) as Record<string, string | undefined>;
  return (
    <div className="space-y-4">
      <Link to={target.href} className="inline-flex min-h-11 items-center text-brand-800 underline">
        ← {target.type === 'project' ? target.title : t('pledge.need', { number: target.title })}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <PledgeStatusBadge status={pledge.status} overdue={pledge.overdue} />
        <span className="text-stone-600">{t('pledge.number', { number: pledge.number })}</span>
      </div>
      <h2 className="text-2xl font-bold">{pledgeWhat(pledge, language, t)}</h2>
      <dl className="card grid gap-3 sm:grid-cols-2">
        <div>
          <dt className="text-stone-600">{t('pledge.from')}</dt>
          <dd className="font-semibold">
            {pledge.partnerName} · {t(`partnerKind.${pledge.partnerKind}`)}
            {pledge.partnerKind === 'individual' ? <span className="block font-normal text-stone-700">{pledge.showName ? t('pledge.named') : t('pledge.anonymousPublic')}</span> : null}
          </dd>
        </div>
        <div>
          <dt className="text-stone-600">{t('pledge.due')}</dt>
          <dd className="font-semibold">{date(pledge.dueAt)}</dd>
        </div>
        {pledge.note ? (
          <div className="sm:col-span-2">
            <dt className="text-stone-600">{t('form.note')}</dt>
            <dd className="whitespace-pre-line">{pledge.note}</dd>
          </div>
        ) : null}
        {pledge.delivery ? (
          <div className="sm:col-span-2 space-y-2">
            <dt className="text-stone-600">{t('pledge.delivery')}</dt>
            <dd>
              <p className="font-semibold text-emerald-900">{t('deliveredOn', { date: date(pledge.delivery.at) })}</p>
              {pledge.delivery.note ? <p className="whitespace-pre-line">{pledge.delivery.note}</p> : null}
              {pledge.delivery.receiptFileId ? (
                <a href={`/uploads/${pledge.delivery.receiptFileId}`} className="mt-2 inline-block min-h-11 underline">
                  <img src={`/uploads/${pledge.delivery.receiptFileId}?size=thumb`} alt={t('pledge.receiptAlt')} className="max-h-48 rounded border border-stone-200" />
                  <span className="block">{t('pledge.receiptOpen')}</span>
                </a>
              ) : null}
            </dd>
          </div>
        ) : null}
        {pledge.withdrawnAt ? (
          <div className="sm:col-span-2">
            <dt className="text-stone-600">{t('pledge.withdrawn')}</dt>
            <dd>{t('pledge.withdrawnOn', { date: date(pledge.withdrawnAt), reason: pledge.withdrawReason })}</dd>
          </div>
        ) : null}
      </dl>
      {mayDeliver ? (
        <Form method="post" encType="multipart/form-data" className="card space-y-3" aria-labelledby="deliver-title">
          <h3 id="deliver-title" className="text-lg font-semibold">
            {t('deliver.title')}
          </h3>
          <p className="text-stone-700">{t('deliver.intro')}</p>
          <div>
            <label htmlFor="deliver-on" className="mb-1 block font-medium">
              {t('deliver.on')}
            </label>
            <input id="deliver-on" name="deliveredOn" type="date" className="input" max={today} defaultValue={typedFor('deliver').deliveredOn || today} />
            <ErrorList errors={errorsFor('deliver').deliveredOn} keyPrefixes={ERROR_KEYS} />
          </div>
          <div>
            <label htmlFor="deliver-note" className="mb-1 block font-medium">
              {t('deliver.note')}
            </label>
            <textarea id="deliver-note" name="note" rows={2} maxLength={PLEDGE_NOTE_MAX} className="input" defaultValue={typedFor('deliver').note ?? ''} />
          </div>
          <div>
            <label htmlFor="deliver-receipt" className="mb-1 block font-medium">
              {t('deliver.receipt')}
            </label>
            <input id="deliver-receipt" type="file" name="receipt" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} aria-describedby="deliver-receipt-help" />
            <p id="deliver-receipt-help" className="mt-1 text-stone-700">
              {t('deliver.receiptHelp')}
            </p>
          </div>
          <ErrorList errors={errorsFor('deliver').form} keyPrefixes={ERROR_KEYS} />
          <ConfirmStep act="deliverPledge" values={{ number: pledge.number }} errors={errorsFor('deliver').confirm} />
          <SubmitButton pending="uploading" name="intent" value="deliver" className="btn-primary min-h-12 text-lg">
            {t('deliver.submit')}
          </SubmitButton>
        </Form>
      ) : null}
      {withdrawable ? (
        <Form method="post" encType="multipart/form-data" className="card space-y-3" aria-labelledby="withdraw-title">
          <h3 id="withdraw-title" className="text-lg font-semibold">
            {t('withdraw.title')}
          </h3>
          <div>
            <label htmlFor="withdraw-reason" className="mb-1 block font-medium">
              {t('withdraw.reason')}
            </label>
            <textarea id="withdraw-reason" name="reason" rows={2} maxLength={PLEDGE_NOTE_MAX} className="input" defaultValue={typedFor('withdraw').reason ?? ''} />
            <ErrorList errors={errorsFor('withdraw').reason} keyPrefixes={ERROR_KEYS} />
          </div>
          <ErrorList errors={errorsFor('withdraw').form} keyPrefixes={ERROR_KEYS} />
          <ConfirmStep act="withdrawPledge" values={{ number: pledge.number }} errors={errorsFor('withdraw').confirm} />
          <SubmitButton name="intent" value="withdraw" className="btn-danger">
            {t('withdraw.submit')}
          </SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
