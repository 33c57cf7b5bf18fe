import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { PledgeForm, type PledgeFormErrors, type PledgeTyped } from '~/features/resources/pledge-form';
import { pledgeSchema } from '~/features/resources/pledge.schema';
import { mayManageResources, recordPledge } from '~/features/resources/pledges.server';
import { dateInputValue, type PartnerKind } from '~/features/resources/rules';
import { titleMeta } from '~/utils/meta';
import { numberParam } from '~/utils/misc';

export const handle = { i18n: ['common', 'resources'] };

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' });

/**
 * Offering a pledge of one's own to a public need (district staff may record a named partner's
 * or the fund's). A need that is not public takes none (the service refuses, 409).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const partnerKinds: (PartnerKind | 'self')[] = mayManageResources(user) ? ['fund', 'enterprise', 'organization', 'individual'] : ['self'];
  return { title: await pageTitle(request, 'resources:need.offerTitle', ['resources', 'common']), number, partnerKinds, today: dateInputValue(new Date()) };
}

type Reply = { errors: PledgeFormErrors; typed: PledgeTyped };

const REFUSED = { notFound: 404, forbidden: 403, fundStaffOnly: 403, needNotPublic: 409, dueDateOutOfRange: 400 } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const form = await readForm(request);
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const typed: PledgeTyped = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.slice(0, 500)]));
  const parsed = pledgeSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: PledgeFormErrors = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    return data<Reply>({ errors, typed }, { status: 400 });
  }
  if (!mayManageResources(user) && parsed.data.partnerKind !== 'self') return data<Reply>({ errors: { form: ['forbidden'] }, typed }, { status: 403 });
  const recorded = await recordPledge({ user, target: { type: 'need', number }, values: parsed.data, ip: clientIp(request) });
  if (!recorded.ok) {
    const field = recorded.reason === 'dueDateOutOfRange' ? 'dueDate' : 'form';
    return data<Reply>({ errors: { [field]: [recorded.reason] }, typed }, { status: REFUSED[recorded.reason] });
  }
  return redirectWithToast(`/resources/pledges/${recorded.number}`, { type: 'success', key: 'resources:toast.recorded', values: { number: recorded.number } });
}

export default function NeedPledgePage() {
  const { t } = useTranslation(['resources', 'common']);
  const { number, partnerKinds, today } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <Link to={`/needs/${number}`} className="inline-flex min-h-11 items-center text-brand-800 underline">
        ← {t('pledge.need', { number })}
      </Link>
      <h1 id="pledge-form-title" className="text-2xl font-bold">
        {t('need.offerTitle')}
      </h1>
      <p className="text-stone-700">{t('form.noPayment')}</p>
      <div className="card">
        <PledgeForm partnerKinds={partnerKinds} typed={answer?.typed ?? {}} errors={answer?.errors ?? {}} today={today} />
      </div>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
