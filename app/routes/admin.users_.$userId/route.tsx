import { getFormProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, SelectField } from '~/components/forms';
import { grantRoleSchema, parseScope, revokeRoleSchema } from '~/features/accounts/roles.schema';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { toastCookie } from '~/core/toast.server';
import { getUserRoles, grantRole, listScopes, revokeRole } from '~/features/accounts/users.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { ROLES } from '~/core/roles';

export const handle = { i18n: ['common', 'admin'] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'roles:manage');
  const [user, scopes, title] = await Promise.all([
    getUserRoles(params.userId ?? ''),
    listScopes(),
    pageTitle(request, 'admin:roles.title', ['admin', 'common']),
  ]);
  invariantResponse(user, 'User not found', { status: 404 });
  const names = new Map<string, { zh: string; en?: string | null }>();
  for (const street of scopes.streets) names.set(String(street._id), street.name);
  for (const community of scopes.communities) names.set(String(community._id), community.name);
  for (const competition of scopes.competitions) names.set(String(competition._id), competition.title);
  return {
    title,
    user: {
      id: String(user._id),
      name: user.name,
      roles: user.roles.map((grant) => ({
        id: String(grant._id),
        role: grant.role,
        scopeType: grant.scopeType,
        scopeName: grant.scopeId ? (names.get(String(grant.scopeId)) ?? null) : null,
        grantedAt: grant.grantedAt ? grant.grantedAt.toISOString() : null,
      })),
    },
    scopes: {
      streets: scopes.streets.map((s) => ({ id: String(s._id), name: s.name })),
      communities: scopes.communities.map((c) => ({ id: String(c._id), name: c.name })),
      competitions: scopes.competitions.map((c) => ({ id: String(c._id), name: c.title })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'roles:manage');
  const userId = params.userId ?? '';
  const formData = await readForm(request);
  const ip = clientIp(request);
  if (formData.get('intent') === 'revoke') {
    const submission = parseWithZod(formData, { schema: revokeRoleSchema });
    if (submission.status !== 'success') return data({ intent: 'revoke', result: submission.reply() }, { status: 400 });
    const revoked = await revokeRole({ actorId: admin.id, userId, grantId: submission.value.grantId, ip });
    if (!revoked.ok) return data({ intent: 'revoke', result: submission.reply({ formErrors: [revoked.reason] }) }, { status: 400 });
    return data(
      { intent: 'revoke', result: submission.reply({ resetForm: true }) },
      { headers: { 'Set-Cookie': await toastCookie({ type: 'success', key: 'toast.roleRevoked' }) } },
    );
  }
  const submission = parseWithZod(formData, { schema: grantRoleSchema });
  if (submission.status !== 'success') return data({ intent: 'grant', result: submission.reply() }, { status: 400 });
  const granted = await grantRole({ actorId: admin.id, userId, role: submission.value.role, ...parseScope(submission.value.scope), ip });
  if (!granted.ok) return data({ intent: 'grant', result: submission.reply({ formErrors: [granted.reason] }) }, { status: 400 });
  return data(
    { intent: 'grant', result: submission.reply({ resetForm: true }) },
    { headers: { 'Set-Cookie': await toastCookie({ type: 'success', key: 'toast.roleGranted' }) } },
  );
}

export default function AdminUserRolesPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { user, scopes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  // A refused revocation names its grant; its errors show by that grant's button only.
  const revoking = actionData?.intent === 'revoke' && actionData.result.status === 'error' ? actionData.result : null;
  const revokingId = (revoking?.initialValue as { grantId?: string } | null | undefined)?.grantId;
  const [form, fields] = useForm({
    id: 'grant',
    lastResult: actionData?.intent === 'grant' ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantRoleSchema }),
  });
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin/users" className="inline-flex min-h-11 items-center text-brand-700 underline">
          ← {t('users.title')}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('roles.heading', { name: user.name })}</h1>
      <section className="card">
        <h2 className="mb-3 text-lg font-semibold">{t('roles.current')}</h2>
        <ul className="divide-y divide-stone-200">
          {user.roles.map((grant) => {
            const role = t(`common:role.${grant.role}`);
            const scope = grant.scopeName ? pickText(grant.scopeName, language) : t(`roles.scope.${grant.scopeType}`);
            const refused = revokingId === grant.id ? revoking : null;
            return (
              <li key={grant.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <strong>{role}</strong>
                  {' · '}
                  {scope}
                  {grant.grantedAt ? <span className="ml-2 text-sm text-stone-500">{formatDate(grant.grantedAt, language)}</span> : null}
                </span>
                <Form method="post" className="flex flex-wrap items-start gap-2">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="grantId" value={grant.id} />
                  <ConfirmStep act="revoke" values={{ name: user.name, role, scope }} errors={refused?.error?.confirm} />
                  <button type="submit" className="btn-danger">
                    {t('roles.revoke')}
                  </button>
                  <ErrorList errors={refused?.error?.[''] ?? undefined} />
                </Form>
              </li>
            );
          })}
        </ul>
      </section>
      <section className="card">
        <h2 className="mb-3 text-lg font-semibold">{t('roles.grant')}</h2>
        <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-3 sm:items-end">
          <input type="hidden" name="intent" value="grant" />
          <SelectField label={t('roles.role')} meta={fields.role} selectProps={getSelectProps(fields.role)}>
            <option value="">{t('roles.choose')}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`common:role.${role}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('roles.scopeLabel')} meta={fields.scope} selectProps={getSelectProps(fields.scope)}>
            <option value="">{t('roles.choose')}</option>
            <option value="platform">{t('roles.scope.platform')}</option>
            <optgroup label={t('roles.scope.competition')}>
              {scopes.competitions.map((c) => (
                <option key={c.id} value={`competition:${c.id}`}>
                  {pickText(c.name, language)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('roles.scope.street')}>
              {scopes.streets.map((s) => (
                <option key={s.id} value={`street:${s.id}`}>
                  {pickText(s.name, language)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('roles.scope.community')}>
              {scopes.communities.map((c) => (
                <option key={c.id} value={`community:${c.id}`}>
                  {pickText(c.name, language)}
                </option>
              ))}
            </optgroup>
          </SelectField>
          <button type="submit" className="btn-primary">
            {t('roles.grantSubmit')}
          </button>
          <div className="sm:col-span-3">
            <ErrorList id={form.errorId} errors={form.errors} summary />
            <p className="text-sm text-stone-500">{t('roles.scopeHelp')}</p>
          </div>
        </Form>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
