import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { confirmedField } from '~/core/confirm.schema';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { hasPermission } from '~/core/permissions.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { deviceKiosk, enrolmentStreets, enrolThisDevice, listKiosks, revokeKiosk } from '~/features/accounts/kiosk.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'kiosk'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/** Admins (every street) and grid workers with a street grant (their street only). */
async function requireKioskManager(request: Request) {
  const user = await requireUser(request);
  const streets = await enrolmentStreets(user, await getLanguage(request));
  if (streets.length === 0 && !hasPermission(user.roles, 'admin:access')) throw new Response('Forbidden: kiosk:manage', { status: 403 });
  return { user, streets };
}

/**
 * The kiosks of a street (decision 032): enrol this device as one (the enroller is then signed
 * out of it, and it shows the kiosk's start screen), list them with their last use, revoke one.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, streets } = await requireKioskManager(request);
  const language = await getLanguage(request, context);
  const [kiosks, device, title] = await Promise.all([listKiosks(user, language), deviceKiosk(request, context), pageTitle(request, 'kiosk:manage.title', ['kiosk', 'common'])]);
  return data({ title, streets, kiosks, thisDevice: device.state === 'kiosk' ? device.kiosk.id : null }, { headers: { 'Cache-Control': 'no-store' } });
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('enrol'), street: z.string().trim().min(1, 'required'), name: z.string().trim().min(1, 'required').max(60, 'tooLong') }),
  z.object({ intent: z.literal('revoke'), kiosk: z.string().trim().min(1), confirm: confirmedField }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireKioskManager(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const errors = [...new Set(parsed.error.issues.map((issue) => issue.message))];
    return data({ errors, kiosk: null as string | null }, { status: 400 });
  }
  const form = parsed.data;
  if (form.intent === 'enrol') {
    const enrolled = await enrolThisDevice({ request, user, streetId: form.street, name: form.name, ip: clientIp(request) });
    if (!enrolled.ok) return data({ errors: [enrolled.reason], kiosk: null }, { status: 403 });
    return redirectWithToast('/kiosk', { type: 'success', key: 'kiosk:toast.enrolled' }, { headers: enrolled.headers });
  }
  const revoked = await revokeKiosk({ user, kioskId: form.kiosk, ip: clientIp(request) });
  if (!revoked.ok) return data({ errors: [revoked.reason], kiosk: form.kiosk }, { status: revoked.reason === 'notFound' ? 404 : 400 });
  return redirectWithToast('/kiosks', { type: 'success', key: 'kiosk:toast.revoked' });
}

export default function KiosksPage() {
  const { t } = useTranslation(['kiosk', 'common']);
  const { streets, kiosks, thisDevice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const when = (iso: string | null) => (iso ? formatDate(iso, language, { dateStyle: 'medium', timeStyle: 'short' }) : t('manage.never'));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('manage.title')}</h1>
      <p className="text-stone-700">{t('manage.intro')}</p>
      {streets.length > 0 ? (
        <section className="card space-y-4" aria-labelledby="enrol">
          <h2 id="enrol" className="text-xl font-bold">
            {t('manage.enrolTitle')}
          </h2>
          <p className="text-stone-700">{t('manage.enrolIntro')}</p>
          <Form method="post" className="space-y-4">
            <label className="block">
              <span className="mb-1 block font-medium">{t('manage.street')}</span>
              <select name="street" required className="input" defaultValue={streets.length === 1 ? streets[0]!.id : undefined}>
                {streets.length > 1 ? <option value="">{t('manage.chooseStreet')}</option> : null}
                {streets.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="block">
              <span className="mb-1 block font-medium">{t('manage.name')}</span>
              <input name="name" required maxLength={60} className="input" placeholder={t('manage.namePlaceholder')} />
            </label>
            {actionData && !actionData.kiosk ? <ErrorList errors={actionData.errors} keyPrefixes={['kiosk:errors.', 'validation.']} /> : null}
            <button type="submit" name="intent" value="enrol" className="btn-primary">
              {t('manage.enrol')}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="space-y-3" aria-labelledby="kiosk-list">
        <h2 id="kiosk-list" className="text-xl font-bold">
          {t('manage.listTitle')}
        </h2>
        {kiosks.length === 0 ? <EmptyState title={t('manage.none')} next={t('manage.noneNext')} /> : null}
        <ul className="space-y-3">
          {kiosks.map((k) => (
            <li key={k.id} className="card space-y-2" data-testid="kiosk-row">
              <p className="text-lg font-semibold">
                {k.name} · {k.street}
                {k.id === thisDevice ? <span className="ml-2 rounded bg-brand-100 px-2 text-sm text-brand-800">{t('manage.thisDevice')}</span> : null}
                {k.revokedAt ? <span className="ml-2 rounded bg-stone-200 px-2 text-sm">{t('manage.revokedBadge')}</span> : null}
              </p>
              <p className="text-sm text-stone-700">{t('manage.enrolled', { name: k.enrolledBy, date: when(k.enrolledAt) })}</p>
              <p className="text-sm text-stone-700">{t('manage.lastUsed', { date: when(k.lastUsedAt) })}</p>
              {k.revokedAt ? (
                <p className="text-sm text-stone-700">{t('manage.revoked', { name: k.revokedBy ?? '', date: when(k.revokedAt) })}</p>
              ) : (
                <Form method="post" className="space-y-2">
                  <input type="hidden" name="kiosk" value={k.id} />
                  <ConfirmStep act="revokeKiosk" values={{ name: k.name }} errors={actionData?.kiosk === k.id ? actionData.errors.filter((e) => e === 'confirmRequired') : null} />
                  <button type="submit" name="intent" value="revoke" className="btn-secondary">
                    {t('manage.revoke')}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
