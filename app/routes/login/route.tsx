import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ErrorList, Field } from '~/components/forms';
import { IdentifierField } from '~/features/accounts/account-fields';
import { loginSchema, parseWithZod } from '~/features/accounts/auth.schema.server';
import { requireAnonymous } from '~/core/auth.server';
import { readForm } from '~/core/request.server';
import { authenticator } from '~/features/accounts/login.server';
import { deviceKiosk } from '~/features/accounts/kiosk.server';
import { pageTitle } from '~/core/i18n.server';
import { createUserSession } from '~/core/session.server';
import { pendingSecondFactorCookie, totpStatus } from '~/core/totp.server';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';

export const handle = { i18n: ['common', 'auth'] };

/** An enrolled kiosk offers no password sign-in: its own start screen instead (decision 032). */
async function refuseOnKiosk(request: Request) {
  if ((await deviceKiosk(request)).state === 'kiosk') throw redirect('/kiosk');
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  await refuseOnKiosk(request);
  return { title: await pageTitle(request, 'auth:login.title', ['auth', 'common']) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  await refuseOnKiosk(request);
  const formData = await readForm(request.clone());
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }), values: {}, unlockable: false }, { status: 400 });
  }
  const login = await authenticator.authenticate('form', request);
  if (!login.ok) {
    const minutes = Math.ceil((login.retryAfterMs ?? 0) / 60_000);
    return data(
      { result: submission.reply({ formErrors: [login.reason], hideFields: ['password'] }), values: { minutes }, unlockable: Boolean(login.unlockable) },
      { status: login.reason === 'tooManyAttempts' ? 429 : 400 },
    );
  }
  const redirectTo = safeRedirect(submission.value.redirectTo, '/');
  if ((await totpStatus(login.userId)).enabled) {
    // Password right; the session starts only after the authenticator code.
    return redirect('/login/verify', { status: 303, headers: { 'Set-Cookie': await pendingSecondFactorCookie(request, login.userId, redirectTo) } });
  }
  return createUserSession(request, login.userId, redirectTo);
}

export default function LoginPage() {
  const { t } = useTranslation(['auth', 'common']);
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  // Checked by the action only, its errors shown from the reply: a public page carries no zod.
  const [form, fields] = useForm<z.infer<typeof loginSchema>>({
    id: 'login',
    lastResult: actionData?.result,
  });
  const redirectTo = searchParams.get('redirectTo') ?? '';
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-4 text-2xl font-bold">{t('login.title')}</h1>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <IdentifierField meta={fields.identifier} />
        <Field
          label={t('fields.password')}
          meta={fields.password}
          inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }}
        />
        <ErrorList id={form.errorId} errors={form.errors} values={actionData?.values} summary />
        {actionData?.unlockable ? (
          <p className="text-stone-700">
            <Link to="/login/recover?mode=unlock" className="font-medium text-brand-700 underline">
              {t('recover.unlockLink')}
            </Link>
          </p>
        ) : null}
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {t('login.submit')}
        </button>
      </Form>
      <p className="mt-3 text-center">
        <Link to="/login/recover?mode=reset" className="inline-flex min-h-11 items-center text-brand-700 underline">
          {t('recover.forgot')}
        </Link>
      </p>
      <p className="mt-4 text-center text-stone-600">
        {t('login.noAccount')}{' '}
        <Link to="/register" className="font-medium text-brand-700 underline">
          {t('login.registerLink')}
        </Link>
      </p>
      <p className="mt-2 text-center text-sm text-stone-500">{t('login.offlineHelp')}</p>
      <p className="mt-2 text-center text-sm">
        <Link to="/claim" className="inline-flex min-h-11 items-center text-brand-700 underline">
          {t('common:nav.claim')}
        </Link>
      </p>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
