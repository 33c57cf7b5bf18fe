import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList, Field, SelectField } from '~/components/forms';
import { changePasswordSchema, codeSchema, identifierChangeSchema } from '~/features/accounts/auth.schema';
import { NewPasswordFields } from '~/features/accounts/account-fields';
import { IdentifiersSection } from '~/features/accounts/identifiers-section';
import { forgetIdentifier, pendingIdentifier, rememberIdentifier } from '~/features/accounts/pending-identifier.server';
import { maskIdentifier } from '~/core/messages.server';
import { clientIp } from '~/core/request.server';
import { profileSchema } from '~/features/accounts/profile.schema';
import { requireUser } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import { confirmTotp, disableTotp, startTotp, totpStatus } from '~/core/totp.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { getLanguage, languageCookie, pageTitle } from '~/core/i18n.server';
import { startUserSession } from '~/core/session.server';
import { redirectWithToast, toastCookie } from '~/core/toast.server';
import { changePassword, finishIdentifierChange, getProfile, startIdentifierChange, updateProfile } from '~/features/accounts/users.server';
import { MyProjectsSection } from '~/features/projects/my-projects-section';
import { mentorProjects, myInvitations } from '~/features/projects/team.server';
import { formatDate } from '~/utils/format';
import { LANGUAGES } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { readForm } from '~/core/request.server';

export const handle = { i18n: ['common', 'auth', 'profile', 'projects'] };

