import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, SubmitButton } from '~/components/forms';
import { VotingAdminNav, VotingError } from '~/features/voting/voting';
import { voidSchema } from '~/features/voting/voting.schema';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { tally } from '~/features/voting/tally.server';
import { redirectWithToast } from '~/core/toast.server';
import { voidBallot, votingContext, type VoidResult } from '~/features/voting/voting.server';
import { formatDate, formatMoney, formatNumber, formatPercent } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { phaseReached, phaseWindow, votingFinished } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import { BALLOT_CHANNELS } from '~/features/voting/rules';
import { requireCompetition } from '~/features/competitions/context.server';
import { ScrollRegion } from '~/components/scroll-region';

export const handle = { i18n: ['common', 'voting'] };

/** The committee's count: live during voting, final after; by channel and by street; voiding. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const [result, title] = await Promise.all([tally(ctx.id), pageTitle(request, 'voting:tally.title', ['voting', 'common'])]);
  // Before voting opens there is nothing live to show: say when it starts instead.
  const stage = votingFinished(ctx.phase) ? 'final' : phaseReached(ctx.phase, 'voting') ? 'live' : 'notYet';
  const opensAt = phaseWindow(ctx.phases, 'voting')?.startsAt.toISOString() ?? null;
  return { title, slug: ctx.slug, final: stage === 'final', stage, opensAt, phase: ctx.phase, rules: ctx.rules, tally: result };
}

/**
 * A refused voiding: the fields' errors (i18n keys), or the reason when no field is at fault, and
 * what was typed (kept in the form, also without JavaScript).
 */
function refused(
  typed: { ballot: string; reason: string },
  reason: Extract<VoidResult, { ok: false }>['reason'] | null,
  errors: Record<string, string[] | undefined> = {},
) {
  return data({ reason, errors, typed }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = votingContext(competition);
  const form = Object.fromEntries(await readForm(request));
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const typed = { ballot: text(form.ballot), reason: text(form.reason) };
  const parsed = voidSchema.safeParse(form);
  if (!parsed.success) return refused(typed, null, z.flattenError(parsed.error).fieldErrors);
  const result = await voidBallot({ ctx, ballot: parsed.data.ballot, reason: parsed.data.reason, actorId: user.id, ip: clientIp(request) });
  if (!result.ok) return refused(typed, result.reason);
  return redirectWithToast(`/competitions/${ctx.slug}/voting`, { type: 'success', key: 'voting:toast.voided' });
}

export default function TallyPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { slug, stage, opensAt, rules, tally: result } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const streetsWithVotes = result.streets.filter((s) => result.rows.some((r) => r.byStreet[s.id]));
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('tally.title')}</h2>
      <VotingAdminNav slug={slug} />
      <p className="text-stone-600" data-testid="tally-stage">
        {stage === 'notYet'
          ? t('tally.notYet', { date: opensAt ? formatDate(opensAt, language, { dateStyle: 'long' }) : '' })
          : t(`tally.${stage}`)}
      </p>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="tally-summary">
        <div className="card">
          <dt className="text-sm text-stone-500">{t('tally.voters')}</dt>
          <dd className="text-2xl font-bold" data-testid="tally-voters">
            {formatNumber(result.voters, language)}
          </dd>
        </div>
        {BALLOT_CHANNELS.map((channel) => (
          <div key={channel} className="card">
            <dt className="text-sm text-stone-500">{t(`channel.${channel}`)}</dt>
            <dd className="text-2xl font-bold" data-testid={`tally-channel-${channel}`}>
              {formatNumber(result.votersByChannel[channel], language)}
            </dd>
          </div>
        ))}
        <div className="card">
          <dt className="text-sm text-stone-500">{t('tally.voided')}</dt>
          <dd className="text-2xl font-bold">{formatNumber(result.voided, language)}</dd>
        </div>
      </dl>
      <ScrollRegion label={t('tally.tableLabel')}>
        <table className="w-full text-left text-sm" data-testid="tally-table">
          <thead>
            <tr className="border-b border-stone-300 whitespace-nowrap">
              <th className="p-2">{t('tally.proposal')}</th>
              <th className="p-2">{t('tally.cost')}</th>
              <th className="p-2">{rules.method === 'budget' ? t('tally.approvals') : t('tally.votes')}</th>
              <th className="p-2">{t('tally.share')}</th>
              {BALLOT_CHANNELS.map((channel) => (
                <th key={channel} className="p-2">
                  {t(`channel.${channel}`)}
                </th>
              ))}
              {streetsWithVotes.map((s) => (
                <th key={s.id} className="p-2">
                  {pickText(s.name, language)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row) => (
              <tr key={row.number} className="border-b border-stone-100" data-number={row.number}>
                <th scope="row" className="min-w-44 p-2 font-normal">
                  <Link to={`../proposals/${row.number}`} relative="path" className="inline-flex min-h-11 items-center text-brand-800 underline">
                    #{row.number} {row.title}
                  </Link>
                </th>
                <td className="p-2">{formatMoney(row.totalFen, language)}</td>
                <td className="p-2 font-semibold" data-testid="votes">
                  {formatNumber(row.votes, language)}
                </td>
                <td className="p-2">{formatPercent(row.share, language)}</td>
                {BALLOT_CHANNELS.map((channel) => (
                  <td key={channel} className="p-2">
                    {formatNumber(row.byChannel[channel], language)}
                  </td>
                ))}
                {streetsWithVotes.map((s) => (
                  <td key={s.id} className="p-2">
                    {formatNumber(row.byStreet[s.id] ?? 0, language)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <Form method="post" className="card grid gap-3 sm:grid-cols-[1fr_2fr] sm:items-end">
        <p className="font-semibold sm:col-span-2">{t('void.title')}</p>
        <label className="block">
          <span className="mb-1 block text-sm">{t('void.ballot')}</span>
          <input name="ballot" required className="input" defaultValue={actionData?.typed.ballot} />
          <ErrorList errors={actionData?.errors.ballot} />
        </label>
        <label className="block">
          <span className="mb-1 block text-sm">{t('void.reason')}</span>
          <input name="reason" required minLength={5} className="input" defaultValue={actionData?.typed.reason} />
          <ErrorList errors={actionData?.errors.reason} />
        </label>
        <div className="space-y-3 sm:col-span-2">
          <ConfirmStep act="void" errors={actionData?.errors.confirm} />
          <SubmitButton className="btn-secondary">
            {t('void.submit')}
          </SubmitButton>
          <VotingError reason={actionData?.reason} />
          <p className="text-sm text-stone-500">{t('void.help')}</p>
        </div>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
