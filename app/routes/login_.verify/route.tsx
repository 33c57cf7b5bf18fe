import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { requireAnonymous } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { startUserSession } from '~/core/session.server';
import { checkTotp, clearPendingSecondFactor, readPendingSecondFactor } from '~/core/totp.server';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';
import { readForm } from '~/core/request.server';

export const handle = { i18n: ['common', 'auth'] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  if (!(await readPendingSecondFactor(request))) throw redirect('/login');
  return { title: await pageTitle(request, 'auth:totp.title', ['auth', 'common']) };
}

/** The second step of signing in for accounts with an authenticator app. */
export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const pending = await readPendingSecondFactor(request);
  if (!pending) throw redirect('/login');
  const parsed = z.object({ code: z.string().trim().max(10) }).safeParse(Object.fromEntries(await readForm(request)));
  const checked = parsed.success ? await checkTotp(pending.userId, parsed.data.code) : ({ ok: false, reason: 'totpInvalid' } as const);
  if (!checked.ok) return data({ errors: [checked.reason] }, { status: checked.reason === 'tooManyAttempts' ? 429 : 400 });
  const headers = new Headers();
  headers.append('Set-Cookie', await startUserSession(request, pending.userId));
  headers.append('Set-Cookie', await clearPendingSecondFactor(request));
  // Checked again: a pending sign-in may predate the current rules.
  return redirect(safeRedirect(pending.redirectTo), { status: 303, headers });
}

export default function SecondFactorPage() {
  const { t } = useTranslation(['auth', 'common']);
  const actionData = useActionData<typeof action>();
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-1 text-2xl font-bold">{t('totp.title')}</h1>
      <p className="mb-4 text-stone-600">{t('totp.intro')}</p>
      <Form method="post" className="space-y-4">
        <label className="block">
          <span className="mb-1 block font-medium">{t('totp.code')}</span>
          <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required className="input font-mono text-2xl tracking-widest" />
        </label>
        <ErrorList errors={actionData?.errors} values={{ minutes: 15 }} />
        <button type="submit" className="btn-primary w-full">
          {t('totp.submit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
