import { useTranslation } from 'react-i18next';
import type { Outcome } from '~/services/results';
import { formatMoney, formatNumber } from '~/utils/format';
import type { Language } from '~/utils/locales';

/** The ranked table of an outcome, each line with its reason in words. */
export function ResultsTable({ outcome, language, judges }: { outcome: Outcome; language: Language; judges: string[] }) {
  const { t } = useTranslation(['results', 'common']);
  const money = (fen: number) => formatMoney(fen, language);
  return (
    <div className="overflow-x-auto">
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
                <span className={line.funded ? 'font-semibold text-brand-800' : 'text-stone-700'}>
                  {t(`reason.${line.reason}`, {
                    rank: line.rank,
                    cost: money(line.cost),
                    remaining: money(line.remainingBefore),
                  })}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
