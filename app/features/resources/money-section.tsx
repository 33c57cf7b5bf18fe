import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';
import { formatMoney } from '~/utils/format';
import { PledgeList, type PledgeLineView } from './pledge-list';
import type { MoneyBySource } from './rules';

export interface ProjectResourcesView {
  money: MoneyBySource;
  overdueCount: number;
  delivered: PledgeLineView[];
  outstanding: PledgeLineView[];
}

/**
 * The public project page's "money by source": the competition's budget, the 崂善行 fund's
 * delivered allocations, delivered pledges of money, and goods at their estimated value, summed;
 * what is promised and not yet delivered apart, never in the total.
 */
export function MoneySection({ resources, language, manageHref, offerHref }: { resources: ProjectResourcesView; language: Language; manageHref: string | null; offerHref: string | null }) {
  const { t } = useTranslation('resources');
  const { money } = resources;
  const money$ = (fen: number) => formatMoney(fen, language);
  const rows = [
    ['budget', money.budgetFen],
    ['fund', money.fundFen],
    ['pledges', money.pledgedMoneyFen],
    ['inKind', money.inKindFen],
  ] as const;
  return (
    <section className="card space-y-3" aria-labelledby="project-resources">
      <h3 id="project-resources" className="text-lg font-semibold">
        {t('money.title')}
      </h3>
      <p className="text-stone-700">{t('money.intro')}</p>
      <table className="w-full text-left">
        <caption className="sr-only">{t('money.title')}</caption>
        <tbody>
          {rows.map(([key, fen]) => (
            <tr key={key} className="border-b border-stone-200">
              <th scope="row" className="py-2 pr-3 font-normal">
                {t(`money.${key}`)}
              </th>
              <td className="py-2 text-right font-semibold tabular-nums">{money$(fen)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row" className="py-2 pr-3 font-bold">
              {t('money.total')}
            </th>
            <td className="py-2 text-right text-xl font-bold tabular-nums">{money$(money.totalFen)}</td>
          </tr>
        </tbody>
      </table>
      {money.outstandingFen > 0 ? (
        <p className="rounded-lg bg-amber-50 p-3">
          {t('money.outstanding', { amount: money$(money.outstandingFen) })}
          {resources.overdueCount > 0 ? <span className="block font-semibold text-red-800">{t('money.overdue', { count: resources.overdueCount })}</span> : null}
        </p>
      ) : null}
      {resources.delivered.length ? (
        <div className="space-y-2">
          <h4 className="font-semibold">{t('money.deliveredList')}</h4>
          <PledgeList lines={resources.delivered} language={language} />
        </div>
      ) : (
        <p className="text-stone-700">{t('money.noneDelivered')}</p>
      )}
      {resources.outstanding.length ? (
        <div className="space-y-2">
          <h4 className="font-semibold">{t('money.outstandingList')}</h4>
          <PledgeList lines={resources.outstanding} language={language} />
        </div>
      ) : null}
      <p className="flex flex-wrap gap-x-4">
        {manageHref ? (
          <Link to={manageHref} relative="path" className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
            {t('money.manage')}
          </Link>
        ) : null}
        {offerHref ? (
          <Link to={offerHref} relative="path" className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
            {t('money.offer')}
          </Link>
        ) : null}
        <Link to="/resources/partners/fund" className="inline-flex min-h-11 items-center underline">
          {t('money.fundLink')}
        </Link>
      </p>
    </section>
  );
}
