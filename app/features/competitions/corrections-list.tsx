import { useTranslation } from 'react-i18next';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatDate, formatMoney } from '~/utils/format';
import type { CorrectionView } from './corrections';

/** What a correction changed, in words: "Voting: end date". */
export function useCorrectionLabel() {
  const { t } = useTranslation();
  return (setting: CorrectionView['setting']) => {
    const [kind, phase] = setting.split(':');
    return phase ? t(`correction.${kind}`, { phase: t(`phase.${phase}`) }) : t(`correction.${kind}`);
  };
}

/** The value of a corrected setting as residents read it. */
export function useCorrectionValue(language: Language) {
  const { t } = useTranslation();
  return (kind: CorrectionView['kind'], value: string | number | LocalizedText[]) => {
    if (kind === 'budget') return formatMoney(Number(value), language);
    if (kind === 'streets') {
      const names = value as LocalizedText[];
      return names.length ? names.map((name) => pickText(name, language)).join('、') : t('correction.wholeDistrict');
    }
    return formatDate(value as string, language);
  };
}

/** The public record of frozen settings an admin corrected: when, what, from and to, and why. */
export function CorrectionsList({ corrections, language }: { corrections: CorrectionView[]; language: Language }) {
  const { t } = useTranslation();
  const label = useCorrectionLabel();
  const value = useCorrectionValue(language);
  if (!corrections.length) return null;
  return (
    <section className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3" aria-labelledby="corrections-title">
      <h3 id="corrections-title" className="font-semibold">
        {t('correction.listTitle')}
      </h3>
      <p className="text-sm text-stone-700">{t('correction.listHelp')}</p>
      <ul className="space-y-2">
        {corrections.map((c) => (
          <li key={`${c.at}-${c.setting}`} className="text-base">
            <span className="block font-medium">
              {formatDate(c.at, language)} · {t('correction.change', { what: label(c.setting), before: value(c.kind, c.before), after: value(c.kind, c.after) })}
            </span>
            <span className="block text-sm text-stone-700">{t('correction.reason', { reason: c.reason })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
