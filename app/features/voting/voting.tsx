import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '~/utils/format';
import type { Language } from '~/core/locales';
import { remaining, type VotingMethod } from './rules';
import { SubNav } from '~/components/sub-nav';

/** A refusal from the voting services: its reason is a key under "voting:reason.". */
export function VotingError({ reason }: { reason?: string | null }) {
  const { t } = useTranslation('voting');
  if (!reason) return null;
  return (
    <p className="field-error rounded-lg border border-red-200 bg-red-50 p-3" role="alert">
      {t(`reason.${reason}`)}
    </p>
  );
}

export interface PickerOption {
  number: number;
  title: string;
  summary: string;
  categoryName: string;
  totalFen: number;
  photoId: string | null;
}

/**
 * The ballot's proposals as large tappable cards. Works as plain checkboxes without JavaScript
 * (the server checks the limits); with it, the counter of choices or budget left follows each tap.
 */
export function BallotPicker({
  options,
  method,
  maxChoices,
  ballotBudgetFen,
  initial,
  language,
}: {
  options: PickerOption[];
  method: VotingMethod;
  maxChoices: number;
  ballotBudgetFen: number;
  initial: number[];
  language: Language;
}) {
  const { t } = useTranslation('voting');
  const [picked, setPicked] = useState<Set<number>>(() => new Set(initial));
  const chosen = options.filter((o) => picked.has(o.number));
  const left = remaining({ method, maxChoices, ballotBudgetFen }, chosen);
  const over = left < 0;
  const toggle = (number: number, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(number);
      else next.delete(number);
      return next;
    });
  return (
    <div className="space-y-3">
      <p
        className={`sticky top-0 z-10 rounded-lg border p-3 text-lg font-semibold ${over ? 'border-red-300 bg-red-50 text-red-800' : 'border-brand-200 bg-brand-50 text-brand-900'}`}
        aria-live="polite"
        data-testid="ballot-counter"
      >
        {method === 'approval'
          ? over
            ? t('ballot.tooMany', { count: -left })
            : t('ballot.choicesLeft', { count: left, max: maxChoices })
          : over
            ? t('ballot.overBudget', { amount: formatMoney(-left, language) })
            : t('ballot.budgetLeft', { amount: formatMoney(left, language), total: formatMoney(ballotBudgetFen, language) })}
      </p>
      <ul className="space-y-3">
        {options.map((o) => (
          <li key={o.number}>
            <label className={`card flex cursor-pointer gap-3 ${picked.has(o.number) ? 'ring-2 ring-brand-600' : ''}`}>
              <input
                type="checkbox"
                name="choice"
                value={o.number}
                checked={picked.has(o.number)}
                onChange={(event) => toggle(o.number, event.currentTarget.checked)}
                className="mt-1 h-7 w-7 shrink-0"
              />
              {o.photoId ? (
                <img src={`/uploads/${o.photoId}?size=thumb`} alt="" width={72} height={72} loading="lazy" className="h-18 w-18 shrink-0 rounded object-cover" />
              ) : null}
              <span className="min-w-0 space-y-1">
                <span className="block text-lg font-semibold">
                  #{o.number} {o.title}
                </span>
                <span className="block text-sm text-stone-600">
                  {o.categoryName} · {formatMoney(o.totalFen, language)}
                </span>
                {o.summary ? <span className="block text-sm text-stone-700">{o.summary}</span> : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The committee's voting pages. */
export function VotingAdminNav({ slug }: { slug: string }) {
  const { t } = useTranslation('voting');
  const base = `/competitions/${slug}/voting`;
  const links = [
    { to: base, label: t('admin.tally') },
    { to: `${base}/rules`, label: t('admin.rules') },
    { to: `${base}/codes`, label: t('admin.codes') },
    { to: `${base}/anomalies`, label: t('admin.anomalies') },
  ];
  return <SubNav label={t('admin.nav')} links={links} />;
}
