/**
 * npm run bench: 100,000 synthetic approval ballots over 200 proposals (seeded, so every run
 * tallies the same election), counted with greedy and with the Method of Equal Shares, then a
 * city-scale election of 15,000 ballots over 134 proposals with every allocation method. Times
 * are also given as ratios to a baseline measured in the same run (just counting approvals),
 * so figures from different machines can be compared.
 *
 * Then uploads: the images of the upload tests (tests/support/images.ts, the same sizes) go
 * through storeImage, which checks, re-encodes and stores them in an in-memory database, and
 * each time is given as a ratio to sharp merely decoding the same image. A hostile image should
 * cost a small fraction of its decode (refused from its header or its length); a good one a
 * small multiple (decode, resize, encode twice, store).
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { resolveDatabase } from '~/core/database-resolver.server';
import { connectTo, disconnectDb } from '~/core/db.server';
import { deleteImage, storeImage } from '~/core/uploads.server';
import { greedy } from '~/features/results/allocation/greedy';
import { compareIds } from '~/features/results/allocation/ids';
import { equalShares, type MesProject } from '~/features/results/allocation/mes';
import { compressibleHugePng, jpegWithGps, jpegWithHiddenScript, noisePngOver5MB, pngWithAlpha, webp } from '../tests/support/images';
import { parseBenchOptions } from './bench/options';
import { report, timingRow } from './bench/results';
import { runWebBench } from './bench/web';
import { prng } from '../tests/support/prng';

// Arguments first: a mistyped one should stop the run before any of it (scripts/bench/options.ts).
const options = parseBenchOptions(process.argv.slice(2));

const VOTERS = 100_000;
const PROJECTS = 200;
const BUDGET = 2_000_000_00; // ¥2,000,000 in fen


/**
 * A seeded approval election: projects of ¥20,000 – ¥300,000 whose popularity falls off with
 * their position, each voter approving 1–5 of them.
 */
function election(voters: number, count: number, seed: number) {
  const random = prng(seed);
  const projects: MesProject[] = Array.from({ length: count }, (_, i) => ({
    id: String(i + 1),
    cost: (20_000 + Math.floor(random() * 280_000)) * 100,
  }));
  const popularity = projects.map((_, i) => 1 / (1 + i / 20));
  const totalPopularity = popularity.reduce((a, b) => a + b, 0);
  const pick = (): string => {
    let r = random() * totalPopularity;
    for (let i = 0; i < count; i++) {
      r -= popularity[i]!;
      if (r <= 0) return projects[i]!.id;
    }
    return projects[count - 1]!.id;
  };
  const ballots: string[][] = Array.from({ length: voters }, () => {
    const k = 1 + Math.floor(random() * 5);
    const set = new Set<string>();
    while (set.size < k) set.add(pick());
    return [...set];
  });
  return { projects, ballots };
}

const { projects, ballots } = election(VOTERS, PROJECTS, 20261123);

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

