import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PhaseBadge, PhaseTimeline } from '~/features/competitions/phase-timeline';
import { listCompetitions } from '~/features/competitions/competitions.server';
import { getFixedT } from '~/core/i18n.server';
import { formatMoney } from '~/utils/format';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'home'] };

export async function loader({ request }: LoaderFunctionArgs) {
  const [competitions, t] = await Promise.all([listCompetitions(), getFixedT(request, ['home', 'common'])]);
  // The running competition leads, one in its vote first (the one act with a deadline residents
  // must meet, a tap from here: decision 033); closed ones follow as history.
  const featured = competitions.find((c) => c.phase === 'voting') ?? competitions.find((c) => c.phase !== 'closed') ?? competitions[0] ?? null;
  return {
    title: `${t('common:brand.name')} · ${t('home:titleSuffix')}`,
    featured,
    past: competitions.filter((c) => c !== featured),
  };
}

const STEPS = ['propose', 'vote', 'judge', 'fund', 'track'] as const;

export default function HomePage() {
  const { t } = useTranslation(['home', 'common']);
  const { featured, past } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-8">
      <section className="rounded-2xl bg-brand-700 px-6 py-8 text-white">
        <h1 className="text-3xl font-bold">{t('hero.title')}</h1>
        <p className="mt-3 max-w-2xl text-lg text-brand-50">{t('hero.body')}</p>
        <Link to="/dashboard" className="mt-4 inline-flex min-h-11 items-center font-semibold text-white underline">
          {t('hero.dashboard')}
        </Link>
      </section>

      {featured ? (
        <section className="card space-y-4" aria-labelledby="featured-heading">
          {featured.coverFileId ? (
            <img src={`/uploads/${featured.coverFileId}`} alt="" className="aspect-[3/1] w-full rounded-lg object-cover" />
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <h2 id="featured-heading" className="text-2xl font-bold">
              <Link to={`/competitions/${featured.slug}`} className="inline-flex min-h-11 items-center hover:underline">
                {pickText(featured.title, language)}
              </Link>
            </h2>
            <PhaseBadge phase={featured.phase} />
          </div>
          <p className="text-stone-700">{pickText(featured.summary, language)}</p>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
            <div>
              <dt className="text-sm text-stone-500">{t('budget')}</dt>
              <dd className="text-xl font-semibold">{formatMoney(featured.budgetFen, language)}</dd>
            </div>
            <div>
              <dt className="text-sm text-stone-500">{t('directions')}</dt>
              <dd className="text-xl font-semibold">{featured.categories.length}</dd>
            </div>
          </dl>
          <PhaseTimeline phases={featured.phases} current={featured.phase} language={language} />
          <div>
            <h3 className="mb-2 font-semibold">{t('directionsHeading')}</h3>
            <ul className="flex flex-wrap gap-2">
              {featured.categories.map((category) => (
                <li key={category.code} className="rounded-full border border-stone-300 bg-stone-50 px-3 py-1 text-sm">
                  {pickText(category.name, language)}
                </li>
              ))}
            </ul>
          </div>
          <div className="flex flex-wrap gap-3">
            {/* During the vote the ballot is one tap from home (issue 18: three taps to a cast ballot). */}
            {featured.phase === 'voting' ? (
              <Link to={`/competitions/${featured.slug}/vote`} className="btn-primary px-6 text-lg" data-testid="home-vote">
                {t('voteNow')}
              </Link>
            ) : null}
            {featured.resultsPublished ? (
              <Link to={`/competitions/${featured.slug}/results`} className="btn-primary">
                {t('viewResults')}
              </Link>
            ) : null}
            <Link to={`/competitions/${featured.slug}`} className={featured.resultsPublished || featured.phase === 'voting' ? 'btn-secondary' : 'btn-primary'}>
              {t('viewCompetition')}
            </Link>
          </div>
        </section>
      ) : (
        <p className="card text-stone-600">{t('noCompetition')}</p>
      )}

      <section aria-labelledby="how-heading">
        <h2 id="how-heading" className="mb-3 text-xl font-bold">
          {t('how.title')}
        </h2>
        <ol className="grid gap-3 sm:grid-cols-5">
          {STEPS.map((step, index) => (
            <li key={step} className="card">
              <span className="text-2xl font-bold text-brand-600">{index + 1}</span>
              <h3 className="font-semibold">{t(`how.${step}.title`)}</h3>
              <p className="text-sm text-stone-600">{t(`how.${step}.body`)}</p>
            </li>
          ))}
        </ol>
      </section>

      {past.length ? (
        <section aria-labelledby="past-heading">
          <h2 id="past-heading" className="mb-3 text-xl font-bold">
            {t('past')}
          </h2>
          <ul className="space-y-2">
            {past.map((competition) => (
              <li key={competition.slug} className="card flex flex-wrap items-center justify-between gap-2">
                <Link to={`/competitions/${competition.slug}`} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
                  {pickText(competition.title, language)}
                </Link>
                <span className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
                  {formatMoney(competition.budgetFen, language)} · <PhaseBadge phase={competition.phase} />
                  {competition.resultsPublished ? (
                    <Link to={`/competitions/${competition.slug}/results`} className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
                      {t('viewResults')}
                    </Link>
                  ) : null}
                </span>
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
