import type { LoaderFunctionArgs } from '@remix-run/node';
import { noticePdfResponse, renderNotices } from '~/components/notice-pdf.server';
import { pdfFontPath } from '~/core/pdf-font.server';
import { fixedT } from '~/core/i18n.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { competitionNotice } from '~/features/competitions/notice.server';
import { formatDate } from '~/utils/format';

/** The competition's A4 notice for community boards (issue 18): public, in Chinese, as the boards are. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { doc } = await requireCompetition({ request, params, context });
  const t = fixedT('zh', 'notices');
  const fontPath = pdfFontPath();
  if (!fontPath) return new Response(t('error.unavailable'), { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const footer = t('footer', { date: formatDate(new Date(), 'zh', { dateStyle: 'long' }) });
  const notice = competitionNotice(doc, t, 'zh', footer);
  const pdf = await renderNotices([notice], { title: notice.title, author: t('author'), fontPath });
  return noticePdfResponse(pdf, `laoshanxing-${doc.slug}-notice.pdf`, 'public');
}
