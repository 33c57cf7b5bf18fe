import { Group } from '@visx/group';
import { Bar, Circle } from '@visx/shape';
import type { ReactNode } from 'react';

/**
 * Charts drawn on the server with visx (docs/decisions/026-district-dashboard.md): the loaders
 * scale the data with @visx/scale (chart-geometry.server.ts, so d3's scales stay out of the
 * browser's bundle), these components draw the marks with visx shapes, rendered to SVG with the
 * page, so they show without JavaScript. Every text (labels, values, ticks) is HTML beside or
 * over the SVG, never SVG text: an SVG with a viewBox shrinks its text with its width (14 units
 * became 10px on a phone), while HTML keeps the page's type size and wraps. The SVGs carry only
 * marks, positioned in percentages of their box, so they stretch to any width without a viewBox.
 * Texts come in already translated; numbers already formatted.
 */

/** The series' fills: the brand green, a warm contrast, then a blue (each at least 3:1 against white). */
export const SERIES_FILLS = ['#17806d', '#b45309', '#1d4ed8'] as const;
const BAR_HEIGHT = 14;
const BAR_GAP = 4;

export interface BarRow {
  name: string;
  /** One bar per series: its length in percent of the widest possible bar, and its value as shown. */
  bars: { pct: number; display: string }[];
}

/**
 * Horizontal bars for labelled categories: one row per category (its label wraps in HTML), one
 * bar per series, each the value's share of the chart's largest value, with its value beside it.
 */
export function BarChart({ rows, label, series }: { rows: BarRow[]; label: string; series?: string[] }) {
  const count = Math.max(1, ...rows.map((r) => r.bars.length));
  const height = count * BAR_HEIGHT + (count - 1) * BAR_GAP;
  return (
    <div className="space-y-2">
      {series && series.length > 1 ? <Legend series={series} /> : null}
      <ul aria-label={label} className="space-y-3">
        {rows.map((row) => (
          <li key={row.name} className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)] items-center gap-x-3 sm:grid-cols-[minmax(0,11rem)_minmax(0,1fr)]">
            <span className="text-stone-800">{row.name}</span>
            <span className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2">
              <svg aria-hidden="true" width="100%" height={height} className="block overflow-visible">
                {row.bars.map((bar, i) => (
                  <Group key={i} top={i * (BAR_HEIGHT + BAR_GAP)}>
                    <Bar x={0} y={0} height={BAR_HEIGHT} width={`${bar.pct}%`} rx={2} fill={SERIES_FILLS[i % SERIES_FILLS.length]} />
                  </Group>
                ))}
              </svg>
              <span className="flex flex-col text-right text-sm leading-[18px] tabular-nums whitespace-nowrap text-stone-700">
                {row.bars.map((bar, i) => (
                  <span key={i}>
                    {series && series.length > 1 ? <span className="sr-only">{series[i]} </span> : null}
                    {bar.display}
                  </span>
                ))}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Legend({ series }: { series: string[] }) {
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-stone-700" aria-hidden="true">
      {series.map((name, i) => (
        <span key={name} className="inline-flex items-center gap-1.5">
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: SERIES_FILLS[i % SERIES_FILLS.length] }} />
          {name}
        </span>
      ))}
    </p>
  );
}

export interface ScatterGeometry {
  /** Positions in percent of the plot's box (y from the top). */
  points: { xPct: number; yPct: number; filled: boolean; name: string }[];
  xTicks: { pct: number; label: string }[];
  yTicks: { pct: number; label: string }[];
}

/** A scatter plot: the marks in an SVG that stretches to its box (percent coordinates), the ticks and axis titles in HTML around it. */
export function ScatterChart({ geometry, label, xLabel, yLabel }: { geometry: ScatterGeometry; label: string; xLabel: string; yLabel: string }) {
  return (
    <div className="grid max-w-xl grid-cols-[auto_auto_minmax(0,1fr)] grid-rows-[16rem_auto_auto] text-sm text-stone-600">
      {/* Chinese reads down the axis upright; English turned to read upwards, as axis titles do. */}
      <span className="row-start-1 flex items-center justify-center text-stone-700 [writing-mode:vertical-rl] [&:lang(en)]:rotate-180">{yLabel}</span>
      <span aria-hidden="true" className="relative row-start-1 w-8">
        {geometry.yTicks.map((tick) => (
          <span key={tick.label} className="absolute right-1 -translate-y-1/2 tabular-nums" style={{ top: `${tick.pct}%` }}>
            {tick.label}
          </span>
        ))}
      </span>
      <svg role="img" aria-label={label} width="100%" height="100%" className="row-start-1 block border-b border-l border-stone-400">
        {geometry.yTicks.map((tick) => (
          <line key={tick.label} x1="0%" x2="100%" y1={`${tick.pct}%`} y2={`${tick.pct}%`} stroke="#e7e5e4" />
        ))}
        {geometry.points.map((p) => (
          <Circle key={p.name} cx={`${p.xPct}%`} cy={`${p.yPct}%`} r={6} fill={p.filled ? SERIES_FILLS[0] : '#ffffff'} stroke="#0c564a" strokeWidth={1.5}>
            <title>{p.name}</title>
          </Circle>
        ))}
      </svg>
      <span aria-hidden="true" className="relative col-start-3 row-start-2 h-7">
        {geometry.xTicks.map((tick) => (
          <span key={tick.label} className="absolute top-1 -translate-x-1/2 tabular-nums" style={{ left: `${tick.pct}%` }}>
            {tick.label}
          </span>
        ))}
      </span>
      <span className="col-start-3 row-start-3 text-center text-stone-700">{xLabel}</span>
    </div>
  );
}

/**
 * A chart with its title, its data as a table (in a <details>: visually folded, opened by a tap
 * without JavaScript) and a CSV download beside it, for screen readers and for committees who
 * paste figures into spreadsheets.
 */
export function ChartFigure({
  id,
  title,
  chart,
  table,
  csvHref,
  labels,
  note,
}: {
  id: string;
  title: string;
  chart: ReactNode;
  table: { columns: string[]; rows: string[][] };
  csvHref?: string;
  labels: { table: string; csv: string };
  note?: string;
}) {
  return (
    <figure className="card min-w-0 space-y-3" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </figcaption>
      {chart}
      {note ? <p className="text-sm text-stone-600">{note}</p> : null}
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <details className="min-w-0 flex-1">
          <summary className="inline-flex min-h-11 cursor-pointer items-center font-medium text-brand-700">{labels.table}</summary>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr className="border-b border-stone-300">
                  {table.columns.map((column) => (
                    <th key={column} scope="col" className="py-1 pr-3 font-semibold">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, r) => (
                  <tr key={r} className="border-b border-stone-100">
                    {row.map((cell, c) =>
                      c === 0 ? (
                        <th key={c} scope="row" className="py-1 pr-3 font-normal">
                          {cell}
                        </th>
                      ) : (
                        <td key={c} className="py-1 pr-3 tabular-nums">
                          {cell}
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
        {csvHref ? (
          <a href={csvHref} download className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
            {labels.csv}
          </a>
        ) : null}
      </div>
    </figure>
  );
}
