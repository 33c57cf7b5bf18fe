import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
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
import { MAX_MILESTONES } from '~/features/projects/milestones';
import { approveSchema, commentSchema, planFormSchema } from '~/features/projects/milestones.schema.server';
import { decidePlan, findPlanProject, listPlanVersions, planAccess, savePlanDraft, submitPlan, type PlanFailure } from '~/features/projects/milestones.server';
import { fenToYuanInput, formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'projects'] };

const ERROR_KEYS = ['projects:plan.error.', 'validation.'] as const;
const ROW_FIELD = /^milestones\[(\d{1,3})\]\.(?:title|dueDate|deliverables|tranche|weight|key)$/;
const DECISIONS = { approve: 'approved', return: 'returned', reject: 'rejected' } as const;

/**
 * Sign-in first; then the project, which only its team, its competition's committee and its
 * mentor (read-only: every write below asks for team or committee, 403) may open here (404 to
 * anyone else: the plan's drafts are not public).
 */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const { doc } = await requireCompetition(args);
  const project = await findPlanProject(String(doc._id), numberParam(args.params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const access = planAccess(user, project);
  invariantResponse(access.team || access.committee || access.mentor, 'Not found', { status: 404 });
  return { user, slug: doc.slug, project, access };
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const emptyRow = { title: '', dueDate: '', deliverables: '', tranche: '', weight: '', key: '' };

export async function loader(args: LoaderFunctionArgs) {
  const { slug, project, access } = await guard(args);
  const versions = await listPlanVersions(project.id);
  const latest = versions[0] ?? null;
  // The team writes on the open draft, or starts the next version from the plan in force.
  const base = latest && latest.status !== 'submitted' ? latest : null;
  const rows = (base?.milestones ?? []).map((m) => ({
    title: m.title,
    // Stored as midnight in Shanghai: the form's day is that day there.
    dueDate: new Date(new Date(m.dueDate).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10),
    deliverables: m.deliverables,
    tranche: fenToYuanInput(m.trancheFen),
    weight: String(m.weight),
    key: m.key,
  }));
  if (rows.length < MAX_MILESTONES) rows.push(emptyRow);
  return {
    title: await pageTitle(args.request, 'projects:plan.title', ['projects', 'common']),
    slug,
    project: { number: project.number, title: project.title, approvedBudgetFen: project.approvedBudgetFen },
    access,
    versions,
    values: { milestones: rows },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, slug, project, access } = await guard(args);
  const form = await readForm(args.request);
  const rawIntent = form.get('intent');
  const intent = typeof rawIntent === 'string' ? rawIntent : '';
  const ip = clientIp(args.request);
  const back = `/competitions/${slug}/projects/${project.number}/plan`;
  const refuse = (reason: PlanFailure, status: number, result: SubmissionResult<string[]> | null = null) => data({ result, reason, confirm: null as string[] | null }, { status });

  if (intent === 'save' || intent === 'submit') {
    invariantResponse(access.team, 'Forbidden', { status: 403 });
    // Only the form's own fields: a row index far past its rows would make the parser build a
    // huge sparse array, and `milestones=abc` would come back as a list the form cannot render.
    const fieldsOk = [...form.keys()].every((key) => {
      if (!key.startsWith('milestones')) return true;
      const row = ROW_FIELD.exec(key);
      return row !== null && Number(row[1]) <= MAX_MILESTONES;
    });
    invariantResponse(fieldsOk, 'Unexpected form fields', { status: 400 });
    const submission = parseWithZod(form, { schema: planFormSchema });
    if (submission.status !== 'success') return data({ result: submission.reply(), reason: null, confirm: null }, { status: 400 });
    const saved = await savePlanDraft({ project, milestones: submission.value, actorId: user.id, ip });
    if (!saved.ok) return refuse(saved.reason, saved.reason === 'notEditable' || saved.reason === 'conflict' ? 409 : 400, submission.reply());
    if (intent === 'save') return redirectWithToast(back, { type: 'success', key: 'projects:toast.planSaved' });
    const submitted = await submitPlan({ project, version: saved.version, revision: saved.revision, actorId: user.id, ip });
    if (!submitted.ok) return refuse(submitted.reason, 409, submission.reply());
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.planSubmitted' });
  }

  const decision = DECISIONS[intent as keyof typeof DECISIONS];
  invariantResponse(decision, 'Bad request', { status: 400 });
  invariantResponse(access.committee, 'Forbidden', { status: 403 });
  if (decision === 'approved') {
    const parsed = approveSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return data({ result: null, reason: null, confirm: parsed.error.issues.filter((i) => i.path[0] === 'confirm').map((i) => i.message) }, { status: 400 });
    const decided = await decidePlan({ project, decision, revision: parsed.data.revision, actorId: user.id, ip });
    if (!decided.ok) return refuse(decided.reason, decided.reason === 'notSubmitted' ? 409 : 400);
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.planApproved' });
  }
  const submission = parseWithZod(form, { schema: commentSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null, confirm: null }, { status: 400 });
  const decided = await decidePlan({ project, decision, revision: submission.value.revision, comment: submission.value.comment, actorId: user.id, ip });
  if (!decided.ok) return refuse(decided.reason, decided.reason === 'notSubmitted' ? 409 : 400, submission.reply());
  return redirectWithToast(back, { type: 'success', key: decision === 'returned' ? 'projects:toast.planReturned' : 'projects:toast.planRejected' });
}

type Version = Awaited<ReturnType<typeof loader>>['versions'][number];

function MilestoneTable({ version }: { version: Version }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left">
        <thead>
          <tr className="border-b border-stone-300">
            <th className="p-2">{t('plan.milestoneTitle')}</th>
            <th className="p-2">{t('plan.dueDate')}</th>
            <th className="p-2">{t('plan.tranche')}</th>
            <th className="p-2">{t('plan.weight')}</th>
          </tr>
        </thead>
        <tbody>
          {version.milestones.map((m, i) => (
            <tr key={i} className="border-b border-stone-200 align-top">
              <td className="p-2">
                <span className="font-semibold">{m.title}</span>
                {m.deliverables ? <span className="block whitespace-pre-line text-stone-700">{m.deliverables}</span> : null}
              </td>
              <td className="p-2">{formatDate(m.dueDate, language, { dateStyle: 'medium' })}</td>
              <td className="p-2">{formatMoney(m.trancheFen, language)}</td>
              <td className="p-2">{m.weight}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Reviews({ version }: { version: Version }) {
  const { t } = useTranslation(['projects']);
  const language = useLanguage();
  if (version.reviews.length === 0) return null;
  return (
    <ul className="space-y-1">
      {version.reviews.map((r) => (
        <li key={r.at} className="text-stone-700">
          {t(`plan.review.${r.decision}`, { date: formatDate(r.at, language, { dateStyle: 'medium' }) })}
          {r.comment ? <span className="block whitespace-pre-line">{r.comment}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function DraftForm({ values, changeRequest }: { values: { milestones: (typeof emptyRow)[] }; changeRequest: boolean }) {
  const { t } = useTranslation(['projects', 'common']);
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'milestone-plan',
    defaultValue: values,
    lastResult: actionData?.result,
    // Validated by the action only (decision 015): without onValidate, conform's blur validation
    // would post the form with its own `__intent__` on every blur, which the action answers 400.
  });
  const rows = fields.milestones.getFieldList();
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <h3 className="text-lg font-semibold">{changeRequest ? t('plan.changeRequestTitle') : t('plan.draftTitle')}</h3>
      <p className="text-stone-700">{t('plan.help')}</p>
      {rows.map((row, index) => {
        const f = row.getFieldset();
        return (
          <fieldset key={row.key} className="card grid gap-3 sm:grid-cols-2">
            <legend className="font-semibold">{t('plan.milestone', { n: index + 1 })}</legend>
            <input {...getInputProps(f.key, { type: 'hidden' })} />
            <div className="sm:col-span-2">
              <label htmlFor={f.title.id} className="mb-1 block font-medium">{t('plan.milestoneTitle')}</label>
              <input className="input" {...getInputProps(f.title, { type: 'text' })} />
              <ErrorList id={f.title.errorId} errors={f.title.errors} keyPrefixes={ERROR_KEYS} />
            </div>
            <div>
              <label htmlFor={f.dueDate.id} className="mb-1 block font-medium">{t('plan.dueDate')}</label>
              <input className="input" {...getInputProps(f.dueDate, { type: 'date' })} />
              <ErrorList id={f.dueDate.errorId} errors={f.dueDate.errors} keyPrefixes={ERROR_KEYS} />
            </div>
            <div>
              <label htmlFor={f.tranche.id} className="mb-1 block font-medium">{t('plan.trancheYuan')}</label>
              <input className="input" {...getInputProps(f.tranche, { type: 'text' })} inputMode="decimal" />
              <ErrorList id={f.tranche.errorId} errors={f.tranche.errors} keyPrefixes={ERROR_KEYS} />
            </div>
            <div>
              <label htmlFor={f.weight.id} className="mb-1 block font-medium">{t('plan.weight')}</label>
              <input className="input" {...getInputProps(f.weight, { type: 'text' })} inputMode="numeric" />
              <ErrorList id={f.weight.errorId} errors={f.weight.errors} keyPrefixes={ERROR_KEYS} />
            </div>
            <div className="sm:col-span-2">
              <label htmlFor={f.deliverables.id} className="mb-1 block font-medium">{t('plan.deliverables')}</label>
              <textarea className="input" rows={2} {...getTextareaProps(f.deliverables)} />
              <ErrorList id={f.deliverables.errorId} errors={f.deliverables.errors} keyPrefixes={ERROR_KEYS} />
            </div>
          </fieldset>
        );
      })}
      <p className="text-stone-600">{t('plan.addRowHelp')}</p>
      <ErrorList errors={fields.milestones.errors} keyPrefixes={ERROR_KEYS} />
      <ErrorList errors={actionData?.reason ? [actionData.reason] : null} keyPrefixes={ERROR_KEYS} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="intent" value="save" className="btn-secondary">{t('plan.save')}</button>
        <button type="submit" name="intent" value="submit" className="btn-primary">{t('plan.submit')}</button>
      </div>
    </Form>
  );
}

function DecisionForms({ version }: { version: Version }) {
  const { t } = useTranslation(['projects', 'common']);
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <ErrorList errors={actionData?.reason ? [actionData.reason] : null} keyPrefixes={ERROR_KEYS} />
      <Form method="post" className="card space-y-3">
        <input type="hidden" name="revision" value={version.revision} />
        <ConfirmStep act="approvePlan" values={{ version: version.version }} errors={actionData?.confirm} />
        <button type="submit" name="intent" value="approve" className="btn-primary">{t('plan.approve')}</button>
      </Form>
      <Form method="post" className="card space-y-3">
        <input type="hidden" name="revision" value={version.revision} />
        <label htmlFor="plan-comment" className="block font-medium">{t('plan.comment')}</label>
        <textarea id="plan-comment" name="comment" className="input" rows={3} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="return" className="btn-secondary">{t('plan.return')}</button>
          {version.version > 1 ? (
            <button type="submit" name="intent" value="reject" className="btn-secondary">{t('plan.reject')}</button>
          ) : null}
        </div>
      </Form>
    </div>
  );
}

export default function PlanPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { project, access, versions, values } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const latest = versions[0] ?? null;
  const approved = versions.filter((v) => v.status === 'approved');
  const inForce = approved[0] ?? null;
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
          {project.title}
        </Link>
        <h2 className="text-2xl font-bold">{t('plan.title')}</h2>
        <p className="text-stone-700">{t('plan.budget', { amount: formatMoney(project.approvedBudgetFen, language) })}</p>
      </header>

      {latest && latest.status !== 'approved' ? (
        <section className="space-y-3" aria-labelledby="plan-open">
          <h3 id="plan-open" className="text-lg font-semibold">
            {t('plan.versionStatus', { version: latest.version, status: t(`plan.status.${latest.status}`) })}
          </h3>
          <Reviews version={latest} />
          {latest.status === 'submitted' ? <MilestoneTable version={latest} /> : null}
          {latest.status === 'submitted' && access.committee ? <DecisionForms version={latest} /> : null}
          {latest.status === 'submitted' && !access.committee ? <p className="text-stone-700">{t('plan.waiting')}</p> : null}
        </section>
      ) : null}

      {access.mentor && !access.team && !access.committee ? <p className="text-stone-700">{t('plan.mentorReadOnly')}</p> : null}

      {/* Keyed by the saved revision: conform reads defaultValue once, so after a save (a redirect to
          this page) the form starts again from what was saved, with its new empty row. */}
      {access.team && latest?.status !== 'submitted' ? <DraftForm key={latest ? `${latest.version}-${latest.revision}` : 'new'} values={values} changeRequest={Boolean(inForce)} /> : null}

      <section className="space-y-3" aria-labelledby="plan-approved">
        <h3 id="plan-approved" className="text-lg font-semibold">{t('plan.approvedVersions')}</h3>
        {approved.length === 0 ? <p className="text-stone-700">{t('plan.noneApproved')}</p> : null}
        {approved.map((v) => (
          <div key={v.version} className="space-y-2">
            <h4 className="font-semibold">
              {t('plan.approvedVersion', { version: v.version, date: v.decidedAt ? formatDate(v.decidedAt, language, { dateStyle: 'medium' }) : '' })}
              {v === inForce ? ` · ${t('plan.inForce')}` : ''}
            </h4>
            <MilestoneTable version={v} />
          </div>
        ))}
      </section>
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
