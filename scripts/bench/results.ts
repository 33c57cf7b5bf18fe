/**
 * One table for every part of `npm run bench`: printed as markdown and written, with the run's
 * circumstances, to bench/results.json (commit a run's file to keep a before/after pair).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { evaluate, formatTable, type Row } from './report';

export const RESULTS_FILE = 'bench/results.json';

/** A timing against a baseline timed in the same run (ratio: how many baselines it takes). */
export function timingRow(figure: string, ms: number, baselineMs: number, baselineLabel: string): Row {
  return { figure, measured: ms, unit: 'ms', baseline: baselineMs, baselineLabel, target: null };
}

export function report(rows: readonly Row[], about: Record<string, unknown> = {}): string {
  const evaluated = rows.map(evaluate);
  const table = formatTable(evaluated);
  mkdirSync('bench', { recursive: true });
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(1))) };
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ at: new Date().toISOString(), machine, ...about, rows: evaluated, table }, null, 2)}\n`);
  return table;
}
