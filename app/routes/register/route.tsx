import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ErrorList, Field } from '~/components/forms';
import { CodeField, IdentifierField, NewPasswordFields } from '~/features/accounts/account-fields';
import { normalizeIdentifier, parseWithZod, registerSchema, registerStartSchema } from '~/features/accounts/auth.schema.server';
import { forgetIdentifier, pendingIdentifier, rememberIdentifier } from '~/features/accounts/pending-identifier.server';
import { requireAnonymous } from '~/core/auth.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { maskIdentifier } from '~/core/messages.server';
import { startUserSession } from '~/core/session.server';
import { clientIp, readForm } from '~/core/request.server';
import { registerUser, startRegistration } from '~/features/accounts/users.server';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';

export const handle = { i18n: ['common', 'auth'] };

const HIDDEN = ['password', 'confirmPassword', 'code'];

/**
 * Registering in two steps, as Chinese services do: a code goes to the phone number or e-mail
 * address, then the code, a name and a password open the account with that number proven.
 * Step one answers the same whether the number is new or taken (issue 11, findings 2 and 11).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  const pending = url.searchParams.get('step') === 'code' ? await pendingIdentifier(request, 'register') : null;
  return {
    title: await pageTitle(request, 'auth:register.title', ['auth', 'common']),
    sentTo: pending ? maskIdentifier(pending.value) : null,
    redirectTo: url.searchParams.get('redirectTo') ?? '',
  };
}

function codeStepUrl(redirectTo: string | undefined) {
  const params = new URLSearchParams({ step: 'code' });
  if (redirectTo) params.set('redirectTo', redirectTo);
  return `/register?${params.toString()}`;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = await readForm(request);
  const intent = form.get('intent');
  const language = await getLanguage(request);
  const ip = clientIp(request);

  if (intent === 'finish') {
    const submission = parseWithZod(form, { schema: registerSchema });
    if (submission.status !== 'success') return data({ step: 'code' as const, result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
    const pending = await pendingIdentifier(request, 'register');
    if (!pending) return data({ step: 'code' as const, result: submission.reply({ formErrors: ['codeExpiredStartAgain'], hideFields: HIDDEN }) }, { status: 400 });
    const { name, code, password, redirectTo } = submission.value;
    const registered = await registerUser({ name, identifier: pending.value, code, password, language, ip });
    if (!registered.ok) {
      const field = registered.reason === 'codeInvalid' ? 'code' : '';
      return data(
        { step: 'code' as const, result: submission.reply({ ...(field ? { fieldErrors: { code: [registered.reason] } } : { formErrors: [registered.reason] }), hideFields: HIDDEN }) },
        { status: 400 },
      );
    }
    const headers = new Headers();
    headers.append('Set-Cookie', await startUserSession(request, registered.userId));
    headers.append('Set-Cookie', await forgetIdentifier(request));
    return redirect(safeRedirect(redirectTo, '/profile?welcome=1'), { status: 303, headers });
  }

  // "send" (step one) and "resend" (step two, to the number kept in the cookie).
  const resend = intent === 'resend' ? await pendingIdentifier(request, 'register') : null;
  const redirectField = form.get('redirectTo');
  const submission = parseWithZod(resend ? new URLSearchParams({ identifier: resend.value, redirectTo: typeof redirectField === 'string' ? redirectField : '' }) : form, {
    schema: registerStartSchema,
  });
  if (submission.status !== 'success') return data({ step: 'start' as const, result: submission.reply() }, { status: 400 });
  const started = await startRegistration({ identifier: submission.value.identifier, language, ip });
  if (!started.ok) {
    return data({ step: resend ? ('code' as const) : ('start' as const), result: submission.reply({ fieldErrors: { identifier: [started.reason] }, formErrors: resend ? [started.reason] : [] }) }, { status: 400 });
  }
  const identifier = normalizeIdentifier(submission.value.identifier)!;
  return redirect(codeStepUrl(submission.value.redirectTo), { status: 303, headers: { 'Set-Cookie': await rememberIdentifier(request, 'register', identifier) } });
}

export default function RegisterPage() {
  const { sentTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A code step whose cookie expired falls back to step one.
  return sentTo || actionData?.step === 'code' ? <CodeStep sentTo={sentTo} /> : <StartStep />;
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation(['auth', 'common']);
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-1 text-2xl font-bold">{t('register.title')}</h1>
      {children}
      <p className="mt-4 text-center text-stone-600">
        {t('register.haveAccount')}{' '}
        <Link to="/login" className="font-medium text-brand-700 underline">
          {t('register.loginLink')}
        </Link>
      </p>
    </div>
  );
}

function StartStep() {
  const { t } = useTranslation(['auth', 'common']);
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // Checked by the action only, its errors shown from the reply: a public page carries no zod.
  const [form, fields] = useForm<z.infer<typeof registerStartSchema>>({
    id: 'register-start',
    lastResult: actionData?.step === 'start' ? actionData.result : undefined,
  });
  return (
    <Shell>
      <p className="mb-4 text-stone-600">{t('register.intro')}</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <IdentifierField meta={fields.identifier} />
        <ErrorList id={form.errorId} errors={form.errors} summary />
        <p className="text-sm text-stone-600">{t('register.privacy')}</p>
        <button type="submit" name="intent" value="send" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {t('register.sendCode')}
        </button>
      </Form>
    </Shell>
  );
}

function CodeStep({ sentTo }: { sentTo: string | null }) {
  const { t } = useTranslation(['auth', 'common']);
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // Checked by the action only, its errors shown from the reply: a public page carries no zod.
  const [form, fields] = useForm<z.infer<typeof registerSchema>>({
    id: 'register-finish',
    lastResult: actionData?.step === 'code' ? actionData.result : undefined,
  });
  return (
    <Shell>
      <p className="mb-4 text-stone-600" data-testid="code-sent">
        {sentTo ? t('register.codeSent', { to: sentTo }) : t('register.codeSentUnknown')}
      </p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <CodeField meta={fields.code} />
        <Field
          label={t('fields.name')}
          meta={fields.name}
          help={t('fields.nameHelp')}
          inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }}
        />
        <NewPasswordFields password={fields.password} confirm={fields.confirmPassword} />
        <ErrorList id={form.errorId} errors={form.errors} summary />
        <button type="submit" name="intent" value="finish" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {t('register.submit')}
        </button>
      </Form>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <Form method="post">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit" name="intent" value="resend" className="btn-secondary" disabled={navigation.state === 'submitting'}>
            {t('register.resend')}
          </button>
        </Form>
        <Link to="/register" className="font-medium text-brand-700 underline">
          {t('register.otherIdentifier')}
        </Link>
      </div>
    </Shell>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
