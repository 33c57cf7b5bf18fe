import type { NextFunction, Response } from 'express';

/**
 * At most `limit` requests at once in `work`; the others wait their turn, first come first
 * served (docs/decisions/018, memory). Past a few requests a worker's CPU is busy anyway, so
 * more at once only keeps more loaders' documents and half-rendered pages alive together, and
 * each one finishes later. A request keeps its place until its work has settled (the Remix
 * handler's promise: the response is then written, whether or not a slow client has read it),
 * even when its client has gone meanwhile, since the work goes on; a waiting request whose
 * client goes is dropped from the line before it costs anything, and so is one whose client goes
 * while its turn is being handed to it (a benchmark of ballots at 200 connections, clients timing
 * out, once left every place held by such requests and the process answering nothing).
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
    let gone = false;
    const enter = () => {
      // Its client went between being handed the place and now (the hand-over waits a turn of
      // the loop): the place passes on. Started, its work would wait forever for a body whose
      // stream closed before anyone listened, and keep the place for good.
      if (gone) return release();
      work().then(release, (error: unknown) => {
        release();
        next(error);
      });
    };
    res.once('close', () => {
      gone = true;
      const at = waiting.indexOf(enter);
      if (at >= 0) waiting.splice(at, 1);
    });
    if (active < limit) {
      active++;
      return enter();
    }
    waiting.push(enter);
  };
}
