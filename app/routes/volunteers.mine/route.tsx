import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { redirectWithToast } from '~/core/toast.server';
import { listOrganisedActivities } from '~/features/volunteers/activities.server';
import { hoursText } from '~/features/volunteers/activity-card';
import { issueCertificate, myCertificates } from '~/features/volunteers/certificates.server';
import { getProfile } from '~/features/volunteers/profiles.server';
import { formatCertificateCode } from '~/features/volunteers/rules';
import { activitiesById, myLogs, mySignups, totalsOf } from '~/features/volunteers/service.server';
import { pageSchema } from '~/features/volunteers/volunteers.schema.server';
import { formatDate, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

/**
 * "My volunteering": hours and person-times, the certificates (issue one, download it), the
 * activities signed up for and the service logged, and, for a team member, the activities they
 * organise. Three round trips: everything in parallel, then the activities' titles.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { page } = pageSchema.parse({ page: new URL(request.url).searchParams.get('page') ?? '1' });
  const [profile, totals, logs, signups, certificates, organised, title] = await Promise.all([
    getProfile(user.id),
    totalsOf(user.id),
    myLogs(user.id, page),
    mySignups(user.id),
    myCertificates(user.id),
    listOrganisedActivities(user),
    pageTitle(request, 'volunteers:mine.title', ['volunteers', 'common']),
  ]);
  const activities = await activitiesById([...signups.activityIds, ...logs.docs.map((l) => l.activity)]);
  const now = Date.now();
  return {
    title,
    hasProfile: Boolean(profile),
    totals,
    certificates,
    organised,
    page,
    pages: logs.pages,
    logs: logs.docs.map((l) => ({ id: String(l._id), day: l.day, minutes: l.minutes, peopleServed: l.peopleServed, notes: l.notes, activity: activities.get(String(l.activity))?.title ?? '' })),
    signups: signups.signups.flatMap((s) => {
      const a = activities.get(String(s.activity));
      if (!a || s.status === 'cancelled' || a.endsAt.getTime() < now) return [];
      return [{ number: a.number, title: a.title, startsAt: a.startsAt.toISOString(), status: s.status, checkedIn: Boolean(s.checkedInAt), activityCancelled: a.status === 'cancelled' }];
    }),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const issued = await issueCertificate({ volunteer: { id: user.id, name: user.name } });
  if (!issued.ok) return redirectWithToast('/volunteers/mine', { type: 'error', key: `volunteers:toast.${issued.reason}` });
  return redirectWithToast(`/volunteers/mine#certificate-${issued.code}`, { type: 'success', key: 'volunteers:toast.certificateIssued' });
}

export default function MyVolunteering() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { hasProfile, totals, certificates, organised, logs, signups, page, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const day = (d: string) => formatDate(`${d}T12:00:00+08:00`, language, { dateStyle: 'long' });
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">{t('mine.title')}</h1>
      {!hasProfile ? (
        <div className="card space-y-3 border-brand-600 bg-brand-50">
          <p className="text-lg">{t('mine.noProfile')}</p>
          <Link to="/volunteers/profile" className="btn-primary">
            {t('list.join')}
          </Link>
        </div>
      ) : (
        <div className="flex flex-wrap gap-3">
          <Link to="/volunteers" className="btn-primary">
            {t('mine.findActivities')}
          </Link>
          <Link to="/volunteers/profile" className="btn-secondary">
            {t('mine.editProfile')}
          </Link>
        </div>
      )}
      <section className="card space-y-3" aria-labelledby="my-hours">
        <h2 id="my-hours" className="text-lg font-semibold">
          {t('mine.hoursTitle')}
        </h2>
        <dl className="grid grid-cols-2 gap-3">
          <div>
            <dt className="text-stone-600">{t('mine.hours')}</dt>
            <dd className="text-3xl font-bold text-brand-800" data-testid="my-hours">
              {hoursText(totals.minutes, language)}
            </dd>
          </div>
          <div>
            <dt className="text-stone-600">{t('mine.personTimes')}</dt>
            <dd className="text-3xl font-bold text-brand-800">{formatNumber(totals.personTimes, language)}</dd>
          </div>
        </dl>
        {totals.personTimes > 0 ? (
          <Form method="post">
            <button type="submit" className="btn-primary" data-testid="issue-certificate">
              {t('mine.issue')}
            </button>
          </Form>
        ) : (
          <p className="text-stone-700">{t('mine.noHoursYet')}</p>
        )}
        {certificates.length ? (
          <ul className="space-y-2" aria-label={t('mine.certificates')}>
            {certificates.map((c) => (
              <li key={c.code} id={`certificate-${c.code}`} className="rounded-lg border border-stone-200 p-3">
                <p>{t('mine.certificateLine', { date: formatDate(c.issuedAt, language, { dateStyle: 'long' }), hours: hoursText(c.minutes, language), code: formatCertificateCode(c.code) })}</p>
                <div className="flex flex-wrap gap-3">
                  <a href={`/volunteers/mine/certificate.pdf?code=${c.code}`} className="inline-flex min-h-11 items-center font-semibold text-brand-700 underline" data-testid="download-certificate" download>
                    {t('mine.download')}
                  </a>
                  <Link to={`/volunteers/certificates/${c.code}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
                    {t('mine.verifyPage')}
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="space-y-3" aria-labelledby="my-signups">
        <h2 id="my-signups" className="text-lg font-semibold">
          {t('mine.signups')}
        </h2>
        {signups.length === 0 ? <p className="card">{t('mine.noSignups')}</p> : null}
        <ul className="space-y-2">
          {signups.map((s) => (
            <li key={s.number} className="card">
              <Link to={`/volunteers/${s.number}`} className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
                {s.title}
              </Link>
              <p>
                {formatDate(s.startsAt, language, { dateStyle: 'medium', timeStyle: 'short' })} ·{' '}
                {s.activityCancelled ? t('activity.cancelled') : s.status === 'confirmed' ? (s.checkedIn ? t('activity.checkedIn') : t('activity.confirmed')) : t('mine.waiting')}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section className="space-y-3" aria-labelledby="my-logs">
        <h2 id="my-logs" className="text-lg font-semibold">
          {t('mine.logs')}
        </h2>
        {logs.length === 0 ? <p className="card">{t('mine.noLogs')}</p> : null}
        <ul className="space-y-2">
          {logs.map((l) => (
            <li key={l.id} className="card" data-testid="my-log">
              <p className="font-semibold">{l.activity}</p>
              <p>{t('mine.logLine', { day: day(l.day), hours: hoursText(l.minutes, language), people: formatNumber(l.peopleServed, language) })}</p>
              {l.notes ? <p className="text-stone-700">{l.notes}</p> : null}
            </li>
          ))}
        </ul>
        <Pagination page={page} pages={pages} />
      </section>
      {organised.organisers.length ? (
        <section className="card space-y-3" aria-labelledby="organised">
          <h2 id="organised" className="text-lg font-semibold">
            {t('mine.organised')}
          </h2>
          <Link to="/volunteers/new" className="btn-primary">
            {t('mine.newActivity')}
          </Link>
          <ul className="space-y-1">
            {organised.activities.map((a) => (
              <li key={a.number}>
                <Link to={`/volunteers/${a.number}/manage`} className="inline-flex min-h-11 items-center text-brand-700 underline">
                  {a.title} · {formatDate(a.startsAt, language, { dateStyle: 'medium' })}
                  {a.status === 'cancelled' ? ` · ${t('activity.cancelled')}` : ''}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
