import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { requirePermission, requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { decideHelper, listHelpers } from '~/features/needs/helpers.server';
import { HELPER_REVOKE_REASON_MAX, HELPER_STATUSES } from '~/features/needs/needs';
import { helperDecisionSchema } from '~/features/needs/needs.schema.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'needs'] };

/** The helpers' contact phones are on it: never stored, as HTML or as its `.data` (only this export sets a route's headers). */
const PRIVATE = { 'Cache-Control': 'private, no-store' };
export const headers: HeadersFunction = () => PRIVATE;

/** The street committees' list of helpers: applications to certify, certified ones to revoke (with a reason, confirmed). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'helper:certify');
  const search = new URL(request.url).searchParams;
  const status = HELPER_STATUSES.find((s) => s === search.get('status')) ?? null;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1));
  const [list, title] = await Promise.all([listHelpers(status, page), pageTitle(request, 'needs:helpers.title', ['needs', 'common'])]);
  return { title, ...list, status };
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, 'helper:certify');
  const user = await requireUser(request);
  const fields = Object.fromEntries(await readForm(request));
  const parsed = helperDecisionSchema.safeParse(fields);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => (i.path[0] === 'confirm' ? `confirmDialog.errors.${i.message}` : `needs:error.${i.message}`));
    // The form the errors belong to, so they show beside it, with the reason as it was typed.
    return data({ helper: typeof fields.helper === 'string' ? fields.helper : '', errors, reason: typedReason(fields.reason) }, { status: 400 });
  }
  const decided = await decideHelper({ actor: user, helperId: parsed.data.helper, decision: parsed.data.intent, reason: parsed.data.intent === 'revoke' ? parsed.data.reason : undefined, ip: clientIp(request) });
  if (!decided.ok) return data({ helper: parsed.data.helper, errors: [`needs:error.${decided.reason}`], reason: typedReason(fields.reason) }, { status: decided.reason === 'notFound' ? 404 : 409 });
  return redirectWithToast('/needs/helpers', { type: 'success', key: parsed.data.intent === 'certify' ? 'needs:toast.certified' : 'needs:toast.revoked' });
}

const CONFIRM_ERROR = 'confirmDialog.errors.';
const typedReason = (value: FormDataEntryValue | undefined) => (typeof value === 'string' ? value.slice(0, HELPER_REVOKE_REASON_MAX) : '');

export default function Helpers() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { items, page, pages, total } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('helpers.title')}</h1>
      <p className="text-stone-700">{t('helpers.intro')}</p>
      {reply?.errors.length && !reply.helper ? <ErrorList errors={reply.errors.filter((e) => !e.startsWith(CONFIRM_ERROR))} keyPrefixes={['']} /> : null}
      {total === 0 ? <EmptyState title={t('helpers.empty')} next={t('helpers.emptyNext')} /> : null}
      <ul className="space-y-3" aria-label={t('helpers.title')}>
        {items.map((h) => {
          const errors = reply?.helper === h.id ? reply.errors : null;
          const reasonErrors = errors?.filter((e) => !e.startsWith(CONFIRM_ERROR)) ?? [];
          return (
            <li key={h.id} className="card space-y-2">
              <p className="text-lg font-semibold">
                {h.name} · {t(`helperKind.${h.kind}`)} · {t(`helper.statusShort.${h.status}`)}
              </p>
              {h.introduction ? <p className="whitespace-pre-line text-stone-700">{h.introduction}</p> : null}
              <p className="flex flex-wrap gap-x-3 text-stone-600">
                <span>{t('helpers.appliedOn', { date: formatDate(h.appliedAt, language) })}</span>
                {h.certifiedAt ? <span>{t('helper.certifiedOn', { date: formatDate(h.certifiedAt, language) })}</span> : null}
                {h.contactPhone ? <span>{t('helpers.phone', { phone: h.contactPhone })}</span> : null}
              </p>
              {h.status !== 'certified' ? (
                <Form method="post">
                  <input type="hidden" name="helper" value={h.id} />
                  <button type="submit" name="intent" value="certify" className="btn-primary">
                    {t('helpers.certify')}
                  </button>
                </Form>
              ) : (
                <Form method="post" className="space-y-2">
                  <input type="hidden" name="helper" value={h.id} />
                  <label htmlFor={`revoke-${h.id}`} className="block font-medium">
                    {t('helpers.revokeReason')}
                  </label>
                  <textarea
                    id={`revoke-${h.id}`}
                    name="reason"
                    rows={2}
                    maxLength={HELPER_REVOKE_REASON_MAX}
                    className="input"
                    defaultValue={errors ? reply?.reason : undefined}
                    aria-invalid={reasonErrors.length ? true : undefined}
                    aria-describedby={reasonErrors.length ? `revoke-${h.id}-error` : undefined}
                  />
                  <ErrorList id={`revoke-${h.id}-error`} errors={reasonErrors} keyPrefixes={['']} />
                  <ConfirmStep act="revokeHelper" values={{ name: h.name }} errors={errors?.filter((e) => e.startsWith(CONFIRM_ERROR)).map((e) => e.slice(CONFIRM_ERROR.length)) ?? null} />
                  <button type="submit" name="intent" value="revoke" className="btn-secondary">
                    {t('helpers.revoke')}
                  </button>
                </Form>
              )}
            </li>
          );
        })}
      </ul>
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
