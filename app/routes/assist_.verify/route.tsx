import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { VotingError } from '~/features/voting/voting';
import { parseScopeRef, revokeVerificationSchema, verifyResidentSchema } from '~/features/voting/residency.schema';
import { defaultAreaUntil, EVIDENCE_DOCUMENTS, IN_PERSON_METHODS, latestAreaUntil } from '~/features/voting/residency';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { revokeVerification, verifierScopes, verifyResident } from '~/features/voting/verification.server';
import { findResidentsToVerify, type ResidentToVerify } from '~/features/voting/resident-search.server';
import { formatDate } from '~/utils/format';
import { shanghaiDay } from '~/utils/dates';
import { pickText, type Language } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'voting', 'assist'] };

/** Residents per page: each card holds a collapsed form, so a phone shows a few at a time. */
const PER_PAGE = 10;
const SHOWN = ['all', 'unverified', 'verified'] as const;
type Shown = (typeof SHOWN)[number];

/**
 * Committee members verify for their competitions (until its voting ends), grid workers for
 * their street or community for a stated period; who may verify whom is checked by the service.
 */
function requireVerifier(request: Request) {
  return requirePermission(request, 'residency:verify');
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireVerifier(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 50);
  const now = new Date();
  const scopes = await verifierScopes(actor, now);
  const wanted = url.searchParams.get('scope');
  const scope = scopes.find((s) => s.value === wanted) ?? scopes[0] ?? null;
  const wantedShown = url.searchParams.get('shown');
  const shown: Shown = SHOWN.find((s) => s === wantedShown) ?? 'all';
  const [found, title] = await Promise.all([
    findResidentsToVerify(actor, { query: q, scope: parseScopeRef(scope?.value) }, clientIp(request), now),
    pageTitle(request, 'voting:verifyResidents.title', ['voting', 'common']),
  ]);
  // The search reads at most 100 residents with their verifications in one go; the filter and
  // the page are cut from those, so the phone gets one short page.
  const kept = found.residents.filter((r) => shown === 'all' || (shown === 'verified') === r.verifiedHere);
  const pages = Math.max(1, Math.ceil(kept.length / PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(Number(url.searchParams.get('page'))) || 1), pages);
  return {
    title,
    q,
    shown,
    page,
    pages,
    total: kept.length,
    scopes,
    scope: scope?.value ?? null,
    residents: kept.slice((page - 1) * PER_PAGE, page * PER_PAGE),
    reason: found.reason,
    today: shanghaiDay(now),
    defaultUntil: defaultAreaUntil(now),
    latestUntil: latestAreaUntil(now),
  };
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Back to the page the verifier was working on: its scope, search, filter and page (nothing else). */
function backTo(form: FormData): string {
  const back = new URLSearchParams();
  const scope = field(form, 'scope');
  if (parseScopeRef(scope)) back.set('scope', scope);
  const q = field(form, 'q').slice(0, 50);
  if (q) back.set('q', q);
  const shown = field(form, 'shown');
  if (SHOWN.some((s) => s === shown) && shown !== 'all') back.set('shown', shown);
  const page = Number(field(form, 'page'));
  if (Number.isInteger(page) && page > 1) back.set('page', String(page));
  return back.size ? `/assist/verify?${back}` : '/assist/verify';
}

const UNTIL_ERRORS = new Set(['untilRequired', 'untilInPast', 'periodTooLong']);

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireVerifier(request);
  const form = await readForm(request);
  const ip = clientIp(request);
  if (form.get('intent') === 'revoke') {
    const target = field(form, 'verificationId');
    const submission = parseWithZod(form, { schema: revokeVerificationSchema });
    if (submission.status !== 'success') return data({ intent: 'revoke' as const, target, result: submission.reply(), reason: null }, { status: 400 });
    const revoked = await revokeVerification({ actor, verificationId: submission.value.verificationId, reason: submission.value.reason, ip });
    if (!revoked.ok) {
      const status = revoked.reason === 'notAllowed' ? 403 : revoked.reason === 'changedMeanwhile' ? 409 : 400;
      return data({ intent: 'revoke' as const, target, result: submission.reply(), reason: revoked.reason }, { status });
    }
    return redirectWithToast(backTo(form), { type: 'success', key: 'voting:toast.verificationRevoked' });
  }
  const target = field(form, 'residentId');
  const submission = parseWithZod(form, { schema: verifyResidentSchema });
  if (submission.status !== 'success') return data({ intent: 'verify' as const, target, result: submission.reply(), reason: null }, { status: 400 });
  const result = await verifyResident({ actor, ...submission.value, ip });
  if (!result.ok) {
    if (UNTIL_ERRORS.has(result.reason)) return data({ intent: 'verify' as const, target, result: submission.reply({ fieldErrors: { until: [result.reason] } }), reason: null }, { status: 400 });
    if (result.reason === 'noteHasNumber') return data({ intent: 'verify' as const, target, result: submission.reply({ fieldErrors: { note: [result.reason] } }), reason: null }, { status: 400 });
    const status = result.reason === 'notAllowed' || result.reason === 'outsideArea' ? 403 : result.reason === 'votingOver' ? 409 : 400;
    return data({ intent: 'verify' as const, target, result: submission.reply(), reason: result.reason }, { status });
  }
  return redirectWithToast(backTo(form), { type: 'success', key: 'voting:toast.residentVerified' });
}

