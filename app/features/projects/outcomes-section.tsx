import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';

/** What publicReports (reports.server.ts) gives the public project page. */
export interface Outcomes {
  timeline: {
    milestone: string;
    milestoneTitle: string;
    approvedAt: string;
    narrative: string;
    activities: { date: string; place: string; description: string }[];
    photos: { fileId: string; thumbId: string }[];
    peopleServed: number;
    volunteerHours: number;
  }[];
  money: { spentFen: number; heldFen: number; releasedFen: number; byCategory: Record<string, number> };
  people: { total: number; byGroup: Record<string, number> };
  volunteers: number;
  volunteerHours: number;
}

/**
 * The public part of the project's reports: money approved and spent by category, people
 * served by group, volunteer hours, and the timeline of approved reports with their photos.
 * Receipts, payees and the committee's reviews never reach it (publicReports does not read them).
 */
export function OutcomesSection({ outcomes, approvedBudgetFen, language }: { outcomes: Outcomes; approvedBudgetFen: number; language: Language }) {
  const { t } = useTranslation(['projects']);
  const categories = Object.entries(outcomes.money.byCategory).sort((a, b) => b[1] - a[1]);
  const groups = Object.entries(outcomes.people.byGroup).sort((a, b) => b[1] - a[1]);
  const spentShare = approvedBudgetFen > 0 ? Math.min(100, Math.round((outcomes.money.spentFen * 100) / approvedBudgetFen)) : 0;
  return (
    <>
      <section className="card space-y-3" aria-labelledby="project-money">
        <h3 id="project-money" className="text-lg font-semibold">{t('outcomes.money')}</h3>
        <p className="text-xl font-semibold">
          {t('outcomes.spentOf', { spent: formatMoney(outcomes.money.spentFen, language), approved: formatMoney(approvedBudgetFen, language) })}
        </p>
        <div className="h-3 w-full overflow-hidden rounded-full bg-stone-200" role="img" aria-label={t('outcomes.spentShare', { pct: spentShare })}>
          <div className="h-full bg-brand-700" style={{ width: `${spentShare}%` }} />
        </div>
        <p className="text-stone-700">{t('outcomes.released', { amount: formatMoney(outcomes.money.releasedFen, language) })}</p>
        {outcomes.money.heldFen > 0 ? <p className="text-stone-700">{t('outcomes.held', { amount: formatMoney(outcomes.money.heldFen, language) })}</p> : null}
        {categories.length ? (
          <ul className="grid gap-1 sm:grid-cols-2">
            {categories.map(([category, fen]) => (
              <li key={category}>
                {t('outcomes.line', { label: t(`report.expenseCategory.${category}`), value: formatMoney(fen, language) })}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">{t('outcomes.noSpending')}</p>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="project-people">
        <h3 id="project-people" className="text-lg font-semibold">{t('outcomes.people')}</h3>
        <p className="text-xl font-semibold">{t('outcomes.peopleTotal', { count: outcomes.people.total, formatted: formatNumber(outcomes.people.total, language) })}</p>
        {groups.length ? (
          <ul className="grid gap-1 sm:grid-cols-2">
            {groups.map(([group, count]) => (
              <li key={group}>
                {t('outcomes.line', { label: t(`report.group.${group}`), value: formatNumber(count, language) })}
              </li>
            ))}
          </ul>
        ) : null}
        <p>{t('report.volunteersLine', { volunteers: formatNumber(outcomes.volunteers, language), hours: formatNumber(outcomes.volunteerHours, language) })}</p>
      </section>

      <section className="space-y-3" aria-labelledby="project-timeline">
        <h3 id="project-timeline" className="text-lg font-semibold">{t('outcomes.timeline')}</h3>
        {outcomes.timeline.length === 0 ? <p className="text-stone-700">{t('outcomes.noReports')}</p> : null}
        <ol className="space-y-3 border-l-4 border-brand-100 pl-4">
          {outcomes.timeline.map((entry) => (
            <li key={entry.milestone} className="space-y-2">
              <p className="text-stone-600">
                <time dateTime={entry.approvedAt}>{formatDate(entry.approvedAt, language, { dateStyle: 'long' })}</time>
              </p>
              <h4 className="font-semibold">{entry.milestoneTitle}</h4>
              {entry.narrative ? <p className="whitespace-pre-line">{entry.narrative}</p> : null}
              {entry.activities.length ? (
                <ul className="list-disc space-y-1 pl-5">
                  {entry.activities.map((a, i) => (
                    <li key={i}>
                      {formatDate(a.date, language, { dateStyle: 'medium' })}
                      {a.place ? ` · ${a.place}` : ''} — {a.description}
                    </li>
                  ))}
                </ul>
              ) : null}
              <p className="text-stone-700">{t('outcomes.entryFacts', { people: formatNumber(entry.peopleServed, language), hours: formatNumber(entry.volunteerHours, language) })}</p>
              {entry.photos.length ? (
                <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                  {entry.photos.map((p, i) => (
                    <li key={p.fileId}>
                      <a href={`/uploads/${p.fileId}`}>
                        <img src={`/uploads/${p.fileId}?size=thumb`} alt={t('outcomes.photoAlt', { title: entry.milestoneTitle, n: i + 1 })} className="aspect-square w-full rounded-lg object-cover" loading="lazy" />
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
