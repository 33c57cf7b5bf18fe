import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { createActivity } from '~/features/volunteers/activities.server';
import { organisersOf } from '~/features/volunteers/organisers.server';
import { ACTIVITY_DESCRIPTION_MAX, ACTIVITY_TITLE_MAX, PLACE_MAX, SLOTS_MAX, SLOTS_MIN, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';
import { activitySchema, fieldErrors, formFields } from '~/features/volunteers/volunteers.schema.server';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

const ERROR_KEYS = ['volunteers:error.', 'validation.'] as const;

/** A project's team or a certified organization's member publishes an activity that needs volunteers. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [organisers, places, title] = await Promise.all([organisersOf(user), listStreetsWithCommunities(), pageTitle(request, 'volunteers:new.title', ['volunteers', 'common'])]);
  invariantResponse(organisers.length > 0, 'Forbidden', { status: 403 });
  return { title, organisers, places };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const fields = formFields(await readForm(request), ['skills']);
  const typed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, ACTIVITY_DESCRIPTION_MAX) : Array.isArray(v) ? v.slice(0, VOLUNTEER_SKILLS.length) : '']));
  const parsed = activitySchema.safeParse(fields);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), typed }, { status: 400 });
  const created = await createActivity({ user, values: parsed.data, ip: clientIp(request) });
  if (!created.ok) {
    invariantResponse(created.reason !== 'notOrganiser', 'Forbidden', { status: 403 });
    return data({ errors: { [created.reason === 'inPast' ? 'endsAt' : 'community']: [created.reason] }, typed }, { status: 400 });
  }
  return redirectWithToast(`/volunteers/${created.number}/manage`, { type: 'success', key: 'volunteers:toast.published', values: { number: created.number } });
}

export default function NewActivity() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { organisers, places } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  const errors: Record<string, string[]> = answer?.errors ?? {};
  const typed = (answer?.typed ?? {}) as Record<string, string | string[]>;
  const value = (key: string) => (typeof typed[key] === 'string' ? (typed[key]) : undefined);
  const field = (name: string, label: string, input: React.ReactNode) => (
    <div>
      <label htmlFor={name} className="mb-1 block font-medium">
        {label}
      </label>
      {input}
      <ErrorList id={`${name}-error`} errors={errors[name]} keyPrefixes={ERROR_KEYS} />
    </div>
  );
  const invalid = (name: string) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${name}-error` } : {});
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('new.title')}</h1>
      <p className="text-stone-700">{t('new.intro')}</p>
      <Form method="post" className="card space-y-4">
        {field(
          'organiser',
          t('new.organiser'),
          <select id="organiser" name="organiser" className="input" defaultValue={value('organiser')} {...invalid('organiser')}>
            {organisers.map((o) => (
              <option key={`${o.kind}:${o.id}`} value={`${o.kind}:${o.id}`}>
                {t(`new.organiserKind.${o.kind}`, { name: o.name })}
              </option>
            ))}
          </select>,
        )}
        {field('title', t('new.activityTitle'), <input id="title" name="title" className="input" maxLength={ACTIVITY_TITLE_MAX} defaultValue={value('title')} {...invalid('title')} />)}
        {field('description', t('new.description'), <textarea id="description" name="description" rows={4} className="input" maxLength={ACTIVITY_DESCRIPTION_MAX} defaultValue={value('description')} />)}
        <div className="grid gap-4 sm:grid-cols-2">
          {field('startsAt', t('new.startsAt'), <input id="startsAt" name="startsAt" type="datetime-local" className="input" defaultValue={value('startsAt')} {...invalid('startsAt')} />)}
          {field('endsAt', t('new.endsAt'), <input id="endsAt" name="endsAt" type="datetime-local" className="input" defaultValue={value('endsAt')} {...invalid('endsAt')} />)}
        </div>
        {field(
          'community',
          t('new.community'),
          <select id="community" name="community" className="input" defaultValue={value('community')} {...invalid('community')}>
            <option value="">{t('profile.chooseCommunity')}</option>
            <CommunityOptions streets={places} language={language} />
          </select>,
        )}
        {field('place', t('new.place'), <input id="place" name="place" className="input" maxLength={PLACE_MAX} placeholder={t('new.placeHint')} defaultValue={value('place')} {...invalid('place')} />)}
        {field('slots', t('new.slots'), <input id="slots" name="slots" type="number" inputMode="numeric" min={SLOTS_MIN} max={SLOTS_MAX} className="input" defaultValue={value('slots') ?? '10'} {...invalid('slots')} />)}
        <fieldset>
          <legend className="mb-1 font-medium">{t('new.skills')}</legend>
          <div className="grid grid-cols-2 gap-x-3">
            {VOLUNTEER_SKILLS.map((skill) => (
              <label key={skill} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="skills" value={skill} defaultChecked={Array.isArray(typed.skills) && typed.skills.includes(skill)} className="h-6 w-6" />
                <span>{t(`skill.${skill}`)}</span>
              </label>
            ))}
          </div>
          <ErrorList errors={errors.skills} keyPrefixes={ERROR_KEYS} />
        </fieldset>
        <button type="submit" className="btn-primary min-h-14 w-full text-xl">
          {t('new.submit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
