import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { EDITABLE_CLOSING, EVALUATION_CRITERIA, FINAL_REPORT_FIELDS, evaluationMean } from '~/features/projects/closing';
import { evaluationSchema, finalReportSchema, returnSchema } from '~/features/projects/closing.schema.server';
import { decideClosing, getClosing, saveFinalReport, submitFinalReport, type ClosingFailure } from '~/features/projects/closing.server';
import { findReportProject, reportAccess, reportOverview } from '~/features/projects/reports.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'projects'] };

const ERROR_KEYS = ['projects:closing.error.', 'validation.'] as const;
const STARS = [1, 2, 3, 4, 5] as const;

/** Sign-in first; then only the project's team, mentor and competition's committee (404 to anyone else, as for reports). */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const { doc } = await requireCompetition(args);
  const project = await findReportProject(String(doc._id), numberParam(args.params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const access = reportAccess(user, project);
  invariantResponse(access.team || access.mentor || access.committee, 'Not found', { status: 404 });
  return { user, slug: doc.slug, project, access };
}

export async function loader(args: LoaderFunctionArgs) {
  const { slug, project, access } = await guard(args);
  const [closing, overview] = await Promise.all([getClosing(project.id), reportOverview(project.id)]);
  const open = overview.filter((m) => m.report?.status !== 'approved').map((m) => m.title);
  const running = project.status === 'planning' || project.status === 'inProgress';
  return {
    title: await pageTitle(args.request, 'projects:closing.title', ['projects', 'common']),
    slug,
    project: { number: project.number, title: project.title, status: project.status },
    access,
    closing,
    openMilestones: open,
    planApproved: overview.length > 0,
    editable: access.team && running && (!closing || EDITABLE_CLOSING.includes(closing.status)),
  };
}

type Reply = { reason: ClosingFailure | null; errors: string[]; values: Record<string, string> | null };

export async function action(args: ActionFunctionArgs) {
  const { user, slug, project, access } = await guard(args);
  const form = await readForm(args.request);
  const fields = Object.fromEntries([...form].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const intent = fields.intent ?? '';
  const ip = clientIp(args.request);
  const back = `/competitions/${slug}/projects/${project.number}/closing`;
  const refuse = (reason: ClosingFailure | null, errors: string[], status: number) => data<Reply>({ reason, errors, values: fields }, { status });

  if (intent === 'save' || intent === 'submit') {
    invariantResponse(access.team, 'Forbidden', { status: 403 });
    const parsed = finalReportSchema.safeParse(fields);
    if (!parsed.success) return refuse(null, parsed.error.issues.map((i) => i.message), 400);
    const { revision, ...texts } = parsed.data;
    const saved = await saveFinalReport({ project, revision, fields: texts, actorId: user.id, ip });
    if (!saved.ok) return refuse(saved.reason, [], saved.reason === 'conflict' || saved.reason === 'notEditable' ? 409 : 400);
    if (intent === 'save') return redirectWithToast(back, { type: 'success', key: 'projects:toast.finalSaved' });
    const sent = await submitFinalReport({ project, revision: saved.revision, actorId: user.id, ip });
    if (!sent.ok) return refuse(sent.reason, [], sent.reason === 'conflict' ? 409 : 400);
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.finalSubmitted' });
  }
  invariantResponse(intent === 'close' || intent === 'return', 'Bad request', { status: 400 });
  invariantResponse(access.committee, 'Forbidden', { status: 403 });
  if (intent === 'close') {
    const parsed = evaluationSchema.safeParse(fields);
    if (!parsed.success) return refuse(null, [...new Set(parsed.error.issues.map((i) => i.message))], 400);
    const decided = await decideClosing({ project, competitionSlug: slug, revision: parsed.data.revision, decision: 'close', evaluation: parsed.data.evaluation, actorId: user.id, ip });
    if (!decided.ok) return refuse(decided.reason, [], 409);
    return redirectWithToast(`/competitions/${slug}/projects/${project.number}`, { type: 'success', key: 'projects:toast.projectClosed' });
  }
  const parsed = returnSchema.safeParse(fields);
  if (!parsed.success) return refuse(null, parsed.error.issues.map((i) => i.message), 400);
  const decided = await decideClosing({ project, competitionSlug: slug, revision: parsed.data.revision, decision: 'return', comment: parsed.data.comment, actorId: user.id, ip });
  if (!decided.ok) return refuse(decided.reason, [], 409);
  return redirectWithToast(back, { type: 'success', key: 'projects:toast.finalReturned' });
}

function FinalReportForm() {
  const { t } = useTranslation(['projects', 'common']);
  const { closing, openMilestones } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // What was typed comes back on a refusal; else what is saved.
  const value = (field: (typeof FINAL_REPORT_FIELDS)[number]) => answer?.values?.[field] ?? closing?.[field] ?? '';
  return (
    <Form method="post" className="card space-y-4">
      <input type="hidden" name="revision" value={closing ? closing.revision : ''} />
      {closing?.status === 'returned' && closing.returnComment ? (
        <p className="rounded-lg border-l-4 border-amber-500 bg-amber-50 p-3">
          <span className="font-semibold">{t('report.committeeComment')}</span> <span className="whitespace-pre-line">{closing.returnComment}</span>
        </p>
      ) : null}
      {FINAL_REPORT_FIELDS.map((field) => (
        <div key={field}>
          <label htmlFor={`final-${field}`} className="mb-1 block font-medium">{t(`closing.field.${field}`)}</label>
          <textarea id={`final-${field}`} name={field} className="input" rows={4} defaultValue={value(field)} aria-describedby={`final-${field}-help`} />
          <p id={`final-${field}-help`} className="mt-1 text-stone-600">{t(`closing.help.${field}`)}</p>
        </div>
      ))}
      {openMilestones.length ? <p className="text-stone-700">{t('closing.openMilestones', { list: openMilestones.join('、') })}</p> : null}
      <ErrorList errors={[...(answer?.errors ?? []), ...(answer?.reason ? [answer.reason] : [])]} keyPrefixes={ERROR_KEYS} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="intent" value="save" className="btn-secondary">{t('closing.save')}</button>
        <button type="submit" name="intent" value="submit" className="btn-primary">{t('closing.submit')}</button>
      </div>
    </Form>
  );
}

function EvaluationForms({ revision }: { revision: number }) {
  const { t } = useTranslation(['projects', 'common']);
  const answer = useActionData<typeof action>();
  const errors = [...(answer?.errors ?? []).filter((e) => e !== 'confirmRequired'), ...(answer?.reason ? [answer.reason] : [])];
  return (
    <div className="space-y-4">
      <Form method="post" className="card space-y-4" aria-labelledby="evaluation-title">
        <h3 id="evaluation-title" className="text-lg font-semibold">{t('closing.evaluationTitle')}</h3>
        <p className="text-stone-700">{t('closing.evaluationHelp')}</p>
        <input type="hidden" name="revision" value={revision} />
        {EVALUATION_CRITERIA.map((criterion) => (
          <fieldset key={criterion} className="space-y-2">
            <legend className="font-medium">{t(`closing.criterion.${criterion}`)}</legend>
            <div className="flex flex-wrap gap-2">
              {STARS.map((n) => (
                <label key={n} className="inline-flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-lg border border-stone-300 px-3">
                  <input type="radio" name={`score_${criterion}`} value={n} defaultChecked={answer?.values?.[`score_${criterion}`] === String(n)} className="h-5 w-5" />
                  {n}
                </label>
              ))}
            </div>
            <label htmlFor={`comment-${criterion}`} className="block text-stone-700">{t('closing.criterionComment')}</label>
            <textarea id={`comment-${criterion}`} name={`comment_${criterion}`} className="input" rows={2} defaultValue={answer?.values?.[`comment_${criterion}`] ?? ''} />
          </fieldset>
        ))}
        <ErrorList errors={errors.length ? errors : null} keyPrefixes={ERROR_KEYS} />
        <ConfirmStep act="closeProject" errors={answer?.errors?.includes('confirmRequired') ? ['confirmRequired'] : null} />
        <button type="submit" name="intent" value="close" className="btn-primary">{t('closing.close')}</button>
      </Form>
      <Form method="post" className="card space-y-3">
        <input type="hidden" name="revision" value={revision} />
        <label htmlFor="return-comment" className="block font-medium">{t('closing.returnComment')}</label>
        <textarea id="return-comment" name="comment" className="input" rows={3} />
        <button type="submit" name="intent" value="return" className="btn-secondary">{t('closing.return')}</button>
      </Form>
    </div>
  );
}

export default function ClosingPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { slug, project, access, closing, editable, planApproved } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const mean = evaluationMean(closing?.evaluation);
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <Link to={`/competitions/${slug}/projects/${project.number}`} className="inline-flex min-h-11 items-center underline">{project.title}</Link>
        <h2 className="text-2xl font-bold">{t('closing.title')}</h2>
        <p className="text-stone-700">{t('closing.intro')}</p>
        <p className="font-semibold">{t(`closing.status.${closing?.status ?? 'none'}`)}</p>
      </header>
      {!planApproved ? <p className="text-stone-700">{t('closing.noPlan')}</p> : null}
      {editable ? <FinalReportForm /> : null}
      {!editable && closing ? (
        <section className="card space-y-3">
          {FINAL_REPORT_FIELDS.map((field) => (
            <div key={field}>
              <h3 className="font-semibold">{t(`closing.field.${field}`)}</h3>
              <p className="whitespace-pre-line">{closing[field] || t('report.nothing')}</p>
            </div>
          ))}
        </section>
      ) : null}
      {!editable && !closing ? <p className="text-stone-700">{t('closing.notStarted')}</p> : null}
      {closing?.status === 'submitted' && access.committee ? <EvaluationForms revision={closing.revision} /> : null}
      {closing?.status === 'submitted' && !access.committee ? <p className="text-stone-700">{t('closing.waiting')}</p> : null}
      {closing?.status === 'closed' && closing.evaluation ? (
        <section className="card space-y-2" aria-labelledby="evaluation-result">
          <h3 id="evaluation-result" className="text-lg font-semibold">{t('closing.evaluationResult', { mean: mean ?? '—', date: closing.decidedAt ? formatDate(closing.decidedAt, language, { dateStyle: 'medium' }) : '' })}</h3>
          <ul className="space-y-1">
            {EVALUATION_CRITERIA.map((c) => (
              <li key={c}>
                {t(`closing.criterion.${c}`)}: {closing.evaluation![c]?.score ?? '—'} / 5
                {closing.evaluation![c]?.comment ? <span className="block text-stone-700">{closing.evaluation![c].comment}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
