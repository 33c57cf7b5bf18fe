import { useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '~/utils/format';
import type { Language } from '~/core/locales';
import type { CorrectionView } from './corrections';
import { CorrectionsList } from './corrections-list';
import { byPhaseOrder, phaseIndex, type Phase } from './phases';

interface PhaseView {
  key: Phase;
  startsAt: string;
  endsAt: string;
}

/**
 * The corrections of the competition whose page this is (the competition layout's loader data),
 * when these are its phases: the public page lists them under its timeline without passing them.
 */
function useLayoutCorrections(phases: PhaseView[]): CorrectionView[] {
  const layout = useRouteLoaderData<{ competition?: { phases: unknown; corrections?: CorrectionView[] } }>('routes/competitions.$slug');
  return layout?.competition?.phases === phases ? (layout.competition.corrections ?? []) : [];
}

function shanghaiYear(date: Date | string): number {
  return Number(formatDate(date, 'en', { year: 'numeric' }));
}

/** A phase ends at midnight that starts the next one: the window's last day is the day before. */
function lastDay(endsAt: string): string {
  return new Date(new Date(endsAt).getTime() - 1).toISOString();
}

function thisYearNow(): number {
  return shanghaiYear(new Date());
}

/** Month and day, with the year for a timeline not wholly in this year (a past competition, or one crossing New Year). */
function phaseDate(value: string, language: Language, withYear: boolean): string {
  return formatDate(value, language, withYear ? { year: 'numeric', month: 'numeric', day: 'numeric' } : { month: 'numeric', day: 'numeric' });
}

/** The competition's phases with dates, the current one highlighted, then any admin corrections. */
export function PhaseTimeline({
  phases,
  current,
  language,
  corrections,
}: {
  phases: PhaseView[];
  current: Phase | null;
  language: Language;
  corrections?: CorrectionView[];
}) {
  const { t } = useTranslation();
  const fromLayout = useLayoutCorrections(phases);
  const ordered = [...phases].sort(byPhaseOrder);
  const currentIndex = current ? phaseIndex(current) : -1;
  // Years shown on every date as soon as one is not this year's, so a window like 2025/6/24 – 2026/1/9 reads right.
  const withYear = phases.some((p) => shanghaiYear(p.startsAt) !== thisYearNow() || (p.key !== 'closed' && shanghaiYear(lastDay(p.endsAt)) !== thisYearNow()));
  return (
    <div className="space-y-3">
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-7" aria-label={t('phase.timeline')}>
        {ordered.map((phase) => {
          const index = phaseIndex(phase.key);
          const state = index === currentIndex ? 'current' : index < currentIndex ? 'done' : 'upcoming';
          return (
            <li
              key={phase.key}
              aria-current={state === 'current' ? 'step' : undefined}
              className={`rounded-lg border p-2 text-sm ${
                state === 'current'
                  ? 'border-brand-600 bg-brand-50 font-semibold text-brand-800'
                  : state === 'done'
                    ? 'border-stone-200 bg-stone-100 text-stone-700'
                    : 'border-stone-200 bg-white text-stone-700'
              }`}
            >
              <span className="block">{t(`phase.${phase.key}`)}</span>
              <span className="block text-sm font-normal">
                {phase.key === 'closed' ? (
                  // The last phase has no end: it is the day the competition ends, not a window.
                  t('phase.closedFrom', { date: phaseDate(phase.startsAt, language, withYear) })
                ) : (
                  <>
                    {phaseDate(phase.startsAt, language, withYear)}
                    {' – '}
                    {phaseDate(lastDay(phase.endsAt), language, withYear)}
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ol>
      <CorrectionsList corrections={corrections ?? fromLayout} language={language} />
    </div>
  );
}

export function PhaseBadge({ phase }: { phase: Phase | null }) {
  const { t } = useTranslation();
  return (
    <span className="inline-block rounded-full bg-brand-100 px-3 py-1 text-sm font-medium text-brand-800">
      {t(phase ? `phase.${phase}` : 'phase.upcoming')}
    </span>
  );
}
