import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { requireCompetition } from '~/features/competitions/context.server';
import { findTeamProject, teamAccess } from '~/features/projects/team.server';
import { PledgeForm, type PledgeFormErrors, type PledgeTyped } from '~/features/resources/pledge-form';
import { PledgeList } from '~/features/resources/pledge-list';
import { pledgeSchema } from '~/features/resources/pledge.schema';
import { mayManageResources, recordPledge } from '~/features/resources/pledges.server';
import { dateInputValue, pageNumber, type PartnerKind } from '~/features/resources/rules';
import { teamPledges } from '~/features/resources/views.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'resources'] };

// Names of anonymous donors and overdue promises are the team's business: never shared or kept.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

/**
 * A project's resources: its team, its committee and district staff see every pledge (overdue
 * ones flagged) and record new ones (staff also the 崂善行 fund's allocations); anyone else
 * signed in may offer a pledge of their own here. The project is the page's: a pledge recorded
 * here can only ever be this project's.
 */
async function guard(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = await requireUser(args.request);
  const { doc } = await requireCompetition(args);
  const project = await findTeamProject(String(doc._id), numberParam(args.params.number));
  invariantResponse(project, 'Not found', { status: 404 });
  const access = teamAccess(user, project);
  const staff = mayManageResources(user);
  const insider = access.team || access.committee || staff;
  const partnerKinds: (PartnerKind | 'self')[] = insider ? [...(staff ? (['fund'] as const) : []), 'enterprise', 'organization', 'individual'] : ['self'];
  return { user, doc, project, insider, partnerKinds };
}

export async function loader(args: LoaderFunctionArgs) {
  const { project, insider, partnerKinds } = await guard(args);
  const page = pageNumber(new URL(args.request.url).searchParams.get('page'));
  const [list, title] = await Promise.all([insider ? teamPledges(project.id, page) : null, pageTitle(args.request, 'resources:project.title', ['resources', 'common'])]);
  return { title, project: { number: project.number, title: project.title }, insider, partnerKinds, list, page, today: dateInputValue(new Date()) };
}

type Reply = { errors: PledgeFormErrors; typed: PledgeTyped };

const REFUSED = { notFound: 404, forbidden: 403, fundStaffOnly: 403, needNotPublic: 409, dueDateOutOfRange: 400 } as const;

export async function action(args: ActionFunctionArgs) {
  const { user, doc, project } = await guard(args);
  const form = await readForm(args.request);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const typed: PledgeTyped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.slice(0, 500)]));
  const parsed = pledgeSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: PledgeFormErrors = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    return data<Reply>({ errors, typed }, { status: 400 });
  }
  const recorded = await recordPledge({ user, target: { type: 'project', competitionId: String(doc._id), number: project.number }, values: parsed.data, ip: clientIp(args.request) });
  if (!recorded.ok) {
    const field = recorded.reason === 'dueDateOutOfRange' ? 'dueDate' : 'form';
    return data<Reply>({ errors: { [field]: [recorded.reason] }, typed }, { status: REFUSED[recorded.reason] });
  }
  return redirectWithToast(`/resources/pledges/${recorded.number}`, { type: 'success', key: 'resources:toast.recorded', values: { number: recorded.number } });
}

export default function ProjectResourcesPage() {
  const { t } = useTranslation(['resources', 'common']);
  const { project, insider, partnerKinds, list, page, today } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-5">
      <Link to=".." relative="path" className="inline-flex min-h-11 items-center text-brand-800 underline">
        ← {project.title}
      </Link>
      <h2 className="text-2xl font-bold">{t('project.title')}</h2>
      <p className="text-stone-700">{insider ? t('project.introTeam') : t('project.introOffer')}</p>
      {list ? (
        <section className="space-y-3" aria-labelledby="team-pledges">
          <h3 id="team-pledges" className="text-lg font-semibold">
            {t('project.list', { count: list.total })}
          </h3>
          {list.items.length ? <PledgeList lines={list.items} language={language} link={(line) => `/resources/pledges/${line.number}`} /> : <p className="text-stone-700">{t('project.none')}</p>}
          <Pagination page={page} pages={list.pages} />
        </section>
      ) : null}
      <section className="card space-y-3">
        <h3 id="pledge-form-title" className="text-lg font-semibold">
          {insider ? t('form.recordTitle') : t('form.offerTitle')}
        </h3>
        <p className="text-stone-700">{t('form.noPayment')}</p>
        <PledgeForm partnerKinds={partnerKinds} typed={answer?.typed ?? {}} errors={answer?.errors ?? {}} today={today} />
      </section>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
