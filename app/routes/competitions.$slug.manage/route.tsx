import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CompetitionForm } from '~/features/competitions/competition-form';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { advancePhaseSchema, competitionFormSchema } from '~/features/competitions/competition.schema';
import { advancePhase, competitionFormValues, setCompetitionCover, updateCompetition } from '~/features/competitions/competitions.server';
import { correctionSchema } from '~/features/competitions/correction.schema';
import { CorrectionPanel } from '~/features/competitions/correction-form';
import { correctCompetition, frozenSettings } from '~/features/competitions/corrections.server';
import { CorrectionsList } from '~/features/competitions/corrections-list';
import { requirePermission } from '~/core/auth.server';
import { hasPermission } from '~/core/permissions.server';
import { deleteImage, parseUploadForm, storeImage, uploadedFile } from '~/core/uploads.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { titleMeta } from '~/utils/meta';
import { nextPhase } from '~/features/competitions/phases';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { useLanguage } from '~/utils/root-data';
import type { loader as competitionLoader } from '../competitions.$slug/route';
import { requireCompetition, type CompetitionArgs } from '~/features/competitions/context.server';

export const handle = { i18n: ['common', 'manage'] };

async function guard(args: CompetitionArgs) {
  const { user, ...loaded } = await requireCompetition(args, 'competition:manage');
  return { competition: competitionFormValues(loaded), loaded, user };
}

