import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { applyAsHelper, helperOf } from '~/features/needs/helpers.server';
import { HELPER_KINDS } from '~/features/needs/needs';
import { helperApplySchema } from '~/features/needs/needs.schema.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'needs'] };

/** Becoming a helper: the application form, then its state (waiting, certified, revoked). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [helper, title] = await Promise.all([helperOf(user.id), pageTitle(request, 'needs:helper.title', ['needs', 'common'])]);
  return { title, helper, name: user.name };
}

type Reply = { errors: Record<string, string[]>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const fields = Object.fromEntries([...(await readForm(request)).entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const values = { kind: fields.kind ?? '', name: fields.name ?? '', introduction: fields.introduction ?? '', contactPhone: fields.contactPhone ?? '' };
  const parsed = helperApplySchema.safeParse(fields);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? 'form')] ??= []).push(`needs:error.${issue.message}`);
    return data<Reply>({ errors, values }, { status: 400 });
  }
  const applied = await applyAsHelper({ user, ...parsed.data, ip: clientIp(request) });
  if (!applied.ok) return data<Reply>({ errors: { form: [`needs:error.${applied.reason}`] }, values }, { status: 409 });
  return redirectWithToast('/needs/helpers/mine', { type: 'success', key: 'needs:toast.applied' });
}

export default function MyHelper() {
  const { t } = useTranslation(['needs', 'common']);
  const language = useLanguage();
  const { helper, name } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  if (helper) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-bold">{t('helper.title')}</h1>
        <div className="card space-y-2">
          <p className="text-lg font-semibold">
            {helper.name} · {t(`helperKind.${helper.kind}`)}
          </p>
          <p>{t(`helper.status.${helper.status}`)}</p>
          {helper.certifiedAt ? <p className="text-stone-600">{t('helper.certifiedOn', { date: formatDate(helper.certifiedAt, language) })}</p> : null}
          <p className="text-stone-600">{t('helper.counts', { open: helper.openClaims, fulfilled: helper.fulfilledCount })}</p>
        </div>
        <Link to="/needs" className="btn-secondary">
          {t('helper.toBoard')}
        </Link>
      </div>
    );
  }
  const errors = (field: string) => reply?.errors[field] ?? null;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('helper.applyTitle')}</h1>
      <p className="text-stone-700">{t('helper.intro')}</p>
      <Form method="post" className="card space-y-3">
        <fieldset className="space-y-2">
          <legend className="font-medium">{t('helper.kind')}</legend>
          {HELPER_KINDS.map((kind) => (
            <label key={kind} className="flex min-h-11 items-center gap-3">
              <input type="radio" name="kind" value={kind} defaultChecked={(reply?.values.kind || 'individual') === kind} className="h-6 w-6" />
              {t(`helperKind.${kind}`)}
            </label>
          ))}
          <ErrorList errors={errors('kind')} keyPrefixes={['']} />
        </fieldset>
        <div>
          <label htmlFor="helper-name" className="mb-1 block font-medium">
            {t('helper.name')}
          </label>
          <input id="helper-name" name="name" className="input" defaultValue={reply?.values.name ?? name} />
          <ErrorList errors={errors('name')} keyPrefixes={['']} />
        </div>
        <div>
          <label htmlFor="helper-introduction" className="mb-1 block font-medium">
            {t('helper.introduction')}
          </label>
          <textarea id="helper-introduction" name="introduction" rows={3} className="input" defaultValue={reply?.values.introduction} />
          <ErrorList errors={errors('introduction')} keyPrefixes={['']} />
        </div>
        <div>
          <label htmlFor="helper-phone" className="mb-1 block font-medium">
            {t('helper.contactPhone')}
          </label>
          <input id="helper-phone" name="contactPhone" type="tel" inputMode="tel" className="input" defaultValue={reply?.values.contactPhone} aria-describedby="helper-phone-help" />
          <p id="helper-phone-help" className="mt-1 text-stone-600">
            {t('helper.contactPhoneHelp')}
          </p>
          <ErrorList errors={errors('contactPhone')} keyPrefixes={['']} />
        </div>
        <ErrorList errors={errors('form')} keyPrefixes={['']} />
        <button type="submit" className="btn-primary">
          {t('helper.apply')}
        </button>
      </Form>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
