import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Field } from '~/components/forms';
import { VotingError } from '~/features/voting/voting';
import { redeemSchema } from '~/features/voting/voting.schema';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { myResidency, redeemCode } from '~/features/voting/verification.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'voting'] };

/** A resident confirms where they live with the one-time code their community handed out. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [residency, title] = await Promise.all([myResidency(user.id), pageTitle(request, 'voting:verify.title', ['voting', 'common'])]);
  return { title, residency, redirectTo: new URL(request.url).searchParams.get('redirectTo') ?? '' };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: redeemSchema });
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['code'] }), reason: null }, { status: 400 });
  const redeemed = await redeemCode({ userId: user.id, code: submission.value.code, ip: clientIp(request) });
  if (!redeemed.ok) {
    return data({ result: submission.reply({ hideFields: ['code'] }), reason: redeemed.reason }, { status: redeemed.reason === 'tooManyAttempts' ? 429 : 400 });
  }
  return redirectWithToast(safeRedirect(form.get('redirectTo'), '/verify'), {
    type: 'success',
    key: 'voting:toast.verified',
    values: { community: redeemed.community.zh },
  });
}

export default function VerifyPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { residency, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'verify-code',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: redeemSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">{t('verify.title')}</h1>
      {residency ? (
        <p className="card" data-testid="residency">
          {t('verify.done', {
            community: pickText(residency.community, language),
            date: formatDate(residency.verifiedAt, language, { dateStyle: 'long' }),
          })}
        </p>
      ) : (
        <p className="text-stone-600">{t('verify.intro')}</p>
      )}
      <Form method="post" {...getFormProps(form)} className="card space-y-3">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label={t('verify.code')}
          meta={fields.code}
          inputProps={{ ...getInputProps(fields.code, { type: 'text' }), autoComplete: 'one-time-code', autoCapitalize: 'characters', className: 'input font-mono text-2xl tracking-widest' }}
          help={t('verify.codeHelp')}
        />
        <VotingError reason={actionData?.reason} />
        <button type="submit" className="btn-primary w-full py-3 text-lg">
          {t('verify.submit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
