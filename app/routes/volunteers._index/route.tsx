import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FilterForm, FilterSelect } from '~/components/filter-select';
import { Pagination } from '~/components/pagination';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { listActivities } from '~/features/volunteers/activities.server';
import { ActivityCard } from '~/features/volunteers/activity-card';
import { isSkill, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';
import { pageSchema } from '~/features/volunteers/volunteers.schema.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage, useRootData } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'volunteers'] };

/**
 * Activities that need volunteers: the ones not yet over, soonest first, by street and skill, a
 * page at a time; seats left and the waitlist's length, never who signed up.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const { page } = pageSchema.parse({ page: search.get('page') ?? '1' });
  const skill = search.get('skill');
  const street = search.get('street') ?? '';
  const [list, places, title] = await Promise.all([
    listActivities({ street, skill: isSkill(skill) ? skill : undefined, page }),
    listStreetsWithCommunities(),
    pageTitle(request, 'volunteers:list.title', ['volunteers', 'common']),
  ]);
  return { title, ...list, page, places, filter: { street: places.some((s) => s.id === street) ? street : '', skill: isSkill(skill) ? skill : '' } };
}

export default function VolunteerActivities() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { activities, total, page, pages, places, filter } = useLoaderData<typeof loader>();
  const signedIn = Boolean(useRootData()?.user);
  const language = useLanguage();
  return (
    <div className="space-y-5">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('list.title')}</h1>
        <p className="text-stone-700">{t('list.intro')}</p>
        <div className="flex flex-wrap gap-3">
          <Link to={signedIn ? '/volunteers/mine' : '/volunteers/profile'} className="btn-primary">
            {signedIn ? t('list.mine') : t('list.join')}
          </Link>
          <Link to="/volunteers/totals" className="btn-secondary">
            {t('list.totals')}
          </Link>
        </div>
      </div>
      <FilterForm className="grid gap-3 sm:grid-cols-3 sm:items-end" submit={t('list.filter')}>
        <FilterSelect id="filter-street" name="street" label={t('field.street')} all={t('list.allStreets')} value={filter.street} options={places.map((s) => ({ value: s.id, label: pickText(s.name, language) }))} />
        <FilterSelect id="filter-skill" name="skill" label={t('field.skill')} all={t('list.allSkills')} value={filter.skill} options={VOLUNTEER_SKILLS.map((s) => ({ value: s, label: t(`skill.${s}`) }))} />
      </FilterForm>
      <p className="text-stone-700">{t('list.count', { count: total })}</p>
      {activities.length === 0 ? (
        <EmptyState title={t('list.empty')} next={t(filter.street || filter.skill ? 'list.emptyFilteredNext' : 'list.emptyNext')} />
      ) : (
        <ul className="space-y-3" aria-label={t('list.title')}>
          {activities.map((activity) => (
            <ActivityCard key={activity.number} activity={activity} places={places} language={language} />
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
