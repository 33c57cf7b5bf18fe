import { Link, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PhaseTimeline } from '~/features/competitions/phase-timeline';
import { formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';

export const handle = { i18n: ['common', 'home', 'proposals'] };

export default function CompetitionOverview() {
  const { t } = useTranslation(['home', 'proposals', 'common']);
  const data = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug');
  const language = useLanguage();
  if (!data) return null;
  const { competition } = data;
  return (
    <article className="space-y-6">
      {competition.coverFileId ? (
        <img src={`/uploads/${competition.coverFileId}`} alt="" className="aspect-[3/1] w-full rounded-xl object-cover" />
      ) : null}
      <p className="text-lg text-stone-700">{pickText(competition.summary, language)}</p>
      <section className="card space-y-4">
        <dl>
          <dt className="text-sm text-stone-500">{t('budget')}</dt>
          <dd className="text-2xl font-semibold">{formatMoney(competition.budgetFen, language)}</dd>
        </dl>
        <PhaseTimeline phases={competition.phases} current={competition.phase} language={language} />
        <div className="flex flex-wrap gap-3">
          {competition.resultsPublished ? (
            <Link to="results" className="btn-primary">
              {t('viewResults')}
            </Link>
          ) : null}
          <Link to="proposals" className={competition.resultsPublished ? 'btn-secondary' : 'btn-primary'}>
            {t('proposals:list.title')}
          </Link>
        </div>
      </section>
      <section className="card">
        <h2 className="mb-2 text-xl font-semibold">{t('directionsHeading')}</h2>
        <ul className="grid gap-2 sm:grid-cols-2">
          {competition.categories.map((category) => (
            <li key={category.code}>
              <Link to={`proposals?category=${category.code}`} className="block rounded-lg border border-stone-200 p-3 hover:bg-stone-50">
                {pickText(category.name, language)}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
