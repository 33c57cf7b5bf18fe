import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'mongodb';

/**
 * A TCP proxy in front of the test database that counts the commands an app process sends: the
 * round trips of a page, seen from outside the app, whatever code sends them. It reads only
 * the client's OP_MSG messages (the driver's only opcode since MongoDB 3.6, uncompressed unless
 * the URI asks for compression) and forwards every byte unchanged.
 */
export interface Command {
  name: string;
  collection: unknown;
  /** The command as sent: its filter, projection, pipeline. */
  document: Record<string, unknown>;
}

/** Commands of the connection's own housekeeping, not of a page. */
const HOUSEKEEPING = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue']);
const OP_MSG = 2013;

export interface MongoCounter {
  /** A URI for the app: the proxy, with `dbName`, connected directly (no topology discovery past it). */
  uri(dbName: string): string;
  commands(): Command[];
  reset(): void;
  close(): Promise<void>;
}

export async function startMongoCounter(upstreamUri: string): Promise<MongoCounter> {
  const match = /^mongodb:\/\/([^/?,]+)/.exec(upstreamUri);
  if (!match?.[1]) throw new Error(`The counter proxies one mongodb:// host, not ${upstreamUri}`);
  const [host = '127.0.0.1', port = '27017'] = match[1].replace(/^.*@/, '').split(':');
  let seen: Command[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port: Number(port) });
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 16 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        // Header (16 bytes), flagBits (4), then section kind 0: the command document.
        if (message.readInt32LE(12) !== OP_MSG || message[20] !== 0) continue;
        const body = message.subarray(21, 21 + message.readInt32LE(21));
        const command = BSON.deserialize(body);
        const name = Object.keys(command)[0] ?? '';
        if (!HOUSEKEEPING.has(name)) seen.push({ name, collection: command[name], document: command });
      }
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the counter has no port');

  return {
    uri: (dbName) => `mongodb://127.0.0.1:${address.port}/${dbName}?directConnection=true`,
    commands: () => [...seen],
    reset: () => {
      seen = [];
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
