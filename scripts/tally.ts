/**
 * npm run tally -- <file.pb> [--method greedy|mes] [--json] [--utility cost|cardinal] [--completion <rule>]
 *
 * Runs the app's pure results functions on a Pabulib file and prints the selected project ids,
 * one per line, or with --json `{ "selected": [...], "ms": n }` (ms: time of the tally itself,
 * not of reading the file). Notes (where approval counts came from, threshold) go to stderr.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { COMPLETIONS, type Completion } from '~/features/results/allocation/mes';
import { parsePabulib } from '~/features/results/allocation/pabulib';
import { tallyPabulib } from '~/features/results/allocation/tally';

const usage =
  'usage: npm run tally -- <file.pb> [--method greedy|mes] [--json] [--utility cost|cardinal] [--completion ' +
  COMPLETIONS.join('|') +
  ']';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      method: { type: 'string', default: 'greedy' },
      json: { type: 'boolean', default: false },
      utility: { type: 'string', default: 'cost' },
      completion: { type: 'string', default: 'none' },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = args;
if (positionals.length !== 1) fail('give exactly one .pb file');
const method = values.method;
const utility = values.utility;
const completion = values.completion as Completion;
if (method !== 'greedy' && method !== 'mes') fail(`unknown method ${method}`);
if (utility !== 'cost' && utility !== 'cardinal') fail(`unknown utility ${utility}`);
if (!COMPLETIONS.includes(completion)) fail(`unknown completion ${completion}`);

try {
  const file = parsePabulib(readFileSync(positionals[0]!, 'utf8'));
  const start = performance.now();
  const result = tallyPabulib(file, { method, utility, completion });
  const ms = Math.round((performance.now() - start) * 1000) / 1000;
  if (method === 'greedy') {
    process.stderr.write(`approval counts from ${result.countsFrom}`);
    if (result.belowThreshold.length) process.stderr.write(`; below min_project_score_threshold: ${result.belowThreshold.join(', ')}`);
    process.stderr.write('\n');
  }
  process.stdout.write(values.json ? `${JSON.stringify({ selected: result.selected, ms })}\n` : result.selected.map((id) => `${id}\n`).join(''));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
