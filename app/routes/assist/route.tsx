import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList, Field, SelectField } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { ClaimCodeDialog, ClaimSlip, type IssuedClaim } from './claim-slip';
import printStyles from './print.css';
import { offlineResidentSchema } from '~/features/accounts/assist.schema';
import { issueClaimCode, listAssistableResidents, mayAssistIn, registerOfflineResident } from '~/features/accounts/assist.server';
import { requirePermission } from '~/core/auth.server';
import { listCompetitions } from '~/features/competitions/competitions.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { i18next, pageTitle } from '~/core/i18n.server';
import { clientIp, publicUrl, readForm } from '~/core/request.server';
import { toastCookie } from '~/core/toast.server';
import { formatDate } from '~/utils/format';
import { pickText, type Language } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'assist', 'auth'] };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printStyles }];

/**
 * Nothing here is stored by the browser or a proxy: the list holds residents' numbers, and an
 * action's answer may hold a claim code, which is shown once and never again (not on reload,
 * not on going back).
 */
const NO_STORE = { 'Cache-Control': 'no-store' };
export const headers: HeadersFunction = () => NO_STORE;

/** Grid workers only; what they may do is then limited to their street or community. */
function requireGridWorker(request: Request) {
  return requirePermission(request, 'assist:open');
}

export async function loader({ request }: LoaderFunctionArgs) {
  const worker = await requireGridWorker(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 50);
  const [list, streets, competitions, title] = await Promise.all([
    listAssistableResidents(worker, { query: q, page: Number(url.searchParams.get('page') ?? 1) }),
    listStreetsWithCommunities(),
    listCompetitions(),
    pageTitle(request, 'assist:title', ['assist', 'common']),
  ]);
  const body = {
    title,
    q,
    residents: list.residents,
    page: list.page,
    pages: list.pages,
    total: list.total,
    // Only the communities this worker may act in.
    streets: streets
      .map((s) => ({ ...s, communities: s.communities.filter((c) => mayAssistIn(worker, { streetId: s.id, communityId: c.id })) }))
      .filter((s) => s.communities.length > 0),
    open: competitions.filter((c) => c.phase === 'submission').map((c) => ({ slug: c.slug, year: c.year, title: c.title })),
  };
  return data(body, { headers: NO_STORE });
}

/**
 * The printed slip the resident takes home, always in Chinese whatever the worker's language:
 * the code, for whom, until when, and where to use it.
 */
async function slipFor(issued: { code: string; expiresAt: Date; residentName: string; residentHint: string }): Promise<IssuedClaim> {
  const zh = await i18next.getFixedT('zh' satisfies Language, 'assist');
  const until = formatDate(issued.expiresAt, 'zh', { dateStyle: 'long', timeStyle: 'short' });
  return {
    code: issued.code,
    expiresAt: issued.expiresAt.toISOString(),
    residentName: issued.residentName,
    residentHint: issued.residentHint,
    slip: {
      title: zh('slip.title'),
      resident: zh('slip.resident', { name: issued.residentName, hint: issued.residentHint || zh('residents.noPhone') }),
      code: zh('slip.code'),
      expires: zh('slip.expires', { date: until }),
      how: zh('slip.how', { url: publicUrl('/claim') }),
      once: zh('slip.once'),
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const worker = await requireGridWorker(request);
  const formData = await readForm(request);
  if (formData.get('intent') === 'claimCode') {
    const field = formData.get('residentId');
    const residentId = typeof field === 'string' ? field : '';
    const issued = await issueClaimCode(worker, residentId, clientIp(request));
    if (!issued.ok) return data({ intent: 'claimCode' as const, residentId, error: issued.reason, claim: null }, { status: 400, headers: NO_STORE });
    // Shown once, from this answer only: the code is stored hashed, and no loader returns it.
    return data({ intent: 'claimCode' as const, residentId, error: null, claim: await slipFor(issued) }, { headers: NO_STORE });
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
  const { q, residents, streets, page, pages, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'offline-resident',
    lastResult: actionData?.intent === 'register' ? actionData.result : undefined,
    defaultValue: { communityId: '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offlineResidentSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p className="text-stone-600">{t('intro')}</p>

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
        {residents.length === 0 ? (
          <EmptyState title={t('residents.empty')} next={t(q ? 'residents.emptySearchNext' : 'residents.emptyNext')} />
        ) : (
          <p className="text-sm text-stone-600" data-testid="resident-count">
            {t(q ? 'residents.countSearch' : 'residents.count', { count: total })}
          </p>
        )}
        <ul className="space-y-2">
          {residents.map((r) => (
            <ResidentCard key={r.id} resident={r} />
          ))}
        </ul>
        <Pagination page={page} pages={pages} />
      </section>
    </div>
  );
}

type Resident = ReturnType<typeof useLoaderData<typeof loader>>['residents'][number];

/**
 * One resident, with what the worker may do for them. A claim code appears where the worker
 * asked for it: with JavaScript in a dialog over this card; without, the page comes back
 * scrolled to this card (the form posts to #resident-<id>) with the code on it.
 */
function ResidentCard({ resident: r }: { resident: Resident }) {
  const { t } = useTranslation(['assist', 'common']);
  const { open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [searchParams] = useSearchParams();
  const fetcher = useFetcher<typeof action>();
  const posted = actionData?.intent === 'claimCode' && actionData.residentId === r.id ? actionData : null;
  const answer = fetcher.data?.intent === 'claimCode' ? fetcher.data : null;
  const error = (answer ?? posted)?.error;
  const here = new URLSearchParams();
  for (const key of ['q', 'page']) {
    const value = searchParams.get(key);
    if (value) here.set(key, value);
  }
  return (
    <li id={`resident-${r.id}`} className="card scroll-mt-4 space-y-3" data-testid="resident-card">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-semibold">{r.name}</p>
          <p className="text-sm text-stone-600">
            {r.community ? pickText(r.community, language) : ''}
            {r.phone ? ` · ${r.phone}` : ` · ${t('residents.noPhone')}`}
            {r.hasPassword ? ` · ${t('residents.online')}` : ` · ${t('residents.offline')}`}
            {!r.hasPassword && r.claimPending ? ` · ${t('claim.pending')}` : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {open.map((c) => (
            <Link key={c.slug} to={`/competitions/${c.slug}/proposals/new?for=${r.id}`} className="btn-primary" title={pickText(c.title, language)}>
              {t('residents.propose', { year: c.year })}
            </Link>
          ))}
          {r.registeredByMe && !r.hasPassword ? (
            <fetcher.Form method="post" action={`/assist${here.size ? `?${here}` : ''}#resident-${r.id}`}>
              <input type="hidden" name="intent" value="claimCode" />
              <input type="hidden" name="residentId" value={r.id} />
              <button type="submit" className="btn-secondary" disabled={fetcher.state !== 'idle'}>
                {r.claimPending ? t('claim.reissue') : t('claim.issue')}
              </button>
            </fetcher.Form>
          ) : null}
        </div>
      </div>
      {error ? <ErrorList errors={[error]} keyPrefixes={['assist:claim.errors.']} /> : null}
      {answer?.claim ? <ClaimCodeDialog key={answer.claim.code} claim={answer.claim} /> : null}
      {posted?.claim ? <ClaimSlip claim={posted.claim} /> : null}
    </li>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
