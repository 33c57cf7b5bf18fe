/**
 * The web half of `npm run bench` (issue 13): the built app, started as `npm start` starts it, on
 * its own database filled with generated data at scale (data.ts), measured from this process
 * with autocannon, each figure interleaved with its baseline in the same run:
 *   - pages (home, list, detail, public results) against a bare node:http server, in its own
 *     process, sending the bytes the app sent for the same path;
 *   - ballot POSTs by distinct verified voters against the raw driver's insertOne of an
 *     equivalent ballot at the same concurrency;
 *   - the app's peak RSS under that load against the bare server's;
 *   - compressed JS per page in Chromium against the framework floor (entry.client, React and
 *     Remix, root), from the page's own manifest;
 *   - every page's compressed JS from the build against its budget (scripts/bundle-size.ts's
 *     table, printed as it is);
 *   - database round trips per request, counted by a proxy between app and database (OP_MSG
 *     commands, less the driver's monitoring), at 1x and 10x data;
 *   - the screening page and the committee's tally at 10x data against the same at 1x.
 * Settings: see options.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import mongoose from 'mongoose';
import { Competition, TallyCache, User } from '#models';
import { connectTo, disconnectDb, ensureIndexes } from '~/core/db.server';
import { seedDemo } from '../../seeds/seed';
import { buildApp, freePort, startApp, stopApp, type AppProcess } from '../../tests/support/app-process';
import { formatPageTable, frameworkFloor, pageRows, PUBLIC_PAGE_BUDGET } from '../bundle-size';
import { jsPerPage } from './browser';
import { addBallots, addProposals, generate, prng, SCALE, type Voter } from './data';
import { load, rssSampler, settle, type LoadResult } from './load';
import { startBare, startDatabase, startProxy, type CountingProxy } from './processes';
import type { BenchOptions } from './options';
import { median, percentile, type Row } from './report';

/** The time bound of a p95 run at 200 connections (two requests each, 400 in all). */
const P95_SECONDS = 10;
const DB_NAME = 'lsx_bench_web';
const SECRET = 'bench-session-secret-0123456789abcdef';

const log = (message: string) => console.log(`[bench] ${message}`);

/** A page's bytes as the app sends them to a client that asks for no compression. */
async function fetchPage(url: string, cookie?: string) {
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'identity', ...(cookie ? { Cookie: cookie } : {}) }, redirect: 'manual' });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'text/html', body };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Pair {
  baseline: () => Promise<LoadResult>;
  measured: () => Promise<LoadResult>;
  /** A short run of each before the rounds (JIT, caches, connection pools). */
  warm?: () => Promise<unknown>;
  rounds?: number;
  /** After each measured run: wait for the app to finish work its gone clients left. */
  settle: () => Promise<void>;
}

/** Runs the baseline and the measured load alternately, `rounds` times (unless the pair says). */
async function interleaved(pair: Pair, rounds: number) {
  await pair.warm?.();
  await pair.settle();
  const base: LoadResult[] = [];
  const app: LoadResult[] = [];
  for (let i = 0; i < (pair.rounds ?? rounds); i++) {
    base.push(await pair.baseline());
    app.push(await pair.measured());
    await pair.settle();
  }
  return { base, app };
}

/** The p95 of the median run; when a run's time bound cut requests off, says it is a lower bound. */
function p95Note(results: LoadResult[], expected: number): string | undefined {
  const unanswered = Math.max(...results.map((r) => r.unanswered));
  const cut = unanswered ? `lower bound: ${unanswered} requests unanswered at the time bound` : undefined;
  return [statusNote(results, expected), cut].filter(Boolean).join('; ') || undefined;
}

function statusNote(results: LoadResult[], expected: number): string | undefined {
  const other: Record<string, number> = {};
  let errors = 0;
  for (const r of results) {
    for (const [status, count] of Object.entries(r.statuses)) if (Number(status) !== expected) other[status] = (other[status] ?? 0) + count;
    errors += r.errors + r.timeouts;
  }
  const parts = Object.entries(other).map(([status, count]) => `${count}x ${status}`);
  if (errors) parts.push(`${errors} errors/timeouts`);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * The raw driver writing an equivalent ballot (distinct voters) at the given concurrency: an
 * insertOne into an empty collection with the ballots' unique index (the issue's baseline), or,
 * with `upsertInto`, the app's own upsert (castBallot's filter and update, returnDocument after)
 * on that collection, so at the benchmark's 100,000 ballots. The second isolates what the
 * database alone charges for the one write the ballot POST cannot avoid: the stand-in answers
 * the filter by scanning, which a real MongoDB answers from the {competition, voter} index.
 */
