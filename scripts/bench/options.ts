/**
 * `npm run bench -- [--rounds 3] [--seconds 3] [--tenfold 10] [--db-heap 3g] [--no-web]`: the
 * benchmark's settings are arguments, not environment variables (those are the app's, validated
 * in app/core/env.server.ts). MONGODB_URI, when set, points the web part at a real MongoDB.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Interleaved baseline/app runs per throughput figure (the median is reported). */
  rounds: number;
  /** Seconds per throughput run. */
  seconds: number;
  /** The data growth for the round-trip, screening and tally figures; 1 skips them. */
  tenfold: number;
  /** The stand-in's Java heap (10x data is a million ballots). */
  dbHeap: string;
  web: boolean;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a whole number of at least 1, not "${value}"`);
  return number;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      tenfold: { type: 'string' },
      'db-heap': { type: 'string' },
      'no-web': { type: 'boolean' },
    },
    strict: true,
  });
  const dbHeap = values['db-heap'] ?? '3g';
  if (!/^\d+[mg]$/.test(dbHeap)) throw new Error(`--db-heap must look like 512m or 3g, not "${dbHeap}"`);
  return {
    rounds: positive('rounds', values.rounds, 3),
    seconds: positive('seconds', values.seconds, 3),
    tenfold: positive('tenfold', values.tenfold, 10),
    dbHeap,
    web: !values['no-web'],
  };
}
