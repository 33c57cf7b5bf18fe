import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getOptionalUser, requireUser } from '~/core/auth.server';
import { getFixedT } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { getManagedOrganization, getOrganization, setShowName } from '~/features/organizations/registry.server';
import { mayOpenIncubation } from '~/features/organizations/rules';
import { implementingCompetitions, outcomesOfProjects, projectsOfOrganization } from '~/features/projects/implementer.server';
import { ProjectStatusBadge } from '~/features/projects/status-badge';
import { formatDate, formatNumber } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'organizations', 'projects'] };

/**
 * One organization's public profile: name, type, place, incubation stage since when, member
 * count (names only of members who chose to be named), the projects it carries out with their
 * outcomes and the volunteer hours of their approved reports. Its contact and members by name
 * only for those who may manage it (getManagedOrganization decides and reads); the incubation
 * checklist, evidence and mentors' notes never here, only a link for those who may open them.
 * Three round trips: the organization and its projects at once, then places, names and
 * competitions, then outcomes and the managers' view.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = params.id ?? '';
  const [organization, projects, viewer, t] = await Promise.all([getOrganization(id), projectsOfOrganization(id), getOptionalUser(request, context), getFixedT(request, ['common'])]);
  invariantResponse(organization, 'Not found', { status: 404 });
  const implementsIn = implementingCompetitions(projects);
  const [outcomes, managed] = await Promise.all([outcomesOfProjects(projects.map((p) => p.id)), viewer ? getManagedOrganization(viewer, organization, implementsIn) : null]);
  const volunteerHours = [...outcomes.values()].reduce((sum, o) => sum + o.volunteerHours, 0);
  const member = viewer ? organization.memberIds.includes(viewer.id) : false;
  return {
    title: `${organization.name} · ${t('brand.name')}`,
    organization: {
      id: organization.id,
      name: organization.name,
      type: organization.type,
      street: organization.street,
      community: organization.community,
      memberCount: organization.memberCount,
      shownMembers: organization.shownMembers,
      stage: organization.stage,
      stageSince: organization.stageSince,
      volunteerHours,
    },
    projects: projects.map((p) => {
      const outcome = outcomes.get(p.id);
      return { slug: p.slug, year: p.year, number: p.number, title: p.title, status: p.status, progressPct: p.progressPct, volunteerHours: outcome?.volunteerHours ?? 0, peopleServed: outcome?.peopleServed ?? 0 };
    }),
    managed,
    incubation: Boolean(viewer && mayOpenIncubation(viewer, organization, implementsIn)),
    // The viewer's own choice, when they are a member (only they may change it).
    me: member && viewer ? { showName: organization.shownMemberIds.includes(viewer.id) } : null,
  };
}

/** A member turns their name on the public profile on or off; nobody else may. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  invariantResponse(form.get('intent') === 'showName', 'Bad request', { status: 400 });
  const result = await setShowName({ userId: user.id, organizationId: params.id ?? '', show: form.get('show') === 'on', ip: clientIp(request) });
  invariantResponse(result.ok || result.reason !== 'notFound', 'Not found', { status: 404 });
  invariantResponse(result.ok, 'Forbidden', { status: 403 });
  return redirectWithToast(`/organizations/${params.id ?? ''}`, { type: 'success', key: 'organizations:toast.showNameSaved' });
}

export default function OrganizationPage() {
  const { t } = useTranslation(['organizations', 'projects', 'common']);
  const { organization, projects, managed, incubation, me } = useLoaderData<typeof loader>();
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
        {incubation ? (
          <Link to="incubation" relative="path" className="btn-secondary">
            {t('detail.incubation')}
          </Link>
        ) : null}
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
            <dt className="text-stone-600">{t('detail.stage')}</dt>
            <dd className="font-semibold" data-testid="public-stage">
              {t(`stage.${organization.stage}`)} <span className="font-normal text-stone-600">{t('detail.stageSince', { date: formatDate(organization.stageSince, language) })}</span>
            </dd>
          </div>
          <div className="space-y-1">
            <dt className="text-stone-600">{t('detail.members')}</dt>
            <dd className="font-semibold">{t('detail.memberCount', { count: organization.memberCount })}</dd>
            {organization.shownMembers.length ? <dd className="text-stone-700">{organization.shownMembers.join('、')}</dd> : null}
          </div>
          <div className="space-y-1">
            <dt className="text-stone-600">{t('detail.volunteerHours')}</dt>
            <dd className="font-semibold">{t('detail.hours', { hours: formatNumber(organization.volunteerHours, language) })}</dd>
          </div>
        </dl>
      </section>

      {me ? (
        <Form method="post" className="card space-y-2">
          <input type="hidden" name="intent" value="showName" />
          <label className="flex min-h-11 items-start gap-3">
            <input type="checkbox" name="show" value="on" defaultChecked={me.showName} className="mt-1 h-5 w-5" aria-describedby="show-name-help" />
            <span>
              <span className="font-medium">{t('detail.showName')}</span>
              <span id="show-name-help" className="block text-stone-600">
                {t('detail.showNameHelp')}
              </span>
            </span>
          </label>
          <button type="submit" className="btn-secondary">
            {t('detail.showNameSave')}
          </button>
        </Form>
      ) : null}

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
                <span className="w-full text-stone-700">{t('detail.outcome', { progress: p.progressPct, people: formatNumber(p.peopleServed, language), hours: formatNumber(p.volunteerHours, language) })}</span>
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
