import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { getEnv, type Env } from './env.server';

/**
 * The message gateway: one-time codes and notices to a phone (SMS) or a mailbox (e-mail).
 * Which adapter carries each channel is configuration (SMS_GATEWAY, EMAIL_GATEWAY):
 * - `outbox` (the default, for development, the demo and tests): each message is appended as one
 *   JSON line to DATA_DIR/outbox.jsonl, which admins read at /admin/outbox. Nothing leaves the
 *   machine, so the README's two commands work offline.
 * - `http` (SMS): a JSON POST over HTTPS to SMS_API_URL with a bearer token, the shape most
 *   SMS relays take ({ to, text, sign }); a provider-specific relay sits behind that URL.
 * - `smtp` (e-mail): nodemailer over SMTP_URL, from MAIL_FROM.
 * Callers compose the text (in the recipient's language); the gateway only carries it.
 */

export type MessageChannel = 'sms' | 'email';

export interface OutgoingMessage {
  channel: MessageChannel;
  /** A normalised phone number or e-mail address. */
  to: string;
  subject: string;
  text: string;
  /** What it is for ("register", "unlock", "invitation"...), for the outbox and the logs. */
  purpose: string;
}

export interface OutboxEntry extends OutgoingMessage {
  at: string;
}

export interface MessageGateway {
  send(message: OutgoingMessage): Promise<void>;
}

export function outboxPath(env: Pick<Env, 'DATA_DIR'> = getEnv()): string {
  return path.resolve(env.DATA_DIR, 'outbox.jsonl');
}

/** Appends each message as one line (appends of one short line do not interleave). */
export function outboxGateway(file: string): MessageGateway {
  return {
    async send(message) {
      await mkdir(path.dirname(file), { recursive: true });
      const entry: OutboxEntry = { ...message, at: new Date().toISOString() };
      await appendFile(file, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: 0o600 });
    },
  };
}

const SMS_TIMEOUT_MS = 10_000;

export function httpSmsGateway(config: { url: string; token: string; sign: string; fetch?: typeof fetch }): MessageGateway {
  const send = config.fetch ?? fetch;
  return {
    async send(message) {
      const response = await send(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
        body: JSON.stringify({ to: message.to, text: message.text, sign: config.sign, purpose: message.purpose }),
        signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
    },
  };
}

export function smtpGateway(config: { url: string; from: string }): MessageGateway {
  const transport = nodemailer.createTransport(config.url);
  return {
    async send(message) {
      await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

let gateways: Record<MessageChannel, MessageGateway> | undefined;

function configured(env: Env = getEnv()): Record<MessageChannel, MessageGateway> {
  const outbox = outboxGateway(outboxPath(env));
  return {
    sms: env.SMS_GATEWAY === 'http' ? httpSmsGateway({ url: env.SMS_API_URL!, token: env.SMS_API_TOKEN!, sign: env.SMS_SIGN_NAME }) : outbox,
    email: env.EMAIL_GATEWAY === 'smtp' ? smtpGateway({ url: env.SMTP_URL!, from: env.MAIL_FROM! }) : outbox,
  };
}

/** Sends through the configured adapter of the message's channel. */
export async function sendMessage(message: OutgoingMessage): Promise<void> {
  gateways ??= configured();
  await gateways[message.channel].send(message);
}

/** Whether any channel writes to the outbox (then /admin/outbox shows it). */
export function outboxInUse(env: Env = getEnv()): boolean {
  return env.SMS_GATEWAY === 'outbox' || env.EMAIL_GATEWAY === 'outbox';
}

const OUTBOX_TAIL_BYTES = 512 * 1024;

/**
 * The newest outbox messages, newest first (the last 512 KB of the file is read, so the page
 * stays fast however long the demo has run), optionally only those to one address.
 */
export async function readOutbox(options: { to?: string; limit?: number; file?: string } = {}): Promise<OutboxEntry[]> {
  const file = options.file ?? outboxPath();
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - OUTBOX_TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      text = buffer.toString('utf8');
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: OutboxEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as OutboxEntry;
      if (!options.to || entry.to === options.to) entries.push(entry);
    } catch {
      // A line cut by a crash mid-write: skip it.
    }
  }
  return entries.reverse().slice(0, options.limit ?? 100);
}

/** A phone number or address as shown back to the person: 138****5678, l***@example.cn. */
export function maskIdentifier(identifier: string): string {
  if (identifier.includes('@')) {
    const [local = '', domain = ''] = identifier.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return identifier.length >= 7 ? `${identifier.slice(0, 3)}****${identifier.slice(-4)}` : '****';
}
