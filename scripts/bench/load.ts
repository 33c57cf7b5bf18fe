/**
 * Load with autocannon, bounded in time (and, for latency figures, in count), from this process;
 * the app and the bare server run in their own. Every response time is kept so the p95 is
 * computed here (autocannon reports p90 and p97.5, not p95).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { percentile } from './report';

export interface LoadOptions {
  url: string;
  connections: number;
  /**
   * Seconds. Without `amount` the run lasts this long, longer (up to four times) until it has
   * MIN_RESPONSES answers, so a starved server still yields a rate and not a zero; with
   * `amount` it is the time bound.
   */
  seconds: number;
  /** Stop after this many requests (latency figures: every connection gets a few). */
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh request for each send (distinct voters). */
  next?: () => { headers?: Record<string, string>; body?: string };
}

export interface LoadResult {
  rps: number;
  p95: number;
  responses: number;
  /** With `amount`: requests not answered when the time bound stopped the run (the p95 counts them at that time, so it is a lower bound). */
  unanswered: number;
  /** Status code → count, e.g. { 200: 1234 } or { 303: 500, 400: 2 }. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

const MIN_RESPONSES = 20;

export async function load(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const next = options.next;
  let finish: (error: Error | null, result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
    url: options.url,
    connections: options.connections,
    // The run is stopped below; duration only keeps autocannon from stopping it first (amount wins over it).
    duration: options.seconds * 4 + 1,
    amount: options.amount,
    method: options.method ?? 'GET',
    headers: options.headers,
    timeout: Math.max(10, options.seconds),
    requests: next
      ? [
          {
            setupRequest: (request) => {
              const fresh = next();
              return { ...request, headers: { ...request.headers, ...fresh.headers }, body: fresh.body ?? request.body };
            },
          },
        ]
      : undefined,
    },
    (error, result) => finish(error as Error | null, result),
  );
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const started = performance.now();
  const watch = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const enough = options.amount !== undefined || times.length >= MIN_RESPONSES;
    if ((elapsed >= options.seconds && enough) || elapsed >= options.seconds * 4) instance.stop();
  }, 50);
  const result = await finished;
  clearInterval(watch);
  const elapsed = (performance.now() - started) / 1000;
  const unanswered = options.amount ? Math.max(0, options.amount - times.length) : 0;
  return {
    rps: times.length / elapsed,
    p95: percentile([...times, ...Array<number>(unanswered).fill(elapsed * 1000)], 95),
    responses: times.length,
    unanswered,
    statuses,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
  };
}

/** CPU time (ms) a process has used so far, from /proc/<pid>/stat (utime + stime, 100 ticks a second). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Waits until processes are nearly idle together (under 15% of a core over half a second), at
 * most `maxMs`: a server keeps working on requests whose clients have gone, and so does its
 * database while the server waits on it; that work must not be billed to the next figure.
 */
export async function settle(pids: readonly number[], maxMs = 60_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  const total = () => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  let before = total();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = total();
    if (now - before < 75) return;
    before = now;
  }
}

/** Samples a process's resident memory (VmRSS) every 100 ms until stopped; `stop` gives the peak in MB. */
export function rssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const sample = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // The process has gone (or there is no /proc): keep the peak seen so far.
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
