/**
 * npm run bench: 100,000 synthetic approval ballots over 200 proposals (seeded, so every run
 * tallies the same election), counted with greedy and with the Method of Equal Shares. Times
 * are also given as ratios to a baseline measured in the same run (just counting approvals),
 * so figures from different machines can be compared.
 */
import { performance } from 'node:perf_hooks';
import { greedy } from '~/features/results/allocation/greedy';
import { compareIds } from '~/features/results/allocation/ids';
import { equalShares, type MesProject } from '~/features/results/allocation/mes';

const VOTERS = 100_000;
const PROJECTS = 200;
const BUDGET = 2_000_000_00; // ¥2,000,000 in fen

/** mulberry32: small, fast, and the same numbers everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20261123);
const projects: MesProject[] = Array.from({ length: PROJECTS }, (_, i) => ({
  id: String(i + 1),
  cost: (20_000 + Math.floor(random() * 280_000)) * 100, // ¥20,000 – ¥300,000
}));
// Popularity falls off with the project's position; each voter approves 1–5 projects.
const popularity = projects.map((_, i) => 1 / (1 + i / 20));
const totalPopularity = popularity.reduce((a, b) => a + b, 0);
function pick(): string {
  let r = random() * totalPopularity;
  for (let i = 0; i < PROJECTS; i++) {
    r -= popularity[i]!;
    if (r <= 0) return projects[i]!.id;
  }
  return projects[PROJECTS - 1]!.id;
}
const ballots: string[][] = Array.from({ length: VOTERS }, () => {
  const k = 1 + Math.floor(random() * 5);
  const set = new Set<string>();
  while (set.size < k) set.add(pick());
  return [...set];
});

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

function countApprovals() {
  const counts = new Map<string, number>();
  for (const ballot of ballots) for (const id of ballot) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

// Warm the JIT once so the first measured run is not the one paying for compilation.
countApprovals();

const baseline = time(countApprovals);
const greedyRun = time(() => {
  const counts = countApprovals();
  const ranked = [...projects].sort(
    (a, b) => (counts.get(b.id) ?? 0) - (counts.get(a.id) ?? 0) || a.cost - b.cost || compareIds(a.id, b.id),
  );
  return greedy(ranked, BUDGET);
});
const mesRun = time(() => equalShares(projects, ballots, BUDGET, { utility: 'cost', completion: 'none' }));
const mesAdd1Run = time(() =>
  equalShares(projects, ballots, BUDGET, { utility: 'cost', completion: 'add1-greedy', add1Step: 100 }),
);

const ratio = (ms: number) => (ms / baseline.ms).toFixed(1);
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
