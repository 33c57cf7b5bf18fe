import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { pageTitle } from '~/core/i18n.server';
import { clientIp, readForm } from '~/core/request.server';
import { redirectWithToast } from '~/core/toast.server';
import { registerWish } from '~/features/wishes/registry.server';
import { registerSchema } from '~/features/wishes/wish.schema';
import { WishForm } from '~/features/wishes/wish-form';
import { requireWishWorker } from '~/features/wishes/access.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'wishes'] };

export async function loader({ request }: LoaderFunctionArgs) {
  const { places } = await requireWishWorker(request);
  const title = await pageTitle(request, 'wishes:register.title', ['wishes', 'common']);
  return { title, places: places.map((s) => ({ id: s.id, name: s.name, communities: s.communities.map((c) => ({ id: c.id, name: c.name })) })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireWishWorker(request);
  const submission = parseWithZod(await readForm(request), { schema: registerSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), reason: null }, { status: 400 });
  const registered = await registerWish({ worker: user, values: submission.value, ip: clientIp(request) });
  if (!registered.ok) {
    // A community outside the worker's area (or none at all) is the community field's error.
    return data({ result: submission.reply({ fieldErrors: { community: [registered.reason] } }), reason: null }, { status: registered.reason === 'forbidden' ? 403 : 400 });
  }
  return redirectWithToast(`/wishes/${registered.number}/manage`, { type: 'success', key: 'wishes:toast.registered', values: { number: registered.number } });
}

export default function RegisterWishPage() {
  const { t } = useTranslation(['wishes', 'common']);
  const { places } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <Link to="/wishes/manage" className="inline-flex min-h-11 items-center text-brand-700 underline">
        ← {t('manage.title')}
      </Link>
      <h1 className="text-2xl font-bold">{t('register.title')}</h1>
      <p className="text-stone-700">{t('register.intro')}</p>
      <WishForm lastResult={answer?.result} formError={answer?.reason} places={places} language={language} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
