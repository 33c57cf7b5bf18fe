import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ProposalForm } from '~/components/proposal-form';
import { proposalFormSchema } from '~/schemas/proposal';
import { requirePermission } from '~/services/auth.server';
import { pageTitle } from '~/services/i18n.server';
import { discardPhotos, proposalFormOptions, replyForFailure, storeProposalPhotos, unreadableFormReply } from '~/services/proposal-forms.server';
import { createProposal, getCompetitionRules } from '~/services/proposals.server';
import { redirectWithToast } from '~/services/toast.server';
import { parseUploadForm } from '~/services/uploads.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { MAX_PHOTOS } from '~/utils/proposals';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'proposals'] };

async function load(request: Request, slug: string | undefined) {
  const user = await requirePermission(request, 'proposal:create');
  const rules = await getCompetitionRules(slug ?? '');
  invariantResponse(rules, 'Competition not found', { status: 404 });
  return { user, rules };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, rules } = await load(request, params.slug);
  return {
    title: await pageTitle(request, 'proposals:form.newTitle', ['proposals', 'common']),
    open: rules.phase === 'submission',
    options: await proposalFormOptions(rules),
    communityId: user.communityId ?? '',
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, rules } = await load(request, params.slug);
  const upload = await parseUploadForm(request, { maxFiles: MAX_PHOTOS });
  if (!upload.ok) return data({ result: unreadableFormReply(upload.reason) }, { status: upload.reason === 'tooLarge' ? 413 : 400 });
  const submission = parseWithZod(upload.formData, { schema: proposalFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 });
  const photos = await storeProposalPhotos(upload.formData, user.id, MAX_PHOTOS);
  if (!photos.ok) return data({ result: submission.reply({ fieldErrors: { photos: [photos.reason] } }) }, { status: 400 });
  const result = await createProposal({ rules, authorId: user.id, form: submission.value, photos: photos.photos });
  if (!result.ok) {
    await discardPhotos(photos.photos.map((p) => p.fileId));
    return data({ result: replyForFailure(submission, result) }, { status: 400 });
  }
  return redirectWithToast(`/competitions/${rules.slug}/proposals/${result.number}`, {
    type: 'success',
    key: result.status === 'submitted' ? 'proposals:toast.submitted' : 'proposals:toast.saved',
  });
}

export default function NewProposalPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { open, options, communityId } = useLoaderData<typeof loader>();
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
