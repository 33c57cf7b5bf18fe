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
import { myVerifications } from '~/features/voting/verification.server';
import { redeemCode } from '~/features/voting/verification-codes.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'voting'] };

/**
 * A resident confirms where they live with the one-time code their community handed out, and sees
 * their verifications: for what (a competition, or a street or community), until when, and how;
 * not who gave them, nor any note.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [verifications, title] = await Promise.all([myVerifications(user.id), pageTitle(request, 'voting:verify.title', ['voting', 'common'])]);
  return { title, verifications, redirectTo: new URL(request.url).searchParams.get('redirectTo') ?? '' };
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
  const { verifications, redirectTo } = useLoaderData<typeof loader>();
  const current = verifications.filter((v) => v.status === 'current');
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
      {current.length ? (
        <div className="card space-y-2" data-testid="residency">
          <p className="font-semibold">{t('verify.done')}</p>
          <ul className="space-y-2">
            {current.map((v) => (
              <li key={v.id} className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 text-emerald-900">
                <p className="font-medium">{t(`verify.scope.${v.scope}`, { name: pickText(v.label, language) })}</p>
                <p>{t('verify.until', { date: v.until ? formatDate(v.until, language, { dateStyle: 'long' }) : '—' })}</p>
                <p className="text-sm">{t('verify.how', { method: t(`verifyMethod.${v.method}`) })}</p>
              </li>
            ))}
          </ul>
          <p className="text-sm text-stone-600">{t('verify.moved')}</p>
        </div>
      ) : (
        <p className="text-stone-600">{t('verify.intro')}</p>
      )}
      {verifications.some((v) => v.status !== 'current') ? (
        <ul className="space-y-1 text-sm text-stone-600" data-testid="residency-past">
          {verifications
            .filter((v) => v.status !== 'current')
            .map((v) => (
              <li key={v.id}>
                {t(`verify.scope.${v.scope}`, { name: pickText(v.label, language) })} · {t(`verify.status.${v.status}`)}
              </li>
            ))}
        </ul>
      ) : null}
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
