import { action as registerAction } from '~/routes/register/route';
import { readOutbox } from '~/core/messages.server';
import { call, CookieJar, formRequest, type Outcome } from './http';

/** The six-digit code in the newest outbox message to this normalised number or address. */
export async function lastCodeSentTo(identifier: string): Promise<string | null> {
  const [entry] = await readOutbox({ to: identifier, limit: 1 });
  return entry?.text.match(/\b(\d{6})\b/)?.[1] ?? null;
}

/**
 * Registers through both steps of /register as a browser would: asks for a code, reads it from
 * the outbox, finishes. Returns the final outcome and the jar holding the new session.
 */
export async function registerThroughOutbox(input: {
  name: string;
  identifier: string;
  password: string;
  ip?: string;
  jar?: CookieJar;
}): Promise<{ outcome: Outcome; jar: CookieJar; code: string | null }> {
  const jar = input.jar ?? new CookieJar();
  const started = await call(registerAction, formRequest('/register', { intent: 'send', identifier: input.identifier }, { jar, ip: input.ip }));
  jar.take(started.headers);
  const normalised = input.identifier.includes('@') ? input.identifier.trim().toLowerCase() : input.identifier.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  const code = await lastCodeSentTo(normalised);
  const outcome = await call(
    registerAction,
    formRequest('/register', { intent: 'finish', code: code ?? '000000', name: input.name, password: input.password, confirmPassword: input.password }, { jar, ip: input.ip }),
  );
  jar.take(outcome.headers);
  return { outcome, jar, code };
}
