import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { ProposalStatusBadge } from '~/features/proposals/status-badge';
import { ErrorList } from '~/components/forms';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { requireUser } from '~/core/auth.server';
import { acceptWithHandoverCode, answerInvitation, pendingInvitations } from '~/features/proposals/coauthors.server';
import { redirectWithToast } from '~/core/toast.server';
import { pageTitle } from '~/core/i18n.server';
import { listMyProposals } from '~/features/proposals/browse.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { readForm } from '~/core/request.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'proposals'] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [proposals, invitations, title] = await Promise.all([
    listMyProposals(user.id),
    pendingInvitations(user.id),
    pageTitle(request, 'proposals:mine.title', ['proposals', 'common']),
  ]);
  return { title, proposals, invitations };
}

const answerSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.enum(['accept', 'decline']), invitationId: z.string().max(40) }),
  z.object({ intent: z.literal('code'), code: z.string().trim().max(20) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = answerSchema.safeParse(Object.fromEntries(await readForm(request)));
  invariantResponse(parsed.success, 'Bad request', { status: 400 });
  if (parsed.data.intent === 'code') {
    const accepted = await acceptWithHandoverCode(user.id, parsed.data.code);
    if (!accepted.ok) return data({ codeError: accepted.reason === 'tooManyAttempts' ? 'tooManyAttemptsShort' : 'handoverInvalid' }, { status: accepted.reason === 'tooManyAttempts' ? 429 : 400 });
    return redirectWithToast(`/competitions/${accepted.competitionSlug}/proposals/${accepted.number}`, { type: 'success', key: 'proposals:toast.accepted' });
  }
  const answered = await answerInvitation(user.id, parsed.data.invitationId, parsed.data.intent === 'accept');
  invariantResponse(answered.ok, 'Not found', { status: 404 });
  if (parsed.data.intent === 'accept') {
    return redirectWithToast(`/competitions/${answered.competitionSlug}/proposals/${answered.number}`, { type: 'success', key: 'proposals:toast.accepted' });
  }
  return redirectWithToast('/my/proposals', { type: 'info', key: 'proposals:toast.declined' });
}

export default function MyProposalsPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { proposals, invitations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('mine.title')}</h1>
      {invitations.length ? (
        <section className="card space-y-2 border-brand-600" aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="text-lg font-semibold">
            {t('coauthors.invitationsTitle')}
          </h2>
          <ul className="space-y-2">
            {invitations.map((invitation) => (
              <li key={invitation.invitationId} className="flex flex-wrap items-center justify-between gap-2">
                <span>{invitation.needsCode ? t('coauthors.invitedUnproven') : t('coauthors.invitedYou', { name: invitation.invitedBy, title: invitation.title })}</span>
                {invitation.needsCode ? (
                  <p className="w-full text-sm text-amber-800">
                    {t('coauthors.codeNeeded')}{' '}
                    <Link to="/profile#identifiers" className="font-medium underline">
                      {t('common:nav.profile')}
                    </Link>
                  </p>
                ) : (
                  <Form method="post" className="flex gap-2">
                    <input type="hidden" name="invitationId" value={invitation.invitationId} />
                    <button type="submit" name="intent" value="accept" className="btn-primary">
                      {t('coauthors.accept')}
                    </button>
                    <button type="submit" name="intent" value="decline" className="btn-secondary">
                      {t('coauthors.decline')}
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <details className="card" open={Boolean(actionData?.codeError) || invitations.some((i) => i.needsCode)}>
        <summary className="inline-flex min-h-11 items-center cursor-pointer font-semibold">{t('coauthors.haveCode')}</summary>
        <Form method="post" className="mt-3 space-y-2">
          <label htmlFor="handover-code" className="block font-medium">
            {t('coauthors.codeLabel')}
          </label>
          <p id="handover-code-help" className="text-sm text-stone-600">
            {t('coauthors.haveCodeHelp')}
          </p>
          <input
            id="handover-code"
            name="code"
            className="input font-mono uppercase"
            autoComplete="off"
            required
            maxLength={20}
            aria-describedby={actionData?.codeError ? 'handover-code-help handover-code-error' : 'handover-code-help'}
            aria-invalid={actionData?.codeError ? true : undefined}
          />
          <ErrorList id="handover-code-error" errors={actionData?.codeError ? [actionData.codeError] : undefined} />
          <button type="submit" name="intent" value="code" className="btn-secondary">
            {t('coauthors.codeSubmit')}
          </button>
        </Form>
      </details>
      {proposals.length === 0 ? <EmptyState title={t('mine.empty')} next={t('mine.emptyNext')} action={{ to: '/', label: t('mine.emptyAction') }} /> : null}
      <ul className="space-y-2">
        {proposals.map((p) => (
          <li key={`${p.competitionSlug}-${p.number}`} className="card flex flex-wrap items-center justify-between gap-2">
            <div>
              <Link to={`/competitions/${p.competitionSlug}/proposals/${p.number}`} className="text-lg font-semibold text-brand-800 underline">
                {p.title}
              </Link>
              <p className="text-sm text-stone-600">
                {pickText(p.competitionTitle, language)} · #{p.number} · {formatMoney(p.totalFen, language)} ·{' '}
                {t('mine.updated', { date: formatDate(p.updatedAt, language) })}
              </p>
            </div>
            <ProposalStatusBadge status={p.status} funded={p.funded} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
