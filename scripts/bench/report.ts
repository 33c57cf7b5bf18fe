/**
 * The benchmark's table: figures, their baselines, ratios and the targets of issue 13, and the
 * pure helpers behind them (percentiles, medians, target checks, formatting). Nothing here
 * measures anything; tests/unit/bench-report.test.ts checks it.
 */

export type Unit = 'req/s' | 'ms' | 'MB' | 'KB' | 'trips' | 'x';

/**
 * A target: `ratioAtLeast` compares measured / baseline (throughput, speed at 10x data);
 * `atMost` compares the measured value itself (latency, memory, bytes, round trips).
 */
export type Target = { kind: 'ratioAtLeast'; value: number } | { kind: 'atMost'; value: number; unit: Unit };

export interface Row {
  figure: string;
  /** null: could not be measured in this run (the note says why). */
  measured: number | null;
  unit: Unit;
  baseline: number | null;
  baselineLabel: string;
  /** null: a figure shown for information, with no target of its own. */
  target: Target | null;
  note?: string;
}

export interface EvaluatedRow extends Row {
  ratio: number | null;
  met: boolean | null;
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0–100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The median; for an even count, the mean of the two middle values. NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function ratioOf(measured: number | null, baseline: number | null): number | null {
  if (measured === null || baseline === null || !Number.isFinite(measured) || !Number.isFinite(baseline) || baseline === 0) return null;
  return measured / baseline;
}

/** Whether the row meets its target; null when what the target needs was not measured. */
export function meets(row: Row): boolean | null {
  if (row.target === null || row.measured === null || !Number.isFinite(row.measured)) return null;
  if (row.target.kind === 'atMost') return row.measured <= row.target.value;
  const ratio = ratioOf(row.measured, row.baseline);
  return ratio === null ? null : ratio >= row.target.value;
}

export function evaluate(row: Row): EvaluatedRow {
  return { ...row, ratio: ratioOf(row.measured, row.baseline), met: meets(row) };
}

/** A value with its unit, rounded to what a reader can use: 44.5 req/s, 6.7 s, 98 ms, 214 KB. */
export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case 'req/s':
      return `${value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(1)} req/s`;
    case 'MB':
      return `${Math.round(value)} MB`;
    case 'KB':
      return `${value.toFixed(1)} KB`;
    case 'trips':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'x':
      return `${value.toFixed(2)}x`;
  }
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '';
  if (ratio >= 10) return `${ratio.toFixed(0)}x`;
  if (ratio >= 0.1) return `${ratio.toFixed(2)}x`;
  return `${ratio.toPrecision(2)}x`;
}

export function formatTarget(target: Target | null): string {
  if (target === null) return '';
  return target.kind === 'ratioAtLeast' ? `>= ${target.value}x` : `<= ${formatValue(target.value, target.unit)}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown table: figure | measured | baseline | ratio | target | met? */
export function formatTable(rows: readonly EvaluatedRow[]): string {
  const lines = ['| figure | measured | baseline | ratio | target | met? |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const baseline = row.baseline === null ? row.baselineLabel : `${row.baselineLabel}: ${formatValue(row.baseline, row.unit)}`;
    const measured = row.note ? `${formatValue(row.measured, row.unit)} (${row.note})` : formatValue(row.measured, row.unit);
    const met = row.target === null ? '' : row.met === null ? '?' : row.met ? 'yes' : 'no';
    lines.push(`| ${[row.figure, measured, baseline, formatRatio(row.ratio), formatTarget(row.target), met].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}
