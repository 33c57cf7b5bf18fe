import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '~/components/confirm';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { getOptionalUser, requireUser } from '~/core/auth.server';
import { fixedT, getLanguage } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp } from '~/core/request.server';
import { finishKioskAct } from '~/features/accounts/kiosk.server';
import { redirectWithToast } from '~/core/toast.server';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { deleteImage, parseUploadForm, storeImage } from '~/core/uploads.server';
import { getNeedPage } from '~/features/needs/board.server';
import { helperOf } from '~/features/needs/helpers.server';
import {
  claimNeed,
  confirmNeed,
  releaseNeed,
  reopenNeed,
  reportNeedDone,
  verifyNeed,
  withdrawNeed,
  type MoveResult,
  type NeedPhoto,
} from '~/features/needs/lifecycle.server';
import { NeedStatusBadge, useCategoryName } from '~/features/needs/need-cards';
import { isPublicNeedStatus, NEED_NOTE_MAX, NEED_PHOTOS_MAX } from '~/features/needs/needs';
import { doneSchema, reasonSchema, verifySchema } from '~/features/needs/needs.schema.server';
import { needReference } from '~/features/needs/reference.server';
import { ProposalStatusBadge } from '~/features/proposals/status-badge';
import { formatDate } from '~/utils/format';
import { NeedPledgesSection } from '~/features/resources/need-pledges-section';
import { needPledges } from '~/features/resources/views.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'needs', 'proposals', 'resources'] };

/**
 * Private details may be on the page: never stored by a shared cache or the browser's history,
 * as HTML or as its `.data` (a loader's own headers reach the response only through this export).
 */
const PRIVATE = { 'Cache-Control': 'private, no-store' };
export const headers: HeadersFunction = () => PRIVATE;

/**
 * A need's page. Everyone sees what the board shows plus who answers it; the whistle-blower's
 * chain (raiser, the area's community workers, the street's committee) and the helper whose
 * claim lasts also see the person's details; each sees the acts open to them. A need not yet
 * verified (or rejected, withdrawn) is the chain's only: anyone else gets 404, as for an
 * unknown number.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const number = numberParam(params.number);
  const viewer = await getOptionalUser(request, context);
  // Its pledges (charity resources) are read beside the rest, and shown only where the need's page is.
  const [helper, reference, language, pledges] = await Promise.all([viewer ? helperOf(viewer.id) : null, needReference(), getLanguage(request, context), needPledges(number)]);
  const need = await getNeedPage(number, viewer, helper);
  invariantResponse(need, 'Not found', { status: 404 });
  const t = fixedT(language, ['needs', 'common']);
  const category = reference.categories.find((c) => c.code === need.category);
  // Each need's tab and bookmark says which need it is.
  const title = `${t('needs:page.title', { category: category ? pickText(category.name, language) : need.category, number: need.number })} · ${t('common:brand.name')}`;
  return { title, need, categories: reference.categories.map((c) => ({ code: c.code, name: c.name })), signedIn: Boolean(viewer), helperStatus: helper?.status ?? null, pledges };
}

const CONFIRM_ERROR = 'confirmDialog.errors.';

type Intent = 'verify' | 'claim' | 'release' | 'done' | 'confirm' | 'reopen' | 'withdraw';
/** What was typed comes back with the errors, so a post refused without JavaScript loses nothing. */
type Typed = { note?: string; reason?: string; authentic?: 'yes' | 'no' };
type Reply = { intent: Intent; errors: string[]; typed: Typed };

