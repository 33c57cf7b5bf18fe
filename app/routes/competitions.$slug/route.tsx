import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PhaseBadge } from '~/features/competitions/phase-timeline';
import { getOptionalUser } from '~/core/auth.server';
import { competitionSummary } from '~/features/competitions/competitions.server';
import { hasPermission, hasRole } from '~/core/permissions.server';
import { getFixedT, getLanguage } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { titleMeta } from '~/utils/meta';
import { phaseReached } from '~/features/competitions/phases';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'home', 'proposals', 'voting', 'projects'] };

/** The frame of every competition page: its title, phase and tabs. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const competition = competitionSummary(await requireCompetition({ request, params, context }));
  const [t, language, user] = await Promise.all([getFixedT(request, ['common']), getLanguage(request), getOptionalUser(request)]);
  const canManage = Boolean(user && hasPermission(user.roles, 'competition:manage', { competitionId: competition.id }));
  const isGridWorker = Boolean(user && hasRole(user.roles, 'gridWorker'));
  const isJudge = Boolean(user?.roles.some((r) => r.role === 'judge' && r.scopeId === competition.id));
  return { title: `${pickText(competition.title, language)} · ${t('brand.name')}`, competition, canManage, isGridWorker, isJudge };
}

export default function CompetitionLayout() {
  const { t } = useTranslation(['proposals', 'common', 'voting']);
  const { competition, canManage, isGridWorker, isJudge } = useLoaderData<typeof loader>();
  const votingStarted = phaseReached(competition.phase, 'voting');
  const resultsStage = phaseReached(competition.phase, 'judging');
  const language = useLanguage();
  const tab = ({ isActive }: { isActive: boolean }) =>
    `inline-flex min-h-11 items-center border-b-2 px-3 py-2 ${isActive ? 'border-brand-700 font-semibold text-brand-800' : 'border-transparent text-stone-600'}`;
  return (
    <div className="space-y-5">
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-bold sm:text-2xl">{pickText(competition.title, language)}</h1>
          <PhaseBadge phase={competition.phase} />
        </div>
        <nav className="flex gap-1 overflow-x-auto border-b border-stone-200 whitespace-nowrap" aria-label={t('common:nav.competition')}>
          <NavLink to="." end className={tab}>
            {t('tab.overview')}
          </NavLink>
          <NavLink to="proposals" className={tab}>
            {t('tab.proposals')}
          </NavLink>
          {votingStarted ? (
            <NavLink to="vote" className={tab}>
              {t('voting:tab.vote')}
            </NavLink>
          ) : null}
          {resultsStage ? (
            <NavLink to="results" className={tab}>
              {t('tab.results')}
            </NavLink>
          ) : null}
          {competition.resultsPublished ? (
            <NavLink to="projects" className={tab}>
              {t('projects:tab')}
            </NavLink>
          ) : null}
          {isGridWorker && competition.phase === 'voting' ? (
            <NavLink to="vote/paper" className={tab}>
              {t('voting:tab.paper')}
            </NavLink>
          ) : null}
          {isJudge ? (
            <NavLink to="judge" className={tab}>
              {t('common:judgingTab.judge')}
            </NavLink>
          ) : null}
          {canManage ? (
            <>
              <NavLink to="screening" className={tab}>
                {t('tab.screening')}
              </NavLink>
              <NavLink to="voting" className={tab}>
                {t('voting:tab.voting')}
              </NavLink>
              <NavLink to="judging" className={tab}>
                {t('common:judgingTab.judging')}
              </NavLink>
              <NavLink to="manage" className={tab}>
                {t('tab.manage')}
              </NavLink>
            </>
          ) : null}
        </nav>
      </header>
      <Outlet />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