const PASSWORD_FIELDS = ['currentPassword', 'password', 'confirmPassword'];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const isMentor = user.roles.some((grant) => grant.role === 'mentor');
  const [profile, streets, title, pending, invitations, mentoring] = await Promise.all([
    getProfile(user.id),
    listStreetsWithCommunities(),
    pageTitle(request, 'profile:title', ['profile', 'common']),
    pendingIdentifier(request, 'change'),
    myInvitations(user.id),
    isMentor ? mentorProjects(user.id) : [],
  ]);
  invariantResponse(profile, 'Not found', { status: 404 });
  const mayUseTotp = hasPermission(user.roles, 'totp:enable');
  return {
    title,
    totp: mayUseTotp ? await totpStatus(user.id) : null,
    profile: {
      name: profile.name,
      email: profile.email ?? null,
      phone: profile.phone ?? null,
      phoneProven: Boolean(profile.phoneProvenAt),
      emailProven: Boolean(profile.emailProvenAt),
      communityId: profile.community ? String(profile.community) : '',
      language: profile.language,
      createdAt: profile.createdAt.toISOString(),
    },
    streets,
    pendingIdentifier: pending ? maskIdentifier(pending.value) : null,
    invitations,
    mentoring,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const intent = formData.get('intent');
  if (intent === 'totpStart' || intent === 'totpConfirm' || intent === 'totpDisable') {
    if (!hasPermission(user.roles, 'totp:enable')) throw new Response('Forbidden: totp:enable', { status: 403 });
    const field = formData.get('code');
    const code = typeof field === 'string' ? field : '';
    if (intent === 'totpStart') {
      const profile = await getProfile(user.id);
      const started = await startTotp(user.id, profile?.email ?? profile?.phone ?? user.name);
      if (!started) return data({ intent, secret: null, qr: null, error: 'totpAlreadyOn' }, { status: 400 });
      return { intent: 'totpStart' as const, ...started, error: null };
    }
    const done = intent === 'totpConfirm' ? await confirmTotp(user.id, code) : await disableTotp(user.id, code);
    if (!done) return data({ intent, secret: null, qr: null, error: 'totpInvalid' }, { status: 400 });
    return redirectWithToast('/profile', { type: 'success', key: intent === 'totpConfirm' ? 'toast.totpEnabled' : 'toast.totpDisabled' });
  }
  if (intent === 'identifierStart') {
    const submission = parseWithZod(formData, { schema: identifierChangeSchema });
    if (submission.status !== 'success') return data({ intent: 'identifierStart' as const, result: submission.reply({ hideFields: ['currentPassword'] }) }, { status: 400 });
    const started = await startIdentifierChange({ userId: user.id, ...submission.value, language: await getLanguage(request), ip: clientIp(request) });
    if (!started.ok) {
      const field = started.reason === 'wrongPassword' || started.reason === 'passwordTooManyAttempts' ? 'currentPassword' : 'identifier';
      return data({ intent: 'identifierStart' as const, result: submission.reply({ fieldErrors: { [field]: [started.reason] }, hideFields: ['currentPassword'] }) }, { status: 400 });
    }
    return redirect('/profile#identifiers', { status: 303, headers: { 'Set-Cookie': await rememberIdentifier(request, 'change', started.identifier) } });
  }
  if (intent === 'identifierCode' || intent === 'identifierCancel') {
    const pending = await pendingIdentifier(request, 'change');
    if (intent === 'identifierCancel' || !pending) return redirect('/profile#identifiers', { status: 303, headers: { 'Set-Cookie': await forgetIdentifier(request) } });
    const submission = parseWithZod(formData, { schema: codeSchema });
    if (submission.status !== 'success') return data({ intent: 'identifierCode' as const, result: submission.reply({ hideFields: ['code'] }) }, { status: 400 });
    const finished = await finishIdentifierChange({ userId: user.id, identifier: pending, code: submission.value.code, ip: clientIp(request) });
    if (!finished.ok) return data({ intent: 'identifierCode' as const, result: submission.reply({ fieldErrors: { code: [finished.reason] }, hideFields: ['code'] }) }, { status: 400 });
    return redirectWithToast('/profile', { type: 'success', key: 'toast.identifierProven' }, { headers: { 'Set-Cookie': await forgetIdentifier(request) } });
  }
  if (intent === 'password') {
    const submission = parseWithZod(formData, { schema: changePasswordSchema });
    if (submission.status !== 'success') {
      return data({ intent: 'password', result: submission.reply({ hideFields: PASSWORD_FIELDS }) }, { status: 400 });
    }
    const changed = await changePassword(user.id, submission.value.currentPassword, submission.value.password);
    if (!changed.ok) {
      return data(
        {
          intent: 'password',
          result: submission.reply({ fieldErrors: { currentPassword: [changed.reason] }, hideFields: PASSWORD_FIELDS }),
        },
        { status: 400 },
      );
    }
    // Every session was revoked, this one too: sign this browser in again with a new id.
    const headers = new Headers();
    headers.append('Set-Cookie', await startUserSession(request, user.id));
    return redirectWithToast('/profile', { type: 'success', key: 'toast.passwordChanged' }, { headers });
  }

  const submission = parseWithZod(formData, { schema: profileSchema });
  if (submission.status !== 'success') {
    return data({ intent: 'profile', result: submission.reply() }, { status: 400 });
  }
  const streets = await listStreetsWithCommunities();
  const streetId = streets.find((s) => s.communities.some((c) => c.id === submission.value.communityId))?.id;
  const updated = await updateProfile(user.id, { ...submission.value, streetId });
  if (!updated.ok) {
    return data({ intent: 'profile', result: submission.reply({ fieldErrors: { communityId: [updated.reason] } }) }, { status: 400 });
  }
  const headers = new Headers();
  headers.append('Set-Cookie', await languageCookie.serialize(submission.value.language));
  headers.append('Set-Cookie', await toastCookie({ type: 'success', key: 'toast.profileSaved' }));
  return data({ intent: 'profile', result: submission.reply({ resetForm: false }) }, { headers });
}

