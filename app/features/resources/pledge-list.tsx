import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/core/locales';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';
import type { PledgeKind, PledgeStatus, PartnerKind } from './rules';

/** A pledge line as every list shows it (views.server.ts PledgeLine, without server imports). */
export interface PledgeLineView {
  number: number;
  partner: { id: string | null; name: string } | null;
  partnerKind: PartnerKind;
  kind: PledgeKind;
  status: PledgeStatus;
  item: string;
  quantity: number;
  unit: string;
  valueFen: number;
  dueAt: string;
  deliveredAt: string | null;
  overdue: boolean;
}

export function PartnerName({ line }: { line: Pick<PledgeLineView, 'partner' | 'partnerKind'> }) {
  const { t } = useTranslation('resources');
  if (!line.partner) return <>{t('anonymous')}</>;
  if (!line.partner.id) return <>{line.partner.name}</>;
  return (
    <Link to={`/resources/partners/${line.partner.id}`} className="inline-flex min-h-11 items-center underline">
      {line.partner.name}
    </Link>
  );
}

export function PledgeStatusBadge({ status, overdue }: { status: PledgeStatus; overdue: boolean }) {
  const { t } = useTranslation('resources');
  const tone = overdue ? 'bg-red-100 text-red-900' : status === 'delivered' ? 'bg-emerald-100 text-emerald-900' : status === 'withdrawn' ? 'bg-stone-200 text-stone-800' : 'bg-amber-100 text-amber-900';
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${tone}`}>{overdue ? t('status.overdue') : t(`status.${status}`)}</span>;
}

/** What was promised: an amount, or goods with their estimated value. */
export function pledgeWhat(line: Pick<PledgeLineView, 'kind' | 'item' | 'quantity' | 'unit' | 'valueFen'>, language: Language, t: (key: string, values?: Record<string, unknown>) => string): string {
  if (line.kind === 'money') return formatMoney(line.valueFen, language);
  return t('inKindLine', { item: line.item, quantity: formatNumber(line.quantity, language), unit: line.unit, value: formatMoney(line.valueFen, language) });
}

export function PledgeList({ lines, language, link, extra }: { lines: readonly PledgeLineView[]; language: Language; link?: (line: PledgeLineView) => string; extra?: (line: PledgeLineView) => ReactNode }) {
  const { t } = useTranslation('resources');
  const date = (iso: string) => formatDate(iso, language, { dateStyle: 'long' });
  return (
    <ul className="space-y-2">
      {lines.map((line) => (
        <li key={line.number} className={`rounded-lg border p-3 ${line.overdue ? 'border-red-300 bg-red-50' : 'border-stone-200'}`}>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="font-semibold">
              <PartnerName line={line} />
            </span>
            {/* The fund's name says what it is. */}
            {line.partnerKind === 'fund' ? null : <span className="text-stone-600">{t(`partnerKind.${line.partnerKind}`)}</span>}
            <PledgeStatusBadge status={line.status} overdue={line.overdue} />
          </p>
          <p>{pledgeWhat(line, language, t)}</p>
          <p className="text-stone-700">
            {line.deliveredAt ? t('deliveredOn', { date: date(line.deliveredAt) }) : t('dueOn', { date: date(line.dueAt) })}
          </p>
          {extra ? extra(line) : null}
          {link ? (
            <Link to={link(line)} className="inline-flex min-h-11 items-center text-brand-800 underline">
              {t('openPledge', { number: line.number })}
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
