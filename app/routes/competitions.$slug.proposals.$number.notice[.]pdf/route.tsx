import type { LoaderFunctionArgs } from '@remix-run/node';
import { noticePdfResponse, renderNotices } from '~/components/notice-pdf.server';
import { pdfFontPath } from '~/core/pdf-font.server';
import { fixedT } from '~/core/i18n.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { phaseWindow, votingOpen } from '~/features/competitions/phases';
import { getProposalView } from '~/features/proposals/browse.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { proposalNotice } from '~/features/proposals/notice.server';
import { formatDate } from '~/utils/format';
import { invariantResponse, numberParam } from '~/utils/misc';

/**
 * A proposal's A4 notice (issue 18): only public proposals have one (read as an anonymous
 * visitor reads it, so a draft or a withdrawn proposal is a 404 even to its author).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const loaded = await requireCompetition({ request, params, context });
  const rules = competitionRules(loaded);
  const number = numberParam(params.number);
  const proposal = await getProposalView(rules, number, null);
  invariantResponse(proposal, 'Not found', { status: 404 });
  const t = fixedT('zh', 'notices');
  const fontPath = pdfFontPath();
  if (!fontPath) return new Response(t('error.unavailable'), { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const now = new Date();
  const footer = t('footer', { date: formatDate(now, 'zh', { dateStyle: 'long' }) });
  const notice = proposalNotice(
    { ...proposal, community: proposal.community?.name ?? null },
    { slug: rules.slug, categories: loaded.doc.categories, votingClosesAt: votingOpen(rules.phases, now) ? (phaseWindow(rules.phases, 'voting')?.endsAt ?? null) : null },
    t,
    'zh',
    footer,
  );
  const pdf = await renderNotices([notice], { title: notice.title, author: t('author'), fontPath });
  return noticePdfResponse(pdf, `laoshanxing-${rules.slug}-proposal-${number}.pdf`, 'public');
}
