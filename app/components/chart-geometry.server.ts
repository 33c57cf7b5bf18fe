import { scaleLinear } from '@visx/scale';
import type { BarRow, ScatterGeometry } from './charts';

/**
 * The charts' scales (visx, d3 underneath), computed in the loaders so the browser receives
 * positions, not the scale library (components/charts.tsx draws them).
 */

/** Bars in percent of the largest value across every row and series; a value above zero shows at least a sliver. */
export function barRows(rows: { name: string; values: number[]; displays: string[] }[]): BarRow[] {
  const max = Math.max(0, ...rows.flatMap((r) => r.values));
  const width = scaleLinear<number>({ domain: [0, max > 0 ? max : 1], range: [0, 100] });
  return rows.map((row) => ({
    name: row.name,
    bars: row.values.map((value, i) => ({ pct: value > 0 ? Math.max(0.8, width(value)) : 0, display: row.displays[i] ?? '' })),
  }));
}

/** A scatter plot's positions: x from 0 (or below) to the largest x, y over a fixed domain; marks 3% inside the box. */
export function scatterGeometry(points: { x: number; y: number; filled: boolean; name: string }[], yDomain: [number, number]): ScatterGeometry {
  const xs = points.map((p) => p.x);
  const minX = Math.min(0, ...xs);
  const maxX = Math.max(minX + 1, ...xs);
  const sx = scaleLinear<number>({ domain: [minX, maxX], range: [3, 97] });
  const sy = scaleLinear<number>({ domain: yDomain, range: [97, 3] });
  return {
    points: points.map((p) => ({ xPct: sx(p.x), yPct: sy(p.y), filled: p.filled, name: p.name })),
    xTicks: sx
      .ticks(4)
      .filter((v) => Number.isInteger(v))
      .map((v) => ({ pct: sx(v), label: String(v) })),
    yTicks: sy.ticks(4).map((v) => ({ pct: sy(v), label: String(v) })),
  };
}