const REFUSED: Record<Exclude<MoveResult, { ok: true }>['reason'], number> = {
  notFound: 404,
  notAllowed: 403,
  ownNeed: 403,
  notCertified: 403,
  wrongStatus: 409,
  tooManyClaims: 409,
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const back = `/needs/${number}`;
  const ip = clientIp(request);
  const upload = await parseUploadForm(request, { maxFiles: NEED_PHOTOS_MAX });
  if (!upload.ok) return data<Reply>({ intent: 'done', errors: [`validation.${upload.reason === 'tooLarge' ? 'tooLarge' : 'invalidForm'}`], typed: {} }, { status: 400 });
  const form = upload.formData;
  const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const intent = (fields.intent ?? '') as Intent;
  const typed: Typed = { note: fields.note?.slice(0, NEED_NOTE_MAX), reason: fields.reason?.slice(0, NEED_NOTE_MAX), authentic: fields.authentic === 'no' ? 'no' : 'yes' };
  const refuse = (errors: string[], status = 400) => data<Reply>({ intent, errors, typed }, { status });
  const finish = (result: MoveResult, toast: string) => {
    if (result.ok) return redirectWithToast(back, { type: 'success', key: `needs:toast.${toast}` });
    invariantResponse(result.reason !== 'notFound', 'Not found', { status: 404 });
    return refuse([`needs:error.${result.reason}`], REFUSED[result.reason]);
  };

  switch (intent) {
    case 'verify': {
      const parsed = verifySchema.safeParse(fields);
      if (!parsed.success) return refuse(parsed.error.issues.map((i) => `needs:error.${i.message}`));
      // Not authentic closes the need for good: that answer is confirmed first.
      if (parsed.data.authentic === 'no' && parsed.data.confirm !== 'yes') return refuse(['confirmDialog.errors.confirmRequired']);
      return finish(await verifyNeed({ actor: user, number, authentic: parsed.data.authentic === 'yes', note: parsed.data.note, ip }), parsed.data.authentic === 'yes' ? 'verified' : 'rejected');
    }
    case 'claim': {
      const claimed = await claimNeed({ actor: user, number, ip });
      // On a kiosk the resident's turn ends with the claim (decision 032).
      if (claimed.ok && user.kiosk) return finishKioskAct({ request, user, act: 'need', targetType: 'Need', targetId: String(number), ip });
      return finish(claimed, 'claimed');
    }
    case 'release':
      return finish(await releaseNeed({ actor: user, number, ip }), 'released');
    case 'done': {
      const parsed = doneSchema.safeParse(fields);
      if (!parsed.success) return refuse(parsed.error.issues.map((i) => `needs:error.${i.message}`));
      const files = form.getAll('photos').filter((v): v is File => v instanceof File && v.size > 0);
      if (files.length > NEED_PHOTOS_MAX) return refuse(['needs:error.tooManyPhotos']);
      if (files.length && !parsed.data.peopleConsent) return refuse(['validation.photoConsentRequired']);
      const photos: NeedPhoto[] = [];
      for (const file of files) {
        const stored = await storeImage({ data: new Uint8Array(await file.arrayBuffer()), filename: file.name, uploaderId: user.id, kind: 'photo', visibility: 'public' });
        if (!stored.ok) {
          await Promise.all(photos.map((p) => deleteImage(p.fileId)));
          return refuse([`validation.${stored.reason}`]);
        }
        photos.push({ fileId: stored.fileId, thumbId: stored.thumbId, peopleConsent: true });
      }
      const result = await reportNeedDone({ actor: user, number, note: parsed.data.note, photos, ip });
      if (!result.ok) await Promise.all(photos.map((p) => deleteImage(p.fileId)));
      return finish(result, 'done');
    }
    case 'confirm': {
      if (fields.confirm !== 'yes') return refuse(['confirmDialog.errors.confirmRequired']);
      return finish(await confirmNeed({ actor: user, number, ip }), 'fulfilled');
    }
    case 'reopen':
    case 'withdraw': {
      const parsed = reasonSchema.safeParse(fields);
      if (!parsed.success) return refuse(parsed.error.issues.map((i) => (i.path[0] === 'confirm' ? `confirmDialog.errors.${i.message}` : `needs:error.${i.message}`)));
      const move = intent === 'reopen' ? reopenNeed : withdrawNeed;
      return finish(await move({ actor: user, number, reason: parsed.data.reason, ip }), intent === 'reopen' ? 'reopened' : 'withdrawn');
    }
    default:
      return refuse(['needs:error.unknownIntent']);
  }
}

