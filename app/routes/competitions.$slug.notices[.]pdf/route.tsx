import type { LoaderFunctionArgs } from '@remix-run/node';
import { noticePdfResponse, renderNotices, type Notice } from '~/components/notice-pdf.server';
import { getOptionalUser } from '~/core/auth.server';
import { fixedT } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { pdfFontPath } from '~/core/pdf-font.server';
import { hasPermission } from '~/core/permissions.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { competitionNotice } from '~/features/competitions/notice.server';
import { phaseReached, phaseWindow, votingOpen } from '~/features/competitions/phases';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { proposalNotice, streetByCode, streetNoticeProposals } from '~/features/proposals/notice.server';
import { noticeProject, projectNotice, streetProjectNumbers } from '~/features/projects/notice.server';
import { formatDate } from '~/utils/format';

/** At most this many notices (pages) in one PDF: a board's worth, and a bound on the work per request. */
const MAX_NOTICES = 200;

const text = (body: string, status: number) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' } });

/**
 * Every notice of a street for a competition in one PDF (`notices.pdf?street=<code>`, issue 18):
 * the competition's, each proposal of that street still in the running (from the vote on, the
 * eligible ones) and each project of that street. For the competition's committee and the
 * street's grid workers only (401 signed out, 403 anyone else, 404 an unknown street), so a
 * worker prints their own street's board and a committee its own competition's.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const loaded = await requireCompetition({ request, params, context });
  const rules = competitionRules(loaded);
  const user = await getOptionalUser(request, context);
  const t = fixedT('zh', ['notices', 'projects']);
  if (!user) return text(t('notices:error.needSignIn'), 401);
  const code = new URL(request.url).searchParams.get('street') ?? '';
  const street = code ? await streetByCode(code) : null;
  if (!street) return text(t('notices:error.noStreet'), 404);
  if (!hasPermission(user.roles, 'notices:printStreet', { competitionId: rules.id, streetId: street.id })) return text(t('notices:error.forbidden'), 403);
  const fontPath = pdfFontPath();
  if (!fontPath) return text(t('notices:error.unavailable'), 503);

  const now = new Date();
  const footer = t('notices:footer', { date: formatDate(now, 'zh', { dateStyle: 'long' }) });
  const room = MAX_NOTICES - 1;
  const [proposals, projectNumbers] = await Promise.all([
    streetNoticeProposals(rules, street.id, phaseReached(rules.phase, 'voting'), room),
    streetProjectNumbers(rules.id, street.id, room),
  ]);
  const projects = (await Promise.all(projectNumbers.slice(0, room - proposals.length).map((n) => noticeProject(rules.id, n)))).filter((p) => p !== null);
  const votingClosesAt = votingOpen(rules.phases, now) ? (phaseWindow(rules.phases, 'voting')?.endsAt ?? null) : null;
  const tn = fixedT('zh', 'notices');
  const notices: Notice[] = [
    competitionNotice(loaded.doc, tn, 'zh', footer),
    ...proposals.map((p) => proposalNotice(p, { slug: rules.slug, categories: loaded.doc.categories, votingClosesAt }, tn, 'zh', footer)),
    ...projects.map((p) => projectNotice(p, rules.slug, t, 'zh', footer)),
  ];
  const title = t('notices:bundleTitle', { street: pickText(street.name, 'zh'), competition: pickText(loaded.doc.title, 'zh') });
  const pdf = await renderNotices(notices.slice(0, MAX_NOTICES), { title, author: t('notices:author'), fontPath });
  return noticePdfResponse(pdf, `laoshanxing-${rules.slug}-notices-${street.id}.pdf`, 'private');
}
