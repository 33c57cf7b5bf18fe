import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ProposalForm } from '~/features/proposals/proposal-form';
import { assistedProposalSchema, proposalFormSchema } from '~/features/proposals/proposal.schema';
import { assistableResident } from '~/features/accounts/assist.server';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { discardPhotos, proposalFormOptions, recordConsent, storeProposalPhotos } from '~/features/proposals/proposal-forms.server';
import { replyForFailure, unreadableFormReply } from '~/features/proposals/form-replies';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { createProposal, type AssistedSubmission } from '~/features/proposals/drafts.server';
import { redirectWithToast } from '~/core/toast.server';
import { clientIp } from '~/core/request.server';
import { finishKioskAct } from '~/features/accounts/kiosk.server';
import { parseUploadForm } from '~/core/uploads.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { MAX_PHOTOS } from '~/features/proposals/proposals';
import { useLanguage } from '~/utils/root-data';
import { shanghaiDay } from '~/utils/dates';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';
import { competitionSummary } from '~/features/competitions/competitions.server';

export const handle = { i18n: ['common', 'proposals'] };

async function load(args: CompetitionArgs) {
  const { request } = args;
  const user = await requirePermission(request, 'proposal:create');
  const competition = await requireCompetition(args);
  const rules = competitionRules(competition);
  // ?for=<resident> : a grid worker submits for a resident of their area (checked on every request).
  const forId = new URL(request.url).searchParams.get('for');
  const resident = forId ? await assistableResident(user, forId) : null;
  invariantResponse(!forId || resident, 'You cannot submit for this resident', { status: 403 });
  return { user, competition, rules, resident };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, competition, rules, resident } = await load({ request, params, context });
  return {
    title: await pageTitle(request, 'proposals:form.newTitle', ['proposals', 'common']),
    open: rules.phase === 'submission',
    options: await proposalFormOptions(rules, competitionSummary(competition).categories),
    communityId: (resident ? resident.communityId : user.communityId) ?? '',
    resident: resident && { name: resident.name },
    today: shanghaiDay(Date.now()),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, rules, resident } = await load({ request, params, context });
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
  // On a kiosk the resident's turn ends with the submitted proposal (decision 032).
  if (user.kiosk && result.status === 'submitted') {
    return finishKioskAct({ request, user, act: 'proposal', targetType: 'Competition', targetId: rules.id, ip: clientIp(request) });
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
            defaultValue={{ communityId, beneficiaries: [{ group: '', count: '' }], budget: [{ item: '', quantity: '1', unitPrice: '' }], organizationKind: 'new' }}
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