function countApprovals(ballots: readonly string[][]) {
  const counts = new Map<string, number>();
  for (const ballot of ballots) for (const id of ballot) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function greedyByApprovals(projects: readonly MesProject[], ballots: readonly string[][], budget: number) {
  const counts = countApprovals(ballots);
  const ranked = [...projects].sort(
    (a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0) || a.cost - b.cost || compareIds(a.id, b.id),
  );
  return greedy(ranked, budget);
}

// Warm the JIT once so the first measured run is not the one paying for compilation.
countApprovals(ballots);

const baseline = time(() => countApprovals(ballots));
const greedyRun = time(() => greedyByApprovals(projects, ballots, BUDGET));
const mesRun = time(() => equalShares(projects, ballots, BUDGET, { utility: 'cost', completion: 'none' }));
const mesAdd1Run = time(() =>
  equalShares(projects, ballots, BUDGET, { utility: 'cost', completion: 'add1-greedy', add1Step: 100 }),
);

const ratio = (ms: number, base = baseline.ms) => (ms / base).toFixed(1);
const fmt = (ms: number) => ms.toFixed(1).padStart(9);
console.log(`${VOTERS.toLocaleString('en')} ballots, ${PROJECTS} proposals, budget ¥${(BUDGET / 100).toLocaleString('en')}`);
console.log(`baseline (count approvals)   ${fmt(baseline.ms)} ms   1.0×`);
console.log(
  `greedy by approvals          ${fmt(greedyRun.ms)} ms   ${ratio(greedyRun.ms)}×   ${greedyRun.value.selected.length} funded`,
);
console.log(
  `MES (cost, no completion)    ${fmt(mesRun.ms)} ms   ${ratio(mesRun.ms)}×   ${mesRun.value.selected.length} funded, ¥${(mesRun.value.spent / 100).toLocaleString('en')} spent`,
);
console.log(
  `MES + add1 (¥1) + greedy     ${fmt(mesAdd1Run.ms)} ms   ${ratio(mesAdd1Run.ms)}×   ${mesAdd1Run.value.selected.length} funded, ¥${(mesAdd1Run.value.spent / 100).toLocaleString('en')} spent, ${mesAdd1Run.value.add1Steps} add1 steps`,
);

// A city-scale election (issue 13: the committee's preview computes every method on page load;
// each should take under a second), with its own baseline: counting its approvals.
const CITY_VOTERS = 15_000;
const CITY_PROJECTS = 134;
const CITY_BUDGET = 3_000_000_00; // ¥3,000,000 in fen
const city = election(CITY_VOTERS, CITY_PROJECTS, 20261202);
countApprovals(city.ballots);
const cityBaseline = time(() => countApprovals(city.ballots));
const cityRuns: [string, () => { selected: string[]; spent: number; add1Steps?: number }][] = [
  ['greedy by approvals', () => greedyByApprovals(city.projects, city.ballots, CITY_BUDGET)],
  ['MES (cost)', () => equalShares(city.projects, city.ballots, CITY_BUDGET, { utility: 'cost' })],
  ['MES (cardinality)', () => equalShares(city.projects, city.ballots, CITY_BUDGET, { utility: 'cardinal' })],
  ['MES + add1 (¥1)', () => equalShares(city.projects, city.ballots, CITY_BUDGET, { completion: 'add1', add1Step: 100 })],
  [
    'MES + add1 (¥1) + greedy',
    () => equalShares(city.projects, city.ballots, CITY_BUDGET, { completion: 'add1-greedy', add1Step: 100 }),
  ],
  [
    'MES + add1 from B/n',
    () => equalShares(city.projects, city.ballots, CITY_BUDGET, { completion: 'add1', add1Step: 100, add1Start: 'share' }),
  ],
];
console.log('');
console.log(`${CITY_VOTERS.toLocaleString('en')} ballots, ${CITY_PROJECTS} proposals, budget ¥${(CITY_BUDGET / 100).toLocaleString('en')}`);
console.log(`baseline (count approvals)   ${fmt(cityBaseline.ms)} ms   1.0×`);
for (const [label, run] of cityRuns) {
  const { ms, value } = time(run);
  const steps = value.add1Steps ? `, ${value.add1Steps} add1 steps` : '';
  console.log(
    `${label.padEnd(28)} ${fmt(ms)} ms   ${ratio(ms, cityBaseline.ms)}×   ${value.selected.length} funded, ¥${(value.spent / 100).toLocaleString('en')} spent${steps}`,
  );
}

// --- Uploads -------------------------------------------------------------------------------------

const ROUNDS = 5;

async function timeAsync(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** The median of ROUNDS runs, after one that warms caches and the JIT. */
async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(await timeAsync(run));
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const images: [string, () => Promise<Buffer>][] = [
  ['200×100 JPEG, script hidden', jpegWithHiddenScript],
  ['320×240 WebP', webp],
  ['600×400 JPEG, EXIF and GPS', jpegWithGps],
  ['3000×2000 PNG with alpha', () => pngWithAlpha()],
  ['1500×1500 PNG of noise, > 5 MB', noisePngOver5MB],
  ['8000×6000 PNG of 150 KB', compressibleHugePng],
];

// Every upload is a new image: no libvips cache may answer a repeated decode for free.
sharp.cache(false);
// Always in memory (MONGODB_URI is not used): the bench writes and deletes images.
const database = await resolveDatabase({ persist: false, dataDir: '.data/bench' });
try {
  await connectTo({ uri: database.uri, dbName: 'lsx_bench' });
  const uploader = '000000000000000000000001';
  console.log('');
  console.log(`uploads (median of ${ROUNDS}; ratio: storeImage to sharp decoding the same image)`);
  for (const [label, make] of images) {
    const data = await make();
    // The baseline: decoding every pixel, with no limit, nothing else.
    const decodeMs = await median(() => sharp(data, { limitInputPixels: false }).raw().toBuffer());
    let outcome = '';
    const stored: string[] = [];
    const storeMs = await median(async () => {
      const result = await storeImage({ data, filename: 'bench.jpg', uploaderId: uploader, kind: 'photo', visibility: 'public' });
      outcome = result.ok ? `stored ${result.width}×${result.height}` : `refused: ${result.reason}`;
      if (result.ok) stored.push(result.fileId);
    });
    for (const id of stored) await deleteImage(id);
    const size = `${(data.byteLength / 1024).toFixed(1)} KB`.padStart(10);
    const ms = (t: number) => t.toFixed(2).padStart(8);
    const times = `decode ${ms(decodeMs)} ms   store ${ms(storeMs)} ms`;
    console.log(`${label.padEnd(32)} ${size}   ${times}   ${`${(storeMs / decodeMs).toPrecision(2)}×`.padStart(10)}   ${outcome}`);
  }
} finally {
  await disconnectDb();
  await database.stop();
}

// --- The app under load (issue 13; scripts/bench/web.ts), and one table for the whole run ---------
console.log('');
const allocation = 'counting approvals, same ballots';
const webRows = options.web ? await runWebBench(options) : [];
const table = report([
  timingRow(`greedy, ${VOTERS / 1000}k ballots x ${PROJECTS}, ms`, greedyRun.ms, baseline.ms, allocation),
  timingRow('MES (cost), ms', mesRun.ms, baseline.ms, allocation),
  timingRow('MES + add1 + greedy, ms', mesAdd1Run.ms, baseline.ms, allocation),
  ...webRows,
]);
console.log(table);
console.log(`(written to bench/results.json)`);
