import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList, Field } from '~/components/forms';
import { JudgingAdminNav, JudgingError } from '~/features/judging/judging';
import { rubricFormSchema } from '~/features/judging/judging.schema';
import { pageTitle } from '~/core/i18n.server';
import { judgingContext, rubricLocked } from '~/features/judging/context.server';
import { updateRubric } from '~/features/judging/rubric.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { formatDate } from '~/utils/format';
import { MAX_CRITERIA, SCORE_MAX, SCORE_MIN } from '~/features/judging/rules';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'judging'] };

const ANCHORS = ['low', 'mid', 'high'] as const;

/** The committee sets the judges' rubric; locked once judging opens. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = judgingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const { criteria, normalize } = ctx.rubric;
  const rows = criteria.map((c) => ({
    key: c.key,
    nameZh: c.name.zh,
    nameEn: c.name.en ?? '',
    weight: String(c.weight),
    lowZh: c.anchors.low.zh,
    lowEn: c.anchors.low.en ?? '',
    midZh: c.anchors.mid.zh,
    midEn: c.anchors.mid.en ?? '',
    highZh: c.anchors.high.zh,
    highEn: c.anchors.high.en ?? '',
  }));
  // One empty row adds a criterion.
  if (rows.length < MAX_CRITERIA) rows.push({ key: '', nameZh: '', nameEn: '', weight: '', lowZh: '', lowEn: '', midZh: '', midEn: '', highZh: '', highEn: '' });
  return {
    title: await pageTitle(request, 'judging:rubric.title', ['judging', 'common']),
    slug: ctx.slug,
    locked: rubricLocked(ctx),
    judgingStart: ctx.judgingStart ? ctx.judgingStart.toISOString() : null,
    values: { normalize: normalize ? 'on' : '', criteria: rows },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = judgingContext(competition);
  const submission = parseWithZod(await readForm(request), { schema: rubricFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const saved = await updateRubric({ slug: ctx.slug, rubric: submission.value, actorId: user.id, ip: clientIp(request) });
  if (!saved.ok) return data({ result: submission.reply(), reason: saved.reason }, { status: saved.reason === 'judgingStarted' ? 409 : 400 });
  return redirectWithToast(`/competitions/${ctx.slug}/judging/rubric`, { type: 'success', key: 'judging:toast.rubricSaved' });
}

export default function RubricPage() {
  const { t } = useTranslation(['judging', 'common']);
  const { slug, locked, judgingStart, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'judging-rubric',
    defaultValue: values,
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rubricFormSchema }),
    shouldValidate: 'onBlur',
  });
  const rows = fields.criteria.getFieldList();
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('rubric.title')}</h2>
      <JudgingAdminNav slug={slug} />
      <p className="text-stone-600">
        {locked ? t('rubric.locked') : t('rubric.editableUntil', { date: judgingStart ? formatDate(judgingStart, language, { dateStyle: 'long' }) : '' })}
      </p>
      <p className="text-sm text-stone-500">{t('rubric.help', { min: SCORE_MIN, max: SCORE_MAX })}</p>
      <JudgingError reason={actionData?.reason} />
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <fieldset disabled={locked} className="space-y-4">
          {rows.map((row, index) => {
            const f = row.getFieldset();
            return (
              <fieldset key={row.key} className="card grid gap-3 sm:grid-cols-2">
                <legend className="font-semibold">{f.nameZh.initialValue ? t('rubric.criterion', { n: index + 1 }) : t('rubric.newCriterion')}</legend>
                <input {...getInputProps(f.key, { type: 'hidden' })} />
                <Field label={t('rubric.nameZh')} meta={f.nameZh} inputProps={getInputProps(f.nameZh, { type: 'text' })} />
                <Field label={t('rubric.nameEn')} meta={f.nameEn} inputProps={getInputProps(f.nameEn, { type: 'text' })} />
                <Field label={t('rubric.weight')} meta={f.weight} inputProps={{ ...getInputProps(f.weight, { type: 'number' }), min: 0, max: 100 }} />
                <span />
                {ANCHORS.map((level) => (
                  <div key={level} className="contents">
                    <Field label={t(`rubric.anchor.${level}`)} meta={f[`${level}Zh`]} inputProps={getInputProps(f[`${level}Zh`], { type: 'text' })} />
                    <Field label={t(`rubric.anchorEn.${level}`)} meta={f[`${level}En`]} inputProps={getInputProps(f[`${level}En`], { type: 'text' })} />
                  </div>
                ))}
              </fieldset>
            );
          })}
          <label className="flex items-center gap-2">
            <input {...getInputProps(fields.normalize, { type: 'checkbox' })} className="h-5 w-5" />
            {t('rubric.normalize')}
          </label>
          <p className="text-sm text-stone-500">{t('rubric.normalizeHelp')}</p>
          <ErrorList errors={fields.criteria.errors} />
          <ErrorList errors={form.errors} />
          <button type="submit" className="btn-primary">
            {t('rubric.save')}
          </button>
        </fieldset>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
