import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { OrganizationForm } from '~/features/organizations/organization-form';
import { addMemberSchema, organizationSchema, removeMemberSchema } from '~/features/organizations/organization.schema';
import { ORGANIZATION_MEMBER_ROLES } from '~/features/organizations/organizations';
import { addMember, getManagedOrganization, getOrganization, removeMember, updateOrganization, type RegistryFailure } from '~/features/organizations/registry.server';
import { mayManageOrganization } from '~/features/organizations/rules';
import { implementingCompetitions, projectsOfOrganization } from '~/features/projects/implementer.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'organizations'] };

const ERROR_KEYS = ['organizations:error.', 'validation.'] as const;

/** Sign-in first; then the organization (404), then the rule of decision 022 (403). */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const organization = await getOrganization(args.params.id ?? '');
  invariantResponse(organization, 'Not found', { status: 404 });
  const implementsIn = implementingCompetitions(await projectsOfOrganization(organization.id));
  invariantResponse(mayManageOrganization(user, organization, implementsIn), 'Forbidden', { status: 403 });
  return { user, organization, implementsIn };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, organization, implementsIn } = await guard(args);
  const [managed, streets, title] = await Promise.all([
    getManagedOrganization(user, organization, implementsIn),
    listStreetsWithCommunities(),
    pageTitle(args.request, 'organizations:edit.title', ['organizations', 'common']),
  ]);
  invariantResponse(managed, 'Not found', { status: 404 });
  return {
    title,
    streets,
    organization: { id: organization.id, name: organization.name },
    values: {
      name: organization.name,
      type: organization.type,
      street: organization.streetId ?? '',
      community: organization.communityId ?? '',
      contactName: managed.contact.name,
      contactPhone: managed.contact.phone,
    },
    members: managed.members,
  };
}

type Answer = { form: 'details' | 'addMember' | 'removeMember'; result?: SubmissionResult<string[]>; reason?: string | null };

const STATUS: Partial<Record<RegistryFailure, number>> = { forbidden: 403, notFound: 404, duplicateName: 409, alreadyMember: 409, tooManyLookups: 429 };

export async function action(args: ActionFunctionArgs) {
  const { user, organization, implementsIn } = await guard(args);
  const form = await readForm(args.request);
  const intent = form.get('intent');
  const ip = clientIp(args.request);
  const back = `/organizations/${organization.id}/edit`;
  const refuseWith = (answer: Answer, status: number) => data(answer, { status });
  const refuse = (answer: Answer, reason: RegistryFailure) => refuseWith(answer, STATUS[reason] ?? 400);

  if (intent === 'details') {
    const submission = parseWithZod(form, { schema: organizationSchema });
    if (submission.status !== 'success') return refuseWith({ form: 'details', result: submission.reply() }, 400);
    const updated = await updateOrganization({ actor: user, organization, implementsIn, values: submission.value, ip });
    if (!updated.ok) {
      const field = updated.reason === 'duplicateName' ? 'name' : updated.reason === 'placeInvalid' ? 'community' : null;
      return refuse({ form: 'details', result: submission.reply(field ? { fieldErrors: { [field]: [updated.reason] } } : {}), reason: field ? null : updated.reason }, updated.reason);
    }
    return redirectWithToast(`/organizations/${organization.id}`, { type: 'success', key: 'organizations:toast.updated' });
  }
  if (intent === 'addMember') {
    const parsed = addMemberSchema.safeParse({ identifier: form.get('identifier'), role: form.get('role') });
    if (!parsed.success) return refuseWith({ form: 'addMember', reason: parsed.error.issues[0]?.message ?? 'identifierInvalid' }, 400);
    const added = await addMember({ actor: user, organization, implementsIn, identifier: parsed.data.identifier, role: parsed.data.role, ip });
    if (!added.ok) return refuse({ form: 'addMember', reason: added.reason }, added.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:toast.memberAdded' });
  }
  if (intent === 'removeMember') {
    const parsed = removeMemberSchema.safeParse({ user: form.get('user') });
    if (!parsed.success || form.get('confirm') !== 'yes') return refuseWith({ form: 'removeMember', reason: parsed.success ? 'confirmRequired' : 'memberNotFound' }, 400);
    const removed = await removeMember({ actor: user, organization, implementsIn, userId: parsed.data.user, ip });
    if (!removed.ok) return refuse({ form: 'removeMember', reason: removed.reason }, removed.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:toast.memberRemoved' });
  }
  throw new Response('Bad request', { status: 400 });
}

function Members({ members }: { members: { user: string; name: string; role: string }[] }) {
  const { t } = useTranslation(['organizations', 'common']);
  const answer = useActionData<typeof action>();
  const addError = answer?.form === 'addMember' ? answer.reason : null;
  const removeError = answer?.form === 'removeMember' ? answer.reason : null;
  return (
    <section className="card space-y-4" aria-labelledby="members-title">
      <h2 id="members-title" className="text-lg font-semibold">
        {t('members.title')}
      </h2>
      {members.length === 0 ? (
        <p className="text-stone-700">{t('members.empty')}</p>
      ) : (
        <ul className="space-y-2">
          {members.map((m) => (
            <li key={m.user} className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-stone-200 p-3">
              <span>
                <span className="font-semibold">{m.name}</span> · {t(`role.${m.role}`)}
              </span>
              <Form method="post" className="flex flex-wrap items-center gap-2">
                <input type="hidden" name="intent" value="removeMember" />
                <input type="hidden" name="user" value={m.user} />
                <label className="inline-flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="confirm" value="yes" required />
                  {t('members.confirmRemove', { name: m.name })}
                </label>
                <button type="submit" className="btn-secondary">
                  {t('members.remove')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <ErrorList errors={removeError ? [removeError] : null} keyPrefixes={ERROR_KEYS} />
      <Form method="post" className="space-y-3 border-t border-stone-200 pt-3">
        <input type="hidden" name="intent" value="addMember" />
        <h3 className="font-semibold">{t('members.add')}</h3>
        <p className="text-stone-600">{t('members.addHelp')}</p>
        <div className="grid gap-3 sm:grid-cols-2">
          <div>
            <label htmlFor="member-identifier" className="mb-1 block font-medium">
              {t('members.identifier')}
            </label>
            <input id="member-identifier" name="identifier" className="input" autoComplete="off" required />
          </div>
          <div>
            <label htmlFor="member-role" className="mb-1 block font-medium">
              {t('members.role')}
            </label>
            <select id="member-role" name="role" className="input" defaultValue="member">
              {ORGANIZATION_MEMBER_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorList errors={addError ? [addError] : null} keyPrefixes={ERROR_KEYS} />
        <button type="submit" className="btn-primary">
          {t('members.addSubmit')}
        </button>
      </Form>
    </section>
  );
}

export default function EditOrganizationPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { organization, values, streets, members } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  const details = answer?.form === 'details' ? answer : undefined;
  return (
    <div className="space-y-4">
      <p>
        <Link to={`/organizations/${organization.id}`} className="inline-flex min-h-11 items-center underline">
          {t('edit.back', { name: organization.name })}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('edit.title')}</h1>
      <OrganizationForm
        id="edit-organization"
        lastResult={details?.result}
        formError={details?.reason}
        defaultValue={values}
        streets={streets}
        language={language}
        submitLabel={t('edit.submit')}
      />
      <Members members={members} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
