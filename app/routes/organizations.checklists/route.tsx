import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { checklistsFor, saveChecklist } from '~/features/organizations/checklists.server';
import { checklistTemplateSchema } from '~/features/organizations/incubation.schema';
import { CHECKLIST_ITEMS_MAX, CHECKLIST_LABEL_MAX, CHECKLIST_STAGES, type ChecklistStage } from '~/features/organizations/organizations';
import { checklistYear, mayEditChecklists } from '~/features/organizations/rules';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';

export const handle = { i18n: ['common', 'organizations'] };

const ERROR_KEYS = ['organizations:incubation.error.', 'validation.'] as const;
/** Blank rows each list offers for new items (the form works without scripts). */
const BLANK_ROWS = 2;

/** The year asked for (?year=), within a few years of now; else this year. */
function yearOf(request: Request): number {
  const now = checklistYear(new Date());
  const asked = Number(new URL(request.url).searchParams.get('year'));
  return Number.isInteger(asked) && asked >= now - 5 && asked <= now + 1 ? asked : now;
}

/** Committee members and admins only (organization:create); everyone else 403. */
async function guard(request: Request) {
  const user = await requireUser(request);
  invariantResponse(mayEditChecklists(user), 'Forbidden', { status: 403 });
  return user;
}

/**
 * The incubation checklists of one year, one list per stage it leads into
 * (docs/decisions/025-incubation.md). A year without its own lists shows the latest earlier
 * year's (or the defaults); saving one stores it for this year. Items keep their keys, so what
 * organizations have confirmed stays confirmed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await guard(request);
  const year = yearOf(request);
  const now = checklistYear(new Date());
  const [lists, title] = await Promise.all([checklistsFor(year), pageTitle(request, 'organizations:checklists.title', ['organizations', 'common'])]);
  return { title, year, years: [now - 1, now, now + 1], lists: CHECKLIST_STAGES.map((stage) => lists[stage]) };
}

type Reply = { stage: ChecklistStage | null; errors: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const user = await guard(request);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: checklistTemplateSchema });
  const stage = CHECKLIST_STAGES.find((s) => s === form.get('stage')) ?? null;
  if (submission.status !== 'success') {
    const errors = [...new Set(Object.values(submission.error ?? {}).flatMap((list) => list ?? []))];
    return data<Reply>({ stage, errors: errors.length ? errors : ['invalid'] }, { status: 400 });
  }
  const saved = await saveChecklist({ actor: user, values: submission.value, ip: clientIp(request) });
  if (!saved.ok) return data<Reply>({ stage, errors: [saved.reason] }, { status: saved.reason === 'conflict' ? 409 : saved.reason === 'forbidden' ? 403 : 400 });
  return redirectWithToast(`/organizations/checklists?year=${submission.value.year}`, { type: 'success', key: 'organizations:checklists.saved' });
}

export default function ChecklistsPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { year, years, lists } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-5">
      <p>
        <Link to="/organizations" className="inline-flex min-h-11 items-center underline">
          {t('detail.all')}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{t('checklists.heading', { year })}</h1>
      <p className="text-stone-700">{t('checklists.intro')}</p>
      <nav aria-label={t('checklists.years')} className="flex flex-wrap gap-2">
        {years.map((y) => (
          <Link key={y} to={`?year=${y}`} aria-current={y === year ? 'page' : undefined} className={y === year ? 'btn-primary' : 'btn-secondary'}>
            {y}
          </Link>
        ))}
      </nav>
      {lists.map((list) => {
        const errors = answer && answer.stage === list.stage ? answer.errors : null;
        const rows = [...list.items.map((item) => ({ key: item.key, zh: item.label.zh, en: item.label.en })), ...Array.from({ length: Math.min(BLANK_ROWS, Math.max(0, CHECKLIST_ITEMS_MAX - list.items.length)) }, () => ({ key: '', zh: '', en: '' }))];
        return (
          <Form key={`${year}-${list.stage}-${list.revision}`} method="post" className="card space-y-3" aria-labelledby={`stage-${list.stage}`}>
            <input type="hidden" name="year" value={year} />
            <input type="hidden" name="stage" value={list.stage} />
            <input type="hidden" name="revision" value={list.revision} />
            <h2 id={`stage-${list.stage}`} className="text-lg font-semibold">
              {t('incubation.listFor', { stage: t(`stage.${list.stage}`) })}
            </h2>
            <p className="text-stone-600">{list.year === year ? t('checklists.own') : list.year ? t('checklists.inherited', { year: list.year }) : t('checklists.defaults')}</p>
            <ol className="space-y-3">
              {rows.map((row, i) => (
                <li key={row.key || `new-${i}`} className="grid gap-2 rounded-lg border border-stone-200 p-3 sm:grid-cols-[1fr_1fr_auto]">
                  <input type="hidden" name={`items[${i}].key`} value={row.key} />
                  <div>
                    <label htmlFor={`${list.stage}-${i}-zh`} className="mb-1 block font-medium">
                      {row.key ? t('checklists.labelZh') : t('checklists.newZh')}
                    </label>
                    <input id={`${list.stage}-${i}-zh`} name={`items[${i}].zh`} className="input" maxLength={CHECKLIST_LABEL_MAX} defaultValue={row.zh} />
                  </div>
                  <div>
                    <label htmlFor={`${list.stage}-${i}-en`} className="mb-1 block font-medium">
                      {t('checklists.labelEn')}
                    </label>
                    <input id={`${list.stage}-${i}-en`} name={`items[${i}].en`} className="input" maxLength={CHECKLIST_LABEL_MAX} defaultValue={row.en} />
                  </div>
                  {row.key ? (
                    <label className="flex min-h-11 items-center gap-2 self-end">
                      <input type="checkbox" name={`items[${i}].remove`} value="on" className="h-5 w-5" />
                      {t('checklists.remove')}
                    </label>
                  ) : (
                    <span />
                  )}
                </li>
              ))}
            </ol>
            <p className="text-stone-600">{t('checklists.keysHelp')}</p>
            <ErrorList errors={errors} keyPrefixes={ERROR_KEYS} />
            <button type="submit" className="btn-primary">
              {t('checklists.save', { stage: t(`stage.${list.stage}`) })}
            </button>
          </Form>
        );
      })}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
