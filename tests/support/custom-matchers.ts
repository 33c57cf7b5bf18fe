import { expect } from 'vitest';
import type { Toast } from '~/core/toast';
import { takeToast } from '~/core/toast.server';
import { CookieJar } from './http';

/**
 * Matchers for what a loader or action answered (a Response, or the Outcome `call` makes of it),
 * after the Epic Stack's tests/setup/custom-matchers.ts:
 *   expect(outcome).toRedirectTo('/notifications')
 *   expect(outcome).toRedirectTo('/notifications', 303)
 *   await expect(outcome).toSendToast({ type: 'error', key: 'notifications:toast.notFound' })
 * Registered for the integration project in vitest.config.ts.
 */

/** A Response, or an Outcome from tests/support/http.ts: both carry a status and headers. */
interface Answer {
  status: number;
  headers: Headers;
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && typeof (value as Answer).status === 'number' && (value as Answer).headers instanceof Headers;
}

function answerOf(received: unknown, matcher: string): Answer {
  if (!isAnswer(received)) throw new TypeError(`${matcher}: expected a Response or an Outcome of call(), got ${typeof received}`);
  return received;
}

expect.extend({
  /**
   * A redirect (3xx, or exactly `status` when given) whose Location is exactly `path`: same path,
   * same query in the same order, same hash.
   */
  toRedirectTo(received: unknown, path: string, status?: number) {
    const answer = answerOf(received, 'toRedirectTo');
    const location = answer.headers.get('Location');
    const redirects = status === undefined ? answer.status >= 300 && answer.status < 400 : answer.status === status;
    const not = this.isNot ? 'not ' : '';
    const wanted = `${status ?? '3xx'} to ${this.utils.printExpected(path)}`;
    return {
      pass: redirects && location === path,
      message: () =>
        `expected the response ${not}to redirect ${wanted}; it answered ${this.utils.printReceived(answer.status)}${location === null ? ' without a Location' : ` to ${this.utils.printReceived(location)}`}`,
    };
  },

  /**
   * The response sets the toast cookie, signed with the app's secret, carrying exactly `toast`
   * (asymmetric matchers such as expect.stringMatching may stand in for a part). Without an
   * argument: any toast at all, so `.not.toSendToast()` says that none is sent.
   */
  async toSendToast(received: unknown, toast?: Toast) {
    const answer = answerOf(received, 'toSendToast');
    // The app reads its own cookie out of the cookies the response sets, checking the signature.
    const jar = new CookieJar().take(answer.headers);
    const sent = (await takeToast(new Request('http://localhost/', { headers: { Cookie: jar.header() } }))).toast;
    const not = this.isNot ? 'not ' : '';
    if (toast === undefined) {
      return {
        pass: sent !== null,
        message: () => `expected the response ${not}to send a toast; it sends ${this.utils.printReceived(sent)}`,
      };
    }
    return {
      pass: sent !== null && this.equals(sent, toast),
      message: () =>
        sent === null
          ? `expected the response ${not}to send the toast ${this.utils.printExpected(toast)}; it sends none`
          : `expected the response ${not}to send the toast ${this.utils.printExpected(toast)}\n${this.utils.diff(toast, sent) ?? ''}`,
      actual: sent,
      expected: toast,
    };
  },
});

interface AnswerMatchers<R = void> {
  /** A 3xx answer (exactly `status` when given) whose Location header is exactly `path`. */
  toRedirectTo(path: string, status?: number): R;
  /** The answer sets the toast cookie with exactly `toast` (any toast when omitted). Await it. */
  toSendToast(toast?: Toast): Promise<R>;
}

declare module 'vitest' {
  // Merged with vitest's own Assertion<T = any>, so the parameter stays, unused.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
  interface Assertion<T = any> extends AnswerMatchers {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends AnswerMatchers {}
}
