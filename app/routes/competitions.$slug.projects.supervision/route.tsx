import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { pageTitle } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { parseUploadForm } from '~/core/uploads.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { ProjectStatusBadge } from '~/features/projects/status-badge';
import {
  applyImport,
  IMPORT_MAX_BYTES,
  planImport,
  remindOverdue,
  sortRows,
  supervisionRows,
  type ImportPlan,
} from '~/features/projects/supervision.server';
import { SUPERVISION_SORTS, type SupervisionSort } from '~/features/projects/supervision';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'projects'] };

const PAGE_SIZE = 50;
const ERROR_KEYS = ['projects:supervision.error.', 'validation.'] as const;

/** The committee's supervision table (正道) of every project in the competition: login, then 403 to anyone else. */
export async function loader(args: LoaderFunctionArgs) {
  const { doc } = await requireCompetition(args, 'competition:manage');
  const search = new URL(args.request.url).searchParams;
  const sortParam = search.get('sort') ?? 'overdue';
  const sort: SupervisionSort = (SUPERVISION_SORTS as readonly string[]).includes(sortParam) ? (sortParam as SupervisionSort) : 'overdue';
  const all = sortRows(await supervisionRows(String(doc._id)), sort);
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1));
  const rows = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ team: _team, mentor: _mentor, id: _id, ...row }) => row);
  const totals = all.reduce((t, r) => ({ approvedFen: t.approvedFen + r.approvedFen, spentFen: t.spentFen + r.spentFen, heldFen: t.heldFen + r.heldFen, overdue: t.overdue + (r.daysOverdue > 0 ? 1 : 0) }), { approvedFen: 0, spentFen: 0, heldFen: 0, overdue: 0 });
  return {
    title: await pageTitle(args.request, 'projects:supervision.title', ['projects', 'common']),
    slug: doc.slug,
    rows,
    totals,
    count: all.length,
    sort,
    page,
    pages,
  };
}

type Reply = { intent: 'preview' | 'apply' | 'remind'; plan: ImportPlan | null; text: string; reason: string | null; failed?: { number: number; kind: string; reason: string }[] };

export async function action(args: ActionFunctionArgs) {
  const { doc, user } = await requireCompetition(args, 'competition:manage');
  const parsed = await parseUploadForm(args.request, { maxFiles: 1 });
  if (!parsed.ok) return data<Reply>({ intent: 'preview', plan: null, text: '', reason: parsed.reason === 'tooLarge' ? 'fileTooLarge' : 'notCsv' }, { status: parsed.reason === 'tooLarge' ? 413 : 400 });
  const form = parsed.formData;
  const intent = form.get('intent');
  const back = `/competitions/${doc.slug}/projects/supervision`;
  if (intent === 'remind') {
    const told = await remindOverdue({ competitionId: String(doc._id), competitionSlug: doc.slug, actorId: user.id });
    return redirectWithToast(back, { type: 'success', key: told ? 'projects:toast.overdueReminded' : 'projects:toast.overdueNone' });
  }
  // The file (or, when applying, the text the preview carried back).
  const file = form.get('file');
  const pasted = form.get('text');
  const text = file instanceof File && file.size > 0 ? await file.text() : typeof pasted === 'string' ? pasted : '';
  if (text.length > IMPORT_MAX_BYTES) return data<Reply>({ intent: 'preview', plan: null, text: '', reason: 'fileTooLarge' }, { status: 413 });
  if (!text.trim()) return data<Reply>({ intent: 'preview', plan: null, text: '', reason: 'fileRequired' }, { status: 400 });
  if (intent === 'preview') {
    const plan = await planImport(String(doc._id), text);
    return data<Reply>({ intent: 'preview', plan, text, reason: plan.fileError }, { status: plan.fileError ? 400 : 200 });
  }
  if (intent === 'apply') {
    const digest = form.get('digest');
    const applied = await applyImport({ competitionId: String(doc._id), competitionSlug: doc.slug, text, digest: typeof digest === 'string' ? digest : '', actorId: user.id, ip: clientIp(args.request) });
    if (!applied.ok) {
      const plan = await planImport(String(doc._id), text);
      return data<Reply>({ intent: 'preview', plan, text, reason: applied.reason }, { status: 409 });
    }
    if (applied.outcome.failed.length) return data<Reply>({ intent: 'apply', plan: null, text: '', reason: 'partlyApplied', failed: applied.outcome.failed }, { status: 409 });
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.importApplied', values: { count: applied.outcome.applied } });
  }
  return data<Reply>({ intent: 'preview', plan: null, text: '', reason: 'notCsv' }, { status: 400 });
}

