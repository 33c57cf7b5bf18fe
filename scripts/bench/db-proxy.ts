/**
 * A counting TCP proxy between the app and its database, run as its own process by the
 * benchmark (so its work does not share a thread with the load generator). It forwards bytes
 * untouched and tallies the commands clients send (OP_MSG frames, less the driver's monitoring);
 * the benchmark asks for the tally over IPC before and after each request it sends alone.
 *
 * Usage (child process with an IPC channel): tsx scripts/bench/db-proxy.ts <target host:port>
 * Sends { ready: port } once listening; answers { type: 'commands' } with { commands: string[],
 * timed: { command, ms }[] } (every command seen since the last such question, and for each
 * answered one how long the database took, from its last request byte to its reply's last).
 */
import { createConnection, createServer } from 'node:net';
import { commandName, commandTarget, FrameReader, messageIds, MONITORING_COMMANDS } from './wire';

const [host = '127.0.0.1', port = '27017'] = (process.argv[2] ?? '').split(':');
let seen: string[] = [];
let timed: { command: string; ms: number }[] = [];

const server = createServer((client) => {
  const upstream = createConnection({ host, port: Number(port) });
  const reader = new FrameReader();
  const replies = new FrameReader();
  const pending = new Map<number, { command: string; at: number }>();
  client.on('data', (chunk: Buffer) => {
    for (const frame of reader.push(chunk)) {
      const name = commandName(frame);
      if (!name || MONITORING_COMMANDS.has(name)) continue;
      seen.push(name);
      const target = commandTarget(frame);
      pending.set(messageIds(frame).requestId, { command: target ? `${name} ${target}` : name, at: performance.now() });
    }
  });
  upstream.on('data', (chunk: Buffer) => {
    for (const frame of replies.push(chunk)) {
      const { responseTo } = messageIds(frame);
      const asked = pending.get(responseTo);
      if (!asked) continue;
      pending.delete(responseTo);
      timed.push({ command: asked.command, ms: performance.now() - asked.at });
    }
  });
  client.pipe(upstream);
  upstream.pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  upstream.on('close', close);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ ready: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'commands') {
    process.send?.({ commands: seen, timed });
    seen = [];
    timed = [];
  }
});
process.on('disconnect', () => process.exit(0));
