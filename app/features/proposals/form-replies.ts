import type { Submission, SubmissionResult } from '@conform-to/react';
import type { WriteResult } from './drafts.server';

/* How the proposal pages answer a form they refuse, in conform's reply format; the services return plain results. */

/** The reply when the multipart body itself could not be read (too large, malformed). */
export function unreadableFormReply(reason: 'tooLarge' | 'invalidForm'): SubmissionResult<string[]> {
  return { status: 'error', error: { '': [reason] } };
}

/** A refused write as the form shows it: on the field it concerns, else above the buttons. */
export function replyForFailure(submission: Submission<unknown>, result: Extract<WriteResult, { ok: false }>) {
  return submission.reply(
    result.field ? { fieldErrors: { [result.field]: [result.reason] } } : { formErrors: [result.reason] },
  );
}