export default function NeedPage() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { need, categories, signedIn, helperStatus, pledges } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errorsFor = (intent: Intent) => (reply && 'intent' in reply && reply.intent === intent ? reply.errors : null);
  const typedFor = (intent: Intent): Typed => (reply && 'intent' in reply && reply.intent === intent ? reply.typed : {});
  const categoryName = useCategoryName(categories);
  const date = (iso: string | null) => (iso ? formatDate(iso, language) : '');
  return (
    <article className="space-y-4">
      <p>
        <Link to="/needs" className="inline-flex min-h-11 items-center text-brand-800 underline">
          {t('page.back')}
        </Link>
      </p>
      <header className="space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <NeedStatusBadge status={need.status} />
          <span className="text-stone-600">#{need.number}</span>
          {need.escalated ? <span className="text-amber-900">{t('card.escalated')}</span> : null}
        </div>
        <h1 className="text-2xl font-bold">{t('page.heading', { category: categoryName(need.category) })}</h1>
        <p className="flex flex-wrap gap-x-4 text-stone-700">
          <span>{t(`urgency.${need.urgency}`)}</span>
          {need.community ? <span>{pickText(need.community, language)}</span> : null}
          {need.street ? <span>{pickText(need.street, language)}</span> : null}
          {need.grid ? <span>{need.grid}</span> : null}
          <span>{t(`raisedAs.${need.raisedAs}`)}</span>
        </p>
      </header>
      <section className="card space-y-2" aria-labelledby="need-description">
        <h2 id="need-description" className="text-lg font-semibold">
          {t('page.description')}
        </h2>
        <p className="whitespace-pre-line">{need.description}</p>
        <dl className="grid gap-2 text-stone-700 sm:grid-cols-2">
          {need.publishedAt ? <Fact label={t('page.published')}>{date(need.publishedAt)}</Fact> : null}
          {need.claimedBy ? (
            <Fact label={t('page.claimedBy')}>
              {need.claimedBy.name} · {t(`helperKind.${need.claimedBy.kind}`)} {need.claimedBy.certified ? `· ${t('page.certified')}` : ''} ({date(need.claimedAt)})
            </Fact>
          ) : null}
          {need.fulfilledBy ? (
            <Fact label={t('page.fulfilledBy')}>
              {need.fulfilledBy.name} · {t(`helperKind.${need.fulfilledBy.kind}`)} {need.fulfilledBy.certified ? `· ${t('page.certified')}` : ''} ({date(need.fulfilledAt)})
            </Fact>
          ) : null}
          {need.claimHours != null ? <Fact label={t('page.timeToClaim')}>{t('page.hours', { count: need.claimHours })}</Fact> : null}
          {need.fulfilHours != null ? <Fact label={t('page.timeToFulfil')}>{t('page.hours', { count: need.fulfilHours })}</Fact> : null}
        </dl>
        {/* The share page shows public needs only: a pending or closed one has nothing to share. */}
        {isPublicNeedStatus(need.status) ? (
          <p>
            <Link to={`/needs/${need.number}/share`} className="inline-flex min-h-11 items-center text-brand-800 underline">
              {t('page.share')}
            </Link>
          </p>
        ) : null}
      </section>

      {need.details ? (
        <section className="card space-y-2 border-amber-300 bg-amber-50" aria-labelledby="need-details">
          <h2 id="need-details" className="text-lg font-semibold">
            {t('page.details')}
          </h2>
          <p className="text-stone-700">{t('page.detailsNote')}</p>
          <dl className="grid gap-2 sm:grid-cols-2">
            <Fact label={t('field.name')}>{need.details.name}</Fact>
            {need.details.phone ? (
              <Fact label={t('field.phone')}>
                <a href={`tel:${need.details.phone.replace(/[^0-9+]/g, '')}`} className="inline-flex min-h-11 items-center text-brand-800 underline">
                  {need.details.phone}
                </a>
              </Fact>
            ) : null}
            {need.details.address ? <Fact label={t('field.address')}>{need.details.address}</Fact> : null}
            {need.details.situation ? <Fact label={t('field.situation')}>{need.details.situation}</Fact> : null}
          </dl>
        </section>
      ) : null}

      {need.verification ? (
        <div className="card space-y-1 text-stone-700">
          <p>{t(need.verification.authentic ? 'page.verifiedOn' : 'page.rejectedOn', { date: date(need.verification.at) })}</p>
          {need.verification.note ? <p className="whitespace-pre-line">{need.verification.note}</p> : null}
        </div>
      ) : null}

      {need.report ? (
        <section className="card space-y-2" aria-labelledby="need-report">
          <h2 id="need-report" className="text-lg font-semibold">
            {t('page.report')}
          </h2>
          <p className="whitespace-pre-line">{need.report.note}</p>
          {need.report.photos.length ? (
            <ul className="flex flex-wrap gap-2" aria-label={t('page.photos')}>
              {need.report.photos.map((p) => (
                <li key={p.fileId}>
                  <a href={`/uploads/${p.fileId}`}>
                    <img src={`/uploads/${p.fileId}?size=thumb`} alt={t('page.photoAlt')} width={160} height={120} className="h-30 w-40 rounded-lg object-cover" loading="lazy" />
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      {need.answeredBy.length ? (
        <section className="card space-y-2" aria-labelledby="need-answered-by">
          <h2 id="need-answered-by" className="text-lg font-semibold">
            {t('page.answeredBy')}
          </h2>
          <p className="text-sm text-stone-600">{t('page.answeredByHelp')}</p>
          <ul className="divide-y divide-stone-200">
            {need.answeredBy.map((p) => (
              <li key={`${p.competition.slug}-${p.number}`} className="space-y-1 py-2">
                <p className="text-sm text-stone-600">{pickText(p.competition.title, language)}</p>
                <div className="flex flex-wrap items-center gap-2">
                  <Link to={`/competitions/${p.competition.slug}/proposals/${p.number}`} className="inline-flex min-h-11 items-center text-lg text-brand-800 underline">
                    #{p.number} {p.title}
                  </Link>
                  <ProposalStatusBadge status={p.status} funded={p.funded} />
                </div>
                {p.projectNumber ? (
                  <Link to={`/competitions/${p.competition.slug}/projects/${p.projectNumber}`} className="inline-flex min-h-11 items-center font-semibold text-emerald-800 underline">
                    {t('page.seeProject', { number: p.projectNumber })}
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {isPublicNeedStatus(need.status) ? <NeedPledgesSection pledges={pledges} number={need.number} language={language} /> : null}

      <Acts need={need} errorsFor={errorsFor} typedFor={typedFor} signedIn={signedIn} helperStatus={helperStatus} />
    </article>
  );
}

function Acts({
  need,
  errorsFor,
  typedFor,
  signedIn,
  helperStatus,
}: {
  need: ReturnType<typeof useLoaderData<typeof loader>>['need'];
  errorsFor: (intent: Intent) => string[] | null;
  typedFor: (intent: Intent) => Typed;
  signedIn: boolean;
  helperStatus: string | null;
}) {
  const { t } = useTranslation(['needs', 'common']);
  const prefixes = [''];
  const { may } = need;
  const verifyTyped = typedFor('verify');
  const verifyNote = (authentic: 'yes' | 'no') => (verifyTyped.authentic === authentic ? verifyTyped.note : undefined);
  return (
    <div className="space-y-4">
      {may.verify ? (
        <section className="card space-y-3" aria-labelledby="verify-title">
          <h2 id="verify-title" className="text-lg font-semibold">
            {t('verify.title')}
          </h2>
          <p className="text-stone-700">{t('verify.intro')}</p>
          <ErrorList errors={errorsFor('verify')?.filter((e) => !e.startsWith(CONFIRM_ERROR)) ?? null} keyPrefixes={prefixes} />
          <Form method="post" className="space-y-2">
            <input type="hidden" name="authentic" value="yes" />
            <label htmlFor="verify-note-yes" className="block font-medium">
              {t('verify.note')}
            </label>
            <textarea id="verify-note-yes" name="note" rows={2} maxLength={NEED_NOTE_MAX} className="input" defaultValue={verifyNote('yes')} />
            <button type="submit" name="intent" value="verify" className="btn-primary">
              {t('verify.authentic')}
            </button>
          </Form>
          {/* Not authentic closes the need for good: this form alone asks first. */}
          <Form method="post" className="space-y-2 border-t border-stone-200 pt-3">
            <input type="hidden" name="authentic" value="no" />
            <label htmlFor="verify-note-no" className="block font-medium">
              {t('verify.noteNo')}
            </label>
            <textarea id="verify-note-no" name="note" rows={2} maxLength={NEED_NOTE_MAX} className="input" defaultValue={verifyNote('no')} />
            <ConfirmStep act="rejectNeed" values={{ number: need.number }} errors={errorsFor('verify')?.filter((e) => e.startsWith(CONFIRM_ERROR)).map((e) => e.slice(CONFIRM_ERROR.length)) ?? null} />
            <button type="submit" name="intent" value="verify" className="btn-secondary">
              {t('verify.notAuthentic')}
            </button>
          </Form>
        </section>
      ) : null}

      {may.claim ? (
        <Form method="post" className="card space-y-3">
          <h2 className="text-lg font-semibold">{t('claim.title')}</h2>
          <p className="text-stone-700">{t('claim.intro')}</p>
          <ErrorList errors={errorsFor('claim')} keyPrefixes={prefixes} />
          <button type="submit" name="intent" value="claim" className="btn-primary w-full sm:w-auto">
            {t('claim.submit')}
          </button>
        </Form>
      ) : null}
      {need.status === 'open' && !may.claim ? (
        <p className="card text-stone-700">
          {!signedIn ? (
            <Link to={`/login?redirectTo=${encodeURIComponent(`/needs/${need.number}`)}`} className="inline-flex min-h-11 items-center text-brand-800 underline">
              {t('claim.signIn')}
            </Link>
          ) : may.applyAsHelper ? (
            <Link to="/needs/helpers/mine" className="inline-flex min-h-11 items-center text-brand-800 underline">
              {t('claim.apply')}
            </Link>
          ) : helperStatus && helperStatus !== 'certified' ? (
            t('claim.waitingCertification')
          ) : null}
        </p>
      ) : null}

      {may.reportDone ? (
        <Form method="post" encType="multipart/form-data" className="card space-y-3">
          <h2 className="text-lg font-semibold">{t('done.title')}</h2>
          <label htmlFor="done-note" className="block font-medium">
            {t('done.note')}
          </label>
          <textarea id="done-note" name="note" rows={4} maxLength={NEED_NOTE_MAX} className="input" defaultValue={typedFor('done').note} aria-describedby="done-note-help" />
          <p id="done-note-help" className="text-stone-600">
            {t('done.noteHelp')}
          </p>
          <label htmlFor="done-photos" className="block font-medium">
            {t('done.photos', { max: NEED_PHOTOS_MAX })}
          </label>
          <input id="done-photos" type="file" name="photos" multiple accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} />
          <label className="flex min-h-11 items-start gap-3">
            <input type="checkbox" name="peopleConsent" value="yes" className="mt-1 h-6 w-6 shrink-0" />
            <span>{t('done.consent')}</span>
          </label>
          <ErrorList errors={errorsFor('done')} keyPrefixes={prefixes} />
          <SubmitButton pending="uploading" name="intent" value="done">
            {t('done.submit')}
          </SubmitButton>
        </Form>
      ) : null}
      {may.release ? (
        <Form method="post" className="card space-y-2">
          <p className="text-stone-700">{t('release.intro')}</p>
          <ErrorList errors={errorsFor('release')} keyPrefixes={prefixes} />
          <button type="submit" name="intent" value="release" className="btn-secondary">
            {t('release.submit')}
          </button>
        </Form>
      ) : null}

      {may.confirm ? (
        <Form method="post" className="card space-y-3">
          <h2 className="text-lg font-semibold">{t('confirm.title')}</h2>
          <p className="text-stone-700">{t('confirm.intro')}</p>
          <ConfirmStep act="confirmNeed" values={{ number: need.number }} errors={errorsFor('confirm')?.filter((e) => e.startsWith(CONFIRM_ERROR)).map((e) => e.slice(CONFIRM_ERROR.length)) ?? null} />
          <ErrorList errors={errorsFor('confirm')?.filter((e) => !e.startsWith(CONFIRM_ERROR)) ?? null} keyPrefixes={prefixes} />
          <button type="submit" name="intent" value="confirm" className="btn-primary">
            {t('confirm.submit')}
          </button>
        </Form>
      ) : null}
      {may.reopen ? <ReasonForm intent="reopen" number={need.number} errors={errorsFor('reopen')} typed={typedFor('reopen').reason} prefixes={prefixes} /> : null}
      {may.withdraw ? <ReasonForm intent="withdraw" number={need.number} errors={errorsFor('withdraw')} typed={typedFor('withdraw').reason} prefixes={prefixes} /> : null}
    </div>
  );
}

function ReasonForm({ intent, number, errors, typed, prefixes }: { intent: 'reopen' | 'withdraw'; number: number; errors: string[] | null; typed?: string; prefixes: string[] }) {
  const { t } = useTranslation(['needs', 'common']);
  const id = `${intent}-reason`;
  // The reason's errors stand under the reason (the confirmation's under its box).
  const reasonErrors = errors?.filter((e) => !e.startsWith(CONFIRM_ERROR)) ?? [];
  return (
    <Form method="post" className="card space-y-3">
      <h2 className="text-lg font-semibold">{t(`${intent}.title`)}</h2>
      <label htmlFor={id} className="block font-medium">
        {t(`${intent}.reason`)}
      </label>
      <textarea
        id={id}
        name="reason"
        rows={3}
        maxLength={NEED_NOTE_MAX}
        className="input"
        defaultValue={typed}
        aria-invalid={reasonErrors.length ? true : undefined}
        aria-describedby={reasonErrors.length ? `${id}-error` : undefined}
      />
      <ErrorList id={`${id}-error`} errors={reasonErrors} keyPrefixes={prefixes} />
      <ConfirmStep act={intent === 'reopen' ? 'reopenNeed' : 'withdrawNeed'} values={{ number }} errors={errors?.filter((e) => e.startsWith(CONFIRM_ERROR)).map((e) => e.slice(CONFIRM_ERROR.length)) ?? null} />
      <button type="submit" name="intent" value={intent} className="btn-secondary">
        {t(`${intent}.submit`)}
      </button>
    </Form>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-stone-600">{label}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
