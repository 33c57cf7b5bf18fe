import { useTranslation } from 'react-i18next';
import type { Outcome } from '~/features/results/allocation/outcome';
import { formatMoney, formatNumber } from '~/utils/format';
import type { Language } from '~/core/locales';
import { ScrollRegion } from '~/components/scroll-region';

/** The ranked table of an outcome, each line with its reason in words. */
/** `label` names the table's scroll region; give one per table when a page shows several. */
export function ResultsTable({ outcome, language, judges, label }: { outcome: Outcome; language: Language; judges: string[]; label?: string }) {
  const { t } = useTranslation(['results', 'common']);
  const money = (fen: number) => formatMoney(fen, language);
  const reason = (line: Outcome['lines'][number]) =>
    t(`reason.${line.reason}`, { rank: line.rank, cost: money(line.cost), remaining: money(line.remainingBefore) });
  return (
    <>
      {/* On a phone: one card per proposal, the reason in full. */}
      <ol className="space-y-2 sm:hidden" data-testid="results-list">
        {outcome.lines.map((line) => (
          <li key={line.id} className={`rounded-lg border p-3 ${line.funded ? 'border-brand-600 bg-brand-50' : 'border-stone-200 bg-white'}`}>
            <p className="font-semibold">
              {t('table.rank')} {line.rank} · #{line.number} {line.title}
            </p>
            <p className={line.funded ? 'font-semibold text-brand-800' : 'text-stone-700'}>{reason(line)}</p>
            <p className="text-sm text-stone-600">
              {t('table.votes')} {formatNumber(line.votes, language)} · {t('table.judgeMean')} {line.judgeMean === null ? '—' : line.judgeMean.toFixed(2)}
              {judges.length ? ` (${judges.map((j) => `${t('table.judge', { letter: j })} ${line.judgeScores[j]?.toFixed(1) ?? '—'}`).join('，')})` : ''} ·{' '}
              {t('table.combined')} {(line.combined * 100).toFixed(1)}
            </p>
          </li>
        ))}
      </ol>
    <ScrollRegion label={label ?? t('table.label')} className="hidden sm:block">
      <table className="w-full border-collapse bg-white text-left text-sm">
        <thead>
          <tr className="border-b border-stone-300">
            <th className="p-2">{t('table.rank')}</th>
            <th className="p-2">{t('table.proposal')}</th>
            <th className="p-2 text-right">{t('table.votes')}</th>
            {judges.map((j) => (
              <th key={j} className="p-2 text-right">
                {t('table.judge', { letter: j })}
              </th>
            ))}
            <th className="p-2 text-right">{t('table.judgeMean')}</th>
            <th className="p-2 text-right">{t('table.combined')}</th>
            <th className="p-2 text-right">{t('table.cost')}</th>
            <th className="p-2">{t('table.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.lines.map((line) => (
            <tr key={line.id} className={`border-b border-stone-200 align-top ${line.funded ? 'bg-brand-50' : ''}`}>
              <td className="p-2">{line.rank}</td>
              <td className="p-2">
                #{line.number} {line.title}
              </td>
              <td className="p-2 text-right">{formatNumber(line.votes, language)}</td>
              {judges.map((j) => (
                <td key={j} className="p-2 text-right">
                  {line.judgeScores[j]?.toFixed(1) ?? '—'}
                </td>
              ))}
              <td className="p-2 text-right">{line.judgeMean === null ? '—' : line.judgeMean.toFixed(2)}</td>
              <td className="p-2 text-right">{(line.combined * 100).toFixed(1)}</td>
              <td className="p-2 text-right">{money(line.cost)}</td>
              <td className="p-2">
                <span className={line.funded ? 'font-semibold text-brand-800' : 'text-stone-700'}>{reason(line)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
      <p className="text-sm text-stone-600">{t('table.note')}</p>
    </>
  );
}
