import { useTranslation } from 'react-i18next';
import type { ProjectStatus } from './rules';

const STYLE: Record<ProjectStatus, string> = {
  planning: 'bg-sky-100 text-sky-900',
  inProgress: 'bg-amber-100 text-amber-900',
  completed: 'bg-emerald-100 text-emerald-900',
  suspended: 'bg-stone-200 text-stone-800',
  terminated: 'bg-red-100 text-red-900',
};

/** A project's status in words and colour (the colour is never the only signal). */
export function ProjectStatusBadge({ status }: { status: ProjectStatus }) {
  const { t } = useTranslation('projects');
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${STYLE[status]}`}>{t(`status.${status}`)}</span>;
}
