import { once } from 'node:events';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '~/core/env.server';
import { httpSmsGateway, maskIdentifier, outboxGateway, readOutbox, smtpGateway, type OutgoingMessage } from '~/core/messages.server';

const message: OutgoingMessage = { channel: 'sms', to: '13912345678', subject: '崂善行', text: '【崂善行】您的注册验证码是 123456', purpose: 'register' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'lsx-outbox-'));

describe('the outbox gateway', () => {
  it('appends one line per message and reads them back newest first, filtered by recipient', async () => {
    const file = path.join(dir, 'outbox.jsonl');
    const gateway = outboxGateway(file);
    await gateway.send(message);
    await gateway.send({ ...message, to: 'a@example.test', channel: 'email', text: 'second' });
    await gateway.send({ ...message, text: 'third' });
    expect((await readOutbox({ file })).map((m) => m.text)).toEqual(['third', 'second', message.text]);
    expect((await readOutbox({ file, to: '13912345678' })).map((m) => m.text)).toEqual(['third', message.text]);
    expect(await readOutbox({ file, limit: 1 })).toHaveLength(1);
  });

  it('skips a line cut by a crash and answers an empty list when there is no outbox yet', async () => {
    const file = path.join(dir, 'cut.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...message, at: new Date().toISOString() })}\n{"channel":"sms","to":"139`);
    expect(await readOutbox({ file })).toHaveLength(1);
    appendFileSync(file, '\n');
    expect(await readOutbox({ file: path.join(dir, 'missing.jsonl') })).toEqual([]);
  });

  it('masks numbers and addresses shown back to people', () => {
    expect(maskIdentifier('13912345678')).toBe('139****5678');
    expect(maskIdentifier('wang.xiuying@example.cn')).toBe('w***@example.cn');
  });
});

describe('the SMS gateway over HTTPS', () => {
  const received: { auth: string | undefined; body: unknown }[] = [];
  let status = 200;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(body) as unknown });
      res.statusCode = status;
      res.end('{}');
    });
  });
  afterAll(() => server.close());

  it('posts the number, text and signature with the bearer token, and fails loudly on an error answer', async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
    const gateway = httpSmsGateway({ url, token: 'token-0123456789abcdef', sign: '崂善行' });
    await gateway.send(message);
    expect(received).toEqual([{ auth: 'Bearer token-0123456789abcdef', body: { to: message.to, text: message.text, sign: '崂善行', purpose: 'register' } }]);
    status = 502;
    await expect(gateway.send(message)).rejects.toThrow(/502/);
  });
});

describe('the e-mail gateway over SMTP', () => {
  it('delivers the subject and text from MAIL_FROM', async () => {
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          mails.push(raw);
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      await smtpGateway({ url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'noreply@laoshanxing.example' }).send({
        ...message,
        channel: 'email',
        to: 'resident@example.test',
        text: 'Your code is 123456',
        subject: 'Laoshanxing',
      });
    } finally {
      smtp.close();
    }
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^From: noreply@laoshanxing\.example/m);
    expect(mails[0]).toMatch(/^To: resident@example\.test/m);
    expect(mails[0]).toMatch(/^Subject: Laoshanxing/m);
    expect(mails[0]).toContain('Your code is 123456');
  });
});

describe('gateway configuration', () => {
  const base = { NODE_ENV: 'test' };
  it('defaults both channels to the outbox', () => {
    expect(parseEnv(base)).toMatchObject({ SMS_GATEWAY: 'outbox', EMAIL_GATEWAY: 'outbox' });
  });
  it('needs an https URL and a token for SMS over HTTP, and SMTP_URL and MAIL_FROM for SMTP', () => {
    expect(() => parseEnv({ ...base, SMS_GATEWAY: 'http' })).toThrow(/SMS_API_URL: required[\s\S]*SMS_API_TOKEN: required/);
    expect(() => parseEnv({ ...base, SMS_GATEWAY: 'http', SMS_API_URL: 'http://sms.example/send', SMS_API_TOKEN: 'x'.repeat(20) })).toThrow(/SMS_API_URL/);
    expect(() => parseEnv({ ...base, EMAIL_GATEWAY: 'smtp', SMTP_URL: 'smtps://u:p@mail.example:465' })).toThrow(/MAIL_FROM: required/);
    expect(parseEnv({ ...base, SMS_GATEWAY: 'http', SMS_API_URL: 'https://sms.example/send', SMS_API_TOKEN: 'x'.repeat(20), EMAIL_GATEWAY: 'smtp', SMTP_URL: 'smtps://u:p@mail.example:465', MAIL_FROM: 'noreply@example.cn' })).toMatchObject({
      SMS_GATEWAY: 'http',
      EMAIL_GATEWAY: 'smtp',
    });
  });
});
