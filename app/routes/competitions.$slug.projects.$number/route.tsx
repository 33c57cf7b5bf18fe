import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList } from '~/components/forms';
import { getOptionalUser } from '~/core/auth.server';
import { getFixedT } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { hasPermission } from '~/core/permissions.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { budgetAdjustmentSchema, parseWithZod } from '~/features/projects/budget.schema.server';
import { adjustProjectBudget, getBudgetLedger } from '~/features/projects/budget.server';
import { BUDGET_REASON_MAX, PROJECT_STATUS_TRANSITIONS, setOnlyByClosing, STATUS_REASON_MAX, type ProjectStatus } from '~/features/projects/rules';
import { ProjectStatusBadge } from '~/features/projects/status-badge';
import { milestoneState } from '~/features/projects/milestones';
import { getApprovedMilestones } from '~/features/projects/milestones.server';
import { parseStatusChange } from '~/features/projects/status.schema.server';
import { changeProjectStatus } from '~/features/projects/status.server';
import { OutcomesSection } from '~/features/projects/outcomes-section';
import { RatingSection } from '~/features/projects/rating-section';
import { publicReports, reportOverview } from '~/features/projects/reports.server';
import { publicClosing } from '~/features/projects/closing.server';
import { ratingSummary } from '~/features/projects/ratings.server';
import { getProjectView } from '~/features/projects/views.server';
import { MoneySection } from '~/features/resources/money-section';
import { mayManageResources } from '~/features/resources/pledges.server';
import { projectResources } from '~/features/resources/views.server';
import { findTeamProject, teamAccess } from '~/features/projects/team.server';
import { fenToYuanInput, formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { NoticeTools, PrintOnlyAddress } from '~/components/notice-tools';
import { publicUrl } from '~/core/request.server';
import { projectShortPath } from '~/features/projects/notice';
import type { loader as competitionLoader } from '../competitions.$slug/route';

export const handle = { i18n: ['common', 'projects', 'resources'] };

/** A project as everyone sees it; its committee also gets the budget form. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const number = numberParam(params.number);
  const competitionId = String(doc._id);
  const viewer = await getOptionalUser(request);
  const canManage = Boolean(viewer && hasPermission(viewer.roles, 'competition:manage', { competitionId }));
  const [project, ledger, plan, teamProject, t] = await Promise.all([
    getProjectView(competitionId, number),
    canManage ? getBudgetLedger(competitionId) : null,
    getApprovedMilestones(competitionId, number, viewer),
    viewer ? findTeamProject(competitionId, number) : null,
    getFixedT(request, ['common']),
  ]);
  invariantResponse(project, 'Not found', { status: 404 });
  const mayOpenPlan = Boolean(plan?.mayOpenPlan);
  const team = viewer && teamProject ? teamAccess(viewer, teamProject) : null;
  // The team page is for the team, the committee and the mentor (an invitee arrives by its notification).
  const mayOpenTeam = Boolean(team && (team.team || team.committee || team.mentor));
  // Ratings open once the project is complete; the team, mentor and committee also see each milestone's report state.
  // The money by source (charity resources, decision 031) is one aggregate beside these reads, not after them.
  const [rating, outcomes, overview, closing, resources] = await Promise.all([
    project.status === 'completed' ? ratingSummary(project.id, viewer?.id ?? null) : null,
    publicReports(project.id),
    mayOpenPlan ? reportOverview(project.id) : null,
    project.status === 'completed' ? publicClosing(project.id) : null,
    projectResources(project.id, project.approvedBudgetFen),
  ]);
  const mayManagePledges = Boolean(team && (team.team || team.committee)) || Boolean(viewer && mayManageResources(viewer));
  const reportState = new Map((overview ?? []).map((m) => [m.id, m.report?.status ?? 'none']));
  const milestones = (plan?.milestones ?? []).map((m) => ({
    id: m.id,
    title: m.title,
    dueDate: m.dueDate,
    weight: m.weight,
    state: milestoneState(m),
    report: mayOpenPlan ? (reportState.get(m.id) ?? 'none') : null,
  }));
  const shortUrl = publicUrl(projectShortPath(doc.slug, number));
  return { title: `${project.title} · ${t('brand.name')}`, project, ledger, milestones, mayOpenPlan, mayOpenTeam, rating, outcomes, closing, resources, mayManagePledges, signedIn: Boolean(viewer), shortUrl, slug: doc.slug };
}

type StatusErrors = Partial<Record<'to' | 'reason' | 'confirm' | 'form', string[]>>;

/**
 * The committee of this competition (requirePermission: login, then 403) changes the approved
 * budget, or (intent=status) moves the project to another status.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, doc } = await requireCompetition({ request, params, context }, 'competition:manage');
  const number = numberParam(params.number);
  const formData = await readForm(request);
  if (formData.get('intent') === 'status') {
    const parsed = parseStatusChange(formData);
    if (!parsed.ok) {
      const errors: StatusErrors = parsed.errors;
      return data({ form: 'status' as const, errors }, { status: 400 });
    }
    const changed = await changeProjectStatus({
      competitionId: String(doc._id),
      competitionSlug: doc.slug,
      projectNumber: number,
      to: parsed.value.to,
      reason: parsed.value.reason,
      actorId: user.id,
      ip: clientIp(request),
    });
    if (!changed.ok) {
      invariantResponse(changed.reason !== 'notFound', 'Not found', { status: 404 });
      const errors: StatusErrors = { form: [changed.reason] };
      return data({ form: 'status' as const, errors }, { status: changed.reason === 'conflict' ? 409 : 400 });
    }
    return redirectWithToast(`/competitions/${doc.slug}/projects/${number}`, { type: 'success', key: 'projects:toast.statusChanged' });
  }
  const submission = parseWithZod(formData, { schema: budgetAdjustmentSchema });
  if (submission.status !== 'success') return data({ form: 'budget' as const, result: submission.reply(), reason: null, committedFen: null }, { status: 400 });
  const adjusted = await adjustProjectBudget({
    competitionId: String(doc._id),
    projectNumber: number,
    toFen: submission.value.amount,
    reason: submission.value.reason,
    actorId: user.id,
    ip: clientIp(request),
  });
  if (!adjusted.ok) {
    invariantResponse(adjusted.reason !== 'notFound', 'Not found', { status: 404 });
    return data(
      { form: 'budget' as const, result: submission.reply(), reason: adjusted.reason, committedFen: adjusted.committedFen ?? null },
      { status: adjusted.reason === 'conflict' ? 409 : 400 },
    );
  }
  return redirectWithToast(`/competitions/${doc.slug}/projects/${number}`, { type: 'success', key: 'projects:toast.budgetAdjusted' });
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <dt className="text-stone-600">{label}</dt>
      <dd className="font-semibold">{children}</dd>
    </div>
  );
}

function BudgetForm({ approvedBudgetFen, ledger }: { approvedBudgetFen: number; ledger: { fundedFen: number; approvedFen: number } }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  const answer = useActionData<typeof action>();
  const actionData = answer?.form === 'budget' ? answer : undefined;
  const [form, fields] = useForm({
    id: 'project-budget',
    defaultValue: { amount: fenToYuanInput(approvedBudgetFen), reason: '' },
    // Checked by the action only: the page is public and carries no zod (decision 015).
    lastResult: actionData?.result,
  });
  const errorKeys = ['projects:budget.error.', 'validation.'] as const;
  return (
    <section className="card space-y-3" aria-labelledby="budget-form-title">
      <h3 id="budget-form-title" className="text-lg font-semibold">
        {t('budget.title')}
      </h3>
      <p className="text-stone-700">{t('budget.intro')}</p>
      <p className="font-semibold">{t('budget.ledger', { approved: formatMoney(ledger.approvedFen, language), funded: formatMoney(ledger.fundedFen, language) })}</p>
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <div>
          <label htmlFor={fields.amount.id} className="mb-1 block font-medium">
            {t('budget.amount')}
          </label>
          <input className="input" {...getInputProps(fields.amount, { type: 'text' })} inputMode="decimal" />
          <ErrorList id={fields.amount.errorId} errors={fields.amount.errors} keyPrefixes={errorKeys} />
        </div>
        <div>
          <label htmlFor={fields.reason.id} className="mb-1 block font-medium">
            {t('budget.reason')}
          </label>
          <textarea className="input" rows={3} {...getTextareaProps(fields.reason, { ariaDescribedBy: fields.reason.descriptionId })} maxLength={BUDGET_REASON_MAX} />
          <p id={fields.reason.descriptionId} className="mt-1 text-stone-600">
            {t('budget.reasonHelp')}
          </p>
          <ErrorList id={fields.reason.errorId} errors={fields.reason.errors} keyPrefixes={errorKeys} />
        </div>
        <ErrorList errors={actionData?.reason ? [actionData.reason] : null} keyPrefixes={errorKeys} />
        {actionData?.committedFen != null ? <p className="text-red-800">{t('budget.committedAtLeast', { amount: formatMoney(actionData.committedFen, language) })}</p> : null}
        <button type="submit" className="btn-primary">
          {t('budget.submit')}
        </button>
      </Form>
    </section>
  );
}

function StatusForms({ slug, number, title, status }: { slug: string; number: number; title: string; status: ProjectStatus }) {
  const { t } = useTranslation(['projects', 'common']);
  const answer = useActionData<typeof action>();
  const errors = answer?.form === 'status' ? answer.errors : undefined;
  const errorKeys = ['projects:statusChange.error.', 'confirmDialog.errors.', 'validation.'] as const;
  // Completion is the closing decision on the final report, on its own page; termination has its own form.
  const next = PROJECT_STATUS_TRANSITIONS[status].filter((s) => s !== 'terminated' && !setOnlyByClosing(s));
  const mayClose = PROJECT_STATUS_TRANSITIONS[status].some(setOnlyByClosing);
  const mayTerminate = PROJECT_STATUS_TRANSITIONS[status].includes('terminated');
  if (!next.length && !mayTerminate && !mayClose) return null;
  return (
    <section className="card space-y-4" aria-labelledby="status-form-title">
      <h3 id="status-form-title" className="text-lg font-semibold">
        {t('statusChange.title')}
      </h3>
      <p className="text-stone-700">{t('statusChange.intro')}</p>
      <ErrorList errors={[...(errors?.form ?? []), ...(errors?.to ?? []), ...(errors?.reason ?? [])]} keyPrefixes={errorKeys} />
      {mayClose ? (
        <p className="text-stone-700">
          {t('statusChange.completeByClosing')}
          <Link to={`/competitions/${slug}/projects/${number}/closing`} className="inline-flex min-h-11 items-center text-brand-800 underline">
            {t('closing.link')}
          </Link>
        </p>
      ) : null}
      {next.length ? (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="status" />
          <div>
            <label htmlFor="status-to" className="mb-1 block font-medium">
              {t('statusChange.to')}
            </label>
            <select id="status-to" name="to" className="input">
              {next.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="status-reason" className="mb-1 block font-medium">
              {t('statusChange.reason')}
            </label>
            <textarea id="status-reason" name="reason" className="input" rows={2} maxLength={STATUS_REASON_MAX} aria-describedby="status-reason-help" />
            <p id="status-reason-help" className="mt-1 text-stone-600">
              {t('statusChange.reasonHelp')}
            </p>
          </div>
          <button type="submit" className="btn-primary">
            {t('statusChange.submit')}
          </button>
        </Form>
      ) : null}
      {mayTerminate ? (
        <Form method="post" className="space-y-3 border-t border-stone-200 pt-3">
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="to" value="terminated" />
          <div>
            <label htmlFor="terminate-reason" className="mb-1 block font-medium">
              {t('statusChange.terminateReason')}
            </label>
            <textarea id="terminate-reason" name="reason" className="input" rows={2} maxLength={STATUS_REASON_MAX} />
          </div>
          <ConfirmStep act="terminate" values={{ number, title }} errors={errors?.confirm} />
          <button type="submit" className="btn-danger">
            {t('statusChange.terminate')}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export default function ProjectPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { project, ledger, milestones, mayOpenPlan, mayOpenTeam, rating, outcomes, closing, resources, mayManagePledges, signedIn, shortUrl, slug } = useLoaderData<typeof loader>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const category = competition?.categories.find((c) => c.code === project.category);
  const place = [project.street, project.community].filter((p) => p !== null).map((p) => pickText(p, language));
  const organization = project.organization.named ? (
    <Link to={`/organizations/${project.organization.id}`} className="inline-flex min-h-11 items-center underline">
      {project.organization.name} · {t(`organizationType.${project.organization.type}`)}
    </Link>
  ) : project.organization.name
      ? t('detail.organizationProposed', { name: project.organization.name })
      : t('detail.organizationPending');
  return (
    <article className="space-y-5">
      <header className="space-y-2" data-read-aloud>
        <p className="flex flex-wrap items-center gap-x-2 text-stone-600">
          <Link to=".." relative="path" className="inline-flex min-h-11 items-center underline">
            {t('detail.allProjects')}
          </Link>
          <span aria-hidden="true">·</span>
          <span>{t('detail.number', { number: project.number })}</span>
          <ProjectStatusBadge status={project.status} />
        </p>
        <h2 className="text-2xl font-bold">{project.title}</h2>
        {project.summary ? <p className="text-lg text-stone-700">{project.summary}</p> : null}
      </header>
      <NoticeTools pdfHref={`/competitions/${slug}/projects/${project.number}/notice.pdf`} language={language} />

      <section className="card" aria-labelledby="project-facts" data-read-aloud>
        <h3 id="project-facts" className="sr-only">
          {t('detail.facts')}
        </h3>
        <dl className="grid gap-4 sm:grid-cols-2">
          <Fact label={t('detail.approvedBudget')}>
            <span className="text-xl">{formatMoney(project.approvedBudgetFen, language)}</span>
            {project.approvedBudgetFen !== project.fundedFen ? (
              <span className="block font-normal text-stone-600">{t('detail.fundedBudget', { amount: formatMoney(project.fundedFen, language) })}</span>
            ) : null}
          </Fact>
          <Fact label={t('detail.direction')}>{category ? pickText(category.name, language) : project.category}</Fact>
          {place.length ? <Fact label={t('detail.place')}>{place.join(' · ')}</Fact> : null}
          <Fact label={t('detail.organization')}>
            {organization}
            {ledger ? (
              <Link to="organization" relative="path" className="block min-h-11 font-normal underline">
                {t('detail.nameOrganization')}
              </Link>
            ) : null}
          </Fact>
          <Fact label={t('detail.team')}>
            {project.teamNames.length ? project.teamNames.join('、') : t('detail.teamCount', { count: project.teamSize })}
            {mayOpenTeam ? (
              <Link to="team" relative="path" className="block min-h-11 py-2 font-normal underline">
                {t('detail.teamLink')}
              </Link>
            ) : null}
          </Fact>
          <Fact label={t('detail.mentor')}>{project.mentorName ?? t('detail.noMentor')}</Fact>
          <Fact label={t('detail.planned')}>
            {project.plannedStart && project.plannedEnd
              ? t('detail.plannedRange', { start: formatDate(project.plannedStart, language, { dateStyle: 'long' }), end: formatDate(project.plannedEnd, language, { dateStyle: 'long' }) })
              : t('detail.notPlanned')}
          </Fact>
        </dl>
        <p className="mt-4 text-stone-700">{t('detail.progressNote', { pct: project.progressPct })}</p>
      </section>

      {project.description ? (
        <section className="space-y-1" aria-labelledby="project-plan">
          <h3 id="project-plan" className="text-lg font-semibold">
            {t('detail.plan')}
          </h3>
          <p className="whitespace-pre-line text-stone-800">{project.description}</p>
        </section>
      ) : null}

      <section className="space-y-2" aria-labelledby="project-milestones">
        <h3 id="project-milestones" className="text-lg font-semibold">
          {t('detail.milestones')}
        </h3>
        {milestones.length === 0 ? (
          <p className="text-stone-700">{t('detail.noMilestones')}</p>
        ) : (
          <ol className="space-y-2">
            {milestones.map((m, i) => (
              <li key={i} className="rounded-lg border border-stone-200 p-3">
                <p className="font-semibold">{m.title}</p>
                <p className="text-stone-700">
                  {t('detail.milestoneDue', { date: formatDate(m.dueDate, language, { dateStyle: 'long' }) })} · {t('detail.milestoneWeight', { weight: m.weight })} ·{' '}
                  {t(`detail.milestoneState.${m.state}`)}
                </p>
                {m.report ? (
                  <Link to={`milestones/${m.id}`} relative="path" className="inline-flex min-h-11 items-center underline">
                    {t('detail.reportLink')} · {t(`detail.reportState.${m.report}`)}
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        {mayOpenPlan ? (
          <p className="flex flex-wrap gap-x-4">
            <Link to="plan" relative="path" className="inline-flex min-h-11 items-center underline">
              {t('detail.planLink')}
            </Link>
            <Link to="closing" relative="path" className="inline-flex min-h-11 items-center underline">
              {t('closing.link')}
            </Link>
          </p>
        ) : null}
      </section>

      <OutcomesSection outcomes={outcomes} approvedBudgetFen={project.approvedBudgetFen} language={language} />

      <MoneySection resources={resources} language={language} manageHref={mayManagePledges ? 'resources' : null} offerHref={mayManagePledges ? null : 'resources'} />

      {closing ? (
        <section className="card space-y-2" aria-labelledby="project-closing">
          <h3 id="project-closing" className="text-lg font-semibold">{t('closing.publicTitle')}</h3>
          {closing.mean !== null ? <p className="font-semibold">{t('closing.publicMean', { mean: closing.mean })}</p> : null}
          <p className="whitespace-pre-line">{closing.outcomes}</p>
          {closing.sustainability ? (
            <p className="whitespace-pre-line text-stone-700">
              <span className="font-semibold">{t('closing.field.sustainability')}：</span>
              {closing.sustainability}
            </p>
          ) : null}
        </section>
      ) : null}

      <section className="space-y-1" aria-labelledby="project-proposal">
        <h3 id="project-proposal" className="text-lg font-semibold">
          {t('detail.fromProposal')}
        </h3>
        <Link to={`../../proposals/${project.proposalNumber}`} relative="path" className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
          {t('detail.proposalLink', { number: project.proposalNumber })}
        </Link>
      </section>

      <section className="space-y-2" aria-labelledby="project-adjustments">
        <h3 id="project-adjustments" className="text-lg font-semibold">
          {t('detail.adjustments')}
        </h3>
        {project.budgetAdjustments.length === 0 ? (
          <p className="text-stone-700">{t('detail.noAdjustments')}</p>
        ) : (
          <ol className="space-y-2">
            {project.budgetAdjustments.map((a) => (
              <li key={a.at} className="rounded-lg border border-stone-200 p-3">
                <p className="font-semibold">
                  {t('detail.adjustment', { from: formatMoney(a.fromFen, language), to: formatMoney(a.toFen, language) })}
                </p>
                <p className="text-stone-700">{a.reason}</p>
                <p className="text-stone-600">
                  <time dateTime={a.at}>{formatDate(a.at, language, { dateStyle: 'long' })}</time>
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      {rating && competition ? <RatingSection summary={rating} signedIn={signedIn} action={`/competitions/${competition.slug}/projects/${project.number}/rate`} /> : null}

      {ledger ? <BudgetForm approvedBudgetFen={project.approvedBudgetFen} ledger={ledger} /> : null}
      {ledger ? <StatusForms slug={slug} number={project.number} title={project.title} status={project.status} /> : null}
      <PrintOnlyAddress qrSrc={`/competitions/${slug}/projects/${project.number}/qr.svg`} shortUrl={shortUrl} />
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