/** The admin's correction panel: the frozen settings, and the one `?correct=` opened, if frozen. */
function correctionPanel(loaded: Awaited<ReturnType<typeof guard>>['loaded'], request: Request) {
  const settings = frozenSettings(loaded.doc);
  const wanted = new URL(request.url).searchParams.get('correct');
  return { settings, chosen: settings.find((s) => s.setting === wanted) ?? null };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { competition, loaded, user } = await guard({ request, params, context });
  const [streets, title] = await Promise.all([listStreetsWithCommunities(), pageTitle(request, 'manage:title', ['manage', 'common'])]);
  const canCorrect = hasPermission(user.roles, 'competition:correct', { competitionId: loaded.base.id });
  return {
    title,
    values: competition.values,
    streets: streets.map((s) => ({ id: s.id, name: s.name })),
    correction: canCorrect ? correctionPanel(loaded, request) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { competition, loaded, user } = await guard({ request, params, context });
  const upload = await parseUploadForm(request, { maxFiles: 1 });
  if (!upload.ok) return data({ intent: 'cover' as const, errors: [upload.reason], result: null, advance: null }, { status: 400 });
  const formData = upload.formData;
  const here = `/competitions/${competition.slug}/manage`;
  if (formData.get('intent') === 'correct') {
    await requirePermission(request, 'competition:correct', { competitionId: loaded.base.id });
    const submission = parseWithZod(formData, { schema: correctionSchema });
    if (submission.status !== 'success') return data({ intent: 'correct' as const, errors: null, result: submission.reply(), advance: null }, { status: 400 });
    const corrected = await correctCompetition({ slug: competition.slug, form: submission.value, actorId: user.id, ip: clientIp(request) });
    if (!corrected.ok) {
      return data({ intent: 'correct' as const, errors: null, result: submission.reply({ fieldErrors: { [corrected.field]: [corrected.reason] } }), advance: null }, { status: 400 });
    }
    return redirectWithToast(here, { type: 'success', key: 'manage:toast.corrected' });
  }
  if (formData.get('intent') === 'cover' || formData.get('intent') === 'removeCover') {
    let fileId: string | null = null;
    if (formData.get('intent') === 'cover') {
      const file = await uploadedFile(formData, 'cover');
      if (!file) return data({ intent: 'cover' as const, errors: ['required'], result: null, advance: null }, { status: 400 });
      const stored = await storeImage({ ...file, uploaderId: user.id, kind: 'photo', visibility: 'public' });
      if (!stored.ok) return data({ intent: 'cover' as const, errors: [stored.reason], result: null, advance: null }, { status: 400 });
      fileId = stored.fileId;
    }
    const previous = await setCompetitionCover(competition.slug, fileId, user.id, clientIp(request));
    if (previous) await deleteImage(previous);
    return redirectWithToast(here, { type: 'success', key: 'manage:toast.coverSaved' });
  }
  if (formData.get('intent') === 'advance') {
    const parsed = advancePhaseSchema.safeParse(Object.fromEntries(formData));
    // What was typed comes back, so a missing tick without JavaScript does not cost the reason.
    const reasonField = formData.get('reason');
    const typed = typeof reasonField === 'string' ? reasonField : '';
    if (!parsed.success) {
      const { reason, confirm } = z.flattenError(parsed.error).fieldErrors;
      return data({ intent: 'advance' as const, errors: reason ?? [], result: null, advance: { reason: typed, confirm: confirm ?? [] } }, { status: 400 });
    }
    const moved = await advancePhase(competition.slug, user.id, parsed.data.reason, clientIp(request));
    if (!moved.ok) return data({ intent: 'advance' as const, errors: [moved.reason], result: null, advance: { reason: typed, confirm: [] } }, { status: 400 });
    return redirectWithToast(here, { type: 'success', key: 'manage:toast.advanced', values: { phase: moved.to } });
  }
  const submission = parseWithZod(formData, { schema: competitionFormSchema });
  if (submission.status !== 'success') return data({ intent: 'save' as const, errors: null, result: submission.reply(), advance: null }, { status: submission.status === 'error' ? 400 : 200 });
  const saved = await updateCompetition(competition.slug, submission.value, user.id, clientIp(request));
  if (!saved.ok) {
    // A frozen field's refusal shows on that field (and by the save button); what was typed stays.
    const reply = submission.reply({ formErrors: [saved.reason], fieldErrors: saved.field ? { [saved.field]: [saved.reason] } : undefined });
    return data({ intent: 'save' as const, errors: null, result: reply, advance: null }, { status: 400 });
  }
  return redirectWithToast(here, { type: 'success', key: 'manage:toast.saved' });
}

export default function ManageCompetitionPage() {
  const { t } = useTranslation(['manage', 'common']);
  const { values, streets, correction } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const competition = useRouteLoaderData<typeof competitionLoader>('routes/competitions.$slug')?.competition;
  const language = useLanguage();
  const phase = competition?.phase ?? null;
  const next = nextPhase(phase);
  return (
    <div className="space-y-5">
      <h2 className="text-2xl font-bold">{t('title')}</h2>
      {next ? (
        <Form method="post" className="card space-y-3 border-amber-300 bg-amber-50">
          <input type="hidden" name="intent" value="advance" />
          <p className="font-semibold">{t('advance.title', { phase: t(`common:phase.${phase ?? 'upcoming'}`), next: t(`common:phase.${next}`) })}</p>
          <p className="text-sm text-stone-700">{t('advance.help')}</p>
          <label className="block">
            <span className="mb-1 block text-sm font-medium">{t('advance.reason')}</span>
            <input name="reason" className="input" required minLength={5} defaultValue={actionData?.advance?.reason} />
          </label>
          <ErrorList errors={actionData?.intent === 'advance' ? actionData.errors : undefined} />
          <ConfirmStep
            act="advance"
            values={{ phase: t(`common:phase.${phase ?? 'upcoming'}`), next: t(`common:phase.${next}`) }}
            errors={actionData?.advance?.confirm}
          />
          <button type="submit" className="btn-secondary">
            {t('advance.submit', { next: t(`common:phase.${next}`) })}
          </button>
        </Form>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="card flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1">
          <p className="mb-1 font-semibold">{t('cover.title')}</p>
          {competition?.coverFileId ? (
            <img src={`/uploads/${competition.coverFileId}?size=thumb`} alt="" className="mb-2 h-24 rounded-lg object-cover" />
          ) : null}
          <label className="block">
            <span className="mb-1 block text-sm">{t('cover.choose')}</span>
            <input type="file" name="cover" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} />
          </label>
          <ErrorList errors={actionData?.intent === 'cover' ? actionData.errors : undefined} />
        </div>
        <SubmitButton pending="uploading" name="intent" value="cover" className="btn-secondary">
          {t('cover.save')}
        </SubmitButton>
        {competition?.coverFileId ? (
          <button type="submit" name="intent" value="removeCover" className="btn-danger">
            {t('cover.remove')}
          </button>
        ) : null}
      </Form>
      <CompetitionForm
        id="edit-competition"
        creating={false}
        lastResult={actionData?.intent === 'save' ? actionData.result : undefined}
        defaultValue={values}
        streets={streets}
        language={language}
      />
      {competition?.corrections.length ? (
        <div className="card">
          <CorrectionsList corrections={competition.corrections} language={language} />
        </div>
      ) : null}
      {correction ? (
        <CorrectionPanel
          settings={correction.settings}
          chosen={correction.chosen}
          streets={streets}
          language={language}
          lastResult={actionData?.intent === 'correct' ? actionData.result : undefined}
        />
      ) : null}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
