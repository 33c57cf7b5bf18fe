import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CompetitionForm } from '~/features/competitions/competition-form';
import { competitionFormSchema } from '~/features/competitions/competition.schema';
import { requirePermission } from '~/core/auth.server';
import { createCompetitionFromForm } from '~/features/competitions/competitions.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'manage'] };

/** A platform admin opens a new competition; its committee is then granted on /admin/users. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'admin:access');
  const [streets, title] = await Promise.all([listStreetsWithCommunities(), pageTitle(request, 'manage:newTitle', ['manage', 'common'])]);
  return { title, streets: streets.map((s) => ({ id: s.id, name: s.name })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'admin:access');
  const submission = parseWithZod(await readForm(request), { schema: competitionFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 });
  const created = await createCompetitionFromForm(submission.value, admin.id, clientIp(request));
  if (!created.ok) return data({ result: submission.reply({ fieldErrors: { slug: [created.reason] } }) }, { status: 400 });
  return redirectWithToast(`/competitions/${created.slug}`, { type: 'success', key: 'manage:toast.created' });
}

export default function NewCompetitionPage() {
  const { t } = useTranslation(['manage', 'common']);
  const { streets } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const year = new Date().getFullYear() + 1;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('newTitle')}</h1>
      <CompetitionForm
        id="new-competition"
        creating
        lastResult={actionData?.result}
        defaultValue={{
          year: String(year),
          slug: `${year}-laoshanxing`,
          categories: [{ code: '', zh: '', en: '' }],
          eligibleStreets: streets.map((s) => s.id),
        }}
        streets={streets}
        language={language}
      />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
