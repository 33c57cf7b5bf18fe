import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { fixedT } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { claimWish } from '~/features/wishes/claims.server';
import { childDisplay, DELIVER_WITHIN_DAYS, deliveryDue, DISPLAY_CHOICES, MAX_OPEN_CLAIMS, UNIT_NAME_MAX, type DisplayChoice } from '~/features/wishes/rules';
import { claimSchema } from '~/features/wishes/wish.schema.server';
import { ChildLine } from '~/features/wishes/wish-card';
import { getWish, openClaimCount } from '~/features/wishes/wishes.server';
import { formatDate, formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse, numberParam } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'wishes'] };

const ERROR_KEYS = ['wishes:error.', 'validation.'] as const;

/**
 * The claim step (the third tap): what the claimer promises (to bring the wish to the community
 * within DELIVER_WITHIN_DAYS days), how they are shown (their account's name by default, a unit's
 * name, or anonymous), and one button. A visitor is sent to sign in and comes back here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const [found, held] = await Promise.all([getWish(number), openClaimCount(user.id)]);
  invariantResponse(found && found.view.status !== 'withdrawn', 'Not found', { status: 404 });
  const t = fixedT(user.language, ['wishes', 'common']);
  return {
    title: `${t('claim.title')} · ${found.view.title}`,
    wish: found.view,
    accountName: user.name,
    atLimit: held >= MAX_OPEN_CLAIMS,
    mine: found.access.claimerId === user.id,
    dueAt: deliveryDue(new Date()).toISOString(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const number = numberParam(params.number);
  const fields = Object.fromEntries(await readForm(request));
  const parsed = claimSchema.safeParse(fields);
  const typed = { displayAs: typeof fields.displayAs === 'string' ? fields.displayAs : 'account', unitName: typeof fields.unitName === 'string' ? fields.unitName.slice(0, UNIT_NAME_MAX) : '' };
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
    return data({ errors, typed }, { status: 400 });
  }
  const claimed = await claimWish({ claimer: { id: user.id, name: user.name }, number, displayAs: parsed.data.displayAs, unitName: parsed.data.unitName, ip: clientIp(request) });
  if (!claimed.ok) {
    invariantResponse(claimed.reason !== 'notFound', 'Not found', { status: 404 });
    const back = claimed.reason === 'tooManyClaims' || claimed.reason === 'alreadyYours' ? '/wishes/mine' : `/wishes/${number}`;
    return redirectWithToast(back, { type: 'error', key: `wishes:toast.${claimed.reason}`, values: { max: MAX_OPEN_CLAIMS } });
  }
  return redirectWithToast(`/wishes/mine#wish-${number}`, { type: 'success', key: 'wishes:toast.claimed', values: { number, days: DELIVER_WITHIN_DAYS } });
}

export default function ClaimPage() {
  const { t } = useTranslation(['wishes', 'common']);
  const { wish, accountName, atLimit, mine, dueAt } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const language = useLanguage();
  const [choice, setChoice] = useState<DisplayChoice>(DISPLAY_CHOICES.find((c) => c === answer?.typed.displayAs) ?? 'account');
  const errors = answer?.errors ?? {};
  const name = childDisplay(wish.child, language);
  return (
    <div className="space-y-4">
      <Link to={`/wishes/${wish.number}`} className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('claim.back')}
      </Link>
      <h1 className="text-2xl font-bold">{t('claim.title')}</h1>
      <div className="card space-y-2">
        <p className="text-xl font-bold text-brand-800">{wish.title}</p>
        <ChildLine wish={wish} language={language} />
        <p>{t('card.value', { value: formatMoney(wish.valueFen, language) })}</p>
      </div>
      {mine ? (
        <div className="card space-y-3 border-brand-600 bg-brand-50">
          <p className="text-lg">{t('claim.alreadyYours')}</p>
          <Link to="/wishes/mine" className="btn-secondary">
            {t('wall.mine')}
          </Link>
        </div>
      ) : wish.status !== 'open' ? (
        <p className="card border-amber-300 bg-amber-50 text-lg">{t('claim.notOpen')}</p>
      ) : atLimit ? (
        <div className="card space-y-3 border-amber-300 bg-amber-50">
          <p className="text-lg">{t('claim.atLimit', { max: MAX_OPEN_CLAIMS })}</p>
          <Link to="/wishes/mine" className="btn-secondary">
            {t('wall.mine')}
          </Link>
        </div>
      ) : (
        <Form method="post" className="space-y-4">
          <section className="card space-y-2 border-brand-600 bg-brand-50" aria-labelledby="claim-promise">
            <h2 id="claim-promise" className="text-lg font-semibold">
              {t('claim.promiseTitle')}
            </h2>
            <ul className="list-disc space-y-1 pl-5 text-lg leading-relaxed">
              <li>{t(wish.kind === 'item' ? 'claim.promiseItem' : 'claim.promiseExperience', { name, title: wish.title })}</li>
              <li className="font-semibold">{t('claim.promiseDays', { days: DELIVER_WITHIN_DAYS, date: formatDate(dueAt, language, { dateStyle: 'long' }) })}</li>
              <li>{t('claim.promiseRelease')}</li>
            </ul>
          </section>
          <div className="card">
            <fieldset className="space-y-2">
              <legend className="mb-2 text-lg font-semibold">{t('claim.displayTitle')}</legend>
              <label className="flex items-center gap-3">
                <input type="radio" name="displayAs" value="account" checked={choice === 'account'} onChange={() => setChoice('account')} />
                <span>{t('claim.displayAccount', { name: accountName })}</span>
              </label>
              <label className="flex items-center gap-3">
                <input type="radio" name="displayAs" value="unit" checked={choice === 'unit'} onChange={() => setChoice('unit')} />
                <span>{t('claim.displayUnit')}</span>
              </label>
              <div className="pl-9">
                <label htmlFor="unit-name" className="mb-1 block text-stone-700">
                  {t('claim.unitName')}
                </label>
                <input
                  id="unit-name"
                  name="unitName"
                  className="input"
                  maxLength={UNIT_NAME_MAX}
                  defaultValue={answer?.typed.unitName ?? ''}
                  aria-invalid={errors.unitName ? true : undefined}
                  aria-describedby={errors.unitName ? 'unit-name-error' : undefined}
                  onFocus={() => setChoice('unit')}
                />
                <ErrorList id="unit-name-error" errors={errors.unitName} keyPrefixes={ERROR_KEYS} />
              </div>
              <label className="flex items-center gap-3">
                <input type="radio" name="displayAs" value="anonymous" checked={choice === 'anonymous'} onChange={() => setChoice('anonymous')} />
                <span>{t('claim.displayAnonymous')}</span>
              </label>
              <ErrorList errors={errors.displayAs} keyPrefixes={ERROR_KEYS} />
            </fieldset>
          </div>
          <button type="submit" className="btn-primary min-h-14 w-full text-xl" disabled={navigation.state === 'submitting'} data-testid="confirm-claim">
            {t('claim.submit')}
          </button>
        </Form>
      )}
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
