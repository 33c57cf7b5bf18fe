import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatMoney, formatNumber, formatPercent } from '~/utils/format';
import type { Cell, Labels, RawFigures } from './figures';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The directions of every competition, by code: the newest competition's name for a code wins. */
export function directionNames(raw: Pick<RawFigures, 'competitions'>): { code: string; name: LocalizedText }[] {
  const names = new Map<string, LocalizedText>();
  for (const competition of [...raw.competitions].sort((a, b) => b.year - a.year)) {
    for (const category of competition.categories) if (!names.has(category.code)) names.set(category.code, category.name);
  }
  return [...names].map(([code, name]) => ({ code, name }));
}

/** What the tables name: streets, the competitions' directions, the needs' categories. */
export interface Places {
  streets: { id: string; name: LocalizedText }[];
  directions: { code: string; name: LocalizedText }[];
  needCategories: { code: string; name: LocalizedText }[];
}

/** The places of the kept figures. */
export function placesOf(raw: Pick<RawFigures, 'competitions' | 'streets' | 'needCategories'>): Places {
  return { streets: raw.streets, directions: directionNames(raw), needCategories: raw.needCategories };
}

/**
 * The names the dashboard's tables, CSV files and annual report use, in one language. `t` reads
 * the dashboard and projects namespaces (i18next's own t, or a fixed one on the server).
 */
export function labelsFor(
  t: Translate,
  language: Language,
  places: Places,
): Labels {
  const streets = new Map(places.streets.map((s) => [s.id, s.name]));
  const directions = new Map(places.directions.map((d) => [d.code, d.name]));
  const needCategories = new Map(places.needCategories.map((c) => [c.code, c.name]));
  return {
    street: (id) => (id && streets.has(id) ? pickText(streets.get(id), language) : t('dashboard:unknownStreet')),
    category: (code) => (directions.has(code) ? pickText(directions.get(code), language) : code || t('dashboard:unknownDirection')),
    status: (status) => t(`projects:status.${status}`),
    group: (group) => t(`projects:report.group.${group}`),
    stage: (stage) => t(`dashboard:stage.${stage}`, { defaultValue: stage }),
    needCategory: (code) => (needCategories.has(code) ? pickText(needCategories.get(code), language) : code),
    source: (kind) => t(`dashboard:source.${kind}`, { defaultValue: kind }),
  };
}

/** A table cell as the page shows it. */
export function formatCell(cell: Cell, language: Language): string {
  switch (cell.kind) {
    case 'text':
      return cell.value;
    case 'money':
      return formatMoney(cell.fen, language);
    case 'share':
      return cell.value === null ? '—' : formatPercent(cell.value, language);
    case 'hours':
      return cell.value === null ? '—' : formatNumber(cell.value, language);
    default:
      return formatNumber(cell.value, language);
  }
}

/** The legends of the charts with several series (their columns' headings say more than a legend needs). */
const SERIES_NAMES: Record<string, string> = {
  'column.approved': 'dashboard:chart.approved',
  'column.spent': 'dashboard:chart.spent',
  'column.needsRaised': 'dashboard:chart.raised',
  'column.needsClaimed': 'dashboard:chart.claimed',
  'column.needsFulfilled': 'dashboard:chart.fulfilled',
  'column.wishesOpen': 'dashboard:chart.waiting',
  'column.wishesClaimed': 'dashboard:chart.claimed',
  'column.wishesDelivered': 'dashboard:chart.delivered',
  'column.resourcesPledged': 'dashboard:chart.pledged',
  'column.resourcesMoney': 'dashboard:chart.deliveredMoney',
  'column.resourcesInKind': 'dashboard:chart.deliveredInKind',
};

/** The legend's name of a series column, on the page and in the annual report's PDF. */
export function seriesNameKey(column: string): string {
  return SERIES_NAMES[column] ?? `dashboard:${column}`;
}