/** Field errors of these forms: keys under "voting:verifyResidents.errors.". */
function Errors({ errors, id }: { errors?: string[] | null; id?: string }) {
  return <ErrorList id={id} errors={errors} keyPrefixes={['voting:verifyResidents.errors.']} />;
}

export default function VerifyResidentsPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { q, shown, page, pages, total, scopes, scope, residents, reason } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const chosen = scopes.find((s) => s.value === scope) ?? null;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('verifyResidents.title')}</h1>
      <p className="text-stone-600">{t('verifyResidents.intro')}</p>
      {scopes.length === 0 ? (
        <p className="card text-stone-700" data-testid="no-scopes">
          {t('verifyResidents.noScopes')}
        </p>
      ) : (
        <Form method="get" className="card space-y-3">
          <label className="block">
            <span className="mb-1 block font-medium">{t('verifyResidents.scope')}</span>
            <select name="scope" defaultValue={scope ?? undefined} className="input text-lg">
              {scopes.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.kind === 'competition'
                    ? t('verifyResidents.scopeCompetition', { name: pickText(s.label, language), date: formatDate(s.votingEndsAt!, language) })
                    : t(`verifyResidents.scopeArea.${s.kind}`, { name: pickText(s.label, language) })}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="mb-1 block font-medium">{t('assist:verifyList.shown')}</span>
            <select name="shown" defaultValue={shown} className="input">
              {SHOWN.map((s) => (
                <option key={s} value={s}>
                  {t(`assist:verifyList.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="flex flex-wrap gap-2">
            <input name="q" defaultValue={q} className="input flex-1" placeholder={t('paper.search')} aria-label={t('paper.search')} />
            <button type="submit" className="btn-secondary px-5 py-3">
              {t('paper.searchButton')}
            </button>
          </div>
        </Form>
      )}
      <VotingError reason={reason} />
      {actionData?.reason && !residents.some((r) => r.id === actionData.target || r.verifications.some((v) => v.id === actionData.target)) ? <VotingError reason={actionData.reason} /> : null}
      {chosen && residents.length === 0 && !reason ? <p className="card text-stone-600">{t(chosen.kind === 'competition' ? 'verifyResidents.noneSearch' : 'verifyResidents.none')}</p> : null}
      {chosen && residents.length ? (
        <p className="text-sm text-stone-600" data-testid="verify-count">
          {t('assist:verifyList.count', { count: total })}
        </p>
      ) : null}
      <ul className="space-y-3">
        {chosen
          ? residents.map((r) => <ResidentCard key={r.id} resident={r} scope={chosen.value} area={chosen.kind !== 'competition'} language={language} />)
          : null}
      </ul>
      <Pagination page={page} pages={pages} />
    </div>
  );
}

/** The list's search, filter and page, so saving comes back to the same place. */
function WhereIWas() {
  const { q, shown, page } = useLoaderData<typeof loader>();
  return (
    <>
      <input type="hidden" name="q" value={q} />
      <input type="hidden" name="shown" value={shown} />
      <input type="hidden" name="page" value={page} />
    </>
  );
}

function ResidentCard({ resident, scope, area, language }: { resident: ResidentToVerify; scope: string; area: boolean; language: Language }) {
  const { t } = useTranslation(['voting', 'common']);
  const { today, defaultUntil, latestUntil } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const mine = actionData?.intent === 'verify' && actionData.target === resident.id ? actionData : null;
  const [form, fields] = useForm({
    id: `verify-${resident.id}`,
    lastResult: mine?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: verifyResidentSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <li className="card space-y-3" data-testid="resident">
      <p className="text-lg font-semibold">
        {resident.name} · <span className="font-normal text-stone-600">{pickText(resident.community, language)}</span>
        {resident.hint ? <span className="font-normal text-stone-600"> · {resident.hint}</span> : null}
      </p>
      {resident.verifications.length ? (
        <div>
          <p className="text-sm font-medium text-stone-700">{t('verifyResidents.current')}</p>
          <ul className="space-y-2">
            {resident.verifications.map((v) => {
              const revoking = actionData?.intent === 'revoke' && actionData.target === v.id ? actionData : null;
              return (
                <li key={v.id} className="rounded-lg border border-emerald-200 bg-emerald-50 p-2 text-sm text-emerald-900">
                  <p>
                    {t(v.document && v.document !== v.method ? 'verifyResidents.line' : 'verifyResidents.lineShort', {
                      scope: pickText(v.label, language),
                      date: v.until ? formatDate(v.until, language) : '—',
                      method: t(`verifyMethod.${v.method}`),
                      document: v.document ? t(`evidence.${v.document}`) : '',
                    })}
                  </p>
                  {v.note ? <p className="text-stone-700">{t('verifyResidents.yourNote', { note: v.note })}</p> : null}
                  {v.revocable ? (
                    <details className="mt-2" open={Boolean(revoking)}>
                      <summary className="flex min-h-11 cursor-pointer items-center font-medium text-red-800">{t('verifyResidents.revoke')}</summary>
                      <Form method="post" className="mt-2 space-y-2">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="verificationId" value={v.id} />
                        <input type="hidden" name="scope" value={scope} />
                        <WhereIWas />
                        <label className="block">
                          <span className="mb-1 block">{t('verifyResidents.revokeReason')}</span>
                          <textarea name="reason" required minLength={5} maxLength={300} rows={2} className="input" />
                          <Errors errors={revoking?.result.error?.reason} />
                        </label>
                        <ConfirmStep act="revokeVerification" values={{ name: resident.name }} errors={revoking?.result.error?.confirm} />
                        <VotingError reason={revoking?.reason} />
                        <button type="submit" className="btn-secondary border-red-300 px-5 py-3 text-red-800">
                          {t('verifyResidents.revokeSubmit')}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      <details open={Boolean(mine)} className="group">
        <summary className="btn-primary inline-block cursor-pointer list-none px-6 py-3 text-lg group-open:hidden">
          {resident.verifiedHere ? t('verifyResidents.again') : t('verifyResidents.open')}
        </summary>
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="intent" value="verify" />
          <input type="hidden" name="residentId" value={resident.id} />
          <input type="hidden" name="scope" value={scope} />
          <WhereIWas />
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="block">
              <span className="mb-1 block font-medium">{t('verifyResidents.how')}</span>
              {/* No method chosen in advance: the verifier says what they saw (issue 12, item 11). */}
              <select name={fields.method.name} className="input text-lg" defaultValue="" required>
                <option value="" disabled>
                  {t('verifyResidents.chooseMethod')}
                </option>
                {IN_PERSON_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`verifyMethod.${m}`)}
                  </option>
                ))}
              </select>
              <Errors errors={fields.method.errors} />
            </label>
            <label className="block">
              <span className="mb-1 block font-medium">{t('verifyResidents.document')}</span>
              <select name={fields.document.name} className="input text-lg" defaultValue="none">
                {EVIDENCE_DOCUMENTS.filter((d) => d !== 'idCard' && d !== 'householdRegister').map((d) => (
                  <option key={d} value={d}>
                    {t(`evidence.${d}`)}
                  </option>
                ))}
              </select>
              <span className="mt-1 block text-sm text-stone-500">{t('verifyResidents.documentHelp')}</span>
              <Errors errors={fields.document.errors} />
            </label>
            {area ? (
              <label className="block">
                <span className="mb-1 block font-medium">{t('verifyResidents.until')}</span>
                <input type="date" name={fields.until.name} defaultValue={defaultUntil} min={today} max={latestUntil} required className="input text-lg" />
                <span className="mt-1 block text-sm text-stone-500">{t('verifyResidents.untilHelp', { date: formatDate(`${latestUntil}T12:00:00+08:00`, language) })}</span>
                <Errors errors={fields.until.errors} />
              </label>
            ) : null}
            <label className="block sm:col-span-2">
              <span className="mb-1 block font-medium">{t('verifyResidents.note')}</span>
              <input name={fields.note.name} maxLength={200} autoComplete="off" className="input" />
              <span className="mt-1 block text-sm font-medium text-amber-800">{t('verifyResidents.noteHelp')}</span>
              <Errors errors={fields.note.errors} />
            </label>
          </div>
          <Errors errors={form.errors} />
          <VotingError reason={mine?.reason} />
          <button type="submit" className="btn-primary w-full py-3 text-lg sm:w-auto sm:px-6">
            {resident.verifiedHere ? t('verifyResidents.again') : t('verifyResidents.submit')}
          </button>
        </Form>
      </details>
    </li>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
