import { request as httpRequest } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { residentName } from '#seeds/data';
import { startApp, stopApp, type AppProcess } from '../support/app-process';
import { withDbName } from '../support/database-uri';
import { startMongoCounter, type Command, type MongoCounter } from '../support/mongo-counter';
import { DEMO_SLUG, signIn } from './app';

/**
 * What a page costs the server, counted from outside the app process: database commands through
 * a counting proxy, bytes on the wire. Behaviour, not timings (the benchmark measures those).
 */
const DB_NAME = 'lsx_http_page_costs';
const LIST = `/competitions/${DEMO_SLUG}/proposals`;
let counter: MongoCounter;
let db: Connection;
let app: AppProcess;
let resident: string;
let residentId: string;

beforeAll(async () => {
  db = await mongoose.createConnection(withDbName(inject('mongoUri'), DB_NAME)).asPromise();
  await db.dropDatabase();
  counter = await startMongoCounter(inject('mongoUri'));
  app = await startApp({ MONGODB_URI: counter.uri(DB_NAME), SEED_ON_EMPTY: 'true' });
  resident = await signIn(app.baseUrl, '13900000005');
  residentId = String((await db.collection('users').findOne({ phone: '13900000005' }))?._id);
});
afterAll(async () => {
  await stopApp(app);
  await counter.close();
  await db.close();
});

/** The commands one GET sends, and its HTML. */
async function commandsOf(path: string, cookie: string): Promise<{ commands: Command[]; body: string }> {
  counter.reset();
  const response = await fetch(`${app.baseUrl}${path}`, { headers: { Cookie: cookie, 'Accept-Language': 'en' } });
  const body = await response.text();
  expect(response.status, path).toBe(200);
  return { commands: counter.commands(), body };
}

/** A read of this one user by id (the session's user), not of a list of authors. */
const lookedUpAlone = (command: Command | undefined, userId: string) =>
  String((command?.document.filter as { _id?: unknown } | undefined)?._id) === userId;

const reads = (commands: Command[], collection: string) =>
  commands.filter((command) => command.collection === collection && (command.name === 'find' || command.name === 'aggregate'));

describe('a signed-in resident\'s page reads the session and its user in one round trip', () => {
  it.each([
    ['the proposal list', LIST],
    ['the proposal list\'s data request (single fetch)', `${LIST}.data`],
    ['the home page', '/'],
  ])('%s', async (_name, path) => {
    const { commands, body } = await commandsOf(path, resident);
    // Signed in (the header names them), so the page really did look the user up.
    expect(body).toContain(residentName(4));
    // One round trip for both: the session with its user ($lookup); the user is not read again.
    expect(reads(commands, 'sessions')).toHaveLength(1);
    expect(JSON.stringify(reads(commands, 'sessions')[0]?.document.pipeline)).toContain('"from":"users"');
    expect(reads(commands, 'users')).toHaveLength(0);
    // The bell's unread count came with it too, and is the database's.
    expect(commands.filter((command) => command.collection === 'notifications')).toHaveLength(0);
    const unread = await db.collection('notifications').countDocuments({ recipient: new mongoose.Types.ObjectId(residentId), readAt: null });
    // The resident reads Chinese (their account's language); a data request carries no HTML.
    if (!path.endsWith('.data')) expect(body).toContain(unread > 0 ? `aria-label="通知：${unread} 条未读"` : 'aria-label="通知"');
  });

  it('a proposal\'s page, with its comments and versions', async () => {
    const list = await commandsOf(LIST, resident);
    const detail = new RegExp(`${LIST}/(\\d+)"`).exec(list.body)?.[0].slice(0, -1);
    expect(detail).toBeDefined();
    const { commands } = await commandsOf(detail ?? '', resident);
    expect(reads(commands, 'sessions')).toHaveLength(1);
    // The page also looks up authors' names (`_id: { $in: [...] }`); the session's user came with the session.
    expect(reads(commands, 'users').filter((command) => lookedUpAlone(command, residentId))).toHaveLength(0);
  });

  it('an anonymous visitor\'s page reads no session and no user', async () => {
    const { commands } = await commandsOf(LIST, '');
    expect(reads(commands, 'sessions')).toHaveLength(0);
    expect(reads(commands, 'users')).toHaveLength(0);
  });
});

/** The bytes on the wire for one encoding, undecoded. */
function compressed(path: string, encoding: string): Promise<{ encoding: string | undefined; bytes: Buffer }> {
  const base = new URL(app.baseUrl);
  return new Promise((resolve, reject) => {
    httpRequest({ host: base.hostname, port: base.port, path, headers: { 'Accept-Encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('a streamed page is compressed as a whole, not flush by flush', () => {
  it.each([LIST, '/'])('%s in gzip is at most 10 percent larger than gzipping the same bytes in one pass', async (path) => {
    const { encoding, bytes } = await compressed(path, 'gzip');
    expect(encoding).toBe('gzip');
    const html = gunzipSync(bytes);
    expect(html.toString('utf8')).toContain('</html>');
    expect(bytes.length).toBeLessThanOrEqual(gzipSync(html).length * 1.1);
  });

  it('and in brotli, against one pass at the same quality (4)', async () => {
    const { encoding, bytes } = await compressed(LIST, 'br');
    expect(encoding).toBe('br');
    const html = brotliDecompressSync(bytes);
    const onePass = brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    expect(bytes.length).toBeLessThanOrEqual(onePass.length * 1.1);
  });
});
