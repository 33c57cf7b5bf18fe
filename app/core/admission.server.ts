import type { NextFunction, Response } from 'express';

/**
 * At most `limit` requests at once in `work`; the others wait their turn, first come first
 * served (docs/decisions/018, memory). Past a few requests a worker's CPU is busy anyway, so
 * more at once only keeps more loaders' documents and half-rendered pages alive together, and
 * each one finishes later. A request keeps its place until its work has settled (the Remix
 * handler's promise: the response is then written, whether or not a slow client has read it),
 * even when its client has gone meanwhile, since the work goes on; a waiting request whose
 * client goes is dropped from the line before it costs anything.
 */
export function admission(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];

  /** A finished request hands its place to the first waiting one, on the next turn of the loop. */
  const release = () => {
    const next = waiting.shift();
    if (next) setImmediate(next);
    else active--;
  };

  /** Runs `work` when a place is free; an error it throws goes to Express (`next`). */
  return (res: Response, next: NextFunction, work: () => Promise<unknown>): void => {
    const enter = () => {
      work().then(release, (error: unknown) => {
        release();
        next(error);
      });
    };
    if (active < limit) {
      active++;
      return enter();
    }
    waiting.push(enter);
    res.once('close', () => {
      const at = waiting.indexOf(enter);
      if (at >= 0) waiting.splice(at, 1);
    });
  };
}
