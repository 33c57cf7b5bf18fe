import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { OrganizationForm } from '~/features/organizations/organization-form';
import { organizationSchema } from '~/features/organizations/organization.schema';
import { createOrganization } from '~/features/organizations/registry.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'organizations'] };

/** Admins and committee members register an implementer (sign-in first, then 403 for anyone else). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'organization:create');
  const [streets, title] = await Promise.all([listStreetsWithCommunities(), pageTitle(request, 'organizations:new.title', ['organizations', 'common'])]);
  return { title, streets };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'organization:create');
  const submission = parseWithZod(await readForm(request), { schema: organizationSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const created = await createOrganization({ actor: user, values: submission.value, ip: clientIp(request) });
  if (!created.ok) {
    const field = created.reason === 'duplicateName' ? 'name' : created.reason === 'placeInvalid' ? 'community' : null;
    return data(
      { result: submission.reply(field ? { fieldErrors: { [field]: [created.reason] } } : {}), reason: field ? null : created.reason },
      { status: created.reason === 'duplicateName' ? 409 : created.reason === 'forbidden' ? 403 : 400 },
    );
  }
  return redirectWithToast(`/organizations/${created.id}`, { type: 'success', key: 'organizations:toast.created' });
}

export default function NewOrganizationPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { streets } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('new.title')}</h1>
      <p className="text-stone-700">{t('new.intro')}</p>
      <OrganizationForm
        id="new-organization"
        lastResult={answer?.result}
        formError={answer?.reason}
        defaultValue={{ name: '', type: '', street: '', community: '', contactName: '', contactPhone: '' }}
        streets={streets}
        language={language}
        submitLabel={t('new.submit')}
      />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
