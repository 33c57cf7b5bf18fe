import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { listStreetsWithCommunities } from '~/features/accounts/geography.server';
import { getProfile, saveProfile } from '~/features/volunteers/profiles.server';
import { AVAILABILITY, VOLUNTEER_SKILLS } from '~/features/volunteers/rules';
import { fieldErrors, formFields, profileSchema } from '~/features/volunteers/volunteers.schema.server';
import { titleMeta } from '~/utils/meta';
import { safeRedirect } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'volunteers'] };

const ERROR_KEYS = ['volunteers:error.', 'validation.'] as const;

/** Signing up as a volunteer (or changing one's profile): skills, when one is free, the community, consent to be contacted. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [profile, places, title] = await Promise.all([getProfile(user.id), listStreetsWithCommunities(), pageTitle(request, 'volunteers:profile.title', ['volunteers', 'common'])]);
  return { title, profile, places, defaultCommunity: profile?.communityId ?? user.communityId ?? '' };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const fields = formFields(form, ['skills', 'availability']);
  const typed = {
    skills: (fields.skills as string[]).slice(0, VOLUNTEER_SKILLS.length),
    availability: (fields.availability as string[]).slice(0, AVAILABILITY.length),
    community: typeof fields.community === 'string' ? fields.community.slice(0, 24) : '',
    contactConsent: fields.contactConsent === 'on',
  };
  const parsed = profileSchema.safeParse(fields);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), typed }, { status: 400 });
  const saved = await saveProfile(user.id, parsed.data);
  if (!saved.ok) return data({ errors: { community: ['communityRequired'] }, typed }, { status: 400 });
  return redirectWithToast(safeRedirect(fields.redirectTo as string | undefined, '/volunteers/mine'), { type: 'success', key: saved.created ? 'volunteers:toast.profileCreated' : 'volunteers:toast.profileSaved' });
}

export default function VolunteerProfilePage() {
  const { t } = useTranslation(['volunteers', 'common']);
  const { profile, places, defaultCommunity } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [search] = useSearchParams();
  const language = useLanguage();
  const errors: Record<string, string[]> = answer?.errors ?? {};
  const chosen = answer?.typed ?? { skills: profile?.skills ?? [], availability: profile?.availability ?? [], community: defaultCommunity, contactConsent: profile?.contactConsent ?? false };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('profile.title')}</h1>
      <p className="text-stone-700">{profile ? t('profile.introEdit') : t('profile.intro')}</p>
      <Form method="post" className="space-y-4" key={JSON.stringify(chosen)}>
        <input type="hidden" name="redirectTo" value={search.get('redirectTo') ?? ''} />
        <fieldset className="card space-y-2" aria-describedby={errors.skills ? 'skills-error' : undefined}>
          <legend className="mb-2 text-lg font-semibold">{t('profile.skills')}</legend>
          <div className="grid grid-cols-2 gap-x-3 gap-y-1">
            {VOLUNTEER_SKILLS.map((skill) => (
              <label key={skill} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="skills" value={skill} defaultChecked={chosen.skills.includes(skill)} className="h-6 w-6" />
                <span>{t(`skill.${skill}`)}</span>
              </label>
            ))}
          </div>
          <ErrorList id="skills-error" errors={errors.skills} keyPrefixes={ERROR_KEYS} />
        </fieldset>
        <fieldset className="card space-y-2">
          <legend className="mb-2 text-lg font-semibold">{t('profile.availability')}</legend>
          {AVAILABILITY.map((slot) => (
            <label key={slot} className="flex min-h-11 items-center gap-3">
              <input type="checkbox" name="availability" value={slot} defaultChecked={chosen.availability.includes(slot)} className="h-6 w-6" />
              <span>{t(`availability.${slot}`)}</span>
            </label>
          ))}
          <ErrorList errors={errors.availability} keyPrefixes={ERROR_KEYS} />
        </fieldset>
        <div className="card space-y-2">
          <label htmlFor="community" className="block text-lg font-semibold">
            {t('profile.community')}
          </label>
          <select id="community" name="community" className="input" defaultValue={chosen.community} aria-invalid={errors.community ? true : undefined}>
            <option value="">{t('profile.chooseCommunity')}</option>
            <CommunityOptions streets={places} language={language} />
          </select>
          <ErrorList errors={errors.community} keyPrefixes={ERROR_KEYS} />
          <label className="flex min-h-11 items-center gap-3">
            <input type="checkbox" name="contactConsent" defaultChecked={chosen.contactConsent} className="h-6 w-6" />
            <span>{t('profile.contactConsent')}</span>
          </label>
        </div>
        <button type="submit" className="btn-primary min-h-14 w-full text-xl" data-testid="save-profile">
          {t('profile.save')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
