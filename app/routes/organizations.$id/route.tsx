import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser } from '~/core/auth.server';
import { getFixedT } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { getManagedOrganization, getOrganization } from '~/features/organizations/registry.server';
import { implementingCompetitions, projectsOfOrganization } from '~/features/projects/implementer.server';
import { ProjectStatusBadge } from '~/features/projects/status-badge';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'organizations', 'projects'] };

/**
 * One organization: public facts and the projects it implements for everyone; its contact and
 * members by name only for those who may manage it (getManagedOrganization decides and reads).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const [organization, viewer, t] = await Promise.all([getOrganization(params.id ?? ''), getOptionalUser(request, context), getFixedT(request, ['common'])]);
  invariantResponse(organization, 'Not found', { status: 404 });
  const projects = await projectsOfOrganization(organization.id);
  const managed = viewer ? await getManagedOrganization(viewer, organization, implementingCompetitions(projects)) : null;
  return {
    title: `${organization.name} · ${t('brand.name')}`,
    organization: { id: organization.id, name: organization.name, type: organization.type, street: organization.street, community: organization.community, memberCount: organization.memberCount },
    projects: projects.map((p) => ({ slug: p.slug, year: p.year, number: p.number, title: p.title, status: p.status })),
    managed,
  };
}

export default function OrganizationPage() {
  const { t } = useTranslation(['organizations', 'projects', 'common']);
  const { organization, projects, managed } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const place = [organization.street, organization.community].filter((p) => p !== null).map((p) => pickText(p, language));
  return (
    <article className="space-y-5">
      <header className="space-y-2">
        <p>
          <Link to="/organizations" className="inline-flex min-h-11 items-center underline">
            {t('detail.all')}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{organization.name}</h1>
        <p className="text-lg text-stone-700">{t(`type.${organization.type}`)}</p>
      </header>
      <section className="card">
        <dl className="grid gap-4 sm:grid-cols-2">
          {place.length ? (
            <div className="space-y-1">
              <dt className="text-stone-600">{t('detail.place')}</dt>
              <dd className="font-semibold">{place.join(' · ')}</dd>
            </div>
          ) : null}
          <div className="space-y-1">
            <dt className="text-stone-600">{t('detail.members')}</dt>
            <dd className="font-semibold">{t('detail.memberCount', { count: organization.memberCount })}</dd>
          </div>
        </dl>
      </section>

      <section className="space-y-2" aria-labelledby="organization-projects">
        <h2 id="organization-projects" className="text-lg font-semibold">
          {t('detail.projects')}
        </h2>
        {projects.length === 0 ? (
          <p className="text-stone-700">{t('detail.noProjects')}</p>
        ) : (
          <ul className="space-y-2">
            {projects.map((p) => (
              <li key={`${p.slug}-${p.number}`} className="flex flex-wrap items-center gap-2 rounded-lg border border-stone-200 p-3">
                <ProjectStatusBadge status={p.status} />
                <Link to={`/competitions/${p.slug}/projects/${p.number}`} className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline">
                  {p.title}
                </Link>
                <span className="text-stone-600">{t('detail.projectYear', { year: p.year })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {managed ? (
        <section className="card space-y-3" aria-labelledby="organization-private">
          <h2 id="organization-private" className="text-lg font-semibold">
            {t('detail.private')}
          </h2>
          <p className="text-stone-600">{t('detail.privateHelp')}</p>
          <dl className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-1">
              <dt className="text-stone-600">{t('field.contactName')}</dt>
              <dd className="font-semibold">{managed.contact.name || t('detail.none')}</dd>
            </div>
            <div className="space-y-1">
              <dt className="text-stone-600">{t('field.contactPhone')}</dt>
              <dd className="font-semibold">{managed.contact.phone ? <a href={`tel:${managed.contact.phone}`} className="inline-flex min-h-11 items-center underline">{managed.contact.phone}</a> : t('detail.none')}</dd>
            </div>
          </dl>
          {managed.members.length ? (
            <ul className="space-y-1">
              {managed.members.map((m) => (
                <li key={m.user}>
                  {m.name} · {t(`role.${m.role}`)}
                </li>
              ))}
            </ul>
          ) : null}
          <Link to="edit" relative="path" className="btn-secondary">
            {t('detail.edit')}
          </Link>
        </section>
      ) : null}
    </article>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
