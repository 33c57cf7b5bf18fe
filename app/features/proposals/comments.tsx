import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react';
import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { COMMENT_BODY_MAX, HIDE_REASON_MAX, REPORT_NOTE_MAX, REPORT_REASONS, type CommentsSectionData, type CommentView } from './comment-fields';
import type { CommentAction } from './comment.schema';
import { formatDate } from '~/utils/format';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

/**
 * The comments of a proposal page. The page's loader supplies `section` (getCommentsSection in
 * app/features/proposals/comments.server.ts) and lists "comments" in its handle's i18n namespaces. Every
 * form posts to the comments route and works without JavaScript. Text is rendered as text. The
 * forms validate on the server only (comment.schema.ts; the page is public and carries no zod):
 * a refused post comes back as a translated toast, and `maxLength` keeps a text within its limit.
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
      {section.comments.length === 0 ? <EmptyState plain title={t('empty')} next={section.cannotComment === null ? t('emptyNext') : null} /> : null}
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
          {comment.reports?.length ? <ReportReasons reports={comment.reports} /> : null}
          {comment.hidden ? <p className="text-sm">{t('hiddenReason', { reason: comment.hidden.reason })}</p> : null}
          <p className="break-words whitespace-pre-line">{comment.body}</p>
          {/* Each action a full tap target (44 px) with room between, for fingers that are not precise. */}
          <div className="mt-1 flex flex-wrap items-start gap-x-4 gap-y-2 text-base">
            {canReply ? (
              <details className="open:basis-full">
                <summary className={`${ACTION} text-brand-700`}>{t('reply')}</summary>
                <CommentForm key={comment.replies.length} action={action} parentId={comment.id} />
              </details>
            ) : null}
            {canReport ? (
              comment.reportedByMe ? (
                <span className="inline-flex min-h-11 items-center text-stone-600">{t('reported')}</span>
              ) : (
                <details className="open:basis-full">
                  <summary className={`${ACTION} text-stone-700`}>{t('report')}</summary>
                  <ReportForm action={action} commentId={comment.id} />
                </details>
              )
            ) : null}
            {section.canModerate ? (
              comment.hidden ? (
                <Form method="post" action={action}>
                  <input type="hidden" name="commentId" value={comment.id} />
                  <button type="submit" name="intent" value="unhide" className={`${ACTION} text-brand-700`}>
                    {t('unhide')}
                  </button>
                </Form>
              ) : (
                <details className="open:basis-full">
                  <summary className={`${ACTION} text-red-700`}>{t('hide')}</summary>
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

const ACTION = 'inline-flex min-h-11 min-w-11 cursor-pointer items-center justify-center rounded-lg px-3 underline hover:bg-stone-100';

/** Why the comment was reported, for the committee: reasons and notes, never who. */
function ReportReasons({ reports }: { reports: NonNullable<CommentView['reports']> }) {
  const { t } = useTranslation('comments');
  return (
    <div className="mt-1 rounded-lg border border-red-200 bg-red-50 p-2 text-base text-red-900" data-testid="report-reasons">
      <p className="font-medium">{t('reportsTitle')}</p>
      <ul className="list-disc pl-5">
        {reports.map((report, index) => (
          <li key={index}>
            {report.reason ? t(`reportReason.${report.reason}`) : t('reportReasonNone')}
            {report.note ? <span className="break-words">{t('reportNote', { note: report.note })}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The fields of the form that posts `intent` (named after the action's schema). */
type FormOf<Intent extends CommentAction['intent']> = Extract<CommentAction, { intent: Intent }>;

/** Reporting asks why: a reason to choose (no default) and, for "other", a note. */
function ReportForm({ action, commentId }: { action: string; commentId: string }) {
  const { t } = useTranslation('comments');
  const [form, fields] = useForm<FormOf<'report'>>({ id: `report-${commentId}` });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="mt-2 space-y-3 rounded-lg border border-stone-200 p-3">
      <input type="hidden" name="intent" value="report" />
      <input type="hidden" name="commentId" value={commentId} />
      <div>
        <label htmlFor={fields.reason.id} className="mb-1 block font-medium">
          {t('reportReasonLabel')}
        </label>
        <select className="input" {...getSelectProps(fields.reason)} required defaultValue="">
          <option value="" disabled>
            {t('reportChoose')}
          </option>
          {REPORT_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {t(`reportReason.${reason}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={fields.note.id} className="mb-1 block font-medium">
          {t('reportNoteLabel')}
        </label>
        <textarea className="input" rows={2} {...getTextareaProps(fields.note)} maxLength={REPORT_NOTE_MAX} />
      </div>
      <button type="submit" className="btn-danger">
        {t('reportSubmit')}
      </button>
    </Form>
  );
}

function CommentForm({ action, parentId }: { action: string; parentId?: string }) {
  const { t } = useTranslation('comments');
  const [form, fields] = useForm<FormOf<'add' | 'reply'>>({ id: parentId ? `reply-${parentId}` : 'comment-new' });
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
      <button type="submit" className="btn-primary">
        {parentId ? t('submitReply') : t('submit')}
      </button>
    </Form>
  );
}

function HideForm({ action, commentId }: { action: string; commentId: string }) {
  const { t } = useTranslation('comments');
  const [form, fields] = useForm<FormOf<'hide'>>({ id: `hide-${commentId}` });
  return (
    <Form method="post" action={action} {...getFormProps(form)} className="mt-2 space-y-2">
      <input type="hidden" name="intent" value="hide" />
      <input type="hidden" name="commentId" value={commentId} />
      <label htmlFor={fields.reason.id} className="block font-medium">
        {t('hideReason')}
      </label>
      <input className="input" {...getInputProps(fields.reason, { type: 'text' })} required maxLength={HIDE_REASON_MAX} />
      <button type="submit" className="btn-danger">
        {t('hideSubmit')}
      </button>
    </Form>
  );
}
