import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { VotingError } from '~/features/voting/voting';
import { verifySchema } from '~/features/voting/voting.schema';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listVerifiableResidents, verifyResident } from '~/features/voting/verification.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { VERIFY_METHODS } from '~/features/voting/rules';

export const handle = { i18n: ['common', 'voting'] };

/** Grid workers (their area) and committee members (their competitions' streets) verify residency. */
function requireVerifier(request: Request) {
  return requirePermission(request, 'residency:verify');
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireVerifier(request);
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 50);
  const [residents, title] = await Promise.all([listVerifiableResidents(actor, q, clientIp(request)), pageTitle(request, 'voting:verifyResidents.title', ['voting', 'common'])]);
  return { title, q, residents };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireVerifier(request);
  const parsed = verifySchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ reason: 'invalidForm', residentId: null }, { status: 400 });
  const result = await verifyResident({ actor, ...parsed.data, ip: clientIp(request) });
  if (!result.ok) return data({ reason: result.reason, residentId: parsed.data.residentId }, { status: result.reason === 'outsideArea' ? 403 : 400 });
  return redirectWithToast('/assist/verify', { type: 'success', key: 'voting:toast.residentVerified' });
}

export default function VerifyResidentsPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { q, residents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('verifyResidents.title')}</h1>
      <p className="text-stone-600">{t('verifyResidents.intro')}</p>
      <Form method="get" className="flex gap-2">
        <input name="q" defaultValue={q} className="input" placeholder={t('paper.search')} aria-label={t('paper.search')} />
        <button type="submit" className="btn-secondary">
          {t('paper.searchButton')}
        </button>
      </Form>
      {actionData && !actionData.residentId ? <VotingError reason={actionData.reason} /> : null}
      {residents.length === 0 ? <p className="card text-stone-600">{t('verifyResidents.none')}</p> : null}
      <ul className="space-y-3">
        {residents.map((r) => (
          <li key={r.id} className="card space-y-2">
            <p className="font-semibold">
              {r.name} · <span className="font-normal text-stone-600">{pickText(r.community, language)}</span>
            </p>
            {r.verifiedAt ? (
              <p className="text-sm text-green-800">
                {t('verifyResidents.verified', { date: formatDate(r.verifiedAt, language), method: t(`verifyMethod.${r.method ?? 'knownInPerson'}`) })}
              </p>
            ) : null}
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="residentId" value={r.id} />
              <label className="block">
                <span className="mb-1 block text-sm">{t('verifyResidents.how')}</span>
                <select name="method" className="input" defaultValue="householdRegister">
                  {VERIFY_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {t(`verifyMethod.${m}`)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="btn-primary">
                {r.verifiedAt ? t('verifyResidents.again') : t('verifyResidents.submit')}
              </button>
            </Form>
            {actionData?.residentId === r.id ? <VotingError reason={actionData.reason} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
