import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

interface ProjectLink {
  competitionSlug: string;
  number: number;
  title: string;
}

/** On the account page: the project teams this person is invited to, and the projects they mentor. */
export function MyProjectsSection({ invitations, mentoring }: { invitations: ProjectLink[]; mentoring: ProjectLink[] }) {
  const { t } = useTranslation(['projects']);
  if (!invitations.length && !mentoring.length) return null;
  const item = (p: ProjectLink, page: 'team' | 'plan') => (
    <li key={`${p.competitionSlug}/${p.number}`}>
      <Link to={`/competitions/${p.competitionSlug}/projects/${p.number}/${page}`} className="inline-flex min-h-11 items-center underline">
        {p.title}
      </Link>
    </li>
  );
  return (
    <section className="card space-y-3" aria-labelledby="my-projects-heading">
      <h2 id="my-projects-heading" className="text-xl font-bold">{t('mine.title')}</h2>
      {invitations.length ? (
        <div>
          <h3 className="font-semibold">{t('mine.invitations')}</h3>
          <ul>{invitations.map((p) => item(p, 'team'))}</ul>
        </div>
      ) : null}
      {mentoring.length ? (
        <div>
          <h3 className="font-semibold">{t('mine.mentoring')}</h3>
          <ul>{mentoring.map((p) => item(p, 'plan'))}</ul>
        </div>
      ) : null}
    </section>
  );
}
