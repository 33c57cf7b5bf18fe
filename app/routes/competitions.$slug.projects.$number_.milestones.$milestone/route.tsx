import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { parseUploadForm, uploadedFile } from '~/core/uploads.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { BENEFICIARY_GROUPS, EDITABLE_REPORT_STATUSES, EXPENSE_CATEGORIES, MAX_ACTIVITIES, MAX_EXPENSES, MAX_REPORT_PHOTOS, REPORT_SECTIONS, type ReportSection } from '~/features/projects/reports';
import { releaseSchema, reportFormSchema, reviewSchema } from '~/features/projects/reports.schema.server';
import {
  findReportProject,
  getReport,
  milestonesInForce,
  releaseExpense,
  reportAccess,
  reviewReport,
  saveReport,
  submitReport,
  type ReportFailure,
  type ReportFiles,
} from '~/features/projects/reports.server';
import { shanghaiDay } from '~/utils/dates';
import { fenToYuanInput, formatDate, formatMoney, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'projects'] };

const ERROR_KEYS = ['projects:report.error.', 'validation.', 'uploadErrors.'] as const;
/** New images one save may carry: photos plus receipts (each up to the upload limit). */
const MAX_FILES_PER_SAVE = 6;
const ROW_FIELD = /^(activities|expenses)\[(\d{1,3})\]\.(\w+)$/;
const SERVED_FIELD = /^served\.(\w+)$/;
const FIELDS = new Set(['intent', 'revision', 'narrative', 'volunteers', 'volunteerHours', 'removePhotos', 'peopleConsent', 'photos']);
const ROW_KEYS = { activities: new Set(['date', 'place', 'description']), expenses: new Set(['id', 'amount', 'category', 'payee', 'date', 'removeReceipt', 'receipt']) };

