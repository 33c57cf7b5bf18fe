import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { VotingError } from '~/features/voting/voting';
import { choicesFrom, paperBallotSchema } from '~/features/voting/voting.schema';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listVerifiableResidents } from '~/features/voting/verification.server';
import { ballotOptions, enterPaperBallot, votingContext, type PaperFailure } from '~/features/voting/voting.server';
import { formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { votingOpen } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'voting'] };

/** Grid workers only; which residents they may enter ballots for is checked per resident. */
async function guard(args: CompetitionArgs) {
  const ctx = votingContext(await requireCompetition(args));
  const worker = await requirePermission(args.request, 'paperBallot:enter');
  return { ctx, worker };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { ctx, worker } = await guard({ request, params, context });
  const q = (new URL(request.url).searchParams.get('q') ?? '').slice(0, 50);
  // Every eligible proposal is listed; a street-scoped ballot is checked against the resident's street on saving.
  const [residents, options, title] = await Promise.all([
    listVerifiableResidents(worker, q, clientIp(request)),
    ballotOptions({ ...ctx, rules: { ...ctx.rules, scope: 'district' } }, null),
    pageTitle(request, 'voting:paper.title', ['voting', 'common']),
  ]);
  return { title, q, open: votingOpen(ctx.phases, new Date()), rules: ctx.rules, residents: residents.filter((r) => r.verifiedAt), options };
}

/** A refused ballot: the fields' errors (i18n keys), or the reason when no field is at fault. */
function refused(reason: PaperFailure | null, errors: Record<string, string[] | undefined> = {}) {
  return data({ reason, errors }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { ctx, worker } = await guard({ request, params, context });
  const form = await readForm(request);
  const parsed = paperBallotSchema.safeParse(Object.fromEntries(form));
  const choices = choicesFrom(form);
  if (!parsed.success || !choices) return refused(null, parsed.success ? { choice: ['invalidChoice'] } : z.flattenError(parsed.error).fieldErrors);
  const result = await enterPaperBallot({ ctx, worker, ...parsed.data, choices, ip: clientIp(request) });
  if (!result.ok) return refused(result.reason);
  return redirectWithToast(`/competitions/${ctx.slug}/vote/paper`, { type: 'success', key: 'voting:toast.paperEntered' });
}

export default function PaperBallotPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { q, open, rules, residents, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h2 className="text-2xl font-bold">{t('paper.title')}</h2>
      <p className="text-stone-600">{open ? t('paper.intro') : t('ballot.closed')}</p>
      <Form method="get" className="flex gap-2">
        <input name="q" defaultValue={q} className="input" placeholder={t('paper.search')} aria-label={t('paper.search')} />
        <button type="submit" className="btn-secondary">
          {t('paper.searchButton')}
        </button>
      </Form>
      {open ? (
        <Form method="post" className="card space-y-4">
          <label className="block">
            <span className="mb-1 block font-medium">{t('paper.resident')}</span>
            <select name="residentId" required className="input">
              <option value="">{t('paper.chooseResident')}</option>
              {residents.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} · {pickText(r.community, language)}
                </option>
              ))}
            </select>
            <ErrorList errors={actionData?.errors.residentId} />
            <span className="mt-1 block text-sm text-stone-500">{t('paper.onlyVerified')}</span>
          </label>
          <fieldset className="flex gap-4">
            <legend className="mb-1 font-medium">{t('paper.channel')}</legend>
            {(['paper', 'assisted'] as const).map((c) => (
              <label key={c} className="flex items-center gap-2">
                <input type="radio" name="channel" value={c} defaultChecked={c === 'paper'} className="h-5 w-5" />
                {t(`channel.${c}`)}
              </label>
            ))}
          </fieldset>
          <label className="block">
            <span className="mb-1 block font-medium">{t('paper.serial')}</span>
            <input name="serial" className="input" autoComplete="off" />
            <ErrorList errors={actionData?.errors.serial} />
          </label>
          <fieldset className="space-y-2">
            <legend className="mb-1 font-medium">
              {rules.method === 'approval' ? t('ballot.howApproval', { max: rules.maxChoices }) : t('ballot.howBudget')}
            </legend>
            {options.map((o) => (
              <label key={o.number} className="flex items-center gap-2">
                <input type="checkbox" name="choice" value={o.number} className="h-5 w-5" />#{o.number} {o.title} · {formatMoney(o.totalFen, language)}
              </label>
            ))}
            <ErrorList errors={actionData?.errors.choice} />
          </fieldset>
          <VotingError reason={actionData?.reason} />
          <button type="submit" className="btn-primary">
            {t('paper.submit')}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
