import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { parseUploadForm, uploadedFile } from '~/core/uploads.server';
import { confirmItemSchema, moveStageSchema, sessionSchema, withdrawItemSchema } from '~/features/organizations/incubation.schema';
import {
  confirmItem,
  findIncubationSubject,
  loadIncubation,
  moveStage,
  recordSession,
  withdrawItem,
  type IncubationFailure,
  type IncubationSubject,
} from '~/features/organizations/incubation.server';
import { EVIDENCE_NOTE_MAX, OVERRIDE_REASON_MAX, SESSION_HOURS_MAX, SESSION_NOTES_MAX, SESSION_TOPICS_MAX } from '~/features/organizations/organizations';
import { mayEditChecklists, mayMoveStage, mayOpenIncubation, mayRecordSession } from '~/features/organizations/rules';
import { implementingCompetitions, projectsOfOrganization } from '~/features/projects/implementer.server';
import { shanghaiDay } from '~/utils/dates';
import { formatDate, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'organizations'] };

const ERROR_KEYS = ['organizations:incubation.error.', 'confirmDialog.errors.', 'validation.', 'uploadErrors.'] as const;

/**
 * An organization's incubation: the checklists with their evidence, the mentors' sessions and
 * notes, and the stage with its history. For its mentors (grant organization:mentor on it) and
 * those who manage it (decision 022); a signed-in reader who is neither gets the same 403 page,
 * whatever the organization holds, and an unknown id 404 (the organization's existence is
 * public anyway, on /organizations/$id). Moving the stage is the managers' alone.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Math.min(10_000, Math.max(1, Number.parseInt(new URL(request.url).searchParams.get('page') ?? '1', 10) || 1));
  const id = params.id ?? '';
  const implementsIn = projectsOfOrganization(id).then(implementingCompetitions);
  const [loaded, competitions, title] = await Promise.all([
    loadIncubation({ actor: user, id, implementsIn, page }),
    implementsIn,
    pageTitle(request, 'organizations:incubation.title', ['organizations', 'common']),
  ]);
  invariantResponse(loaded.ok || loaded.reason !== 'notFound', 'Not found', { status: 404 });
  invariantResponse(loaded.ok, 'Forbidden', { status: 403 });
  const { view } = loaded;
  return {
    title: `${view.subject.name} · ${title}`,
    view,
    may: {
      move: mayMoveStage(user, view.subject, competitions),
      record: mayRecordSession(user, view.subject),
      editChecklists: mayEditChecklists(user),
    },
    today: shanghaiDay(new Date()),
  };
}

type FormName = 'confirm' | 'withdraw' | 'session' | 'move';
type Reply = { form: FormName; key?: string; errors: string[]; values?: Record<string, string> };

const STATUS: Partial<Record<IncubationFailure, number>> = {
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  alreadyConfirmed: 409,
  notConfirmed: 409,
  tooLarge: 413,
};

/** Sign-in; the organization (404); then the page's rule (403). Each service checks its own act's rule again. */
async function guard(args: ActionFunctionArgs): Promise<{ user: Awaited<ReturnType<typeof requireUser>>; subject: IncubationSubject; implementsIn: string[] }> {
  const user = await requireUser(args.request);
  const id = args.params.id ?? '';
  const [subject, projects] = await Promise.all([findIncubationSubject(id), projectsOfOrganization(id)]);
  invariantResponse(subject, 'Not found', { status: 404 });
  const implementsIn = implementingCompetitions(projects);
  invariantResponse(mayOpenIncubation(user, subject, implementsIn), 'Forbidden', { status: 403 });
  return { user, subject, implementsIn };
}

