import type { SessionUser } from '~/core/auth.server';
import { hasPermission, hasRole } from '~/core/permissions.server';
import type { RawFigures } from './figures';

/**
 * Who may download a year's annual report: an admin, or a committee member of one of that
 * year's competitions (the report names projects' organizations and spending per project, which
 * the committee presents; the public reads the same figures on the dashboard).
 */
export function mayDownloadReport(user: Pick<SessionUser, 'roles'>, raw: Pick<RawFigures, 'competitions'>, year: number): boolean {
  if (hasRole(user.roles, 'admin')) return true;
  return raw.competitions.some((c) => c.year === year && hasPermission(user.roles, 'competition:manage', { competitionId: c.id }));
}

/** Whether the user downloads any year's report (the all-years page tells them to choose a year). */
export function downloadsReports(user: Pick<SessionUser, 'roles'>): boolean {
  return hasRole(user.roles, 'admin') || hasRole(user.roles, 'committee');
}
