import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { raiseNeed, raiserKinds } from '~/features/needs/lifecycle.server';
import { NEED_DESCRIPTION_MAX, NEED_URGENCIES } from '~/features/needs/needs';
import { raiseSchema } from '~/features/needs/needs.schema.server';
import { needReference } from '~/features/needs/reference.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'needs'] };

/** The communities of the viewer's areas where they may raise needs, each with the kinds they raise as. */
async function raisingPlaces(user: Awaited<ReturnType<typeof requireUser>>) {
  const reference = await needReference();
  const places = reference.streets.flatMap((street) =>
    street.communities
      .map((c) => ({ id: c.id, name: c.name, street: street.name, kinds: raiserKinds(user, { streetId: street.id, communityId: c.id }) }))
      .filter((c) => c.kinds.length > 0),
  );
  return { places, categories: reference.categories.filter((c) => c.active).map((c) => ({ code: c.code, name: c.name })) };
}

/**
 * A whistle-blower (or grid worker) raises a need of someone in their area. The public
 * description is checked for what identifies the person (a phone or ID number, an address, a
 * name, or the private details typed below it); when something is found the form comes back with
 * everything kept and a warning, and is saved only once the whistle-blower rewrites it or says
 * they checked. It waits for a community worker's verification before anyone else sees it.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { places, categories } = await raisingPlaces(user);
  if (!places.length) throw new Response('Forbidden', { status: 403 });
  return { title: await pageTitle(request, 'needs:raise.title', ['needs', 'common']), places, categories };
}

type Reply = { errors: Record<string, string[]>; values: Record<string, string>; identifying: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  // Refused as the page is: someone who raises needs nowhere never reaches the form's checks.
  if (!(await raisingPlaces(user)).places.length) throw new Response('Forbidden', { status: 403 });
  const fields = Object.fromEntries([...(await readForm(request)).entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const values = Object.fromEntries(Object.entries(fields).filter(([k]) => ['category', 'urgency', 'community', 'grid', 'description', 'raisedAs', 'name', 'address', 'phone', 'situation'].includes(k)));
  const parsed = raiseSchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(`needs:error.${issue.message}`);
    return data<Reply>({ errors, values, identifying: [] }, { status: 400 });
  }
  const { community, acknowledged, ...rest } = parsed.data;
  const raised = await raiseNeed({ actor: user, need: { ...rest, communityId: community, acknowledged: acknowledged === 'yes' }, ip: clientIp(request) });
  if (!raised.ok) {
    if (raised.reason === 'identifying') return data<Reply>({ errors: {}, values, identifying: raised.kinds }, { status: 400 });
    const field = raised.reason === 'category' ? 'category' : raised.reason === 'community' ? 'community' : 'form';
    return data<Reply>({ errors: { [field]: [`needs:error.${raised.reason}`] }, values, identifying: [] }, { status: raised.reason === 'notAllowed' ? 403 : 400 });
  }
  return redirectWithToast(`/needs/${raised.number}`, { type: 'success', key: 'needs:toast.raised' });
}

export default function RaiseNeed() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { places, categories } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const value = (name: string) => reply?.values[name] ?? '';
  const errors = (name: string) => reply?.errors[name] ?? null;
  const kinds = [...new Set(places.flatMap((p) => p.kinds))];
  const field = (name: string, label: string, input: React.ReactNode, help?: string) => (
    <div>
      <label htmlFor={`need-${name}`} className="mb-1 block font-medium">
        {label}
      </label>
      {input}
      {help ? (
        <p id={`need-${name}-help`} className="mt-1 text-stone-600">
          {help}
        </p>
      ) : null}
      <ErrorList id={`need-${name}-error`} errors={errors(name)} keyPrefixes={['']} />
    </div>
  );
  const invalid = (name: string) => (errors(name) ? { 'aria-invalid': true, 'aria-describedby': `need-${name}-error` } : {});
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('raise.title')}</h1>
      <p className="text-stone-700">{t('raise.intro')}</p>
      <Form method="post" className="space-y-4">
        {/* The card wraps the fieldset: a bordered fieldset draws its legend across the top border, which cuts through a legend that wraps (English, on a phone). */}
        <div className="card">
          <fieldset className="space-y-3">
            <legend className="text-lg font-semibold">{t('raise.public')}</legend>
            {field(
              'category',
              t('field.category'),
              <select id="need-category" name="category" className="input" defaultValue={value('category')} {...invalid('category')}>
                <option value="">{t('raise.choose')}</option>
                {categories.map((c) => (
                  <option key={c.code} value={c.code}>
                    {pickText(c.name, language)}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'urgency',
              t('field.urgency'),
              <select id="need-urgency" name="urgency" className="input" defaultValue={value('urgency') || 'normal'} {...invalid('urgency')}>
                {NEED_URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {t(`urgency.${u}`)}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'community',
              t('field.community'),
              <select id="need-community" name="community" className="input" defaultValue={value('community')} {...invalid('community')}>
                <option value="">{t('raise.choose')}</option>
                {places.map((p) => (
                  <option key={p.id} value={p.id}>
                    {pickText(p.street, language)} · {pickText(p.name, language)}
                  </option>
                ))}
              </select>,
            )}
            {field('grid', t('field.grid'), <input id="need-grid" name="grid" className="input" defaultValue={value('grid')} placeholder={t('raise.gridPlaceholder')} />)}
            {field(
              'raisedAs',
              t('field.raisedAs'),
              <select id="need-raisedAs" name="raisedAs" className="input" defaultValue={value('raisedAs') || kinds[0]} {...invalid('raisedAs')}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`raisedAs.${k}`)}
                  </option>
                ))}
              </select>,
            )}
            {field(
              'description',
              t('field.description'),
              <textarea id="need-description" name="description" rows={5} maxLength={NEED_DESCRIPTION_MAX} className="input" defaultValue={value('description')} aria-describedby="need-description-help" {...invalid('description')} />,
              t('raise.descriptionHelp'),
            )}
            {reply?.identifying.length ? (
              <div className="space-y-2 rounded-lg border border-red-600 bg-red-50 p-3" role="alert">
                <p className="font-semibold">{t('raise.identifyingTitle')}</p>
                <ul className="list-disc pl-6">
                  {reply.identifying.map((kind) => (
                    <li key={kind}>{t(`raise.identifying.${kind}`)}</li>
                  ))}
                </ul>
                <label className="flex min-h-11 items-start gap-3">
                  <input type="checkbox" name="acknowledged" value="yes" className="mt-1 h-6 w-6 shrink-0" />
                  <span>{t('raise.acknowledge')}</span>
                </label>
              </div>
            ) : null}
          </fieldset>
        </div>
        <div className="card border-amber-300 bg-amber-50">
          <fieldset className="space-y-3">
            <legend className="text-lg font-semibold">{t('raise.private')}</legend>
            <p className="text-stone-700">{t('raise.privateHelp')}</p>
            {field('name', t('field.name'), <input id="need-name" name="name" className="input" defaultValue={value('name')} autoComplete="off" {...invalid('name')} />)}
            {field('phone', t('field.phone'), <input id="need-phone" name="phone" type="tel" inputMode="tel" className="input" defaultValue={value('phone')} autoComplete="off" {...invalid('phone')} />)}
            {field('address', t('field.address'), <input id="need-address" name="address" className="input" defaultValue={value('address')} autoComplete="off" />)}
            {field('situation', t('field.situation'), <textarea id="need-situation" name="situation" rows={4} className="input" defaultValue={value('situation')} />)}
          </fieldset>
        </div>
        <ErrorList errors={errors('form')} keyPrefixes={['']} />
        <button type="submit" className="btn-primary">
          {t('raise.submit')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