async function rawBallots(
  client: MongoClient,
  template: Record<string, unknown>,
  connections: number,
  seconds: number,
  amount?: number,
  upsertInto?: string,
): Promise<LoadResult> {
  const collection = client.db(DB_NAME).collection(upsertInto ?? 'bench_raw_ballots');
  const times: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline && (amount === undefined || sent < amount)) {
        sent++;
        const t = performance.now();
        try {
          if (upsertInto) {
            const { competition, channel, changes: _changes, ...rest } = template;
            await collection.findOneAndUpdate(
              { competition, voter: new ObjectId(), channel, 'voided.at': { $exists: false } },
              { $set: { ...rest, submittedAt: new Date() }, $setOnInsert: { receipt: `${Math.random()}` }, $inc: { changes: 1 } },
              { upsert: true, returnDocument: 'after', projection: { _id: 1 } },
            );
          } else {
            await collection.insertOne({ ...template, voter: new ObjectId(), receipt: `${Math.random()}`, submittedAt: new Date() });
          }
          times.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const unanswered = amount === undefined ? 0 : Math.max(0, amount - times.length);
  return { rps: times.length / elapsed, p95: percentile([...times, ...Array<number>(unanswered).fill(elapsed * 1000)], 95), responses: times.length, unanswered, statuses: {}, errors, timeouts: 0 };
}

/** Database commands per request: each request alone, after the previous one's stragglers. */
/**
 * The database commands one request sends alone (median of `times`), and where its time goes:
 * the request's wall time and the database's share of it (each command timed at the proxy, the
 * slowest named). On the stand-in, which ignores non-unique indexes, this is the profile that
 * says whether a page is limited by the app or by the database.
 */
async function roundTrips(
  proxy: CountingProxy,
  send: () => Promise<Response>,
  times = 3,
): Promise<{ count: number; commands: string; requestMs: number; databaseMs: number; slowest: string }> {
  const counts: number[] = [];
  const requestMs: number[] = [];
  const databaseMs: number[] = [];
  let last: string[] = [];
  let slowest = '';
  for (let i = 0; i < times; i++) {
    await sleep(150);
    await proxy.commands();
    const started = performance.now();
    const response = await send();
    await response.arrayBuffer();
    requestMs.push(performance.now() - started);
    if (response.status >= 400) throw new Error(`round-trip probe answered ${response.status}`);
    await sleep(150);
    const answer = await proxy.timedCommands();
    last = answer.commands;
    counts.push(last.length);
    databaseMs.push(answer.timed.reduce((sum, command) => sum + command.ms, 0));
    const top = [...answer.timed].sort((a, b) => b.ms - a.ms)[0];
    slowest = top ? `${top.command} ${top.ms.toFixed(0)} ms` : '';
  }
  const tally = new Map<string, number>();
  for (const name of last) tally.set(name, (tally.get(name) ?? 0) + 1);
  return {
    count: median(counts),
    commands: [...tally].map(([name, n]) => `${name}×${n}`).join(' '),
    requestMs: median(requestMs),
    databaseMs: median(databaseMs),
    slowest,
  };
}

const PAGE_TIMEOUT_MS = 120_000;
/** How long the tally figure waits for a recount that outlived the page timeout to land. */
const RECOUNT_WAIT_MS = 600_000;

/**
 * Requests per second of one page fetched alone, one after another: three times, or once when
 * that took over 10 s. A request cut off at PAGE_TIMEOUT_MS counts as that long (a lower bound).
 */
async function sequentialSpeed(url: string, cookie: string, count = 3): Promise<{ rps: number; note?: string }> {
  const times: number[] = [];
  const started = performance.now();
  while (times.length < count && (times.length === 0 || performance.now() - started < 10_000)) {
    const t = performance.now();
    try {
      const response = await fetch(url, { headers: { Cookie: cookie, 'Accept-Encoding': 'identity' }, signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      await response.arrayBuffer();
      // A page that fails at this size is a finding for the table, not a reason to lose the run.
      if (response.status !== 200) return { rps: 0, note: `answered ${response.status} after ${((performance.now() - t) / 1000).toFixed(1)} s` };
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      return { rps: 1000 / PAGE_TIMEOUT_MS, note: `lower bound: no answer in ${PAGE_TIMEOUT_MS / 1000} s` };
    }
    times.push(performance.now() - t);
  }
  return { rps: 1000 / median(times), note: `${times.length} requests, ${(median(times) / 1000).toFixed(2)} s each` };
}

/**
 * The committee's tally right after a ballot (a recount of every ballot: the cache's version is
 * behind), then the same page unchanged (served from the cache, median of three). A recount that
 * does not answer within the page timeout goes on in the app; the unchanged view is then taken
 * once the database holds it (waited for up to RECOUNT_WAIT_MS).
 */
async function tallySpeeds(url: string, cookie: string, competitionId: string, castOne: () => Promise<unknown>): Promise<{ recount: { ms: number; note?: string }; unchanged: { rps: number; note?: string } }> {
  await castOne();
  const started = performance.now();
  const first = await sequentialSpeed(url, cookie, 1);
  const recount = { ms: first.rps > 0 ? 1000 / first.rps : Number.NaN, note: first.note };
  // The recount has landed when the cache holds the competition's ballot version.
  const landed = async () => {
    const competition = await Competition.findById(competitionId).select('ballotVersion').lean();
    const cache = await TallyCache.findById(competitionId).select('version').lean();
    return (cache?.version ?? -1) >= (competition?.ballotVersion ?? 0);
  };
  while (!(await landed()) && performance.now() - started < RECOUNT_WAIT_MS) await new Promise((resolve) => setTimeout(resolve, 1000));
  const unchanged = await sequentialSpeed(url, cookie);
  return { recount, unchanged };
}

function ballotBody(random: () => number, numbers: number[]): string {
  const chosen = new Set<number>();
  const k = 1 + Math.floor(random() * 5);
  while (chosen.size < k) chosen.add(numbers[Math.floor(random() * numbers.length)]!);
  return new URLSearchParams([['intent', 'cast'], ...[...chosen].map((n) => ['choice', String(n)])]).toString();
}

export async function runWebBench(options: BenchOptions): Promise<Row[]> {
  const { rounds, seconds: SECONDS, tenfold: TENFOLD } = options;
  const rows: Row[] = [];
  // The build `npm run build` left, else one now (the HTTP tests' helper, which runs `remix build`).
  if (!existsSync('build/index.js')) await buildApp();
  const work = mkdtempSync(path.join(tmpdir(), 'lsx-bench-'));
  const database = await startDatabase(options.dbHeap);
  log(`database: ${database.description}`);
  const proxy = await startProxy(database);
  let app: AppProcess | undefined;
  let rawClient: MongoClient | undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    // --- Data --------------------------------------------------------------------------------
    let started = performance.now();
    await connectTo({ uri: `${database.address}/${DB_NAME}`, dbName: DB_NAME });
    await mongoose.connection.dropDatabase();
    await ensureIndexes();
    await seedDemo();
    const data = await generate(SECRET);
    log(`data: demo seed + ${SCALE.residents} residents, ${SCALE.proposals} proposals, ${SCALE.ballots} ballots, ${SCALE.comments} comments in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // --- The app, through the counting proxy ---------------------------------------------------
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const dataDir = path.join(work, 'data');
    mkdirSync(dataDir, { recursive: true });
    app = await startApp(
      { MONGODB_URI: `${proxy.address}/${DB_NAME}`, SESSION_SECRET: SECRET, SEED_ON_EMPTY: 'false', PUBLIC_ORIGIN: baseUrl, DATA_DIR: dataDir },
      port,
    );
    log(`app: ${baseUrl} (pid ${app.child.pid})`);
    const competition = `/competitions/${data.slug}`;
    const pages = {
      home: '/',
      list: `${competition}/proposals`,
      detail: `${competition}/proposals/${data.detailNumber}`,
      // The published result of the demo's closed 2025 competition: the page that is shared widely.
      results: '/competitions/2025-laoshanxing/results',
    };
    const stored: Record<string, { status: number; contentType: string; body: string }> = {};
    for (const pagePath of Object.values(pages)) {
      const page = await fetchPage(baseUrl + pagePath);
      stored[pagePath] = { status: page.status, contentType: page.contentType, body: page.body.toString('base64') };
    }
    const pagesFile = path.join(work, 'pages.json');
    writeFileSync(pagesFile, JSON.stringify(stored));
    const bare = await startBare(pagesFile);
    stops.push(() => bare.stop());

    const appPid = app.child.pid!;
    const settleApp = () => settle([appPid, proxy.pid, ...(database.pid ? [database.pid] : [])]);
    const appRss = rssSampler(appPid);
    const bareRss = rssSampler(bare.pid);

    // --- Pages at 10 connections, list p95 at 200 ----------------------------------------------
    /** A page at 10 connections, from the app with the page cache off, or from the one with it on. */
    const pageFigure = async (name: keyof typeof pages, label: string, on?: { base: string; settle: () => Promise<void> }) => {
      const appBase = on?.base ?? baseUrl;
      const run = (base: string, seconds = SECONDS) => () => load({ url: base + pages[name], connections: 10, seconds });
      const { base, app: measured } = await interleaved({
        baseline: run(bare.baseUrl),
        measured: run(appBase),
        warm: async () => {
          await run(bare.baseUrl, 1)();
          await run(appBase, 1)();
        },
        settle: on?.settle ?? settleApp,
        },
        rounds,
      );
      rows.push({
        figure: `${label}, page cache ${on ? 'on' : 'off'}, req/s, 10 conn`,
        measured: median(measured.map((r) => r.rps)),
        unit: 'req/s',
        baseline: median(base.map((r) => r.rps)),
        baselineLabel: 'bare node:http, same bytes',
        target: { kind: 'ratioAtLeast', value: 0.25 },
        note: statusNote(measured, 200),
      });
      log(`${label}${on ? ' (page cache on)' : ''}: app ${median(measured.map((r) => r.rps)).toFixed(1)} req/s, bare ${median(base.map((r) => r.rps)).toFixed(0)} req/s`);
    };
    await pageFigure('list', 'anonymous proposal list');
    /** 400 requests for the list over 200 connections at once (the evening of a vote): p95. */
    const listBurst = async (appBase: string, cache: 'on' | 'off', settleProcesses: () => Promise<void>) => {
      const run = (base: string) => () => load({ url: base + pages.list, connections: 200, seconds: P95_SECONDS, amount: 400 });
      const { base, app: measured } = await interleaved({ baseline: run(bare.baseUrl), measured: run(appBase), rounds: 1, settle: settleProcesses }, rounds);
      rows.push({
        figure: `list page p95 at 200 conn, page cache ${cache}`,
        measured: median(measured.map((r) => r.p95)),
        unit: 'ms',
        baseline: median(base.map((r) => r.p95)),
        baselineLabel: 'bare',
        target: { kind: 'atMost', value: 500, unit: 'ms' },
        note: p95Note(measured, 200),
      });
      log(`list p95 @200, page cache ${cache}: app ${median(measured.map((r) => r.p95)).toFixed(0)} ms`);
    };
    await listBurst(baseUrl, 'off', settleApp);
    // The same list from a second app process with the anonymous page cache on (decision 020):
    // a first visit (no cookie, as autocannon and any new visitor send it) and a returning
    // visitor (their order seed in a cookie, as a browser sends it once the ballot page set it).
    {
      const cachedPort = await freePort();
      const cachedBase = `http://localhost:${cachedPort}`;
      const cached = await startApp(
        { MONGODB_URI: `${proxy.address}/${DB_NAME}`, SESSION_SECRET: SECRET, SEED_ON_EMPTY: 'false', PUBLIC_ORIGIN: cachedBase, DATA_DIR: dataDir, PAGE_CACHE_SECONDS: '5' },
        cachedPort,
      );
      stops.push(() => stopApp(cached));
      const returning = `lsx_seed=${encodeURIComponent(Buffer.from(JSON.stringify('0123456789abcdef')).toString('base64'))}`;
      const run = (base: string, seconds = SECONDS, headers: Record<string, string> = {}) => () => load({ url: base + pages.list, connections: 10, seconds, headers });
      const settleBoth = () => settle([appPid, cached.child.pid!, proxy.pid, ...(database.pid ? [database.pid] : [])]);
      const visitors: { label: string; headers: Record<string, string> }[] = [
        { label: 'first visit', headers: {} },
        { label: 'returning visitor', headers: { Cookie: returning } },
      ];
      for (const visitor of visitors) {
        const { base, app: measured } = await interleaved(
          {
            baseline: run(bare.baseUrl),
            measured: run(cachedBase, SECONDS, visitor.headers),
            warm: async () => {
              await run(bare.baseUrl, 1)();
              await run(cachedBase, 1, visitor.headers)();
            },
            settle: settleBoth,
          },
          rounds,
        );
        rows.push({
          figure: `anonymous proposal list, page cache on, ${visitor.label}, req/s, 10 conn`,
          measured: median(measured.map((r) => r.rps)),
          unit: 'req/s',
          baseline: median(base.map((r) => r.rps)),
          baselineLabel: 'bare node:http, same bytes',
          // The issue's target for the anonymous list, in the configuration production runs.
          target: { kind: 'ratioAtLeast', value: 0.25 },
          note: statusNote(measured, 200),
        });
        log(`cached list, ${visitor.label}: app ${median(measured.map((r) => r.rps)).toFixed(1)} req/s, bare ${median(base.map((r) => r.rps)).toFixed(0)} req/s`);
      }
      // The same in production's configuration: 200 first visits at once.
      await listBurst(cachedBase, 'on', settleBoth);
      for (const [name, label] of [['home', 'home'], ['detail', 'proposal detail'], ['results', 'published results (2025)']] as const) {
        await pageFigure(name, label, { base: cachedBase, settle: settleBoth });
      }
    }
    await pageFigure('home', 'home');
    await pageFigure('detail', 'proposal detail');
    await pageFigure('results', 'published results (2025)');

    // --- Ballots ---------------------------------------------------------------------------------
    // The last voters are kept for counting round trips; the rest cast the load's ballots.
    const probeVoters = data.voters.slice(-10);
    const loadVoters = data.voters.slice(0, -10);
    const random = prng(7);
    let nextVoter = 0;
    const castBy = (): Voter => loadVoters[nextVoter++ % loadVoters.length]!;
    const ballotLoad = (connections: number, seconds: number, amount?: number) => () =>
      load({
        url: `${baseUrl}${competition}/vote`,
        connections,
        seconds,
        amount,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
        next: () => ({ headers: { Cookie: castBy().cookie }, body: ballotBody(random, data.numbers) }),
      });
    rawClient = await MongoClient.connect(`${proxy.address}/${DB_NAME}`, { maxPoolSize: 250, serverSelectionTimeoutMS: 60_000 });
    await rawClient.db(DB_NAME).collection('bench_raw_ballots').createIndex({ competition: 1, voter: 1 }, { unique: true });
    const template = { competition: data.competitionId, channel: 'online', choices: [], totalFen: 0, street: data.places[0]!.street, community: data.places[0]!.community, changes: 1 };
    {
      const { base, app: measured } = await interleaved({
        baseline: () => rawBallots(rawClient!, template, 50, SECONDS),
        measured: ballotLoad(50, SECONDS),
        warm: async () => {
          await rawBallots(rawClient!, template, 50, 1);
          await ballotLoad(50, 1)();
        },
        settle: settleApp,
        },
        rounds,
      );
      rows.push({
        figure: 'ballot POST (distinct verified voters), req/s, 50 conn',
        measured: median(measured.map((r) => r.rps)),
        unit: 'req/s',
        baseline: median(base.map((r) => r.rps)),
        baselineLabel: 'raw driver insertOne, same concurrency',
        target: { kind: 'ratioAtLeast', value: 0.5 },
        note: statusNote(measured, 303),
      });
      log(`ballots @50: app ${median(measured.map((r) => r.rps)).toFixed(1)} req/s, raw ${median(base.map((r) => r.rps)).toFixed(0)}/s`);
    }
    {
      // The database's own price for the app's write: the same upsert from the raw driver on the
      // ballots collection (another competition's id, so the tally and the 10x figures are not
      // touched), against the same insertOne baseline.
      const upsertTemplate = { ...template, competition: new ObjectId() };
      const { base, app: measured } = await interleaved(
        {
          baseline: () => rawBallots(rawClient!, template, 50, SECONDS),
          measured: () => rawBallots(rawClient!, upsertTemplate, 50, SECONDS, undefined, 'ballots'),
          settle: settleApp,
        },
        rounds,
      );
      rows.push({
        figure: "raw driver: the ballot POST's upsert alone, on the ballots collection, req/s, 50 conn",
        measured: median(measured.map((r) => r.rps)),
        unit: 'req/s',
        baseline: median(base.map((r) => r.rps)),
        baselineLabel: 'raw driver insertOne, same concurrency',
        target: null,
        note: 'the ceiling the database puts on the ballot POST row above: the app cannot answer faster than its one unavoidable write',
      });
    }
    {
      const { base, app: measured } = await interleaved({
        baseline: () => rawBallots(rawClient!, template, 200, P95_SECONDS, 400),
        measured: ballotLoad(200, P95_SECONDS, 400),
        rounds: 1,
        settle: settleApp,
        },
        rounds,
      );
      rows.push({
        figure: 'ballot POST p95 at 200 conn',
        measured: median(measured.map((r) => r.p95)),
        unit: 'ms',
        baseline: median(base.map((r) => r.p95)),
        baselineLabel: 'raw insertOne',
        target: { kind: 'atMost', value: 300, unit: 'ms' },
        note: p95Note(measured, 303),
      });
    }
    const appPeak = appRss.stop();
    const barePeak = bareRss.stop();
    rows.push({
      figure: 'app RSS at peak under load',
      measured: appPeak,
      unit: 'MB',
      baseline: barePeak,
      baselineLabel: 'bare server',
      target: { kind: 'atMost', value: 300, unit: 'MB' },
    });
    await bare.stop();
    await settleApp();

    // --- Compressed JS per page, in Chromium --------------------------------------------------------
    const js = await jsPerPage(baseUrl, [
      { name: 'list', path: pages.list },
      { name: 'detail', path: pages.detail },
      { name: 'vote', path: `${competition}/vote`, cookie: probeVoters[0]!.cookie },
    ]);
    for (const page of js.pages) {
      rows.push({
        figure: `compressed JS, ${page.name} page`,
        measured: page.kb,
        unit: 'KB',
        baseline: js.floorKb,
        baselineLabel: 'framework floor (entry, React/Remix, root)',
        target: { kind: 'atMost', value: PUBLIC_PAGE_BUDGET / 1024, unit: 'KB' },
        note: `${page.scripts} scripts, ${js.encoding}`,
      });
    }
    // Every page of the build against its budget, from the manifests (scripts/bundle-size.ts, the
    // figures tests/http/bundle-budget.test.ts checks): the table `npm run bundle-size` prints, and
    // in the bench's table each public page and the largest page behind sign-in.
    const clientBuild = path.resolve('public/build');
    const bundles = pageRows(clientBuild, path.resolve('build/index.js'));
    console.log(`\nJavaScript per page (brotli as served, from the build):\n\n${formatPageTable(frameworkFloor(clientBuild), bundles)}\n`);
    const largestSignedIn = bundles.find((row) => !row.publicName);
    for (const row of bundles.filter((bundle) => bundle.publicName || bundle === largestSignedIn)) {
      rows.push({
        figure: row.publicName ? `JS budget, ${row.publicName} route (manifest)` : 'JS budget, largest signed-in route (manifest)',
        measured: row.bundle.served / 1024,
        unit: 'KB',
        baseline: null,
        baselineLabel: row.id,
        target: { kind: 'atMost', value: row.budget / 1024, unit: 'KB' },
        note: `${row.bundle.files.length} files, brotli q4${row.bundle.zod.length ? ', contains zod' : ''}${row.publicName && row.bundle.zod.length ? ' (not allowed on a public page)' : ''}`,
      });
    }

    // --- Round trips and the 10x pages -----------------------------------------------------------
    const probes = (scale: string) => {
      let probe = 0;
      return [
        { name: `list (${scale})`, send: () => fetch(baseUrl + pages.list), limit: 3 },
        { name: `detail (${scale})`, send: () => fetch(baseUrl + pages.detail), limit: 3 },
        { name: `vote page (${scale})`, send: () => fetch(`${baseUrl}${competition}/vote`, { headers: { Cookie: probeVoters[1]!.cookie } }), limit: 3 },
        {
          name: `ballot POST (${scale})`,
          send: () =>
            fetch(`${baseUrl}${competition}/vote`, {
              method: 'POST',
              redirect: 'manual',
              headers: { Cookie: probeVoters[2 + probe++]!.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
              body: ballotBody(random, data.numbers.slice(0, 50)),
            }),
          limit: 2,
        },
      ];
    };
    const tripRows = async (scale: string) => {
      for (const probe of probes(scale)) {
        const { count, commands, requestMs, databaseMs, slowest } = await roundTrips(proxy, probe.send);
        rows.push({
          figure: `database round trips, ${probe.name}`,
          measured: count,
          unit: 'trips',
          baseline: 1,
          baselineLabel: 'one query',
          target: { kind: 'atMost', value: probe.limit, unit: 'trips' },
          note: commands,
        });
        rows.push({
          figure: `time in the database, ${probe.name} alone`,
          measured: databaseMs,
          unit: 'ms',
          baseline: requestMs,
          baselineLabel: 'the whole request',
          target: null,
          note: slowest ? `slowest: ${slowest}` : undefined,
        });
      }
    };
    await tripRows('1x');
    const screening = `${baseUrl}${competition}/screening?show=all`;
    const tallyPage = `${baseUrl}${competition}/voting`;
    const castOne = (voter: Voter) => () =>
      fetch(`${baseUrl}${competition}/vote`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: voter.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
        body: ballotBody(random, data.numbers.slice(0, 50)),
      }).then((r) => r.arrayBuffer());
    const screening1x = await sequentialSpeed(screening, data.committee.cookie);
    const tally1x = await tallySpeeds(tallyPage, data.committee.cookie, String(data.competitionId), castOne(probeVoters[8]!));
    log(`1x: screening ${screening1x.rps.toFixed(2)} req/s, tally recount ${tally1x.recount.ms.toFixed(0)} ms, unchanged ${tally1x.unchanged.rps.toFixed(2)} req/s`);

    if (TENFOLD > 1) {
      started = performance.now();
      const authors = (await User.find({ email: /^bench-\d+@/ }).select('_id').limit(1000).lean()).map((u) => u._id);
      const more = await addProposals(data, SCALE.proposals, SCALE.proposals * (TENFOLD - 1), authors, 3);
      data.numbers.push(...more);
      await addBallots(data, SCALE.ballots * (TENFOLD - 1), 4);
      log(`${TENFOLD}x data: ${SCALE.proposals * TENFOLD} proposals, ${SCALE.ballots * TENFOLD} ballots in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await tripRows(`${TENFOLD}x`);
      const screening10x = await sequentialSpeed(screening, data.committee.cookie);
      const tally10x = await tallySpeeds(tallyPage, data.committee.cookie, String(data.competitionId), castOne(probeVoters[9]!));
      rows.push(
        {
          figure: `screening page at ${TENFOLD}x proposals, req/s`,
          measured: screening10x.rps,
          unit: 'req/s',
          baseline: screening1x.rps,
          baselineLabel: `same page at 1x (${screening1x.note ?? ''})`,
          note: screening10x.note,
          target: { kind: 'ratioAtLeast', value: 0.8 },
        },
        {
          figure: `voting tally (committee), unchanged since its last view, at ${TENFOLD}x ballots, req/s`,
          measured: tally10x.unchanged.rps,
          unit: 'req/s',
          baseline: tally1x.unchanged.rps,
          baselineLabel: `same page at 1x (${tally1x.unchanged.note ?? ''})`,
          note: tally10x.unchanged.note,
          target: { kind: 'ratioAtLeast', value: 0.8 },
        },
        {
          // Not a target: a recount reads every ballot once, so it grows with them; the cache
          // makes it once per change, not once per view.
          figure: `voting tally (committee), first view after a ballot (a recount), at ${TENFOLD}x ballots, ms`,
          measured: tally10x.recount.ms,
          unit: 'ms',
          baseline: tally1x.recount.ms,
          baselineLabel: `same at 1x${tally1x.recount.note ? ` (${tally1x.recount.note})` : ''}`,
          note: tally10x.recount.note,
          target: null,
        },
      );
    }
    return rows;
  } finally {
    await rawClient?.close();
    if (app) await stopApp(app);
    for (const stop of stops) await stop();
    await disconnectDb();
    await proxy.stop();
    await database.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
