import { Types } from 'mongoose';
import type { TFunction } from 'i18next';
import { Project } from '#models';
import type { Notice } from '~/components/notice-pdf.server';
import type { Language } from '~/core/locales';
import { publicUrl } from '~/core/request.server';
import { formatDate, formatMoney, formatNumber } from '~/utils/format';
import { milestoneState } from './milestones';
import { getApprovedMilestones } from './milestones.server';
import { publicReports } from './reports.server';
import { getProjectView } from './views.server';
import { projectShortPath } from './notice';


/** What a project's notice shows, read from what its public page shows (never receipts or names of beneficiaries). */
export interface NoticeProject {
  number: number;
  title: string;
  summary: string;
  status: string;
  progressPct: number;
  approvedBudgetFen: number;
  spentFen: number;
  peopleServed: number;
  organization: string;
  /** The first milestone not yet complete; null with none left, or no approved plan (`planned` false). */
  next: { title: string; dueDate: string } | null;
  planned: boolean;
}

export async function noticeProject(competitionId: string, number: number): Promise<NoticeProject | null> {
  const [view, plan] = await Promise.all([getProjectView(competitionId, number), getApprovedMilestones(competitionId, number, null)]);
  if (!view) return null;
  const reports = await publicReports(view.id);
  const next = (plan?.milestones ?? []).filter((m) => milestoneState(m) !== 'completed').sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0] ?? null;
  return {
    number: view.number,
    title: view.title,
    summary: view.summary,
    status: view.status,
    progressPct: view.progressPct,
    approvedBudgetFen: view.approvedBudgetFen,
    spentFen: reports.money.spentFen,
    peopleServed: reports.people.total,
    organization: view.organization.name ?? '',
    next: next ? { title: next.title, dueDate: next.dueDate } : null,
    planned: (plan?.milestones.length ?? 0) > 0,
  };
}

/** A project's notice (issue 18): progress, money spent, people served, the next milestone. `t` has the notices and projects namespaces. */
export function projectNotice(p: NoticeProject, slug: string, t: TFunction, language: Language, footer: string): Notice {
  return {
    kicker: t('notices:project.kicker', { number: p.number }),
    title: p.title,
    lead: p.summary,
    facts: [
      { label: t('notices:project.status'), value: t(`projects:status.${p.status}`) },
      { label: t('notices:project.progress'), value: t('notices:project.progressValue', { pct: p.progressPct }) },
      { label: t('notices:project.spent'), value: t('notices:project.spentValue', { spent: formatMoney(p.spentFen, language), budget: formatMoney(p.approvedBudgetFen, language) }) },
      { label: t('notices:project.people'), value: formatNumber(p.peopleServed, language) },
    ],
    body: [
      ...(p.next ? [t('notices:project.next', { title: p.next.title, date: formatDate(p.next.dueDate, language, { dateStyle: 'long' }) })] : p.planned ? [t('notices:project.noNext')] : []),
      ...(p.organization ? [t('notices:project.organization', { name: p.organization })] : []),
    ],
    url: publicUrl(`/competitions/${slug}/projects/${p.number}`),
    shortUrl: publicUrl(projectShortPath(slug, p.number)).replace(/^https?:\/\//, ''),
    scanHint: t('notices:scan'),
    footer,
  };
}

/** The numbers of a street's projects in a competition, at most `limit`. */
export async function streetProjectNumbers(competitionId: string, streetId: string, limit: number): Promise<number[]> {
  const docs = await Project.find({ competition: new Types.ObjectId(competitionId), street: new Types.ObjectId(streetId) })
    .select('number')
    .sort({ number: 1 })
    .limit(limit)
    .lean();
  return docs.map((d) => d.number);
}


/** Whether the competition has a project of that number (every project is public). */
export async function projectExists(competitionId: string, number: number): Promise<boolean> {
  return (await Project.exists({ competition: new Types.ObjectId(competitionId), number })) !== null;
}
