import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList, Field, SelectField } from '~/components/forms';
import { VotingAdminNav, VotingError } from '~/features/voting/voting';
import { codeBatchSchema } from '~/features/voting/voting.schema';
import { phaseWindow } from '~/features/competitions/phases';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { getFixedT, pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { generateCodes, listCodeBatches } from '~/features/voting/verification-codes.server';
import { formatDate } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { downloadResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { toCsv } from '~/utils/csv.server';
import { endOfShanghaiDay, shanghaiDay } from '~/utils/dates';
import { votingContext } from '~/features/voting/voting.server';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'voting'] };

/** One-time residency codes: the committee generates a batch per community, prints it or downloads a CSV. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = votingContext(await requireCompetition({ request, params, context }, 'competition:manage'));
  const [streets, batches, title] = await Promise.all([
    listStreetsWithCommunities(),
    listCodeBatches(ctx.id),
    pageTitle(request, 'voting:codes.title', ['voting', 'common']),
  ]);
  return {
    title,
    slug: ctx.slug,
    streets: streets.filter((s) => !ctx.eligibleStreets.length || ctx.eligibleStreets.includes(s.id)),
    batches,
    // The last day of voting, as a date in Qingdao.
    defaultExpiry: shanghaiDay((phaseWindow(ctx.phases, 'voting')?.endsAt.getTime() ?? Date.now() + 30 * 86_400_000) - 1),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ...competition } = await requireCompetition({ request, params, context }, 'competition:manage');
  const ctx = votingContext(competition);
  const submission = parseWithZod(await readForm(request), { schema: codeBatchSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null, sheet: null }, { status: 400 });
  // Codes work to the end of the chosen day in Qingdao.
  const expiresAt = endOfShanghaiDay(submission.value.expiresOn);
  const generated = await generateCodes({
    competitionId: ctx.id,
    eligibleStreets: ctx.eligibleStreets,
    communityId: submission.value.communityId,
    count: submission.value.count,
    expiresAt,
    actorId: user.id,
    ip: clientIp(request),
  });
  if (!generated.ok) return data({ result: submission.reply(), reason: generated.reason, sheet: null }, { status: 400 });
  if (submission.value.format === 'csv') {
    const t = await getFixedT(request, ['voting']);
    const rows = [
      [t('codes.csvCode'), t('codes.csvCommunity'), t('codes.csvExpires'), t('codes.csvBatch')],
      ...generated.codes.map((code) => [code, generated.community.zh, expiresAt.toISOString(), generated.batch]),
    ];
    return downloadResponse({ filename: `codes-${ctx.slug}-${generated.batch}.csv`, contentType: 'text/csv; charset=utf-8', body: toCsv(rows) });
  }
  return data(
    { result: submission.reply({ resetForm: true }), reason: null, sheet: { batch: generated.batch, codes: generated.codes, community: generated.community, expiresAt: expiresAt.toISOString() } },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

export default function CodesPage() {
  const { t } = useTranslation(['voting', 'common']);
  const { slug, streets, batches, defaultExpiry } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  const [form, fields] = useForm({
    id: 'code-batch',
    defaultValue: { count: '50', expiresOn: defaultExpiry },
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: codeBatchSchema }),
    shouldValidate: 'onBlur',
  });
  const sheet = actionData?.sheet;
  return (
    <div className="space-y-4">
      <div className="space-y-4 print:hidden">
        <h2 className="text-2xl font-bold">{t('codes.title')}</h2>
        <VotingAdminNav slug={slug} />
        <p className="text-stone-600">{t('codes.intro')}</p>
        <VotingError reason={actionData?.reason} />
        <Form method="post" {...getFormProps(form)} reloadDocument className="card grid gap-3 sm:grid-cols-3 sm:items-end">
          <SelectField label={t('codes.community')} meta={fields.communityId} selectProps={getSelectProps(fields.communityId)}>
            <option value="">{t('codes.chooseCommunity')}</option>
            <CommunityOptions streets={streets} language={language} />
          </SelectField>
          <Field label={t('codes.count')} meta={fields.count} inputProps={{ ...getInputProps(fields.count, { type: 'number' }), min: 1, max: 500 }} />
          <Field label={t('codes.expiresOn')} meta={fields.expiresOn} inputProps={getInputProps(fields.expiresOn, { type: 'date' })} />
          <div className="flex flex-wrap gap-2 sm:col-span-3">
            <ErrorList errors={form.errors} />
            <button type="submit" name="format" value="sheet" className="btn-primary">
              {t('codes.generateSheet')}
            </button>
            <button type="submit" name="format" value="csv" className="btn-secondary">
              {t('codes.generateCsv')}
            </button>
          </div>
          <p className="text-sm text-stone-500 sm:col-span-3">{t('codes.onceOnly')}</p>
        </Form>
      </div>

      {sheet ? (
        <section aria-labelledby="sheet-heading" className="space-y-3">
          <div className="flex flex-wrap items-center gap-3 print:hidden">
            <h3 id="sheet-heading" className="text-lg font-semibold">
              {t('codes.sheetTitle', { count: sheet.codes.length, community: pickText(sheet.community, language) })}
            </h3>
            <p className="text-sm text-stone-600">{t('codes.printHint')}</p>
          </div>
          <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 print:grid-cols-2" data-testid="code-sheet">
            {sheet.codes.map((code) => (
              <li key={code} className="break-inside-avoid rounded border border-dashed border-stone-400 p-3">
                <p className="text-sm">{t('codes.slipTitle', { community: pickText(sheet.community, language) })}</p>
                <p className="my-1 font-mono text-2xl tracking-widest" data-testid="code">
                  {code}
                </p>
                <p className="text-xs text-stone-600">{t('codes.slipHowTo', { date: formatDate(sheet.expiresAt, language, { dateStyle: 'long' }) })}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="space-y-2 print:hidden">
        <h3 className="text-lg font-semibold">{t('codes.batches')}</h3>
        {batches.length === 0 ? <p className="text-stone-600">{t('codes.noBatches')}</p> : null}
        <ul className="space-y-2">
          {batches.map((b) => (
            <li key={b.batch} className="card text-sm">
              {pickText(b.community, language)} · {t('codes.batchLine', { batch: b.batch, count: b.count, used: b.used })} ·{' '}
              {t('codes.expires', { date: formatDate(b.expiresAt, language) })}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
