import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PhaseBadge, PhaseTimeline } from '~/components/phase-timeline';
import { getCompetition } from '~/services/competitions.server';
import { getFixedT, getLanguage } from '~/services/i18n.server';
import { formatMoney } from '~/utils/format';
import { pickText } from '~/utils/locales';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'home'] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const competition = await getCompetition(params.slug ?? '');
  invariantResponse(competition, 'Competition not found', { status: 404 });
  const [t, language] = await Promise.all([getFixedT(request, ['common']), getLanguage(request)]);
  return { title: `${pickText(competition.title, language)} · ${t('brand.name')}`, competition };
}

export default function CompetitionPage() {
  const { t } = useTranslation(['home', 'common']);
  const { competition } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <article className="space-y-6">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-3xl font-bold">{pickText(competition.title, language)}</h1>
          <PhaseBadge phase={competition.phase} />
        </div>
        <p className="text-lg text-stone-700">{pickText(competition.summary, language)}</p>
      </header>
      <section className="card space-y-4">
        <dl>
          <dt className="text-sm text-stone-500">{t('budget')}</dt>
          <dd className="text-2xl font-semibold">{formatMoney(competition.budgetFen, language)}</dd>
        </dl>
        <PhaseTimeline phases={competition.phases} current={competition.phase} language={language} />
      </section>
      <section className="card">
        <h2 className="mb-2 text-xl font-semibold">{t('directionsHeading')}</h2>
        <ul className="grid gap-2 sm:grid-cols-2">
          {competition.categories.map((category) => (
            <li key={category.code} className="rounded-lg border border-stone-200 p-3">
              {pickText(category.name, language)}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
