import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import {
  addCommentSchema,
  COMMENT_BODY_MAX,
  HIDE_REASON_MAX,
  hideSchema,
  replySchema,
  type CommentsSectionData,
  type CommentView,
} from './comment.schema';
import { formatDate } from '~/utils/format';
import { useLanguage } from '~/utils/root-data';

/**
 * The comments of a proposal page. The page's loader supplies `section` (getCommentsSection in
 * app/features/proposals/comments.server.ts) and lists "comments" in its handle's i18n namespaces. Every
 * form posts to the comments route and works without JavaScript. Text is rendered as text.
 */
export function CommentsSection({ competitionSlug, proposalNumber, section }: { competitionSlug: string; proposalNumber: number; section: CommentsSectionData }) {
  const { t } = useTranslation('comments');
  const page = `/competitions/${competitionSlug}/proposals/${proposalNumber}`;
  const action = `${page}/comments`;
  return (
    <section id="comments" className="card space-y-4" aria-labelledby="comments-title">
      <h3 id="comments-title" className="text-lg font-semibold">
        {t('title', { count: section.count })}
      </h3>
      {section.cannotComment === null ? (
        // Remounting after a new comment empties the box; after a refused one the text stays.
        <CommentForm key={section.count} action={action} />
      ) : section.cannotComment === 'signIn' ? (
        <p>
          <Link to={`/login?${new URLSearchParams({ redirectTo: `${page}#comments` })}`} className="btn-secondary">
            {t('signInToComment')}
          </Link>
        </p>
      ) : (
        <p className="rounded-lg bg-stone-100 p-3 text-stone-700">{t(`cannot.${section.cannotComment}`)}</p>
      )}
      {section.comments.length === 0 ? <p className="text-stone-600">{t('empty')}</p> : null}
      <ol className="space-y-4">
        {section.comments.map((comment) => (
          <CommentItem key={comment.id} comment={comment} section={section} action={action} />
        ))}
      </ol>
    </section>
  );
}

function CommentItem({ comment, section, action, isReply = false }: { comment: CommentView; section: CommentsSectionData; action: string; isReply?: boolean }) {
  const { t } = useTranslation('comments');
  const language = useLanguage();
  const canReply = !isReply && section.cannotComment === null && !comment.hidden && !comment.placeholder;
  const canReport = section.signedIn && !comment.mine && !comment.hidden && !comment.placeholder;
  return (
    <li id={`comment-${comment.id}`} className="space-y-2">
      {comment.placeholder ? (
        <p className="rounded-lg bg-stone-100 p-3 text-stone-500 italic">{t('placeholder')}</p>
      ) : (
        <article className={comment.hidden ? 'rounded-lg border border-dashed border-stone-300 bg-stone-100 p-3 text-stone-500' : ''}>
          <header className="flex flex-wrap items-baseline gap-x-2 text-sm">
            <strong className="text-base text-stone-900">{comment.authorName}</strong>
            {comment.byProposer ? <span className="rounded-full bg-brand-50 px-2 text-brand-800">{t('proposer')}</span> : null}
            <time dateTime={comment.createdAt} className="text-stone-500">
              {formatDate(comment.createdAt, language, { dateStyle: 'medium', timeStyle: 'short' })}
            </time>
            {comment.hidden ? <span className="rounded-full bg-stone-300 px-2 text-stone-800">{t('hiddenBadge')}</span> : null}
            {comment.reportCount ? <span className="text-red-700">{t('reportCount', { count: comment.reportCount })}</span> : null}
          </header>
          {comment.hidden ? <p className="text-sm">{t('hiddenReason', { reason: comment.hidden.reason })}</p> : null}
          <p className="break-words whitespace-pre-line">{comment.body}</p>
          <div className="mt-1 flex flex-wrap items-start gap-2 text-sm">
            {canReply ? (
              <details>
                <summary className="cursor-pointer text-brand-700 underline">{t('reply')}</summary>
                <CommentForm key={comment.replies.length} action={action} parentId={comment.id} />
              </details>
            ) : null}
            {canReport ? (
              comment.reportedByMe ? (
                <span className="text-stone-500">{t('reported')}</span>
              ) : (
                <Form method="post" action={action}>
                  <input type="hidden" name="commentId" value={comment.id} />
                  <button type="submit" name="intent" value="report" className="text-stone-600 underline">
                    {t('report')}
                  </button>
                </Form>
              )
            ) : null}
            {section.canModerate ? (
              comment.hidden ? (
                <Form method="post" action={action}>
                  <input type="hidden" name="commentId" value={comment.id} />
                  <button type="submit" name="intent" value="unhide" className="text-brand-700 underline">
                    {t('unhide')}
                  </button>
                </Form>
              ) : (
                <details>
                  <summary className="cursor-pointer text-red-700 underline">{t('hide')}</summary>
                  <HideForm action={action} commentId={comment.id} />
                </details>
              )
            ) : null}
          </div>
        </article>
      )}
      {comment.replies.length ? (
        <ol className="ml-4 space-y-3 border-l-2 border-stone-200 pl-4" aria-label={t('replies')}>
          {comment.replies.map((reply) => (
            <CommentItem key={reply.id} comment={reply} section={section} action={action} isReply />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  return <ErrorList id={id} errors={errors} keyPrefixes={['comments:validation.']} />;
}

function CommentForm({ action, parentId }: { action: string; parentId?: string }) {
  const { t } = useTranslation('comments');
  const schema = parentId ? replySchema : addCommentSchema;
  const [form, fields] = useForm({
    id: parentId ? `reply-${parentId}` : 'comment-new',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="mt-2 space-y-2">
      <input type="hidden" name="intent" value={parentId ? 'reply' : 'add'} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <label htmlFor={fields.body.id} className="block font-medium">
        {parentId ? t('replyLabel') : t('label')}
      </label>
      <textarea className="input" rows={parentId ? 2 : 3} {...getTextareaProps(fields.body)} required maxLength={COMMENT_BODY_MAX} />
      <p id={fields.body.descriptionId} className="text-sm text-stone-500">
        {t('privacyHint')}
      </p>
      <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      <button type="submit" className="btn-primary">
        {parentId ? t('submitReply') : t('submit')}
      </button>
    </Form>
  );
}

function HideForm({ action, commentId }: { action: string; commentId: string }) {
  const { t } = useTranslation('comments');
  const [form, fields] = useForm({
    id: `hide-${commentId}`,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: hideSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="mt-2 space-y-2">
      <input type="hidden" name="intent" value="hide" />
      <input type="hidden" name="commentId" value={commentId} />
      <label htmlFor={fields.reason.id} className="block font-medium">
        {t('hideReason')}
      </label>
      <input className="input" {...getInputProps(fields.reason, { type: 'text' })} required maxLength={HIDE_REASON_MAX} />
      <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
      <button type="submit" className="btn-danger">
        {t('hideSubmit')}
      </button>
    </Form>
  );
}
