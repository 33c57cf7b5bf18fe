import { INTL_LOCALE, type Language } from '~/core/locales';

export const TIME_ZONE = 'Asia/Shanghai';

/**
 * Building an Intl formatter costs far more than using one (locale data is resolved each
 * time), and a page formats hundreds of amounts and dates: each distinct locale + options is
 * built once and kept. The options a page uses are few, so the caches stay small.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** Money is integer fen in the database; shown as ¥ with the locale's grouping. */
export function formatMoney(fen: number, language: Language, options: { cents?: boolean } = {}): string {
  const cents = options.cents ?? fen % 100 !== 0;
  return numberFormat(INTL_LOCALE[language], {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: cents ? 2 : 0,
  }).format(fen / 100);
}

/** Fen as a form field or a CSV cell writes yuan: 123456 -> "1234.56" (no grouping, no symbol). */
export function fenToYuanInput(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** Parses "1,234.5" / "¥1234.50" yuan into integer fen, or null when it is not an amount. */
export function parseYuanToFen(text: string): number | null {
  const cleaned = text.replace(/[¥,\s，]/g, '');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ''] = cleaned.split('.') as [string, string?];
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function formatDate(
  value: string | Date,
  language: Language,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string {
  return dateFormat(INTL_LOCALE[language], { timeZone: TIME_ZONE, ...options }).format(new Date(value));
}

/** A share (0–1) as a percentage with at most one decimal: 0.253 -> "25.3%". */
export function formatPercent(share: number, language: Language): string {
  return numberFormat(INTL_LOCALE[language], { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

export function formatNumber(value: number, language: Language): string {
  return numberFormat(INTL_LOCALE[language]).format(value);
}
