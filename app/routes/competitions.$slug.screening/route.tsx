import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { bulkEligibleSchema, mergeSchema, screeningFilterSchema, screeningSchema } from '~/features/proposals/screening.schema';
import { BulkEligibleForm, SCREENING_ERROR_KEYS, ScreeningFilters, ScreeningList, ScreeningPager } from '~/features/proposals/screening-list';
import { pageTitle } from '~/core/i18n.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { clientIp, readForm } from '~/core/request.server';
import { markEligible, mergeProposals, screenProposal, screeningQueue } from '~/features/proposals/screening.server';
import { endOfShanghaiDay } from '~/utils/dates';
import { screeningWindowOpen } from '~/features/proposals/proposals';
import { redirectWithToast } from '~/core/toast.server';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'proposals', 'screening'] };

async function guard(args: CompetitionArgs) {
  const { user, ...competition } = await requireCompetition(args, 'competition:manage');
  return { rules: competitionRules(competition), user };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { rules } = await guard({ request, params, context });
  const filter = screeningFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [queue, title] = await Promise.all([screeningQueue(rules, filter), pageTitle(request, 'screening:title', ['screening', 'common'])]);
  return { title, filter, queue: queue.rows, page: queue.page, hasNext: queue.hasNext, streets: queue.streets, open: screeningWindowOpen(rules.phase) };
}

type ActionErrors = { form: 'screen' | 'merge' | 'bulk'; number?: number; errors: Record<string, string[] | undefined> };

const DECISION_TOASTS = {
  eligible: 'screening:toast.eligible',
  ineligible: 'screening:toast.ineligible',
  changesRequested: 'screening:toast.changesRequested',
} as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { rules, user } = await guard({ request, params, context });
  const formData = await readForm(request);
  const form = Object.fromEntries(formData);
  const here = `/competitions/${rules.slug}/screening`;
  if (form.intent === 'merge') {
    const parsed = mergeSchema.safeParse(form);
    if (!parsed.success) return data<ActionErrors>({ form: 'merge', errors: { merge: parsed.error.issues.map((i) => i.message) } }, { status: 400 });
    const merged = await mergeProposals({
      rules,
      keepNumber: parsed.data.keep,
      mergeNumber: parsed.data.merge,
      actorId: user.id,
      reason: parsed.data.reason,
      ip: clientIp(request),
    });
    if (!merged.ok) return data<ActionErrors>({ form: 'merge', errors: { merge: [merged.reason] } }, { status: 400 });
    return redirectWithToast(`${here}?show=decided`, { type: 'success', key: 'screening:toast.merged' });
  }
  if (form.intent === 'bulkEligible') {
    const parsed = bulkEligibleSchema.safeParse({ ...form, numbers: formData.getAll('numbers') });
    if (!parsed.success) return data<ActionErrors>({ form: 'bulk', errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
    const result = await markEligible({ rules, numbers: parsed.data.numbers, actorId: user.id, ip: clientIp(request) });
    if (!result.ok) return data<ActionErrors>({ form: 'bulk', errors: { numbers: [result.reason] } }, { status: 400 });
    return redirectWithToast(here, {
      type: 'success',
      key: 'screening:toast.bulkEligible',
      values: { marked: result.marked.length, skipped: result.skipped.length },
    });
  }
  const parsed = screeningSchema.safeParse(form);
  if (!parsed.success) {
    return data<ActionErrors>({ form: 'screen', number: Number(form.number) || undefined, errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  }
  const result = await screenProposal({
    rules,
    number: parsed.data.number,
    actorId: user.id,
    decision: parsed.data.decision,
    reason: parsed.data.reason,
    changesDueAt: parsed.data.changesDueOn ? endOfShanghaiDay(parsed.data.changesDueOn) : undefined,
    ip: clientIp(request),
  });
  if (!result.ok) {
    const field = result.reason === 'dueDateInPast' ? 'changesDueOn' : 'decision';
    return data<ActionErrors>({ form: 'screen', number: parsed.data.number, errors: { [field]: [result.reason] } }, { status: 400 });
  }
  return redirectWithToast(here, { type: 'success', key: DECISION_TOASTS[parsed.data.decision], values: { number: parsed.data.number } });
}

export default function ScreeningPage() {
  const { t } = useTranslation(['screening', 'proposals', 'common']);
  const { filter, queue, page, hasNext, streets, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const categories = (competition?.categories ?? []).map((c) => ({ code: c.code, name: pickText(c.name, language) }));
  const categoryName = (code: string) => categories.find((c) => c.code === code)?.name ?? '';
  const submitting = navigation.state === 'submitting';
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('title')}</h2>
      <p className="text-stone-700">{open ? t('intro') : t('closed')}</p>
      <ScreeningFilters show={filter.show} category={filter.category} street={filter.street} categories={categories} streets={streets} language={language} />

      {queue.length === 0 ? <EmptyState title={t('empty')} next={t(filter.show === 'pending' ? 'emptyPendingNext' : 'emptyNext')} /> : null}
      {queue.length > 0 ? (
        <ScreeningList
          rows={queue}
          open={open}
          language={language}
          categoryName={categoryName}
          errorsFor={(number) => (actionData?.form === 'screen' && actionData.number === number ? actionData.errors : undefined)}
          submitting={submitting}
        />
      ) : null}
      <ScreeningPager page={page} hasNext={hasNext} />

      {open && queue.some((p) => p.status === 'submitted') ? (
        <BulkEligibleForm errors={actionData?.form === 'bulk' ? actionData.errors : undefined} submitting={submitting} />
      ) : null}

      {open ? (
        <details className="card" open={actionData?.form === 'merge' ? true : undefined}>
          <summary className="flex min-h-11 cursor-pointer items-center font-semibold">{t('merge.title')}</summary>
          <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-[8rem_8rem_1fr_auto] sm:items-end">
            <input type="hidden" name="intent" value="merge" />
            <label className="block">
              <span className="mb-1 block">{t('merge.duplicate')}</span>
              <input name="merge" type="number" min={1} required className="input" />
            </label>
            <label className="block">
              <span className="mb-1 block">{t('merge.keep')}</span>
              <input name="keep" type="number" min={1} required className="input" />
            </label>
            <label className="block">
              <span className="mb-1 block">{t('reason')}</span>
              <input name="reason" className="input" />
            </label>
            <button type="submit" className="btn-secondary">
              {t('merge.submit')}
            </button>
            <div className="sm:col-span-4">
              <ErrorList errors={actionData?.form === 'merge' ? actionData.errors.merge : undefined} keyPrefixes={SCREENING_ERROR_KEYS} />
              <p className="text-stone-700">{t('merge.help')}</p>
            </div>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
