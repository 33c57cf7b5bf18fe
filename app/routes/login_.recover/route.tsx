import { getFormProps, useForm } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { CodeField, IdentifierField, NewPasswordFields } from '~/features/accounts/account-fields';
import { codeSchema, normalizeIdentifier, parseWithZod, resetPasswordSchema, unlockStartSchema } from '~/features/accounts/auth.schema.server';
import { resetPasswordWithCode, sendAccountCode, unlockAccount } from '~/features/accounts/login.server';
import { forgetIdentifier, pendingIdentifier, rememberIdentifier } from '~/features/accounts/pending-identifier.server';
import { requireAnonymous } from '~/core/auth.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { maskIdentifier } from '~/core/messages.server';
import { clientIp, readForm } from '~/core/request.server';
import { startUserSession } from '~/core/session.server';
import { pendingSecondFactorCookie, totpStatus } from '~/core/totp.server';
import { redirectWithToast, toastCookie } from '~/core/toast.server';
import { titleMeta } from '~/utils/meta';

export const handle = { i18n: ['common', 'auth'] };

type Mode = 'unlock' | 'reset';
const modeOf = (value: unknown): Mode => (value === 'reset' ? 'reset' : 'unlock');
const HIDDEN = ['code', 'password', 'confirmPassword'];

/**
 * A code to the account's proven number or address, for two needs (issue 11, finding 16):
 * `unlock` lifts the lock after too many wrong passwords (the password stays), `reset` sets a new
 * password when it was forgotten. The first step answers the same for any identifier.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  const mode = modeOf(url.searchParams.get('mode'));
  const pending = url.searchParams.get('step') === 'code' ? await pendingIdentifier(request, mode) : null;
  return {
    title: await pageTitle(request, mode === 'reset' ? 'auth:recover.resetTitle' : 'auth:recover.unlockTitle', ['auth', 'common']),
    mode,
    sentTo: pending ? maskIdentifier(pending.value) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await readForm(request);
  const mode = modeOf(form.get('mode'));
  const ip = clientIp(request);
  if (form.get('intent') === 'code') {
    const submission = parseWithZod(form, { schema: mode === 'reset' ? resetPasswordSchema : codeSchema });
    if (submission.status !== 'success') return data({ step: 'code' as const, result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
    const pending = await pendingIdentifier(request, mode);
    const refuse = (reason: string) => data({ step: 'code' as const, result: submission.reply({ fieldErrors: { code: [reason] }, hideFields: HIDDEN }) }, { status: 400 });
    if (!pending) return refuse('codeExpiredStartAgain');
    const { code } = submission.value;
    if (mode === 'unlock') {
      if (!(await unlockAccount({ identifier: pending, code, ip })).ok) return refuse('codeInvalid');
      return redirectWithToast('/login', { type: 'success', key: 'toast.unlocked' }, { headers: { 'Set-Cookie': await forgetIdentifier(request) } });
    }
    const password = 'password' in submission.value ? String(submission.value.password) : '';
    const reset = await resetPasswordWithCode({ identifier: pending, code, password, ip });
    if (!reset.ok) return refuse('codeInvalid');
    const headers = new Headers();
    headers.append('Set-Cookie', await forgetIdentifier(request));
    headers.append('Set-Cookie', await toastCookie({ type: 'success', key: 'toast.passwordReset' }));
    // A code to the phone replaces the password, never the second factor: with one on, the
    // session starts only after the authenticator code, as after a password.
    if ((await totpStatus(reset.userId)).enabled) {
      headers.append('Set-Cookie', await pendingSecondFactorCookie(request, reset.userId, '/profile'));
      return redirect('/login/verify', { status: 303, headers });
    }
    headers.append('Set-Cookie', await startUserSession(request, reset.userId));
    return redirect('/profile', { status: 303, headers });
  }
  const submission = parseWithZod(form, { schema: unlockStartSchema });
  if (submission.status !== 'success') return data({ step: 'start' as const, result: submission.reply() }, { status: 400 });
  const identifier = normalizeIdentifier(submission.value.identifier)!;
  const sent = await sendAccountCode({ purpose: mode, identifier, language: await getLanguage(request), ip });
  if (!sent.ok) return data({ step: 'start' as const, result: submission.reply({ fieldErrors: { identifier: [sent.reason] } }) }, { status: 400 });
  return redirect(`/login/recover?mode=${mode}&step=code`, { status: 303, headers: { 'Set-Cookie': await rememberIdentifier(request, mode, identifier) } });
}

export default function RecoverPage() {
  const { t } = useTranslation(['auth', 'common']);
  const { mode, sentTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const codeStep = Boolean(sentTo) || actionData?.step === 'code';
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-1 text-2xl font-bold">{t(mode === 'reset' ? 'recover.resetTitle' : 'recover.unlockTitle')}</h1>
      <p className="mb-4 text-stone-600" data-testid="recover-intro">
        {codeStep ? t(mode === 'reset' ? 'recover.resetCodeSent' : 'recover.unlockCodeSent', { to: sentTo ?? '' }) : t('recover.intro')}
      </p>
      {codeStep ? <CodeStep mode={mode} /> : <StartStep mode={mode} />}
      <p className="mt-4 text-sm text-stone-600">{t('recover.noProvenNumber')}</p>
      <p className="mt-4 flex flex-wrap justify-between gap-3">
        <Link to="/login" className="font-medium text-brand-700 underline">
          {t('recover.back')}
        </Link>
        <Link to={`/login/recover?mode=${mode === 'reset' ? 'unlock' : 'reset'}`} className="font-medium text-brand-700 underline">
          {t(mode === 'reset' ? 'recover.toUnlock' : 'recover.toReset')}
        </Link>
      </p>
    </div>
  );
}

function StartStep({ mode }: { mode: Mode }) {
  const { t } = useTranslation(['auth', 'common']);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.infer<typeof unlockStartSchema>>({
    id: `recover-${mode}-start`,
    // Both steps are checked by the action only (decision 015): the reply brings the errors.
    lastResult: actionData?.step === 'start' ? actionData.result : undefined,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="mode" value={mode} />
      <IdentifierField meta={fields.identifier} />
      <ErrorList id={form.errorId} errors={form.errors} summary />
      <button type="submit" name="intent" value="send" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
        {t('register.sendCode')}
      </button>
    </Form>
  );
}

function CodeStep({ mode }: { mode: Mode }) {
  const { t } = useTranslation(['auth', 'common']);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // Unlocking sends the code alone, resetting the new password too: one form's fields for both.
  const [form, fields] = useForm<z.infer<typeof resetPasswordSchema>>({
    id: `recover-${mode}-code`,
    lastResult: actionData?.step === 'code' ? actionData.result : undefined,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="mode" value={mode} />
      <CodeField meta={fields.code} />
      {mode === 'reset' ? <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} label={t('recover.newPassword')} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} summary />
      <button type="submit" name="intent" value="code" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
        {t(mode === 'reset' ? 'recover.resetSubmit' : 'recover.unlockSubmit')}
      </button>
    </Form>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