export async function action(args: ActionFunctionArgs) {
  const { user, subject, implementsIn } = await guard(args);
  // One evidence image at most per post.
  const parsed = await parseUploadForm(args.request, { maxFiles: 1 });
  if (!parsed.ok) return data<Reply>({ form: 'confirm', errors: [parsed.reason] }, { status: parsed.reason === 'tooLarge' ? 413 : 400 });
  const form = parsed.formData;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const fields = (names: string[]) => Object.fromEntries(names.map((n) => [n, text(n)]));
  const ip = clientIp(args.request);
  const back = `/organizations/${subject.id}/incubation`;
  const refuse = (reply: Reply, reason: string) => data<Reply>({ ...reply, errors: [reason] }, { status: STATUS[reason as IncubationFailure] ?? 400 });
  const firstError = (issues: { message: string }[]) => issues[0]?.message ?? 'invalid';
  const intent = text('intent');

  if (intent === 'confirm') {
    const values = fields(['key', 'note']);
    const submission = confirmItemSchema.safeParse(Object.fromEntries(form));
    if (!submission.success) return refuse({ form: 'confirm', key: values.key, errors: [], values }, firstError(submission.error.issues));
    const document = await uploadedFile(form, 'evidence');
    const done = await confirmItem({ actor: user, subject, implementsIn, key: submission.data.key, note: submission.data.note, document, ip });
    if (!done.ok) return refuse({ form: 'confirm', key: values.key, errors: [], values }, done.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:incubation.toast.confirmed' });
  }
  if (intent === 'withdraw') {
    const values = fields(['key', 'reason']);
    const submission = withdrawItemSchema.safeParse(Object.fromEntries(form));
    if (!submission.success) return refuse({ form: 'withdraw', key: values.key, errors: [], values }, firstError(submission.error.issues));
    const done = await withdrawItem({ actor: user, subject, implementsIn, key: submission.data.key, reason: submission.data.reason, ip });
    if (!done.ok) return refuse({ form: 'withdraw', key: values.key, errors: [], values }, done.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:incubation.toast.withdrawn' });
  }
  if (intent === 'session') {
    const values = fields(['date', 'hours', 'topics', 'notes']);
    const submission = sessionSchema.safeParse(Object.fromEntries(form));
    if (!submission.success) return refuse({ form: 'session', errors: [], values }, firstError(submission.error.issues));
    const done = await recordSession({ actor: user, subject, date: submission.data.date, minutes: submission.data.hours, topics: submission.data.topics, notes: submission.data.notes, ip });
    if (!done.ok) return refuse({ form: 'session', errors: [], values }, done.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:incubation.toast.sessionRecorded' });
  }
  if (intent === 'move') {
    const values = fields(['to', 'override', 'reason']);
    const submission = moveStageSchema.safeParse(Object.fromEntries(form));
    if (!submission.success) return refuse({ form: 'move', errors: [], values }, firstError(submission.error.issues));
    const { to, expected, revision, override, reason } = submission.data;
    const done = await moveStage({ actor: user, subject, implementsIn, to, expected, revision, override, reason, ip });
    if (!done.ok) return refuse({ form: 'move', errors: [], values }, done.reason);
    return redirectWithToast(back, { type: 'success', key: 'organizations:incubation.toast.moved' });
  }
  throw new Response('Bad request', { status: 400 });
}

type View = ReturnType<typeof useLoaderData<typeof loader>>['view'];

function Progress({ done, total }: { done: number; total: number }) {
  const { t } = useTranslation('organizations');
  return (
    <span className="inline-flex items-center gap-2">
      <progress className="h-2 w-24" max={Math.max(total, 1)} value={done} aria-hidden="true" />
      <span>{t('incubation.progress', { done, total })}</span>
    </span>
  );
}

function ChecklistSection({ list }: { list: View['checklists'][number] }) {
  const { t } = useTranslation(['organizations', 'common']);
  const language = useLanguage();
  const answer = useActionData<typeof action>();
  return (
    // The lists of the stages it may move to now are open; the others fold away (still reachable).
    <details className="card" open={list.next || Boolean(answer && 'key' in answer && list.items.some((i) => i.key === answer.key))} data-testid={`list-${list.stage}`}>
      <summary className="flex min-h-11 cursor-pointer flex-wrap items-center justify-between gap-2">
        <h3 id={`list-${list.stage}`} className="inline text-lg font-semibold">
          {t('incubation.listFor', { stage: t(`stage.${list.stage}`) })}
        </h3>
        <Progress done={list.progress.done} total={list.progress.total} />
      </summary>
      <ul className="mt-3 space-y-3">
        {list.items.map((item) => {
          const mine = answer && answer.key === item.key && (answer.form === 'confirm' || answer.form === 'withdraw') ? answer : null;
          const label = pickText(item.label, language);
          return (
            <li key={item.key} className="space-y-2 rounded-lg border border-stone-200 p-3" data-testid={`item-${list.stage}-${item.key}`}>
              <p className="flex items-start gap-2">
                <span aria-hidden="true" className={item.confirmation ? 'text-brand-700' : 'text-stone-500'}>
                  {item.confirmation ? '✓' : '○'}
                </span>
                <span>
                  <span className="font-semibold">{label}</span> <span className="text-stone-600">{item.confirmation ? t('incubation.confirmed') : t('incubation.open')}</span>
                </span>
              </p>
              {item.confirmation ? (
                <div className="space-y-2">
                  <p className="text-stone-700">
                    {t('incubation.confirmedBy', { name: item.confirmation.byName || t('incubation.someone'), date: formatDate(item.confirmation.at, language) })}
                  </p>
                  {item.confirmation.note ? <p className="whitespace-pre-line">{item.confirmation.note}</p> : null}
                  {item.confirmation.evidenceFileId ? (
                    <a href={`/uploads/${item.confirmation.evidenceFileId}`} target="_blank" rel="noreferrer" className="inline-flex min-h-11 items-center gap-2 underline">
                      <img src={`/uploads/${item.confirmation.evidenceFileId}?size=thumb`} alt={t('incubation.evidenceAlt', { item: label })} className="h-16 w-16 rounded object-cover" />
                      {t('incubation.evidenceOpen')}
                    </a>
                  ) : null}
                  <details className="rounded-lg border border-stone-200 p-2" open={mine?.form === 'withdraw'}>
                    <summary className="inline-flex min-h-11 cursor-pointer items-center">{t('incubation.withdraw')}</summary>
                    <Form method="post" className="mt-2 space-y-2">
                      <input type="hidden" name="intent" value="withdraw" />
                      <input type="hidden" name="key" value={item.key} />
                      <label htmlFor={`withdraw-${list.stage}-${item.key}`} className="block font-medium">
                        {t('incubation.withdrawReason')}
                      </label>
                      <input id={`withdraw-${list.stage}-${item.key}`} name="reason" className="input" maxLength={OVERRIDE_REASON_MAX} defaultValue={mine?.values?.reason ?? ''} />
                      <ConfirmStep act="withdrawItem" values={{ item: label }} errors={mine?.form === 'withdraw' ? mine.errors.filter((e) => e === 'confirmRequired') : null} />
                      <ErrorList errors={mine?.form === 'withdraw' ? mine.errors.filter((e) => e !== 'confirmRequired') : null} keyPrefixes={ERROR_KEYS} />
                      <button type="submit" className="btn-secondary">
                        {t('incubation.withdrawSubmit')}
                      </button>
                    </Form>
                  </details>
                </div>
              ) : (
                <Form method="post" encType="multipart/form-data" className="space-y-2">
                  <input type="hidden" name="intent" value="confirm" />
                  <input type="hidden" name="key" value={item.key} />
                  <label htmlFor={`note-${list.stage}-${item.key}`} className="block font-medium">
                    {t('incubation.note')}
                  </label>
                  <textarea id={`note-${list.stage}-${item.key}`} name="note" rows={2} className="input" maxLength={EVIDENCE_NOTE_MAX} defaultValue={mine?.values?.note ?? ''} aria-describedby={`note-help-${list.stage}-${item.key}`} />
                  <label htmlFor={`evidence-${list.stage}-${item.key}`} className="block font-medium">
                    {t('incubation.document')}
                  </label>
                  <input id={`evidence-${list.stage}-${item.key}`} type="file" name="evidence" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} aria-describedby={`note-help-${list.stage}-${item.key}`} />
                  <p id={`note-help-${list.stage}-${item.key}`} className="text-stone-600">
                    {t('incubation.evidenceHelp')}
                  </p>
                  <ErrorList errors={mine?.form === 'confirm' ? mine.errors : null} keyPrefixes={ERROR_KEYS} />
                  <SubmitButton pending="uploading">
                    {t('incubation.confirmSubmit')}
                  </SubmitButton>
                </Form>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function StageMove({ view }: { view: View }) {
  const { t } = useTranslation(['organizations', 'common']);
  const answer = useActionData<typeof action>();
  const mine = answer?.form === 'move' ? answer : null;
  const chosen = mine?.values?.to ?? view.moves[0]?.to ?? '';
  if (!view.moves.length) return <p className="text-stone-700">{t('incubation.noMoves')}</p>;
  return (
    <Form method="post" className="space-y-3">
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="expected" value={view.subject.stage} />
      <input type="hidden" name="revision" value={view.revision} />
      <fieldset className="space-y-2">
        <legend className="font-medium">{t('incubation.moveTo')}</legend>
        {view.moves.map((move) => (
          <label key={move.to} className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-200 p-3">
            <input type="radio" name="to" value={move.to} defaultChecked={chosen === move.to} className="h-5 w-5" />
            <span className="font-semibold">{t(`stage.${move.to}`)}</span>
            {move.progress ? (
              <span className={move.progress.complete ? 'text-brand-800' : 'text-amber-800'}>
                {move.progress.complete ? t('incubation.listComplete') : t('incubation.listIncomplete', { count: move.progress.total - move.progress.done })}
              </span>
            ) : (
              <span className="text-stone-600">{t('incubation.noList')}</span>
            )}
          </label>
        ))}
      </fieldset>
      <label className="flex min-h-11 items-start gap-3">
        <input type="checkbox" name="override" value="on" defaultChecked={mine?.values?.override === 'on'} className="mt-1 h-5 w-5" aria-describedby="override-help" />
        <span>
          <span className="font-medium">{t('incubation.override')}</span>
          <span id="override-help" className="block text-stone-600">
            {t('incubation.overrideHelp')}
          </span>
        </span>
      </label>
      <div>
        <label htmlFor="move-reason" className="mb-1 block font-medium">
          {t('incubation.reason')}
        </label>
        <textarea id="move-reason" name="reason" rows={2} className="input" maxLength={OVERRIDE_REASON_MAX} defaultValue={mine?.values?.reason ?? ''} />
      </div>
      <ConfirmStep act="moveStage" values={{ name: view.subject.name }} errors={mine ? mine.errors.filter((e) => e === 'confirmRequired') : null} />
      <ErrorList errors={mine ? mine.errors.filter((e) => e !== 'confirmRequired') : null} keyPrefixes={ERROR_KEYS} />
      <button type="submit" className="btn-primary">
        {t('incubation.moveSubmit')}
      </button>
    </Form>
  );
}

function Sessions({ view, mayRecord, today }: { view: View; mayRecord: boolean; today: string }) {
  const { t } = useTranslation(['organizations', 'common']);
  const language = useLanguage();
  const answer = useActionData<typeof action>();
  const mine = answer?.form === 'session' ? answer : null;
  const hours = (minutes: number) => formatNumber(minutes / 60, language);
  return (
    <section className="card space-y-3" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="text-lg font-semibold">
        {t('incubation.sessions')}
      </h2>
      <p className="text-stone-600">{t('incubation.sessionsHelp', { count: view.sessions.total, hours: hours(view.sessions.totalMinutes) })}</p>
      {mayRecord ? (
        <Form method="post" className="space-y-3 rounded-lg border border-stone-200 p-3">
          <input type="hidden" name="intent" value="session" />
          <h3 className="font-semibold">{t('incubation.recordSession')}</h3>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor="session-date" className="mb-1 block font-medium">
                {t('incubation.sessionDate')}
              </label>
              <input id="session-date" type="date" name="date" className="input" max={today} defaultValue={mine?.values?.date ?? today} required />
            </div>
            <div>
              <label htmlFor="session-hours" className="mb-1 block font-medium">
                {t('incubation.sessionHours')}
              </label>
              <input id="session-hours" type="number" name="hours" className="input" min={0.5} max={SESSION_HOURS_MAX} step={0.5} inputMode="decimal" defaultValue={mine?.values?.hours ?? '1'} required />
            </div>
          </div>
          <div>
            <label htmlFor="session-topics" className="mb-1 block font-medium">
              {t('incubation.sessionTopics')}
            </label>
            <input id="session-topics" name="topics" className="input" maxLength={SESSION_TOPICS_MAX} defaultValue={mine?.values?.topics ?? ''} required />
          </div>
          <div>
            <label htmlFor="session-notes" className="mb-1 block font-medium">
              {t('incubation.sessionNotes')}
            </label>
            <textarea id="session-notes" name="notes" rows={3} className="input" maxLength={SESSION_NOTES_MAX} defaultValue={mine?.values?.notes ?? ''} aria-describedby="session-notes-help" />
            <p id="session-notes-help" className="mt-1 text-stone-600">
              {t('incubation.sessionNotesHelp')}
            </p>
          </div>
          <ErrorList errors={mine?.errors} keyPrefixes={ERROR_KEYS} />
          <button type="submit" className="btn-primary">
            {t('incubation.recordSubmit')}
          </button>
        </Form>
      ) : null}
      {view.sessions.list.length === 0 ? (
        <p className="text-stone-700">{t('incubation.noSessions')}</p>
      ) : (
        <ul className="space-y-2">
          {view.sessions.list.map((s) => (
            <li key={s.id} className="space-y-1 rounded-lg border border-stone-200 p-3">
              <p className="font-semibold">
                {formatDate(s.date, language)} · {t('incubation.hours', { hours: hours(s.minutes) })} · {s.mentor}
              </p>
              <p>{s.topics}</p>
              {s.notes ? <p className="whitespace-pre-line text-stone-700">{s.notes}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pagination page={view.sessions.page} pages={view.sessions.pages} />
    </section>
  );
}

export default function IncubationPage() {
  const { t } = useTranslation(['organizations', 'common']);
  const { view, may, today } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const since = view.history[0]?.at;
  return (
    <div className="space-y-5">
      <p>
        <Link to={`/organizations/${view.subject.id}`} className="inline-flex min-h-11 items-center underline">
          {t('incubation.back', { name: view.subject.name })}
        </Link>
      </p>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{t('incubation.heading', { name: view.subject.name })}</h1>
        <p className="text-lg" data-testid="current-stage">
          {t('incubation.current')} <span className="font-semibold">{t(`stage.${view.subject.stage}`)}</span>
          {since ? <span className="text-stone-600"> · {t('incubation.since', { date: formatDate(since, language) })}</span> : null}
        </p>
        <p className="text-stone-600">{t('incubation.privateHelp')}</p>
        {may.editChecklists ? (
          <Link to="/organizations/checklists" className="inline-flex min-h-11 items-center underline">
            {t('incubation.editLists')}
          </Link>
        ) : null}
      </header>

      {may.move ? (
        <section className="card space-y-3" aria-labelledby="move-title">
          <h2 id="move-title" className="text-lg font-semibold">
            {t('incubation.move')}
          </h2>
          <StageMove view={view} />
        </section>
      ) : null}

      <section className="space-y-3" aria-labelledby="lists-title">
        <h2 id="lists-title" className="text-lg font-semibold">
          {t('incubation.lists')}
        </h2>
        {view.checklists.map((list) => (
          <ChecklistSection key={list.stage} list={list} />
        ))}
        {view.retired.length ? <p className="text-stone-600">{t('incubation.retired', { count: view.retired.length })}</p> : null}
      </section>

      <Sessions view={view} mayRecord={may.record} today={today} />

      <section className="card space-y-2" aria-labelledby="history-title">
        <h2 id="history-title" className="text-lg font-semibold">
          {t('incubation.history')}
        </h2>
        {view.history.length === 0 ? (
          <p className="text-stone-700">{t('incubation.noHistory')}</p>
        ) : (
          <ol className="space-y-2">
            {view.history.map((h, i) => (
              <li key={`${h.at}-${i}`} className="rounded-lg border border-stone-200 p-3">
                <p>
                  <span className="font-semibold">{formatDate(h.at, language)}</span> ·{' '}
                  {h.from ? t('incubation.moved', { from: t(`stage.${h.from}`), to: t(`stage.${h.stage}`) }) : t(`stage.${h.stage}`)}
                  {h.by ? ` · ${h.by}` : ''}
                </p>
                {h.override ? <p className="font-medium text-amber-800">{t('incubation.overridden', { count: h.missing.length })}</p> : null}
                {h.reason ? <p className="text-stone-700">{t('incubation.reasonGiven', { reason: h.reason })}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
