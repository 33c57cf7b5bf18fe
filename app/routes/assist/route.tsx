import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList, Field, SelectField } from '~/components/forms';
import { offlineResidentSchema } from '~/features/accounts/assist.schema';
import { issueClaimCode, listAssistableResidents, mayAssistIn, registerOfflineResident } from '~/features/accounts/assist.server';
import { requirePermission } from '~/core/auth.server';
import { listCompetitions } from '~/features/competitions/competitions.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { toastCookie } from '~/core/toast.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'assist', 'auth'] };

/** Grid workers only; what they may do is then limited to their street or community. */
function requireGridWorker(request: Request) {
  return requirePermission(request, 'assist:open');
}

export async function loader({ request }: LoaderFunctionArgs) {
  const worker = await requireGridWorker(request);
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 50);
  const [residents, streets, competitions, title] = await Promise.all([
    listAssistableResidents(worker, q),
    listStreetsWithCommunities(),
    listCompetitions(),
    pageTitle(request, 'assist:title', ['assist', 'common']),
  ]);
  return {
    title,
    q,
    residents,
    // Only the communities this worker may act in.
    streets: streets
      .map((s) => ({ ...s, communities: s.communities.filter((c) => mayAssistIn(worker, { streetId: s.id, communityId: c.id })) }))
      .filter((s) => s.communities.length > 0),
    open: competitions.filter((c) => c.phase === 'submission').map((c) => ({ slug: c.slug, year: c.year, title: c.title })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const worker = await requireGridWorker(request);
  const formData = await readForm(request);
  if (formData.get('intent') === 'claimCode') {
    const field = formData.get('residentId');
    const residentId = typeof field === 'string' ? field : '';
    const issued = await issueClaimCode(worker, residentId, clientIp(request));
    if (!issued.ok) {
      return data({ intent: 'claimCode' as const, error: issued.reason, code: null, expiresAt: null, residentId: null, residentName: null }, { status: 400 });
    }
    return {
      intent: 'claimCode' as const,
      error: null,
      code: issued.code,
      expiresAt: issued.expiresAt.toISOString(),
      residentId,
      residentName: issued.residentName,
    };
  }
  const submission = parseWithZod(formData, { schema: offlineResidentSchema });
  if (submission.status !== 'success') return data({ intent: 'register' as const, result: submission.reply() }, { status: 400 });
  const registered = await registerOfflineResident({ worker, ...submission.value, ip: clientIp(request) });
  if (!registered.ok) {
    const field = registered.reason === 'phoneTaken' ? 'phone' : 'communityId';
    return data({ intent: 'register' as const, result: submission.reply({ fieldErrors: { [field]: [registered.reason] } }) }, { status: 400 });
  }
  return data(
    { intent: 'register' as const, result: submission.reply({ resetForm: true }) },
    { headers: { 'Set-Cookie': await toastCookie({ type: 'success', key: 'assist:toast.registered', values: { name: submission.value.name } }) } },
  );
}

export default function AssistPage() {
  const { t } = useTranslation(['assist', 'auth', 'common']);
  const { q, residents, streets, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'offline-resident',
    lastResult: actionData?.intent === 'register' ? actionData.result : undefined,
    defaultValue: { communityId: '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offlineResidentSchema }),
    shouldValidate: 'onBlur',
  });
  const claim = actionData?.intent === 'claimCode' ? actionData : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p className="text-stone-600">{t('intro')}</p>

      {claim?.code ? (
        <div className="rounded-xl border-2 border-brand-600 bg-brand-50 p-4" role="status">
          <p className="font-semibold">{t('claim.issued', { name: claim.residentName })}</p>
          <p className="my-2 font-mono text-3xl tracking-widest" data-testid="claim-code">
            {claim.code}
          </p>
          <p className="text-sm">{t('claim.handOver', { date: formatDate(claim.expiresAt, language, { dateStyle: 'long' }) })}</p>
        </div>
      ) : null}
      {claim?.error ? <ErrorList errors={[claim.error]} /> : null}

      <section className="card space-y-3" aria-labelledby="register-heading">
        <h2 id="register-heading" className="text-lg font-semibold">
          {t('register.title')}
        </h2>
        <p className="text-sm text-stone-600">{t('register.intro')}</p>
        <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-3 sm:items-end">
          <Field label={t('auth:fields.name')} meta={fields.name} inputProps={getInputProps(fields.name, { type: 'text' })} />
          <SelectField label={t('register.community')} meta={fields.communityId} selectProps={getSelectProps(fields.communityId)}>
            <option value="">{t('register.chooseCommunity')}</option>
            <CommunityOptions streets={streets} language={language} />
          </SelectField>
          <Field label={t('register.phone')} meta={fields.phone} inputProps={{ ...getInputProps(fields.phone, { type: 'tel' }), inputMode: 'tel' }} />
          <div className="sm:col-span-3">
            <ErrorList errors={form.errors} />
            <button type="submit" className="btn-primary">
              {t('register.submit')}
            </button>
          </div>
        </Form>
      </section>

      <section className="space-y-3" aria-labelledby="residents-heading">
        <h2 id="residents-heading" className="text-lg font-semibold">
          {t('residents.title')}
        </h2>
        <Form method="get" className="flex gap-2" role="search">
          <label htmlFor="q" className="sr-only">
            {t('residents.search')}
          </label>
          <input id="q" name="q" defaultValue={q} className="input" placeholder={t('residents.searchPlaceholder')} />
          <button type="submit" className="btn-secondary">
            {t('residents.search')}
          </button>
        </Form>
        {residents.length === 0 ? <p className="card text-stone-600">{t('residents.empty')}</p> : null}
        <ul className="space-y-2">
          {residents.map((r) => (
            <li key={r.id} className="card flex flex-wrap items-center justify-between gap-3">
              <div>
                <p className="font-semibold">{r.name}</p>
                <p className="text-sm text-stone-600">
                  {r.community ? pickText(r.community, language) : ''}
                  {r.phone ? ` · ${r.phone}` : ` · ${t('residents.noPhone')}`}
                  {r.hasPassword ? ` · ${t('residents.online')}` : ` · ${t('residents.offline')}`}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                {open.map((c) => (
                  <Link
                    key={c.slug}
                    to={`/competitions/${c.slug}/proposals/new?for=${r.id}`}
                    className="btn-primary"
                    title={pickText(c.title, language)}
                  >
                    {t('residents.propose', { year: c.year })}
                  </Link>
                ))}
                {r.registeredByMe && !r.hasPassword ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="claimCode" />
                    <input type="hidden" name="residentId" value={r.id} />
                    <button type="submit" className="btn-secondary">
                      {t('claim.issue')}
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