/** Sign-in first; then the project and the milestone of its plan in force, which only its team, mentor and competition's committee may open (404 to anyone else). */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const { doc } = await requireCompetition(args);
  const project = await findReportProject(String(doc._id), numberParam(args.params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const access = reportAccess(user, project);
  invariantResponse(access.team || access.mentor || access.committee, 'Not found', { status: 404 });
  const milestone = (await milestonesInForce(project.id)).find((m) => m.id === args.params.milestone);
  invariantResponse(milestone, 'Not found', { status: 404 });
  return { user, slug: doc.slug, project, access, milestone };
}

const emptyActivity = { date: '', place: '', description: '' };
const emptyExpense: { id: string; amount: string; category: string; payee: string; date: string; receipt: string } = { id: '', amount: '', category: '', payee: '', date: '', receipt: '' };

export async function loader(args: LoaderFunctionArgs) {
  const { slug, project, access, milestone } = await guard(args);
  const report = await getReport(project.id, milestone.id);
  const editable = access.team && ['planning', 'inProgress'].includes(project.status) && (!report || EDITABLE_REPORT_STATUSES.includes(report.status));
  const activities = (report?.activities ?? []).map((a) => ({ date: shanghaiDay(new Date(a.date)), place: a.place, description: a.description }));
  const expenses: (typeof emptyExpense)[] = (report?.expenses ?? []).map((e) => ({ id: e.id, amount: fenToYuanInput(e.amountFen), category: e.category, payee: e.payee, date: shanghaiDay(new Date(e.date)), receipt: e.receiptFileId ?? '' }));
  if (activities.length < MAX_ACTIVITIES) activities.push(emptyActivity);
  if (expenses.length < MAX_EXPENSES) expenses.push(emptyExpense);
  const served = Object.fromEntries(BENEFICIARY_GROUPS.map((g) => [g, String(report?.served.find((s) => s.group === g)?.count ?? '')])) as Record<(typeof BENEFICIARY_GROUPS)[number], string>;
  return {
    title: await pageTitle(args.request, 'projects:report.title', ['projects', 'common']),
    slug,
    project: { number: project.number, title: project.title, approvedBudgetFen: project.approvedBudgetFen, status: project.status },
    milestone,
    access,
    report,
    editable,
    values: {
      revision: report ? String(report.revision) : '',
      narrative: report?.narrative ?? '',
      activities,
      served,
      volunteers: report?.volunteers ? String(report.volunteers) : '',
      volunteerHours: report?.volunteerHours ? String(report.volunteerHours) : '',
      expenses,
    },
  };
}

type ActionReply = { form: 'report' | 'review' | 'release'; result: SubmissionResult<string[]> | null; reason: ReportFailure | null; errors: string[] | null };
const reply = (body: ActionReply, status: number) => data(body, { status });
const statusOf = (reason: ReportFailure) => (reason === 'conflict' || reason === 'notEditable' || reason === 'notSubmitted' || reason === 'busy' ? 409 : 400);

export async function action(args: ActionFunctionArgs) {
  const { user, slug, project, access, milestone } = await guard(args);
  const parsedForm = await parseUploadForm(args.request, { maxFiles: MAX_FILES_PER_SAVE });
  if (!parsedForm.ok) return reply({ form: 'report', result: null, reason: parsedForm.reason === 'tooLarge' ? 'tooLarge' : 'corrupt', errors: null }, parsedForm.reason === 'tooLarge' ? 413 : 400);
  const form = parsedForm.formData;
  const textField = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const intent = textField('intent');
  const ip = clientIp(args.request);
  const back = `/competitions/${slug}/projects/${project.number}/milestones/${milestone.id}`;

  if (intent === 'save' || intent === 'submit') {
    invariantResponse(access.team, 'Forbidden', { status: 403 });
    // Only the form's own fields: a row index far past the rows would build a huge sparse array.
    const fieldsOk = [...form.keys()].every((key) => {
      if (FIELDS.has(key)) return true;
      const served = SERVED_FIELD.exec(key);
      if (served) return (BENEFICIARY_GROUPS as readonly string[]).includes(served[1]!);
      const row = ROW_FIELD.exec(key);
      if (!row) return false;
      const list = row[1] as 'activities' | 'expenses';
      return Number(row[2]) <= (list === 'activities' ? MAX_ACTIVITIES : MAX_EXPENSES) && ROW_KEYS[list].has(row[3]!);
    });
    invariantResponse(fieldsOk, 'Unexpected form fields', { status: 400 });
    const submission = parseWithZod(form, { schema: reportFormSchema });
    if (submission.status !== 'success') return reply({ form: 'report', result: submission.reply(), reason: null, errors: null }, 400);
    const files: ReportFiles = { photos: [], peopleConsent: form.get('peopleConsent') === 'on', receipts: new Map() };
    for (const value of form.getAll('photos')) {
      if (value instanceof File && value.size > 0) files.photos.push({ data: new Uint8Array(await value.arrayBuffer()), filename: value.name });
    }
    // A receipt belongs to the row it was chosen in (the parser says which row each kept line came from).
    for (const [index, line] of submission.value.report.expenses.entries()) {
      const file = line.row === undefined ? null : await uploadedFile(form, `expenses[${line.row}].receipt`);
      if (file) files.receipts.set(index, file);
    }
    const saved = await saveReport({ project, milestoneId: milestone.id, revision: submission.value.revision, report: submission.value.report, files, actorId: user.id, ip });
    if (!saved.ok) return reply({ form: 'report', result: submission.reply(), reason: saved.reason, errors: null }, statusOf(saved.reason));
    if (intent === 'save') return redirectWithToast(back, { type: 'success', key: 'projects:toast.reportSaved' });
    const submitted = await submitReport({ project, milestoneId: milestone.id, revision: saved.revision, actorId: user.id, ip });
    if (!submitted.ok) return reply({ form: 'report', result: submission.reply(), reason: submitted.reason, errors: null }, statusOf(submitted.reason));
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.reportSubmitted' });
  }

  if (intent === 'approve' || intent === 'requestChanges') {
    invariantResponse(access.committee, 'Forbidden', { status: 403 });
    const parsed = reviewSchema.safeParse(Object.fromEntries([...form].filter(([, v]) => typeof v === 'string')));
    if (!parsed.success) return reply({ form: 'review', result: null, reason: null, errors: parsed.error.issues.map((i) => i.message) }, 400);
    const reviewed = await reviewReport({ project, competitionSlug: slug, milestoneId: milestone.id, ...parsed.data, actorId: user.id, ip });
    if (!reviewed.ok) return reply({ form: 'review', result: null, reason: reviewed.reason, errors: null }, statusOf(reviewed.reason));
    return redirectWithToast(back, { type: 'success', key: parsed.data.decision === 'approved' ? 'projects:toast.reportApproved' : 'projects:toast.reportReturned' });
  }

  if (intent === 'release') {
    invariantResponse(access.committee, 'Forbidden', { status: 403 });
    const parsed = releaseSchema.safeParse(Object.fromEntries([...form].filter(([, v]) => typeof v === 'string')));
    if (!parsed.success) return reply({ form: 'release', result: null, reason: null, errors: parsed.error.issues.map((i) => i.message) }, 400);
    const released = await releaseExpense({ project, milestoneId: milestone.id, expenseId: parsed.data.expenseId, reason: parsed.data.reason, actorId: user.id, ip });
    if (!released.ok) return reply({ form: 'release', result: null, reason: released.reason, errors: null }, 409);
    return redirectWithToast(back, { type: 'success', key: 'projects:toast.expenseReleased' });
  }
  invariantResponse(false, 'Bad request', { status: 400 });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Report = NonNullable<LoaderData['report']>;

function SectionComment({ report, section }: { report: Report | null; section: ReportSection }) {
  const { t } = useTranslation(['projects']);
  const last = report?.reviews.at(-1);
  const comment = last?.decision === 'changesRequested' ? last.comments[section] : undefined;
  if (!comment || report?.status !== 'changesRequested') return null;
  return (
    <p className="rounded-lg border-l-4 border-amber-500 bg-amber-50 p-3 text-stone-800">
      <span className="font-semibold">{t('report.committeeComment')}</span> <span className="whitespace-pre-line">{comment}</span>
    </p>
  );
}

function ReportForm() {
  const { t } = useTranslation(['projects', 'common']);
  const { values, report, milestone } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const answer = useActionData<typeof action>();
  const actionData = answer?.form === 'report' ? answer : undefined;
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  // Validated by the action only (decision 015): without onValidate, conform's blur validation
  // would post the form with its own `__intent__` on every blur, which the action answers 400.
  const [form, fields] = useForm({ id: 'milestone-report', defaultValue: values, lastResult: actionData?.result });
  const activities = fields.activities.getFieldList();
  const expenses = fields.expenses.getFieldList();
  const served = fields.served.getFieldset();
  const label = 'mb-1 block font-medium';
  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-5">
      <input {...getInputProps(fields.revision, { type: 'hidden' })} />
      <p className="text-stone-700">{t('report.help', { tranche: formatMoney(milestone.trancheFen, language) })}</p>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('report.section.narrative')}</legend>
        <SectionComment report={report} section="narrative" />
        <label htmlFor={fields.narrative.id} className={label}>{t('report.narrative')}</label>
        <textarea className="input" rows={6} {...getTextareaProps(fields.narrative)} />
        <ErrorList id={fields.narrative.errorId} errors={fields.narrative.errors} keyPrefixes={ERROR_KEYS} />
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('report.section.activities')}</legend>
        <SectionComment report={report} section="activities" />
        {activities.map((row, index) => {
          const f = row.getFieldset();
          return (
            <div key={row.key} className="grid gap-3 border-b border-stone-200 pb-3 sm:grid-cols-3">
              <p className="font-medium sm:col-span-3">{t('report.activity', { n: index + 1 })}</p>
              <div>
                <label htmlFor={f.date.id} className={label}>{t('report.date')}</label>
                <input className="input" {...getInputProps(f.date, { type: 'date' })} />
                <ErrorList id={f.date.errorId} errors={f.date.errors} keyPrefixes={ERROR_KEYS} />
              </div>
              <div className="sm:col-span-2">
                <label htmlFor={f.place.id} className={label}>{t('report.place')}</label>
                <input className="input" {...getInputProps(f.place, { type: 'text' })} aria-describedby={`${f.place.id}-help`} />
                <p id={`${f.place.id}-help`} className="mt-1 text-stone-600">{t('report.placeHelp')}</p>
              </div>
              <div className="sm:col-span-3">
                <label htmlFor={f.description.id} className={label}>{t('report.activityDescription')}</label>
                <textarea className="input" rows={2} {...getTextareaProps(f.description)} />
                <ErrorList id={f.description.errorId} errors={f.description.errors} keyPrefixes={ERROR_KEYS} />
              </div>
            </div>
          );
        })}
        <p className="text-stone-600">{t('report.addRowHelp')}</p>
        <ErrorList errors={fields.activities.errors} keyPrefixes={ERROR_KEYS} />
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('report.section.people')}</legend>
        <SectionComment report={report} section="people" />
        <p className="text-stone-700">{t('report.peopleHelp')}</p>
        <div className="grid gap-3 sm:grid-cols-2">
          {BENEFICIARY_GROUPS.map((group) => (
            <div key={group}>
              <label htmlFor={served[group].id} className={label}>{t(`report.group.${group}`)}</label>
              <input className="input" {...getInputProps(served[group], { type: 'text' })} inputMode="numeric" />
              <ErrorList id={served[group].errorId} errors={served[group].errors} keyPrefixes={ERROR_KEYS} />
            </div>
          ))}
        </div>
      </fieldset>

      <fieldset className="card grid gap-3 sm:grid-cols-2">
        <legend className="px-1 text-lg font-semibold">{t('report.section.volunteers')}</legend>
        <div className="sm:col-span-2"><SectionComment report={report} section="volunteers" /></div>
        <div>
          <label htmlFor={fields.volunteers.id} className={label}>{t('report.volunteers')}</label>
          <input className="input" {...getInputProps(fields.volunteers, { type: 'text' })} inputMode="numeric" />
          <ErrorList id={fields.volunteers.errorId} errors={fields.volunteers.errors} keyPrefixes={ERROR_KEYS} />
        </div>
        <div>
          <label htmlFor={fields.volunteerHours.id} className={label}>{t('report.volunteerHours')}</label>
          <input className="input" {...getInputProps(fields.volunteerHours, { type: 'text' })} inputMode="decimal" />
          <ErrorList id={fields.volunteerHours.errorId} errors={fields.volunteerHours.errors} keyPrefixes={ERROR_KEYS} />
        </div>
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('report.section.expenses')}</legend>
        <SectionComment report={report} section="expenses" />
        <p className="text-stone-700">{t('report.expensesHelp')}</p>
        {expenses.map((row, index) => {
          const f = row.getFieldset();
          const receipt = values.expenses[index]?.receipt;
          return (
            <div key={row.key} className="grid gap-3 border-b border-stone-200 pb-3 sm:grid-cols-2">
              <p className="font-medium sm:col-span-2">{t('report.expense', { n: index + 1 })}</p>
              <input {...getInputProps(f.id, { type: 'hidden' })} />
              <div>
                <label htmlFor={f.amount.id} className={label}>{t('report.amountYuan')}</label>
                <input className="input" {...getInputProps(f.amount, { type: 'text' })} inputMode="decimal" />
                <ErrorList id={f.amount.errorId} errors={f.amount.errors} keyPrefixes={ERROR_KEYS} />
              </div>
              <div>
                <label htmlFor={f.category.id} className={label}>{t('report.category')}</label>
                <select className="input" {...getSelectProps(f.category)}>
                  <option value="">{t('report.chooseCategory')}</option>
                  {EXPENSE_CATEGORIES.map((c) => (
                    <option key={c} value={c}>{t(`report.expenseCategory.${c}`)}</option>
                  ))}
                </select>
                <ErrorList id={f.category.errorId} errors={f.category.errors} keyPrefixes={ERROR_KEYS} />
              </div>
              <div>
                <label htmlFor={f.payee.id} className={label}>{t('report.payee')}</label>
                <input className="input" {...getInputProps(f.payee, { type: 'text' })} />
                <ErrorList id={f.payee.errorId} errors={f.payee.errors} keyPrefixes={ERROR_KEYS} />
              </div>
              <div>
                <label htmlFor={f.date.id} className={label}>{t('report.date')}</label>
                <input className="input" {...getInputProps(f.date, { type: 'date' })} />
                <ErrorList id={f.date.errorId} errors={f.date.errors} keyPrefixes={ERROR_KEYS} />
              </div>
              <div className="space-y-2 sm:col-span-2">
                {receipt ? (
                  <p className="flex flex-wrap items-center gap-3">
                    <a href={`/uploads/${receipt}`} className="inline-flex min-h-11 items-center underline" target="_blank" rel="noreferrer">{t('report.receiptAttached')}</a>
                    <label className="inline-flex min-h-11 items-center gap-2">
                      <input type="checkbox" name={`expenses[${index}].removeReceipt`} className="h-5 w-5" />
                      {t('report.removeReceipt')}
                    </label>
                  </p>
                ) : null}
                <label htmlFor={`${f.id.id}-receipt`} className={label}>{receipt ? t('report.replaceReceipt') : t('report.receipt')}</label>
                <input id={`${f.id.id}-receipt`} type="file" name={`expenses[${index}].receipt`} accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} aria-describedby={`${f.id.id}-receipt-help`} />
                <p id={`${f.id.id}-receipt-help`} className="text-stone-600">{t('report.receiptHelp')}</p>
              </div>
            </div>
          );
        })}
        <p className="text-stone-600">{t('report.addRowHelp')}</p>
        <ErrorList errors={fields.expenses.errors} keyPrefixes={ERROR_KEYS} />
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('report.section.photos')}</legend>
        <SectionComment report={report} section="photos" />
        {report?.photos.length ? (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {report.photos.map((p, i) => (
              <li key={p.fileId} className="space-y-1">
                <img src={`/uploads/${p.fileId}?size=thumb`} alt={t('report.photoAlt', { n: i + 1 })} className="aspect-square w-full rounded-lg object-cover" loading="lazy" />
                <label className="inline-flex min-h-11 items-center gap-2">
                  <input type="checkbox" name="removePhotos" value={p.fileId} className="h-5 w-5" />
                  {t('report.removePhoto')}
                </label>
              </li>
            ))}
          </ul>
        ) : null}
        <label htmlFor="report-photos" className={label}>{t('report.addPhotos', { max: MAX_REPORT_PHOTOS })}</label>
        <input id="report-photos" type="file" name="photos" multiple accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} />
        <label className="flex items-start gap-2">
          <input type="checkbox" name="peopleConsent" className="mt-1 h-5 w-5 shrink-0" />
          <span>{t('report.peopleConsent')}</span>
        </label>
        <p className="text-stone-600">{t('report.photosHelp')}</p>
      </fieldset>

      <ErrorList id={form.errorId} errors={form.errors} keyPrefixes={ERROR_KEYS} summary />
      <ErrorList errors={actionData?.reason ? [actionData.reason] : null} values={{ max: MAX_REPORT_PHOTOS }} keyPrefixes={ERROR_KEYS} />
      <div className="flex flex-wrap gap-3">
        <SubmitButton pending="saving" name="intent" value="save" className="btn-secondary">{t('report.save')}</SubmitButton>
        <SubmitButton pending="uploading" name="intent" value="submit">{t('report.submit')}</SubmitButton>
      </div>
      {busy ? <p role="status" className="text-stone-700">{t('report.sending')}</p> : null}
    </Form>
  );
}

