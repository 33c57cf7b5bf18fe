import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList, Field, SelectField } from '~/components/forms';
import { VotingAdminNav, VotingError } from '~/features/voting/voting';
import { votingRulesFormSchema } from '~/features/voting/voting.schema';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { updateVotingRules, votingContext } from '~/features/voting/voting.server';
import { fenToYuanInput, formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { VOTING_METHODS, VOTING_SCOPES } from '~/features/voting/rules';
import { requireCompetition } from '~/features/competitions/context.server';
import { frozenBy, phaseWindow } from '~/features/competitions/phases';

export const handle = { i18n: ['common', 'voting'] };

/** The committee sets how residents vote; locked once voting opens. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const votingStart = phaseWindow(ctx.phases, 'voting')?.startsAt ?? null;
  return {
    title: await pageTitle(request, 'voting:rules.title', ['voting', 'common']),
    slug: ctx.slug,
    locked: frozenBy(ctx.phases, 'voting'),
    votingStart: votingStart ? votingStart.toISOString() : null,
    values: {
      method: ctx.rules.method,
      maxChoices: String(ctx.rules.maxChoices),
      ballotBudget: ctx.rules.ballotBudgetFen ? fenToYuanInput(ctx.rules.ballotBudgetFen) : '',
      scope: ctx.rules.scope,
      publicTotals: ctx.rules.publicTotals ? 'on' : '',
      residentWeight: String(ctx.rules.residentWeight),
      judgesMayVote: ctx.rules.judgesMayVote ? 'on' : '',
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = votingContext(competition);
  const submission = parseWithZod(await readForm(request), { schema: votingRulesFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const saved = await updateVotingRules({ slug: ctx.slug, rules: submission.value, actorId: user.id, ip: clientIp(request) });
  if (!saved.ok) return data({ result: submission.reply(), reason: saved.reason }, { status: saved.reason === 'votingStarted' ? 409 : 400 });
  return redirectWithToast(`/competitions/${ctx.slug}/voting/rules`, { type: 'success', key: 'voting:toast.rulesSaved' });
}

export default function VotingRulesPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { slug, locked, votingStart, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'voting-rules',
    defaultValue: values,
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: votingRulesFormSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('rules.title')}</h2>
      <VotingAdminNav slug={slug} />
      <p className="text-stone-600">
        {locked ? t('rules.locked') : t('rules.editableUntil', { date: votingStart ? formatDate(votingStart, language, { dateStyle: 'long' }) : '' })}
      </p>
      <VotingError reason={actionData?.reason} />
      <Form method="post" {...getFormProps(form)} className="card grid max-w-2xl gap-4">
        <fieldset disabled={locked} className="grid gap-4">
          <SelectField label={t('rules.method')} meta={fields.method} selectProps={getSelectProps(fields.method)}>
            {VOTING_METHODS.map((m) => (
              <option key={m} value={m}>
                {t(`method.${m}`)}
              </option>
            ))}
          </SelectField>
          <Field label={t('rules.maxChoices')} meta={fields.maxChoices} inputProps={{ ...getInputProps(fields.maxChoices, { type: 'number' }), min: 1 }} help={t('rules.maxChoicesHelp')} />
          <Field label={t('rules.ballotBudget')} meta={fields.ballotBudget} inputProps={{ ...getInputProps(fields.ballotBudget, { type: 'text' }), inputMode: 'decimal' }} help={t('rules.ballotBudgetHelp')} />
          <SelectField label={t('rules.scope')} meta={fields.scope} selectProps={getSelectProps(fields.scope)}>
            {VOTING_SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`scope.${s}`)}
              </option>
            ))}
          </SelectField>
          <Field label={t('rules.residentWeight')} meta={fields.residentWeight} inputProps={{ ...getInputProps(fields.residentWeight, { type: 'number' }), min: 0, max: 100 }} help={t('rules.residentWeightHelp')} />
          <label className="flex items-center gap-2">
            <input {...getInputProps(fields.publicTotals, { type: 'checkbox' })} className="h-5 w-5" />
            {t('rules.publicTotals')}
          </label>
          <label className="flex items-center gap-2">
            <input {...getInputProps(fields.judgesMayVote, { type: 'checkbox' })} className="h-5 w-5" />
            {t('rules.judgesMayVote')}
          </label>
          <p className="text-sm text-stone-500">{t('rules.judgesHelp')}</p>
          <ErrorList errors={form.errors} />
          <button type="submit" className="btn-primary justify-self-start">
            {t('rules.save')}
          </button>
        </fieldset>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
