import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { hoursText } from '~/features/volunteers/activity-card';
import { publicTotals } from '~/features/volunteers/service.server';
import { formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

/** Volunteer hours, person-times and volunteers per street, project and organization: counts only, no person. */
export async function loader({ request }: LoaderFunctionArgs) {
  const [totals, title] = await Promise.all([publicTotals(), pageTitle(request, 'volunteers:totals.title', ['volunteers', 'common'])]);
  return { title, ...totals };
}

export default function VolunteerTotals() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { all, streets, projects, organizations } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const table = (id: string, caption: string, rows: { id: string; name: string; minutes: number; personTimes: number; volunteers: number }[]) => (
    <section className="card overflow-x-auto" aria-labelledby={id}>
      <h2 id={id} className="mb-2 text-lg font-semibold">
        {caption}
      </h2>
      {rows.length === 0 ? (
        <p>{t('totals.none')}</p>
      ) : (
        <table className="w-full text-left">
          <thead>
            <tr className="border-b border-stone-200">
              <th scope="col" className="py-2 pr-2">{t('totals.name')}</th>
              <th scope="col" className="py-2 pr-2 text-right">{t('totals.hours')}</th>
              <th scope="col" className="py-2 pr-2 text-right">{t('totals.personTimes')}</th>
              <th scope="col" className="py-2 text-right">{t('totals.volunteers')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-stone-100">
                <th scope="row" className="py-2 pr-2 font-normal">{r.name}</th>
                <td className="py-2 pr-2 text-right">{hoursText(r.minutes, language)}</td>
                <td className="py-2 pr-2 text-right">{formatNumber(r.personTimes, language)}</td>
                <td className="py-2 text-right">{formatNumber(r.volunteers, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
  return (
    <div className="space-y-4">
      <Link to="/volunteers" className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('activity.back')}
      </Link>
      <h1 className="text-2xl font-bold">{t('totals.title')}</h1>
      <p className="card text-lg">{t('totals.all', { hours: hoursText(all.minutes, language), personTimes: formatNumber(all.personTimes, language), volunteers: formatNumber(all.volunteers, language) })}</p>
      {table('by-street', t('totals.byStreet'), streets.map((s) => ({ ...s, name: pickText(s.name, language) })))}
      {table('by-project', t('totals.byProject'), projects)}
      {table('by-organization', t('totals.byOrganization'), organizations)}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
