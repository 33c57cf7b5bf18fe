import { parseWithZod } from '@conform-to/zod/v4';
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { commentActionSchema } from '~/features/proposals/comment.schema.server';
import { getOptionalUser, requirePermission } from '~/core/auth.server';
import { addComment, hideComment, reportComment, unhideComment, type CommentFailure } from '~/features/proposals/comments.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { numberParam } from '~/utils/misc';
import { requireCompetition } from '~/features/competitions/context.server';

/**
 * The comments of a proposal page post here (the form lives in app/features/proposals/comments.tsx).
 * Every outcome goes back to the page's comments with a toast, so it all works without JavaScript;
 * the browser keeps a comment's text on errors it can catch itself (empty, too long).
 */

const VALIDATION_KEYS = new Set([
  'bodyRequired',
  'bodyTooLong',
  'reasonRequired',
  'reasonTooLong',
  'reportReasonRequired',
  'reportNoteRequired',
  'reportNoteTooLong',
  'invalidComment',
  'unknownAction',
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const rules = competitionRules(await requireCompetition({ request, params, context }));
  const number = numberParam(params.number);
  const page = `/competitions/${rules.slug}/proposals/${number}`;
  const user = await getOptionalUser(request);
  if (!user) throw redirect(`/login?${new URLSearchParams({ redirectTo: page })}`);

  const back = `${page}#comments`;
  const submission = parseWithZod(await readForm(request), { schema: commentActionSchema });
  if (submission.status !== 'success') {
    const first = Object.values(submission.error ?? {}).flat()[0] ?? '';
    const key = VALIDATION_KEYS.has(first) ? first : 'invalidForm';
    return redirectWithToast(back, { type: 'error', key: `comments:validation.${key}` });
  }
  const form = submission.value;
  const failed = (reason: CommentFailure) => {
    if (reason === 'notFound') throw new Response('Not found', { status: 404 });
    if (reason === 'forbidden') throw new Response('Forbidden', { status: 403 });
    return redirectWithToast(back, { type: 'error', key: `comments:error.${reason}` });
  };

  switch (form.intent) {
    case 'add':
    case 'reply': {
      const result = await addComment({
        rules,
        number,
        userId: user.id,
        body: form.body,
        parentId: form.intent === 'reply' ? form.parentId : undefined,
      });
      if (!result.ok) return failed(result.reason);
      return redirectWithToast(`${page}#comment-${result.id}`, { type: 'success', key: `comments:toast.${form.intent === 'reply' ? 'replied' : 'added'}` });
    }
    case 'report': {
      const result = await reportComment({ rules, number, userId: user.id, commentId: form.commentId, reason: form.reason, note: form.note });
      if (!result.ok) return failed(result.reason);
      return redirectWithToast(`${page}#comment-${form.commentId}`, { type: 'info', key: result.counted ? 'comments:toast.reported' : 'comments:toast.alreadyReported' });
    }
    case 'hide':
    case 'unhide': {
      const moderator = await requirePermission(request, 'competition:manage', { competitionId: rules.id });
      const input = { rules, number, actor: moderator, commentId: form.commentId, ip: clientIp(request) };
      const result = form.intent === 'hide' ? await hideComment({ ...input, reason: form.reason }) : await unhideComment(input);
      if (!result.ok) return failed(result.reason);
      return redirectWithToast(`${page}#comment-${form.commentId}`, { type: 'success', key: `comments:toast.${form.intent === 'hide' ? 'hidden' : 'unhidden'}` });
    }
  }
}
