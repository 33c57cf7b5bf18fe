import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorList } from '~/components/forms';
import { mergeSchema, screeningSchema } from '~/features/proposals/screening.schema';
import { pageTitle } from '~/core/i18n.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { clientIp, readForm } from '~/core/request.server';
import { mergeProposals, screenProposal, screeningQueue } from '~/features/proposals/screening.server';
import { endOfShanghaiDay } from '~/utils/dates';
import { screeningWindowOpen } from '~/features/proposals/proposals';
import { redirectWithToast } from '~/core/toast.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'proposals', 'screening'] };

async function guard(args: CompetitionArgs) {
  const { user, ...competition } = await requireCompetition(args, 'competition:manage');
  return { rules: competitionRules(competition), user };
}

const FILTERS = ['pending', 'decided', 'all'] as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { rules } = await guard({ request, params, context });
  const filter = z.enum(FILTERS).catch('pending').parse(new URL(request.url).searchParams.get('show') ?? 'pending');
  const [queue, title] = await Promise.all([screeningQueue(rules, filter), pageTitle(request, 'screening:title', ['screening', 'common'])]);
  return { title, filter, queue, open: screeningWindowOpen(rules.phase) };
}

type ActionErrors = { number?: number; errors: Record<string, string[] | undefined> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { rules, user } = await guard({ request, params, context });
  const form = Object.fromEntries(await readForm(request));
  const here = `/competitions/${rules.slug}/screening`;
  if (form.intent === 'merge') {
    const parsed = mergeSchema.safeParse(form);
    if (!parsed.success) return data<ActionErrors>({ errors: { merge: parsed.error.issues.map((i) => i.message) } }, { status: 400 });
    const merged = await mergeProposals({
      rules,
      keepNumber: parsed.data.keep,
      mergeNumber: parsed.data.merge,
      actorId: user.id,
      reason: parsed.data.reason,
      ip: clientIp(request),
    });
    if (!merged.ok) return data<ActionErrors>({ errors: { merge: [merged.reason] } }, { status: 400 });
    return redirectWithToast(`${here}?show=decided`, { type: 'success', key: 'screening:toast.merged' });
  }
  const parsed = screeningSchema.safeParse(form);
  if (!parsed.success) {
    return data<ActionErrors>({ number: Number(form.number) || undefined, errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
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
  if (!result.ok) return data<ActionErrors>({ number: parsed.data.number, errors: { decision: [result.reason] } }, { status: 400 });
  return redirectWithToast(here, { type: 'success', key: 'screening:toast.screened', values: { number: parsed.data.number } });
}

export default function ScreeningPage() {
  const { t } = useTranslation(['screening', 'proposals', 'common']);
  const { filter, queue, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const categoryName = (code: string) => pickText(competition?.categories.find((c) => c.code === code)?.name, language);
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('title')}</h2>
      <p className="text-stone-600">{open ? t('intro') : t('closed')}</p>
      <nav className="flex gap-2" aria-label={t('filterLabel')}>
        {FILTERS.map((f) => (
          <Link key={f} to={`?show=${f}`} className={f === filter ? 'btn-primary' : 'btn-secondary'} aria-current={f === filter ? 'page' : undefined}>
            {t(`filter.${f}`)}
          </Link>
        ))}
      </nav>

      {open ? (
        <Form method="post" className="card grid gap-3 sm:grid-cols-[8rem_8rem_1fr_auto] sm:items-end">
          <input type="hidden" name="intent" value="merge" />
          <p className="font-semibold sm:col-span-4">{t('merge.title')}</p>
          <label className="block">
            <span className="mb-1 block text-sm">{t('merge.duplicate')}</span>
            <input name="merge" type="number" min={1} required className="input" />
          </label>
          <label className="block">
            <span className="mb-1 block text-sm">{t('merge.keep')}</span>
            <input name="keep" type="number" min={1} required className="input" />
          </label>
          <label className="block">
            <span className="mb-1 block text-sm">{t('reason')}</span>
            <input name="reason" className="input" />
          </label>
          <button type="submit" className="btn-secondary">
            {t('merge.submit')}
          </button>
          <div className="sm:col-span-4">
            <ErrorList errors={actionData && !actionData.number ? actionData.errors.merge : undefined} />
            <p className="text-sm text-stone-500">{t('merge.help')}</p>
          </div>
        </Form>
      ) : null}

      {queue.length === 0 ? <p className="card text-stone-600">{t('empty')}</p> : null}
      <ul className="space-y-3">
        {queue.map((p) => {
          const errors = actionData?.number === p.number ? actionData.errors : undefined;
          return (
            <li key={p.number} className="card space-y-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <Link to={`../proposals/${p.number}`} relative="path" className="text-lg font-semibold text-brand-800 underline">
                  #{p.number} {p.title}
                </Link>
                <span className="rounded-full bg-stone-100 px-3 py-1 text-sm">{t(`proposals:status.${p.status}`)}</span>
              </div>
              <p className="text-sm text-stone-700">{p.summary}</p>
              <p className="text-sm text-stone-500">
                {categoryName(p.category)} · {formatMoney(p.totalFen, language)}
                {p.submittedAt ? ` · ${formatDate(p.submittedAt, language)}` : ''}
                {p.reason ? ` · ${t('currentReason')}: ${p.reason}` : ''}
                {p.changesDueAt ? ` · ${t('dueBy', { date: formatDate(p.changesDueAt, language) })}` : ''}
              </p>
              {open && p.status !== 'merged' ? (
                <Form method="post" className="grid gap-3 sm:grid-cols-[auto_1fr_10rem_auto] sm:items-end">
                  <input type="hidden" name="intent" value="screen" />
                  <input type="hidden" name="number" value={p.number} />
                  <fieldset className="flex flex-col gap-1">
                    <legend className="sr-only">{t('decisionLabel')}</legend>
                    {(['eligible', 'ineligible', 'changesRequested'] as const).map((decision) => (
                      <label key={decision} className="flex items-center gap-2 text-sm">
                        <input type="radio" name="decision" value={decision} defaultChecked={decision === 'eligible'} className="h-5 w-5" />
                        {t(`decision.${decision}`)}
                      </label>
                    ))}
                  </fieldset>
                  <label className="block">
                    <span className="mb-1 block text-sm">{t('reasonForAuthors')}</span>
                    <textarea name="reason" rows={2} className="input" aria-invalid={errors?.reason ? true : undefined} />
                    <ErrorList errors={errors?.reason} />
                  </label>
                  <label className="block">
                    <span className="mb-1 block text-sm">{t('changesDueOn')}</span>
                    <input name="changesDueOn" type="date" className="input" />
                    <ErrorList errors={errors?.changesDueOn} />
                  </label>
                  <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
                    {t('save')}
                  </button>
                  <div className="sm:col-span-4">
                    <ErrorList errors={errors?.decision} />
                  </div>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
