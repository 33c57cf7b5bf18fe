import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { fixedT } from '~/core/i18n.server';
import { clientIp, publicUrl, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { cancelActivity, findManagedActivity, listSignups, setSlots } from '~/features/volunteers/activities.server';
import { hoursText, whenText } from '~/features/volunteers/activity-card';
import { CANCEL_REASON_MAX, NOTES_MAX, PEOPLE_SERVED_MAX, SLOTS_MAX, SLOTS_MIN } from '~/features/volunteers/rules';
import { activityLogs, logService } from '~/features/volunteers/service.server';
import { tickCheckIn } from '~/features/volunteers/signups.server';
import { formFields, manageSchema, pageSchema } from '~/features/volunteers/volunteers.schema.server';
import { shanghaiDay } from '~/utils/dates';
import { formatDate, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

/** Names, phones (with consent) and the check-in secret: the team's only, never kept anywhere. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

/**
 * The team's page of one activity: the check-in QR code (its secret is shown nowhere else), who
 * signed up and who waits, ticking volunteers off, logging their service, changing the slots and
 * cancelling the activity. Anyone not on the organiser's team gets 404, as for no activity.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const activity = await findManagedActivity(user, number);
  invariantResponse(activity, 'Not found', { status: 404 });
  const { page } = pageSchema.parse({ page: new URL(request.url).searchParams.get('page') ?? '1' });
  const checkInUrl = publicUrl(`/volunteers/${number}/check-in?key=${activity.checkInSecret}`);
  const [signups, logs, qr] = await Promise.all([
    listSignups(activity, page),
    activityLogs(activity._id),
    QRCode.toDataURL(checkInUrl, { errorCorrectionLevel: 'M', margin: 2, width: 320, color: { dark: '#0c564a', light: '#ffffff' } }),
  ]);
  const logged = new Map<string, { minutes: number; days: string[] }>();
  for (const log of logs) {
    const entry = logged.get(log.volunteerId) ?? { minutes: 0, days: [] };
    entry.minutes += log.minutes;
    entry.days.push(log.day);
    logged.set(log.volunteerId, entry);
  }
  return {
    title: `${fixedT(user.language, 'volunteers')('manage.title')} · ${activity.title}`,
    activity: {
      number: activity.number,
      title: activity.title,
      startsAt: activity.startsAt.toISOString(),
      endsAt: activity.endsAt.toISOString(),
      slots: activity.slots,
      status: activity.status,
    },
    checkInUrl,
    qr,
    today: shanghaiDay(Math.min(Date.now(), activity.endsAt.getTime())),
    page,
    pages: signups.pages,
    signups: signups.signups.map((s) => ({ ...s, loggedMinutes: logged.get(s.volunteerId)?.minutes ?? 0, loggedDays: logged.get(s.volunteerId)?.days ?? [] })),
    total: signups.total,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const activity = await findManagedActivity(user, number);
  invariantResponse(activity, 'Not found', { status: 404 });
  const here = `/volunteers/${number}/manage`;
  const parsed = manageSchema.safeParse(formFields(await readForm(request)));
  if (!parsed.success) return redirectWithToast(here, { type: 'error', key: `volunteers:error.${parsed.error.issues[0]?.message ?? 'invalid'}` });
  const input = parsed.data;
  const ip = clientIp(request);
  switch (input.intent) {
    case 'checkIn': {
      const done = await tickCheckIn({ activity, signupId: input.signup, actorId: user.id, ip });
      return redirectWithToast(here, done.ok ? { type: 'success', key: 'volunteers:toast.tickedIn' } : { type: 'error', key: `volunteers:toast.${done.reason}` });
    }
    case 'log': {
      const done = await logService({ activity, signupId: input.signup, day: input.day, minutes: input.hours, peopleServed: input.peopleServed, notes: input.notes, actorId: user.id, ip });
      return redirectWithToast(here, done.ok ? { type: 'success', key: 'volunteers:toast.logged' } : { type: 'error', key: `volunteers:toast.${done.reason}` });
    }
    case 'slots': {
      const done = await setSlots({ activity, slots: input.slots, actorId: user.id, ip });
      return redirectWithToast(here, done.ok ? { type: 'success', key: 'volunteers:toast.slotsChanged' } : { type: 'error', key: `volunteers:toast.${done.reason}`, values: { min: done.min ?? 0 } });
    }
    case 'cancel': {
      const done = await cancelActivity({ activity, reason: input.reason, actorId: user.id, ip });
      return redirectWithToast(here, done ? { type: 'success', key: 'volunteers:toast.activityCancelled' } : { type: 'error', key: 'volunteers:toast.cancelled' });
    }
  }
}

export default function ManageActivity() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { activity, checkInUrl, qr, signups, total, page, pages, today } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const published = activity.status === 'published';
  return (
    <div className="space-y-5">
      <Link to={`/volunteers/${activity.number}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('manage.back')}
      </Link>
      <h1 className="text-2xl font-bold">
        {t('manage.title')} · {activity.title}
      </h1>
      <p>
        <span aria-hidden="true">🕘</span> {whenText(activity.startsAt, activity.endsAt, language)} · {t('manage.slotsLine', { slots: formatNumber(activity.slots, language) })}
        {published ? '' : ` · ${t('activity.cancelled')}`}
      </p>
      {published ? (
        <section className="card space-y-2" aria-labelledby="qr-title">
          <h2 id="qr-title" className="text-lg font-semibold">
            {t('manage.qrTitle')}
          </h2>
          <p className="text-stone-700">{t('manage.qrIntro')}</p>
          <img src={qr} alt={t('manage.qrAlt')} className="mx-auto h-56 w-56" data-testid="check-in-qr" />
          <p className="break-all text-sm text-stone-600" data-testid="check-in-url">
            {checkInUrl}
          </p>
        </section>
      ) : null}
      <section className="space-y-3" aria-labelledby="signups-title">
        <h2 id="signups-title" className="text-lg font-semibold">
          {t('manage.signups', { count: total })}
        </h2>
        {signups.length === 0 ? <p className="card">{t('manage.noSignups')}</p> : null}
        <ul className="space-y-3">
          {signups.map((s) => (
            <li key={s.id} className="card space-y-2" data-testid="signup-row">
              <p className="text-lg font-semibold">
                {s.name}
                {s.phone ? <span className="ml-2 font-normal text-stone-700">{s.phone}</span> : null}
              </p>
              <p>
                {s.status === 'waitlisted' ? t('manage.waiting') : s.checkedInAt ? t('manage.checkedInAt', { time: formatDate(s.checkedInAt, language, { timeStyle: 'short', dateStyle: 'short' }) }) : t('manage.notCheckedIn')}
                {s.loggedMinutes ? ` · ${t('manage.logged', { hours: hoursText(s.loggedMinutes, language) })}` : ''}
              </p>
              {s.status === 'confirmed' && !s.checkedInAt && published ? (
                <Form method="post">
                  <input type="hidden" name="signup" value={s.id} />
                  <button type="submit" name="intent" value="checkIn" className="btn-secondary" data-testid="tick-check-in">
                    {t('manage.tick')}
                  </button>
                </Form>
              ) : null}
              {s.checkedInAt ? (
                <details>
                  <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-700">{t('manage.logTitle')}</summary>
                  <Form method="post" className="mt-2 grid gap-3 sm:grid-cols-3">
                    <input type="hidden" name="signup" value={s.id} />
                    <div>
                      <label htmlFor={`day-${s.id}`} className="mb-1 block font-medium">
                        {t('manage.day')}
                      </label>
                      <input id={`day-${s.id}`} name="day" type="date" className="input" defaultValue={today} required />
                    </div>
                    <div>
                      <label htmlFor={`hours-${s.id}`} className="mb-1 block font-medium">
                        {t('manage.hours')}
                      </label>
                      <input id={`hours-${s.id}`} name="hours" inputMode="decimal" className="input" placeholder="2.5" required />
                    </div>
                    <div>
                      <label htmlFor={`people-${s.id}`} className="mb-1 block font-medium">
                        {t('manage.peopleServed')}
                      </label>
                      <input id={`people-${s.id}`} name="peopleServed" type="number" min={0} max={PEOPLE_SERVED_MAX} inputMode="numeric" className="input" defaultValue="0" />
                    </div>
                    <div className="sm:col-span-3">
                      <label htmlFor={`notes-${s.id}`} className="mb-1 block font-medium">
                        {t('manage.notes')}
                      </label>
                      <textarea id={`notes-${s.id}`} name="notes" rows={2} maxLength={NOTES_MAX} className="input" />
                    </div>
                    <button type="submit" name="intent" value="log" className="btn-primary sm:col-span-3" data-testid="log-service">
                      {t('manage.logSubmit')}
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
        <Pagination page={page} pages={pages} />
      </section>
      {published ? (
        <>
          <Form method="post" className="card flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="slots" className="mb-1 block font-medium">
                {t('manage.slots')}
              </label>
              <input id="slots" name="slots" type="number" min={SLOTS_MIN} max={SLOTS_MAX} inputMode="numeric" className="input" defaultValue={activity.slots} />
            </div>
            <button type="submit" name="intent" value="slots" className="btn-secondary">
              {t('manage.saveSlots')}
            </button>
          </Form>
          <Form method="post" className="card space-y-3 border-red-200">
            <h2 className="text-lg font-semibold">{t('manage.cancelTitle')}</h2>
            <label htmlFor="reason" className="block font-medium">
              {t('manage.cancelReason')}
            </label>
            <textarea id="reason" name="reason" rows={2} maxLength={CANCEL_REASON_MAX} className="input" required />
            <label className="flex min-h-11 items-center gap-3">
              <input type="checkbox" name="confirmed" value="yes" className="h-6 w-6" required />
              <span>{t('manage.cancelConfirm')}</span>
            </label>
            <button type="submit" name="intent" value="cancel" className="btn-secondary border-red-700 text-red-800">
              {t('manage.cancelSubmit')}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
