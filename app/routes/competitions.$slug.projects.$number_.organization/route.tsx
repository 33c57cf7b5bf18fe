import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { listOrganizationChoices } from '~/features/organizations/registry.server';
import { getImplementerChoice, nameImplementer } from '~/features/projects/implementer.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'projects', 'organizations'] };

const OBJECT_ID_OR_EMPTY = /^([0-9a-f]{24})?$/i;
/** The organization picked (empty: none yet) and the one the form showed as current (empty: none). */
const namingSchema = z.object({
  organization: z.string({ error: 'organizationNotFound' }).trim().regex(OBJECT_ID_OR_EMPTY, 'organizationNotFound'),
  expected: z.string({ error: 'conflict' }).trim().regex(OBJECT_ID_OR_EMPTY, 'conflict'),
});

/** The committee of the project's competition names its implementer from the registry (the project page links here). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context }, 'competition:manage');
  const project = await getImplementerChoice(String(doc._id), numberParam(params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const [choices, title] = await Promise.all([listOrganizationChoices(), pageTitle(request, 'organizations:naming.title', ['organizations', 'common'])]);
  return { title, slug: doc.slug, project, choices };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, doc } = await requireCompetition({ request, params, context }, 'competition:manage');
  const number = numberParam(params.number);
  const form = await readForm(request);
  const parsed = namingSchema.safeParse({ organization: form.get('organization'), expected: form.get('expected') });
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? 'organizationNotFound' }, { status: 400 });
  const named = await nameImplementer({
    competitionId: String(doc._id),
    projectNumber: number,
    organizationId: parsed.data.organization || null,
    expected: parsed.data.expected || null,
    actorId: user.id,
    ip: clientIp(request),
  });
  if (!named.ok) {
    invariantResponse(named.reason !== 'notFound', 'Not found', { status: 404 });
    return data({ error: named.reason }, { status: named.reason === 'conflict' ? 409 : 400 });
  }
  return redirectWithToast(`/competitions/${doc.slug}/projects/${number}`, {
    type: 'success',
    key: named.changed ? (parsed.data.organization ? 'organizations:toast.implementerNamed' : 'organizations:toast.implementerCleared') : 'organizations:toast.implementerUnchanged',
  });
}

export default function NameImplementerPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { project, choices } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <p>
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
          {t('naming.back', { title: project.title })}
        </Link>
      </p>
      <h2 className="text-2xl font-bold">{t('naming.title')}</h2>
      <p className="text-stone-700">{t('naming.intro')}</p>
      {project.proposedOrganizationName ? <p className="text-stone-700">{t('naming.proposed', { name: project.proposedOrganizationName })}</p> : null}
      <Form method="post" className="card space-y-3">
        <input type="hidden" name="expected" value={project.organizationId ?? ''} />
        <div>
          <label htmlFor="organization" className="mb-1 block font-medium">
            {t('naming.organization')}
          </label>
          <select id="organization" name="organization" className="input" defaultValue={project.organizationId ?? ''}>
            <option value="">{t('naming.none')}</option>
            {choices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} · {t(`type.${o.type}`)}
                {o.street ? ` · ${pickText(o.street, language)}` : ''}
              </option>
            ))}
          </select>
        </div>
        <ErrorList errors={answer?.error ? [answer.error] : null} keyPrefixes={['organizations:error.']} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="btn-primary">
            {t('naming.submit')}
          </button>
          <Link to="/organizations/new" className="btn-secondary">
            {t('list.new')}
          </Link>
        </div>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
