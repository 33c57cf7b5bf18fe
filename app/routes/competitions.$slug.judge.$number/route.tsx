import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { JudgingError, SheetStatusBadge } from '~/features/judging/judging';
import { conflictSchema, sheetFormSchema } from '~/features/judging/judging.schema';
import { pageTitle } from '~/core/i18n.server';
import { type JudgingContext, judgingContext, sheetsOpen } from '~/features/judging/context.server';
import { declareConflict, openSheet, saveSheet } from '~/features/judging/sheets.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { formatDate, formatMoney } from '~/utils/format';
import { DECLARABLE_CONFLICTS, SCORE_MAX, SCORE_MIN } from '~/features/judging/rules';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'judging'] };

const SCALE = Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => SCORE_MIN + i);

function numberParam(value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Response('Not found', { status: 404 });
  return number;
}

/** The judge's own sheet: 404 when not assigned, 403 when recused (declared or as an author). */
async function sheetOrThrow(ctx: JudgingContext, judgeId: string, number: number) {
  const access = await openSheet(ctx, judgeId, number);
  if (!access.ok) throw new Response(access.reason === 'recused' ? 'Recused' : 'Not found', { status: access.reason === 'recused' ? 403 : 404 });
  return access;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:judge');
  const ctx = judgingContext(competition);
  const access = await sheetOrThrow(ctx, user.id, numberParam(params.number));
  return {
    title: `#${access.proposal.number} ${access.proposal.title} · ${await pageTitle(request, 'judging:sheet.title', ['judging', 'common'])}`,
    open: sheetsOpen(ctx),
    criteria: ctx.rubric.criteria,
    proposal: access.proposal,
    sheet: access.sheet,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:judge');
  const ctx = judgingContext(competition);
  const number = numberParam(params.number);
  await sheetOrThrow(ctx, user.id, number);
  const formData = await readForm(request);
  const here = `/competitions/${ctx.slug}/judge/${number}`;
  if (formData.get('intent') === 'recuse') {
    const submission = parseWithZod(formData, { schema: conflictSchema });
    if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
    const recused = await declareConflict({ ctx, judgeId: user.id, number, kind: submission.value.kind, note: submission.value.note, ip: clientIp(request) });
    if (!recused.ok) return data({ result: submission.reply(), reason: recused.reason }, { status: 409 });
    return redirectWithToast(`/competitions/${ctx.slug}/judge`, { type: 'success', key: 'judging:toast.recused', values: { number } });
  }
  const submission = parseWithZod(formData, { schema: sheetFormSchema(ctx.rubric.criteria.map((c) => c.key)) });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const saved = await saveSheet({ ctx, judgeId: user.id, number, ...submission.value });
  if (!saved.ok) return data({ result: submission.reply(), reason: saved.reason }, { status: 409 });
  const submitted = submission.value.intent === 'submit';
  return redirectWithToast(submitted ? `/competitions/${ctx.slug}/judge` : here, {
    type: 'success',
    key: submitted ? 'judging:toast.submitted' : 'judging:toast.draftSaved',
    values: { number },
  });
}

export default function ScoreSheetPage() {
  const { t } = useTranslation(['judging', 'common']);
  const { open, criteria, proposal, sheet } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const keys = criteria.map((c) => c.key);
  const editable = open && sheet.status !== 'submitted';
  const [form, fields] = useForm({
    id: 'score-sheet',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sheetFormSchema(keys) }),
    shouldValidate: 'onSubmit',
  });
  const scoreErrors = fields.score.getFieldset();
  const errors = actionData?.result.error;
  const saved = new Map(sheet.scores.map((s) => [s.criterion, s]));
  // After a refused save the form shows what was typed, not what is stored (also without JavaScript).
  const last = actionData?.result.initialValue as { intent?: string; score?: Record<string, string>; note?: Record<string, string>; comment?: string } | null | undefined;
  const typed = last?.intent === 'draft' || last?.intent === 'submit' ? last : null;
  const recusing = (actionData?.result.initialValue as { intent?: string } | null | undefined)?.intent === 'recuse';
  const scoreOf = (key: string) => (typed ? Number(typed.score?.[key]) || null : (saved.get(key)?.score ?? null));
  const noteOf = (key: string) => (typed ? (typed.note?.[key] ?? '') : (saved.get(key)?.comment ?? ''));
  return (
    <div className="space-y-4">
      <p>
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center text-brand-800 underline">
          {t('sheet.back')}
        </Link>
      </p>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-2xl font-bold">
          #{proposal.number} {proposal.title}
        </h2>
        <SheetStatusBadge status={sheet.status} />
      </div>
      <p className="text-stone-700">{proposal.summary}</p>
      <p className="text-sm text-stone-500">
        {formatMoney(proposal.totalFen, language)} ·{' '}
        <Link to={`../../proposals/${proposal.number}`} relative="path" className="text-brand-800 underline">
          {t('sheet.readProposal')}
        </Link>
      </p>
      <p className="text-stone-600">
        {sheet.status === 'submitted'
          ? t('sheet.submittedOn', { date: sheet.submittedAt ? formatDate(sheet.submittedAt, language) : '' })
          : open
            ? t('sheet.intro', { min: SCORE_MIN, max: SCORE_MAX })
            : t('sheet.closed')}
      </p>
      {sheet.reopened ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="reopened-reason">
          <p className="font-semibold">{t('sheet.reopenedTitle', { date: formatDate(sheet.reopened.at, language) })}</p>
          <p className="mt-1 whitespace-pre-line">{t('sheet.reopenedReason', { reason: sheet.reopened.reason })}</p>
        </div>
      ) : null}
      <JudgingError reason={actionData?.reason} />

      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <fieldset disabled={!editable} className="space-y-4">
          {criteria.map((c) => (
            <fieldset key={c.key} className="card space-y-2">
              <legend className="font-semibold">
                {pickText(c.name, language)} <span className="text-sm font-normal text-stone-500">{t('sheet.weight', { weight: c.weight })}</span>
              </legend>
              <p className="text-sm text-stone-500">
                {t('sheet.anchors', {
                  low: pickText(c.anchors.low, language),
                  mid: pickText(c.anchors.mid, language),
                  high: pickText(c.anchors.high, language),
                })}
              </p>
              {/* Five to a row on a phone, all ten from sm up: never a ragged 5/4/1. */}
              <div className="grid grid-cols-5 gap-2 sm:grid-cols-10" role="radiogroup" aria-label={pickText(c.name, language)}>
                {SCALE.map((n) => (
                  <label key={n} className="flex min-h-11 cursor-pointer items-center justify-center gap-1 rounded-lg border border-stone-300 px-1 py-2 text-base has-checked:border-brand-700 has-checked:bg-brand-50">
                    <input type="radio" name={`score.${c.key}`} value={n} defaultChecked={scoreOf(c.key) === n} className="h-5 w-5" />
                    {n}
                  </label>
                ))}
              </div>
              <ErrorList errors={scoreErrors[c.key]?.errors} />
              <label className="block">
                <span className="mb-1 block text-sm">{t('sheet.criterionComment')}</span>
                <textarea name={`note.${c.key}`} rows={2} className="input" defaultValue={noteOf(c.key)} />
              </label>
            </fieldset>
          ))}
          <label className="card block">
            <span className="mb-1 block font-semibold">{t('sheet.comment')}</span>
            <textarea name="comment" rows={4} className="input" defaultValue={typed ? (typed.comment ?? '') : sheet.comment} />
          </label>
          <ErrorList errors={form.errors} />
          {/* A locked sheet (submitted, or outside judging) offers no save or submit: the page says why. */}
          {editable ? (
            <>
              <ConfirmStep act="submitSheet" values={{ number: proposal.number }} errors={recusing ? null : errors?.confirm} onlyForIntent="submit" />
              <div className="flex flex-wrap gap-2">
                <button type="submit" name="intent" value="draft" className="btn-secondary">
                  {t('sheet.saveDraft')}
                </button>
                <button type="submit" name="intent" value="submit" className="btn-primary">
                  {t('sheet.submit')}
                </button>
              </div>
              <p className="text-sm text-stone-500">{t('sheet.submitHelp')}</p>
            </>
          ) : (
            <p className="rounded-lg border border-stone-300 bg-stone-50 p-3 text-stone-800" data-testid="sheet-locked">
              {sheet.status === 'submitted' ? t('sheet.lockedSubmitted') : t('sheet.closed')}
            </p>
          )}
        </fieldset>
      </Form>

      {sheet.status !== 'submitted' ? (
        <Form method="post" className="card space-y-3">
          <input type="hidden" name="intent" value="recuse" />
          <p className="font-semibold">{t('conflict.title')}</p>
          <p className="text-sm text-stone-600">{t('conflict.help')}</p>
          <fieldset className="space-y-1">
            <legend className="sr-only">{t('conflict.kind')}</legend>
            {DECLARABLE_CONFLICTS.map((kind) => (
              <label key={kind} className="flex items-center gap-2">
                <input type="radio" name="kind" value={kind} required className="h-5 w-5" />
                {t(`conflict.kinds.${kind}`)}
              </label>
            ))}
          </fieldset>
          <ErrorList errors={errors?.kind} />
          <label className="block">
            <span className="mb-1 block text-sm">{t('conflict.note')}</span>
            <textarea name="note" rows={2} required className="input" />
          </label>
          <ErrorList errors={errors?.note} />
          <ConfirmStep act="recuse" values={{ number: proposal.number }} errors={recusing ? errors?.confirm : null} />
          <button type="submit" className="btn-secondary">
            {t('conflict.submit')}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
