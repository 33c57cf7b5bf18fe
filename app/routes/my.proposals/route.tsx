import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requireUser } from '~/services/auth.server';
import { pageTitle } from '~/services/i18n.server';
import { listMyProposals } from '~/services/proposals.server';
import { formatDate, formatMoney } from '~/utils/format';
import { pickText } from '~/utils/locales';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'proposals'] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [proposals, title] = await Promise.all([listMyProposals(user.id), pageTitle(request, 'proposals:mine.title', ['proposals', 'common'])]);
  return { title, proposals };
}

export default function MyProposalsPage() {
  const { t } = useTranslation(['proposals', 'common']);
  const { proposals } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('mine.title')}</h1>
      {proposals.length === 0 ? <p className="card text-stone-600">{t('mine.empty')}</p> : null}
      <ul className="space-y-2">
        {proposals.map((p) => (
          <li key={`${p.competitionSlug}-${p.number}`} className="card flex flex-wrap items-center justify-between gap-2">
            <div>
              <Link to={`/competitions/${p.competitionSlug}/proposals/${p.number}`} className="text-lg font-semibold text-brand-800 underline">
                {p.title}
              </Link>
              <p className="text-sm text-stone-600">
                {pickText(p.competitionTitle, language)} · #{p.number} · {formatMoney(p.totalFen, language)} ·{' '}
                {t('mine.updated', { date: formatDate(p.updatedAt, language) })}
              </p>
            </div>
            <span className="rounded-full bg-stone-100 px-3 py-1 text-sm">{t(`status.${p.status}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
