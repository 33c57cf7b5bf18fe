/**
 * A background job every app process runs: once at start-up, then every `minutes` minutes (0:
 * never; then `npm run housekeeping` from cron). The jobs are idempotent (each marks what it did
 * with a conditional update), so several processes may run them at the same moment. A failed
 * run is logged and tried again next time; the timer never keeps the process alive.
 */
export function startPeriodicTask(options: { name: string; minutes: number; task: () => Promise<number>; log: (message: string, error?: unknown) => void }): () => void {
  const tick = () => {
    options.task().then(
      (count) => (count ? options.log(`${options.name}: ${count}`) : undefined),
      (error: unknown) => options.log(`${options.name} failed`, error),
    );
  };
  tick();
  if (options.minutes <= 0) return () => {};
  const timer = setInterval(tick, options.minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
