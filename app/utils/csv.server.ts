import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null;

// A cell that starts like a formula is written as text, so a spreadsheet never runs it.
const FORMULA_START = /^[=+\-@]/;

function cell(text: string) {
  const formula = FORMULA_START.test(text);
  return { value: formula ? `'${text}` : text, quoted: formula || /[\r\n]/.test(text) };
}

/**
 * Every CSV the app hands out: a byte-order mark (so spreadsheet programs read Chinese as UTF-8),
 * CRLF line ends, quoting where needed, and formula-like cells neutralised. Written by csv-stringify.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  const text = rows.map((row) => row.map((value) => (value === null ? '' : String(value))));
  return stringify(text, { bom: true, record_delimiter: '\r\n', cast: { string: cell } });
}
