import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList, Field } from '~/components/forms';
import { PASSWORD_MIN, registerSchema } from '~/features/accounts/auth.schema';
import { requireAnonymous } from '~/core/auth.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { createUserSession } from '~/core/session.server';
import { clientIp, readForm } from '~/core/request.server';
import { registerUser } from '~/features/accounts/users.server';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';

export const handle = { i18n: ['common', 'auth'] };

const HIDDEN = ['password', 'confirmPassword'];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { title: await pageTitle(request, 'auth:register.title', ['auth', 'common']) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const submission = parseWithZod(await readForm(request), { schema: registerSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  }
  const { name, identifier, password, redirectTo } = submission.value;
  const registered = await registerUser({ name, identifier, password, language: await getLanguage(request), ip: clientIp(request) });
  if (!registered.ok) {
    return data(
      { result: submission.reply({ fieldErrors: { identifier: [registered.reason] }, hideFields: HIDDEN }) },
      { status: 400 },
    );
  }
  return createUserSession(request, registered.userId, safeRedirect(redirectTo, '/profile?welcome=1'));
}

export default function RegisterPage() {
  const { t } = useTranslation(['auth', 'common']);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: 'register',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-1 text-2xl font-bold">{t('register.title')}</h1>
      <p className="mb-4 text-stone-600">{t('register.intro')}</p>
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <Field
          label={t('fields.name')}
          meta={fields.name}
          help={t('fields.nameHelp')}
          inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }}
        />
        <Field
          label={t('fields.identifier')}
          meta={fields.identifier}
          help={t('fields.identifierHelp')}
          inputProps={{ ...getInputProps(fields.identifier, { type: 'text' }), autoComplete: 'username', inputMode: 'email' }}
        />
        <Field
          label={t('fields.password')}
          meta={fields.password}
          help={t('fields.passwordHelp', { min: PASSWORD_MIN })}
          inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
        />
        <Field
          label={t('fields.confirmPassword')}
          meta={fields.confirmPassword}
          inputProps={{ ...getInputProps(fields.confirmPassword, { type: 'password' }), autoComplete: 'new-password' }}
        />
        <ErrorList id={form.errorId} errors={form.errors} />
        <p className="text-sm text-stone-600">{t('register.privacy')}</p>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {t('register.submit')}
        </button>
      </Form>
      <p className="mt-4 text-center text-stone-600">
        {t('register.haveAccount')}{' '}
        <Link to="/login" className="font-medium text-brand-700 underline">
          {t('register.loginLink')}
        </Link>
      </p>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
