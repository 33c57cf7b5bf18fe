import { useTranslation } from 'react-i18next';
import type { ProposalStatus } from './proposals';

const STYLE: Partial<Record<ProposalStatus, string>> = {
  eligible: 'bg-sky-100 text-sky-900',
  changesRequested: 'bg-amber-100 text-amber-900',
  ineligible: 'bg-stone-200 text-stone-800',
  withdrawn: 'bg-stone-200 text-stone-800',
  merged: 'bg-stone-200 text-stone-800',
};

/**
 * A proposal's status wherever it is shown: "funded" (with a tick) once the published result
 * funds it, so a resident sees at a glance what came of it, else its screening status.
 */
export function ProposalStatusBadge({ status, funded }: { status: ProposalStatus; funded: boolean }) {
  const { t } = useTranslation('proposals');
  if (funded) {
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-emerald-100 px-3 py-1 text-sm font-semibold text-emerald-900" data-testid="funded-badge">
        <span aria-hidden="true">✓</span>
        {t('status.funded')}
      </span>
    );
  }
  return <span className={`inline-block rounded-full px-3 py-1 text-sm ${STYLE[status] ?? 'bg-stone-100 text-stone-800'}`}>{t(`status.${status}`)}</span>;
}
