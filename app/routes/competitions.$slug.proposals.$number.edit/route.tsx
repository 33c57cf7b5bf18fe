import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ProposalForm } from '~/features/proposals/proposal-form';
import { proposalFormSchema } from '~/features/proposals/proposal.schema';
import { requireUser } from '~/core/auth.server';
import { getFixedT } from '~/core/i18n.server';
import { discardPhotos, proposalFormOptions, storeProposalPhotos } from '~/features/proposals/proposal-forms.server';
import { replyForFailure, unreadableFormReply } from '~/features/proposals/form-replies';
import { getProposalForEdit } from '~/features/proposals/drafts.server';
import { competitionRules } from '~/features/proposals/competition-rules.server';
import { updateProposal } from '~/features/proposals/drafts.server';
import { redirectWithToast } from '~/core/toast.server';
import { parseUploadForm } from '~/core/uploads.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { MAX_PHOTOS } from '~/features/proposals/proposals';
import { useLanguage } from '~/utils/root-data';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';
import { competitionSummary } from '~/features/competitions/competitions.server';

export const handle = { i18n: ['common', 'proposals'] };

async function load({ request, params, context }: CompetitionArgs & { params: LoaderFunctionArgs['params'] }) {
  const user = await requireUser(request);
  const competition = await requireCompetition({ request, params, context });
  const rules = competitionRules(competition);
  const number = numberParam(params.number);
  return { user, competition, rules, number };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, competition, rules, number } = await load({ request, params, context });
  // Ownership is part of the query: someone else's number finds nothing.
  const proposal = await getProposalForEdit(rules, number, user.id);
  invariantResponse(proposal, 'Not found', { status: 404 });
  const t = await getFixedT(request, ['proposals', 'common']);
  return {
    title: `${t('form.editTitle', { number })} · ${t('common:brand.name')}`,
    proposal,
    options: await proposalFormOptions(rules, competitionSummary(competition).categories),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, rules, number } = await load({ request, params, context });
  const current = await getProposalForEdit(rules, number, user.id);
  if (!current) throw new Response('Not found', { status: 404 });
  const upload = await parseUploadForm(request, { maxFiles: MAX_PHOTOS });
  if (!upload.ok) return data({ result: unreadableFormReply(upload.reason) }, { status: upload.reason === 'tooLarge' ? 413 : 400 });
  const submission = parseWithZod(upload.formData, { schema: proposalFormSchema });
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: submission.status === 'error' ? 400 : 200 });
  const room = MAX_PHOTOS - current.photos.filter((p) => !submission.value.removePhotos.includes(p.fileId)).length;
  const photos = await storeProposalPhotos(upload.formData, user.id, room);
  if (!photos.ok) return data({ result: submission.reply({ fieldErrors: { photos: [photos.reason] } }) }, { status: 400 });
  const result = await updateProposal({
    rules,
    number,
    editorId: user.id,
    form: submission.value,
    addPhotos: photos.photos,
    removePhotoIds: submission.value.removePhotos,
  });
  if (!result.ok) {
    await discardPhotos(photos.photos.map((p) => p.fileId));
    if (result.reason === 'notFound') throw new Response('Not found', { status: 404 });
    return data({ result: replyForFailure(submission, result) }, { status: 400 });
  }
  await discardPhotos(result.removedPhotos ?? []);
  // Say what happened: a draft kept, a proposal now sent to screening, or an update to one sent.
  const key = 'submittedNow' in result && result.submittedNow ? 'proposals:toast.submitted' : submission.value.intent === 'save' ? 'proposals:toast.saved' : 'proposals:toast.updated';
  return redirectWithToast(`/competitions/${rules.slug}/proposals/${number}`, { type: 'success', key });
}

export default function EditProposalPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { proposal, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <p>
        <Link to=".." relative="path" className="inline-flex min-h-11 items-center text-brand-700 underline">
          ← {t('detail.number', { number: proposal.number })}
        </Link>
      </p>
      <h2 className="text-2xl font-bold">{t('form.editTitle', { number: proposal.number })}</h2>
      {proposal.editable ? (
        <ProposalForm
          id={`edit-proposal-${proposal.number}`}
          mode={proposal.status === 'draft' ? 'draft' : 'submitted'}
          options={options}
          language={language}
          lastResult={actionData?.result}
          defaultValue={proposal.values}
          revision={proposal.revision}
          photos={proposal.photos}
        />
      ) : (
        <p className="card">{t('form.closed')}</p>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