function ChangeText({ change }: { change: NonNullable<ImportPlan>['rows'][number]['changes'][number] }) {
  const { t } = useTranslation(['projects']);
  const language = useLanguage();
  if (change.kind === 'status') return <>{t('supervision.change.status', { from: t(`status.${change.from}`), to: t(`status.${change.to}`) })}</>;
  if (change.kind === 'budget') return <>{t('supervision.change.budget', { from: formatMoney(change.fromFen, language), to: formatMoney(change.toFen, language) })}</>;
  return <>{t(`supervision.change.${change.kind}`, { from: change.from ?? '—', to: change.to ?? '—' })}</>;
}

function ImportSection() {
  const { t } = useTranslation(['projects', 'common']);
  const answer = useActionData<typeof action>();
  const plan = answer?.plan ?? null;
  const hasErrors = Boolean(plan?.rows.some((r) => r.errors.length));
  return (
    <section className="card space-y-3" aria-labelledby="import-title">
      <h3 id="import-title" className="text-lg font-semibold">{t('supervision.importTitle')}</h3>
      <p className="text-stone-700">{t('supervision.importHelp')}</p>
      <Form method="post" encType="multipart/form-data" className="space-y-3">
        <label htmlFor="import-file" className="block font-medium">{t('supervision.file')}</label>
        <input id="import-file" type="file" name="file" accept=".csv,text/csv" className={FILE_INPUT} />
        <SubmitButton pending="uploading" name="intent" value="preview" className="btn-secondary">{t('supervision.preview')}</SubmitButton>
      </Form>
      <ErrorList errors={answer?.reason ? [answer.reason] : null} keyPrefixes={ERROR_KEYS} />
      {answer?.failed?.length ? (
        <ul className="list-disc pl-5">
          {answer.failed.map((f) => (
            <li key={`${f.number}-${f.kind}`}>{t('supervision.failedChange', { number: f.number, change: t(`supervision.kind.${f.kind}`) })}</li>
          ))}
        </ul>
      ) : null}
      {plan && !plan.fileError ? (
        <div className="space-y-3">
          <h4 className="font-semibold">{t('supervision.previewTitle', { count: plan.rows.length })}</h4>
          {plan.rows.length === 0 ? <p>{t('supervision.noChanges')}</p> : null}
          <ul className="space-y-2">
            {plan.rows.map((row) => (
              <li key={row.line} className={`rounded-lg border p-3 ${row.errors.length ? 'border-red-400 bg-red-50' : 'border-stone-200'}`}>
                <p className="font-semibold">{t('supervision.rowTitle', { line: row.line, number: row.number ?? '?', title: row.title })}</p>
                <ul className="list-disc pl-5">
                  {row.changes.map((change, i) => (
                    <li key={i}><ChangeText change={change} /></li>
                  ))}
                </ul>
                <ErrorList errors={row.errors.length ? row.errors : null} keyPrefixes={ERROR_KEYS} />
              </li>
            ))}
          </ul>
          {plan.rows.length > 0 && !hasErrors ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="digest" value={plan.digest} />
              <textarea name="text" defaultValue={answer?.text} hidden readOnly aria-hidden="true" />
              <SubmitButton pending="saving" name="intent" value="apply">{t('supervision.apply', { count: plan.rows.length })}</SubmitButton>
            </Form>
          ) : null}
          {hasErrors ? <p className="font-semibold">{t('supervision.fixErrors')}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

export default function SupervisionPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { slug, rows, totals, count, sort, page, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const money = (fen: number) => formatMoney(fen, language);
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <Link to={`/competitions/${slug}/projects`} className="inline-flex min-h-11 items-center underline">{t('detail.allProjects')}</Link>
        <h2 className="text-2xl font-bold">{t('supervision.title')}</h2>
        <p className="text-stone-700">{t('supervision.intro')}</p>
        <p className="font-semibold">
          {t('supervision.totals', { count, approved: money(totals.approvedFen), spent: money(totals.spentFen), held: money(totals.heldFen), overdue: totals.overdue })}
        </p>
      </header>

      <div className="flex flex-wrap items-center gap-3">
        <a href={`/competitions/${slug}/projects/supervision.csv`} className="btn-secondary" download>{t('supervision.export')}</a>
        <Form method="post" encType="multipart/form-data">
          <button type="submit" name="intent" value="remind" className="btn-secondary">{t('supervision.remind')}</button>
        </Form>
      </div>

      <nav aria-label={t('supervision.sortLabel')} className="flex flex-wrap gap-2">
        {SUPERVISION_SORTS.map((s) => (
          <Link key={s} to={`?sort=${s}`} className={`inline-flex min-h-11 items-center rounded-lg px-3 ${s === sort ? 'bg-brand-700 text-white' : 'bg-stone-100'}`} aria-current={s === sort ? 'true' : undefined}>
            {t(`supervision.sort.${s}`)}
          </Link>
        ))}
      </nav>

      {rows.length === 0 ? <EmptyState title={t('supervision.empty')} next={t('supervision.emptyNext')} /> : null}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('supervision.title')}>
        <table className="w-full min-w-[56rem] text-left">
          <thead>
            <tr className="border-b border-stone-300">
              <th className="p-2">{t('supervision.col.project')}</th>
              <th className="p-2">{t('supervision.col.status')}</th>
              <th className="p-2">{t('supervision.col.progress')}</th>
              <th className="p-2">{t('supervision.col.money')}</th>
              <th className="p-2">{t('supervision.col.next')}</th>
              <th className="p-2">{t('supervision.col.review')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.number} className="border-b border-stone-200 align-top">
                <td className="p-2">
                  <Link to={`/competitions/${slug}/projects/${r.number}`} className="font-semibold underline">{r.number}. {r.title}</Link>
                </td>
                <td className="p-2"><ProjectStatusBadge status={r.status} /></td>
                <td className="p-2">{r.progressPct}%</td>
                <td className="p-2">
                  {t('supervision.moneyCell', { approved: money(r.approvedFen), spent: money(r.spentFen) })}
                  {r.heldFen > 0 ? <span className="block font-semibold text-amber-900">{t('supervision.heldCell', { held: money(r.heldFen) })}</span> : null}
                </td>
                <td className="p-2">
                  {r.nextMilestone ? (
                    <>
                      {r.nextMilestone.title} · {formatDate(r.nextMilestone.dueDate, language, { dateStyle: 'medium' })}
                      {r.daysOverdue > 0 ? <span className="block font-semibold text-red-800">{t('supervision.overdue', { count: r.daysOverdue })}</span> : null}
                    </>
                  ) : (
                    t('supervision.noNext')
                  )}
                </td>
                <td className="p-2">
                  {r.awaitingReview > 0 ? <span className="block">{t('supervision.awaiting', { count: r.awaitingReview })}</span> : null}
                  {r.changeRequest ? <span className="block">{t('supervision.changeRequest', { version: r.changeRequest.version })}</span> : null}
                  {r.awaitingReview === 0 && !r.changeRequest ? '—' : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} />
      <ImportSection />
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
