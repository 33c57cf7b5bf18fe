import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ErrorList, Field } from '~/components/forms';
import { claimSchema, parseWithZod } from '~/features/accounts/assist.schema.server';
import { PASSWORD_MIN } from '~/features/accounts/password-limits';
import { claimAccount } from '~/features/accounts/assist.server';
import { requireAnonymous } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { createUserSession } from '~/core/session.server';
import { titleMeta } from '~/utils/meta';

export const handle = { i18n: ['common', 'assist', 'auth'] };

const HIDDEN = ['password', 'confirmPassword', 'code'];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { title: await pageTitle(request, 'assist:claimPage.title', ['assist', 'common']) };
}

/** A resident registered by a grid worker takes the account over with the one-time code. */
export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseWithZod(await readForm(request), { schema: claimSchema });
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  const claimed = await claimAccount({ ...submission.value, ip: clientIp(request) });
  if (!claimed.ok) {
    const field = claimed.reason === 'identifierRequired' || claimed.reason === 'identifierTaken' ? 'identifier' : 'code';
    return data(
      { result: submission.reply({ fieldErrors: { [field]: [claimed.reason] }, hideFields: HIDDEN }) },
      { status: claimed.reason === 'tooManyAttempts' ? 429 : 400 },
    );
  }
  return createUserSession(request, claimed.userId, '/profile?welcome=1');
}

export default function ClaimPage() {
  const { t } = useTranslation(['assist', 'auth', 'common']);
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<z.infer<typeof claimSchema>>({
    id: 'claim',
    // Checked by the action only (decision 015): the reply brings its errors and what was typed.
    lastResult: actionData?.result,
  });
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-1 text-2xl font-bold">{t('claimPage.title')}</h1>
      <p className="mb-4 text-stone-600">{t('claimPage.intro')}</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <Field label={t('claimPage.code')} meta={fields.code} inputProps={{ ...getInputProps(fields.code, { type: 'text' }), autoComplete: 'one-time-code', className: 'input font-mono uppercase tracking-widest' }} />
        <Field label={t('claimPage.identifier')} meta={fields.identifier} help={t('claimPage.identifierHelp')} inputProps={{ ...getInputProps(fields.identifier, { type: 'text' }), autoComplete: 'username' }} />
        <Field label={t('auth:fields.password')} meta={fields.password} help={t('auth:fields.passwordHelp', { min: PASSWORD_MIN })} inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }} />
        <Field label={t('auth:fields.confirmPassword')} meta={fields.confirmPassword} inputProps={{ ...getInputProps(fields.confirmPassword, { type: 'password' }), autoComplete: 'new-password' }} />
        <ErrorList errors={form.errors} />
        <button type="submit" className="btn-primary w-full">
          {t('claimPage.submit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