export default function ProfilePage() {
  const { t } = useTranslation(['profile', 'auth', 'common']);
  const { profile, streets, totp, pendingIdentifier, invitations, mentoring } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [searchParams] = useSearchParams();
  const [profileForm, profileFields] = useForm({
    id: 'profile',
    lastResult: actionData?.intent === 'profile' && 'result' in actionData ? actionData.result : undefined,
    defaultValue: { name: profile.name, communityId: profile.communityId, language: profile.language },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: profileSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const [passwordForm, passwordFields] = useForm({
    id: 'password',
    lastResult: actionData?.intent === 'password' && 'result' in actionData ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      {searchParams.get('welcome') ? (
        <div className="rounded-lg border border-brand-600 bg-brand-50 p-4 text-brand-800" role="status">
          {t('welcome')} {profile.communityId ? null : t('welcomeCommunity')}
        </div>
      ) : null}
      <section className="card" aria-labelledby="profile-heading">
        <h1 id="profile-heading" className="mb-1 text-2xl font-bold">
          {t('title')}
        </h1>
        <p className="mb-4 text-sm text-stone-600">
          {t('signsInWith', { identifier: profile.phone ?? profile.email ?? '' })} ·{' '}
          {t('memberSince', { date: formatDate(profile.createdAt, language) })}
        </p>
        <Form method="post" {...getFormProps(profileForm)} className="space-y-4">
          <input type="hidden" name="intent" value="profile" />
          <Field
            label={t('auth:fields.name')}
            meta={profileFields.name}
            inputProps={{ ...getInputProps(profileFields.name, { type: 'text' }), autoComplete: 'name' }}
          />
          <SelectField
            label={t('community')}
            meta={profileFields.communityId}
            selectProps={getSelectProps(profileFields.communityId)}
          >
            <option value="">{t('communityNone')}</option>
            <CommunityOptions streets={streets} language={language} />
          </SelectField>
          <SelectField label={t('language')} meta={profileFields.language} selectProps={getSelectProps(profileFields.language)}>
            {LANGUAGES.map((lng) => (
              <option key={lng} value={lng}>
                {t(`common:language.${lng}`)}
              </option>
            ))}
          </SelectField>
          <ErrorList id={profileForm.errorId} errors={profileForm.errors} />
          <button type="submit" className="btn-primary">
            {t('save')}
          </button>
        </Form>
      </section>

      <MyProjectsSection invitations={invitations} mentoring={mentoring} />

      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading" className="mb-1 text-xl font-bold">
          {t('passwordTitle')}
        </h2>
        <p className="mb-4 text-sm text-stone-600">{t('passwordIntro')}</p>
        <Form method="post" {...getFormProps(passwordForm)} className="space-y-4">
          <input type="hidden" name="intent" value="password" />
          <Field
            label={t('currentPassword')}
            meta={passwordFields.currentPassword}
            inputProps={{ ...getInputProps(passwordFields.currentPassword, { type: 'password' }), autoComplete: 'current-password' }}
          />
          <NewPasswordFields password={passwordFields.password} confirm={passwordFields.confirmPassword} label={t('newPassword')} />
          <ErrorList id={passwordForm.errorId} errors={passwordForm.errors} />
          <button type="submit" className="btn-primary">
            {t('changePassword')}
          </button>
        </Form>
      </section>

      <IdentifiersSection
        phone={profile.phone}
        phoneProven={profile.phoneProven}
        email={profile.email}
        emailProven={profile.emailProven}
        pendingTo={pendingIdentifier}
        lastResult={actionData && 'result' in actionData && (actionData.intent === 'identifierStart' || actionData.intent === 'identifierCode') ? { intent: actionData.intent, result: actionData.result } : null}
      />

      {totp ? <TotpSection enabled={totp.enabled} pending={actionData && 'qr' in actionData ? actionData : null} /> : null}
    </div>
  );
}

function TotpSection({ enabled, pending }: { enabled: boolean; pending: { intent: string; secret: string | null; qr: string | null; error: string | null } | null }) {
  const { t } = useTranslation(['auth', 'common']);
  return (
    <section className="card space-y-3" aria-labelledby="totp-heading">
      <h2 id="totp-heading" className="text-xl font-bold">
        {t('totp.section')}
      </h2>
      <p className="text-sm text-stone-600">{t('totp.sectionIntro')}</p>
      {enabled ? (
        <Form method="post" className="space-y-2">
          <p className="font-medium text-brand-800">{t('totp.enabled')}</p>
          <input type="hidden" name="intent" value="totpDisable" />
          <label className="block">
            <span className="mb-1 block text-sm">{t('totp.disableCode')}</span>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} className="input font-mono" required />
          </label>
          <button type="submit" className="btn-danger">
            {t('totp.disable')}
          </button>
        </Form>
      ) : pending?.qr ? (
        <Form method="post" className="space-y-2">
          <p>{t('totp.scan')}</p>
          <img src={pending.qr} alt="" width={180} height={180} className="rounded border border-stone-200" />
          <p className="font-mono text-sm break-all" data-testid="totp-secret">
            {pending.secret}
          </p>
          <input type="hidden" name="intent" value="totpConfirm" />
          <label className="block">
            <span className="mb-1 block text-sm">{t('totp.confirm')}</span>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} className="input font-mono" required />
          </label>
          <button type="submit" className="btn-primary">
            {t('totp.confirmSubmit')}
          </button>
        </Form>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="totpStart" />
          <button type="submit" className="btn-secondary">
            {t('totp.start')}
          </button>
        </Form>
      )}
      <ErrorList errors={pending?.error ? [pending.error] : undefined} />
    </section>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
