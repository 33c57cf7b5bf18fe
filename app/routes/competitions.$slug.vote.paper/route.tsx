import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PaperBallotForm } from '~/features/voting/paper-ballot-form';
import { VotingError } from '~/features/voting/voting';
import { choicesFrom, paperBallotSchema } from '~/features/voting/voting.schema';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { parseUploadForm } from '~/core/uploads.server';
import { listVerifiableResidents } from '~/features/voting/resident-search.server';
import { ballotOptions, votingContext } from '~/features/voting/voting.server';
import { enteredBallot, enterPaperBallot, type BallotConsent } from '~/features/voting/paper-ballots.server';
import { discardPhotos, recordConsent } from '~/features/proposals/proposal-forms.server';
import { unreadableFormReply } from '~/features/proposals/form-replies';
import { titleMeta } from '~/utils/meta';
import { shanghaiDay } from '~/utils/dates';
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
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 50);
  // Every eligible proposal is listed; a street-scoped ballot is checked against the resident's street on saving.
  const [search, options, title, entered] = await Promise.all([
    listVerifiableResidents(worker, q, clientIp(request)),
    ballotOptions({ ...ctx, rules: { ...ctx.rules, scope: 'district' } }, null),
    pageTitle(request, 'voting:paper.title', ['voting', 'common']),
    // After entering: the serial to write on the form (only for a ballot this worker entered).
    enteredBallot(worker, url.searchParams.get('entered') ?? ''),
  ]);
  return {
    title,
    q,
    enteredId: entered ? url.searchParams.get('entered') : null,
    open: votingOpen(ctx.phases, new Date()),
    rules: ctx.rules,
    residents: search.residents.filter((r) => r.verifiedAt),
    searchReason: search.reason,
    options,
    entered,
    today: shanghaiDay(Date.now()),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { ctx, worker } = await guard({ request, params, context });
  const upload = await parseUploadForm(request, { maxFiles: 1 });
  if (!upload.ok) return data({ result: unreadableFormReply(upload.reason), reason: null }, { status: upload.reason === 'tooLarge' ? 413 : 400 });
  const submission = parseWithZod(upload.formData, { schema: paperBallotSchema });
  const choices = choicesFrom(upload.formData);
  const badChoices = choices ? {} : { fieldErrors: { choice: ['invalidChoice'] } };
  if (submission.status !== 'success' || !choices) return data({ result: submission.reply(badChoices), reason: null }, { status: 400 });
  const form = submission.value;
  let consent: BallotConsent | undefined;
  if (form.channel === 'assisted') {
    // Stored private, as for an assisted proposal; removed again if the ballot is refused.
    const recorded = await recordConsent(upload.formData, worker.id);
    if (!recorded.ok) return data({ result: submission.reply({ fieldErrors: { consentForm: [recorded.reason] } }), reason: null }, { status: 400 });
    consent = recorded.consent;
  }
  const result = await enterPaperBallot({
    ctx,
    worker,
    residentId: form.residentId,
    channel: form.channel,
    serial: form.channel === 'paper' ? form.serial : undefined,
    consent,
    choices,
    ip: clientIp(request),
  });
  if (!result.ok) {
    if (consent?.formFileId) await discardPhotos([consent.formFileId]);
    return data({ result: submission.reply(), reason: result.reason }, { status: 400 });
  }
  return redirectWithToast(`/competitions/${ctx.slug}/vote/paper?entered=${result.ballotId}`, {
    type: 'success',
    key: form.channel === 'assisted' ? 'voting:toast.assistedEntered' : 'voting:toast.paperEntered',
    values: { serial: result.serial },
  });
}

export default function PaperBallotPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { q, open, rules, residents, searchReason, options, entered, enteredId, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h2 className="text-2xl font-bold">{t('paper.title')}</h2>
      {entered ? (
        <section className="card space-y-2 border-2 border-brand-600" role="status" data-testid="entered-ballot">
          <p className="font-semibold">{t('paper.entered', { name: entered.residentName })}</p>
          <p className="text-3xl font-bold tracking-wider">{t('paper.enteredSerial', { serial: entered.serial })}</p>
          {entered.channel === 'assisted' ? <p>{t('paper.writeSerial')}</p> : null}
        </section>
      ) : null}
      <p className="text-stone-600">{open ? t('paper.intro') : t('ballot.closed')}</p>
      <Form method="get" className="flex gap-2">
        <input name="q" defaultValue={q} className="input" placeholder={t('paper.search')} aria-label={t('paper.search')} />
        <button type="submit" className="btn-secondary">
          {t('paper.searchButton')}
        </button>
      </Form>
      <VotingError reason={searchReason} />
      {open ? (
        <PaperBallotForm
          // A new, empty form after each ballot (no ticks, serial or consent left from the last
          // one), focused at its first field for the next paper.
          key={enteredId ?? 'first'}
          startFocused={Boolean(enteredId)}
          residents={residents}
          options={options}
          method={rules.method}
          maxChoices={rules.maxChoices}
          today={today}
          language={language}
          lastResult={actionData?.result}
          reason={actionData?.reason}
        />
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
