import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ProposalForm } from '~/features/proposals/proposal-form';
import { assistedProposalSchema, proposalFormSchema } from '~/features/proposals/proposal.schema';
import { assistableResident } from '~/features/accounts/assist.server';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { discardPhotos, proposalFormOptions, recordConsent, replyForFailure, storeProposalPhotos, unreadableFormReply } from '~/features/proposals/proposal-forms.server';
import { createProposal, getCompetitionRules, type AssistedSubmission } from '~/features/proposals/proposals.server';
import { redirectWithToast } from '~/core/toast.server';
import { parseUploadForm } from '~/core/uploads.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { MAX_PHOTOS } from '~/features/proposals/proposals';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'proposals'] };

async function load(request: Request, slug: string | undefined) {
  const user = await requirePermission(request, 'proposal:create');
  const rules = await getCompetitionRules(slug ?? '');
  invariantResponse(rules, 'Competition not found', { status: 404 });
  // ?for=<resident> : a grid worker submits for a resident of their area (checked on every request).
  const forId = new URL(request.url).searchParams.get('for');
  const resident = forId ? await assistableResident(user, forId) : null;
  invariantResponse(!forId || resident, 'You cannot submit for this resident', { status: 403 });
  return { user, rules, resident };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, rules, resident } = await load(request, params.slug);
  return {
    title: await pageTitle(request, 'proposals:form.newTitle', ['proposals', 'common']),
    open: rules.phase === 'submission',
    options: await proposalFormOptions(rules),
    communityId: (resident ? resident.communityId : user.communityId) ?? '',
    resident: resident && { name: resident.name },
    today: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, rules, resident } = await load(request, params.slug);
  const upload = await parseUploadForm(request, { maxFiles: MAX_PHOTOS + 1 });
  if (!upload.ok) return data({ result: unreadableFormReply(upload.reason) }, { status: upload.reason === 'tooLarge' ? 413 : 400 });
  const submission = parseWithZod(upload.formData, { schema: resident ? assistedProposalSchema : proposalFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 });
  let assisted: AssistedSubmission | undefined;
  if (resident) {
    const consent = await recordConsent(upload.formData, user.id);
    if (!consent.ok) return data({ result: submission.reply({ fieldErrors: { consentForm: [consent.reason] } }) }, { status: 400 });
    assisted = { workerId: user.id, consent: consent.consent };
  }
  const photos = await storeProposalPhotos(upload.formData, user.id, MAX_PHOTOS);
  if (!photos.ok) {
    await discardPhotos(assisted?.consent.formFileId ? [assisted.consent.formFileId] : []);
    return data({ result: submission.reply({ fieldErrors: { photos: [photos.reason] } }) }, { status: 400 });
  }
  const result = await createProposal({ rules, authorId: resident?.id ?? user.id, form: submission.value, photos: photos.photos, assisted });
  if (!result.ok) {
    await discardPhotos([...photos.photos.map((p) => p.fileId), ...(assisted?.consent.formFileId ? [assisted.consent.formFileId] : [])]);
    return data({ result: replyForFailure(submission, result) }, { status: 400 });
  }
  return redirectWithToast(`/competitions/${rules.slug}/proposals/${result.number}`, {
    type: 'success',
    key: result.status === 'submitted' ? 'proposals:toast.submitted' : 'proposals:toast.saved',
  });
}

export default function NewProposalPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { open, options, communityId, resident, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h2 className="text-2xl font-bold">{t('form.newTitle')}</h2>
      {open ? (
        <>
          <p className="text-stone-600">{t('form.intro')}</p>
          <ProposalForm
            id="new-proposal"
            assistedFor={resident ? { name: resident.name, today } : undefined}
            mode="draft"
            options={options}
            language={language}
            lastResult={actionData?.result}
            defaultValue={{ communityId, beneficiaries: [{ group: 'children', count: '' }], budget: [{ item: '', quantity: '1', unitPrice: '' }], organizationKind: 'new' }}
          />
        </>
      ) : (
        <p className="card">{t('common:validation.phaseClosed')}</p>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