function ReportView({ report }: { report: Report }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  const day = (iso: string) => formatDate(iso, language, { dateStyle: 'medium' });
  return (
    <div className="space-y-4">
      <section className="card space-y-2">
        <h3 className="text-lg font-semibold">{t('report.section.narrative')}</h3>
        <p className="whitespace-pre-line">{report.narrative || t('report.nothing')}</p>
      </section>
      <section className="card space-y-2">
        <h3 className="text-lg font-semibold">{t('report.section.activities')}</h3>
        {report.activities.length === 0 ? <p>{t('report.nothing')}</p> : null}
        <ul className="space-y-2">
          {report.activities.map((a, i) => (
            <li key={i}>
              <span className="font-semibold">{day(a.date)}</span>
              {a.place ? ` · ${a.place}` : ''} — {a.description}
            </li>
          ))}
        </ul>
      </section>
      <section className="card space-y-2">
        <h3 className="text-lg font-semibold">{t('report.section.people')}</h3>
        {report.served.length === 0 ? <p>{t('report.nothing')}</p> : null}
        <ul className="grid gap-1 sm:grid-cols-2">
          {report.served.map((s) => (
            <li key={s.group}>{t('outcomes.line', { label: t(`report.group.${s.group}`), value: formatNumber(s.count, language) })}</li>
          ))}
        </ul>
        <p>{t('report.volunteersLine', { volunteers: formatNumber(report.volunteers, language), hours: formatNumber(report.volunteerHours, language) })}</p>
      </section>
      <section className="card space-y-2">
        <h3 className="text-lg font-semibold">{t('report.section.expenses')}</h3>
        {report.expenses.length === 0 ? <p>{t('report.nothing')}</p> : null}
        {/* A list rather than a table: five columns do not fit a phone. */}
        <ul className="divide-y divide-stone-200">
          {report.expenses.map((e) => (
            <li key={e.id} className="space-y-1 py-2">
              <p className="flex flex-wrap items-baseline gap-x-3">
                <span className="text-lg font-semibold">{formatMoney(e.amountFen, language, { cents: true })}</span>
                <span>{t(`report.expenseCategory.${e.category}`)}</span>
                {e.held ? <span className="badge bg-amber-100 text-amber-900">{t('report.held')}</span> : null}
              </p>
              <p className="text-stone-700">
                {day(e.date)} · {t('report.paidTo', { payee: e.payee })}
              </p>
              {e.release ? <p className="text-stone-700">{t('report.released', { date: day(e.release.at), reason: e.release.reason })}</p> : null}
              {e.receiptFileId ? (
                <a href={`/uploads/${e.receiptFileId}`} className="inline-flex min-h-11 items-center underline" target="_blank" rel="noreferrer">{t('report.openReceipt')}</a>
              ) : (
                <p className="text-stone-600">{t('report.noReceipt')}</p>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section className="card space-y-2">
        <h3 className="text-lg font-semibold">{t('report.section.photos')}</h3>
        {report.photos.length === 0 ? <p>{t('report.nothing')}</p> : null}
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {report.photos.map((p, i) => (
            <li key={p.fileId}>
              <a href={`/uploads/${p.fileId}`} target="_blank" rel="noreferrer">
                <img src={`/uploads/${p.fileId}?size=thumb`} alt={t('report.photoAlt', { n: i + 1 })} className="aspect-square w-full rounded-lg object-cover" loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function ReviewForm({ report }: { report: Report }) {
  const { t } = useTranslation(['projects', 'common']);
  const answer = useActionData<typeof action>();
  const actionData = answer?.form === 'review' ? answer : undefined;
  const errors = [...(actionData?.errors ?? []).filter((e) => e !== 'confirmRequired'), ...(actionData?.reason ? [actionData.reason] : [])];
  return (
    <Form method="post" className="card space-y-3" aria-labelledby="review-title">
      <h3 id="review-title" className="text-lg font-semibold">{t('report.reviewTitle')}</h3>
      <p className="text-stone-700">{t('report.reviewHelp')}</p>
      <input type="hidden" name="revision" value={report.revision} />
      {REPORT_SECTIONS.map((section) => (
        <div key={section}>
          <label htmlFor={`comment-${section}`} className="mb-1 block font-medium">{t('report.commentOn', { section: t(`report.section.${section}`) })}</label>
          <textarea id={`comment-${section}`} name={`comment_${section}`} className="input" rows={2} />
        </div>
      ))}
      <ErrorList errors={errors.length ? errors : null} keyPrefixes={ERROR_KEYS} />
      <ConfirmStep act="approveReport" onlyForIntent="approve" errors={actionData?.errors?.includes('confirmRequired') ? ['confirmRequired'] : null} />
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="intent" value="requestChanges" className="btn-secondary">{t('report.requestChanges')}</button>
        <button type="submit" name="intent" value="approve" className="btn-primary">{t('report.approve')}</button>
      </div>
    </Form>
  );
}

function ReleaseForms({ report }: { report: Report }) {
  const { t } = useTranslation(['projects', 'common']);
  const language = useLanguage();
  const answer = useActionData<typeof action>();
  const actionData = answer?.form === 'release' ? answer : undefined;
  const held = report.expenses.filter((e) => e.held);
  if (held.length === 0) return null;
  return (
    <section className="card space-y-3" aria-labelledby="release-title">
      <h3 id="release-title" className="text-lg font-semibold">{t('report.releaseTitle')}</h3>
      <p className="text-stone-700">{t('report.releaseHelp')}</p>
      <ErrorList errors={[...(actionData?.errors ?? []).filter((e) => e !== 'confirmRequired'), ...(actionData?.reason ? [actionData.reason] : [])]} keyPrefixes={ERROR_KEYS} />
      {held.map((e) => (
        <Form method="post" key={e.id} className="space-y-2 border-b border-stone-200 pb-3">
          <input type="hidden" name="expenseId" value={e.id} />
          <p className="font-semibold">{e.payee} · {formatMoney(e.amountFen, language, { cents: true })}</p>
          <label htmlFor={`release-${e.id}`} className="block font-medium">{t('report.releaseReason')}</label>
          <textarea id={`release-${e.id}`} name="reason" className="input" rows={2} />
          <ConfirmStep act="releaseExpense" values={{ amount: formatMoney(e.amountFen, language, { cents: true }) }} errors={actionData?.errors?.includes('confirmRequired') ? ['confirmRequired'] : null} />
          <button type="submit" name="intent" value="release" className="btn-secondary">{t('report.release')}</button>
        </Form>
      ))}
    </section>
  );
}

export default function MilestoneReportPage() {
  const { t } = useTranslation(['projects', 'common']);
  const { slug, project, milestone, access, report, editable } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const status = report?.status ?? 'none';
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <Link to={`/competitions/${slug}/projects/${project.number}`} className="inline-flex min-h-11 items-center underline">
          {project.title}
        </Link>
        <h2 className="text-2xl font-bold">{t('report.heading', { title: milestone.title })}</h2>
        <p className="text-stone-700">
          {t('report.milestoneFacts', { date: formatDate(milestone.dueDate, language, { dateStyle: 'medium' }), tranche: formatMoney(milestone.trancheFen, language) })}
        </p>
        <p className="font-semibold">{t(`report.status.${status}`)}</p>
        {report?.trancheReleasedFen != null ? <p>{t('report.trancheReleased', { amount: formatMoney(report.trancheReleasedFen, language) })}</p> : null}
        {milestone.deliverables ? <p className="whitespace-pre-line text-stone-700">{t('report.deliverables', { text: milestone.deliverables })}</p> : null}
      </header>

      {report?.reviews.length ? (
        <section className="space-y-1" aria-labelledby="review-history">
          <h3 id="review-history" className="text-lg font-semibold">{t('report.reviews')}</h3>
          <ul className="space-y-1">
            {report.reviews.map((r) => (
              <li key={r.at}>{t(`report.review.${r.decision}`, { date: formatDate(r.at, language, { dateStyle: 'medium' }) })}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {/* Keyed by the saved revision: conform reads defaultValue once, so after a save the form
          starts again from what was saved (its new revision, receipts and empty rows). */}
      {editable ? <ReportForm key={report ? String(report.revision) : 'new'} /> : null}
      {!editable && report ? <ReportView report={report} /> : null}
      {!editable && !report ? <p className="text-stone-700">{t('report.notStarted')}</p> : null}
      {report?.status === 'submitted' && access.committee ? <ReviewForm report={report} /> : null}
      {report?.status === 'submitted' && !access.committee && access.team ? <p className="text-stone-700">{t('report.waiting')}</p> : null}
      {report?.status === 'approved' && access.committee ? <ReleaseForms report={report} /> : null}
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
