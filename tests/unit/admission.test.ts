import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import { describe, expect, it } from 'vitest';
import { admission } from '~/core/admission.server';

/** An app whose handler holds each request until the test lets it go. */
async function heldApp(limit: number) {
  const held: { path: string; go: () => void }[] = [];
  const handled: string[] = [];
  let inside = 0;
  let most = 0;
  const app = express();
  const admit = admission(limit);
  app.get('*', (req, res, next) => {
    admit(res, next, () => {
      handled.push(req.path);
      inside++;
      most = Math.max(most, inside);
      return new Promise<void>((resolve) => {
        held.push({
          path: req.path,
          go: () => {
            inside--;
            res.type('text').send(req.path);
            resolve();
          },
        });
      });
    });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };
  return { base, held, handled, most: () => most, until, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('admission: a cap on the requests one process works on at once', () => {
  it('lets `limit` requests in, queues the others first come first served, and serves them all', async () => {
    const app = await heldApp(2);
    try {
      const answers: Promise<string>[] = [];
      for (const path of ['/a', '/b', '/c', '/d', '/e']) {
        answers.push(fetch(app.base + path).then((r) => r.text()));
        // One after the other, so the order they queue in is known.
        await new Promise((r) => setTimeout(r, 20));
      }
      await app.until(() => app.held.length === 2);
      expect(app.handled).toEqual(['/a', '/b']);
      while (app.handled.length < 5 || app.held.length) {
        await app.until(() => app.held.length > 0);
        app.held.shift()!.go();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await Promise.all(answers)).toEqual(['/a', '/b', '/c', '/d', '/e']);
      expect(app.handled).toEqual(['/a', '/b', '/c', '/d', '/e']);
      expect(app.most()).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('keeps the place of a request whose client has gone until its work is done', async () => {
    const app = await heldApp(1);
    try {
      const gone = httpRequest(`${app.base}/gone`);
      gone.on('error', () => {});
      gone.end();
      await app.until(() => app.held.length === 1);
      gone.destroy();
      const next = fetch(`${app.base}/next`).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 100));
      expect(app.handled).toEqual(['/gone']);
      app.held.shift()!.go();
      await app.until(() => app.held.length === 1);
      app.held.shift()!.go();
      expect(await next).toBe('/next');
      expect(app.most()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('drops a waiting request whose client has gone, before it costs anything', async () => {
    const app = await heldApp(1);
    try {
      const first = fetch(`${app.base}/first`).then((r) => r.text());
      await app.until(() => app.held.length === 1);
      const gone = httpRequest(`${app.base}/gone`);
      gone.on('error', () => {});
      gone.end();
      await new Promise((r) => setTimeout(r, 50));
      gone.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const last = fetch(`${app.base}/last`).then((r) => r.text());
      await new Promise((r) => setTimeout(r, 50));
      app.held.shift()!.go();
      await app.until(() => app.held.length === 1);
      app.held.shift()!.go();
      expect([await first, await last]).toEqual(['/first', '/last']);
      expect(app.handled).toEqual(['/first', '/last']);
    } finally {
      await app.close();
    }
  });

  it('passes the place on when a client goes while its turn is being handed to it, instead of starting work that would hold it for good', async () => {
    const admit = admission(1);
    const started: string[] = [];
    const finish: Record<string, () => void> = {};
    const response = () => new EventEmitter() as unknown as Response;
    const enterWith = (name: string, res: Response) =>
      admit(res, () => {}, () => {
        started.push(name);
        return new Promise<void>((resolve) => (finish[name] = resolve));
      });
    const [first, gone, last] = [response(), response(), response()];
    enterWith('first', first);
    enterWith('gone', gone);
    enterWith('last', last);
    expect(started).toEqual(['first']);
    finish.first!();
    // The place is handed to "gone" on the next turn of the loop; its client closes before that.
    await Promise.resolve();
    (gone as unknown as EventEmitter).emit('close');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['first', 'last']);
    // And the place is free again once the last is done.
    finish.last!();
    await new Promise((r) => setImmediate(r));
    enterWith('after', response());
    expect(started).toEqual(['first', 'last', 'after']);
  });
});
