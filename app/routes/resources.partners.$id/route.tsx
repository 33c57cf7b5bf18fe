import { type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { getFixedT } from '~/core/i18n.server';
import { PledgeList } from '~/features/resources/pledge-list';
import { pageNumber } from '~/features/resources/rules';
import { partnerPage } from '~/features/resources/views.server';
import { formatMoney } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'resources'] };

/**
 * A resource partner's public contributions (the fund at /resources/partners/fund): what it
 * delivered and still promises, not withdrawn, newest first. Individuals have no such page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = pageNumber(new URL(request.url).searchParams.get('page'));
  const found = await partnerPage(params.id ?? '', page);
  invariantResponse(found, 'Not found', { status: 404 });
  const t = await getFixedT(request, ['resources', 'common']);
  return { title: `${found.partner.name} · ${t('partner.title')} · ${t('common:brand.name')}`, ...found, page };
}

export default function PartnerPage() {
  const { t } = useTranslation(['resources', 'common']);
  const { partner, items, total, pages, page, deliveredFen, pledgedFen } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <p className="text-stone-600">{t(`partnerKind.${partner.kind}`)}</p>
      <h1 className="text-2xl font-bold">{partner.name}</h1>
      <p className="card">
        {t('partner.summary', { delivered: formatMoney(deliveredFen, language), pledged: formatMoney(pledgedFen, language), count: total })}
      </p>
      {items.length ? <PledgeList lines={items} language={language} /> : <p className="text-stone-700">{t('partner.none')}</p>}
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
