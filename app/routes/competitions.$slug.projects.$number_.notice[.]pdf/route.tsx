import type { LoaderFunctionArgs } from '@remix-run/node';
import { noticePdfResponse, renderNotices } from '~/components/notice-pdf.server';
import { pdfFontPath } from '~/core/pdf-font.server';
import { fixedT } from '~/core/i18n.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { noticeProject, projectNotice } from '~/features/projects/notice.server';
import { formatDate } from '~/utils/format';
import { invariantResponse, numberParam } from '~/utils/misc';

/** A project's A4 notice (issue 18): progress, money spent, people served, the next milestone. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const number = numberParam(params.number);
  const project = await noticeProject(String(doc._id), number);
  invariantResponse(project, 'Not found', { status: 404 });
  const t = fixedT('zh', ['notices', 'projects']);
  const fontPath = pdfFontPath();
  if (!fontPath) return new Response(t('notices:error.unavailable'), { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const footer = t('notices:footer', { date: formatDate(new Date(), 'zh', { dateStyle: 'long' }) });
  const notice = projectNotice(project, doc.slug, t, 'zh', footer);
  const pdf = await renderNotices([notice], { title: notice.title, author: t('notices:author'), fontPath });
  return noticePdfResponse(pdf, `laoshanxing-${doc.slug}-project-${number}.pdf`, 'public');
}
