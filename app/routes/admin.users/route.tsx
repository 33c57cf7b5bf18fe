import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { searchUsers } from '~/features/accounts/users.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { ScrollRegion } from '~/components/scroll-region';

export const handle = { i18n: ['common', 'admin'] };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'roles:manage');
  const url = new URL(request.url);
  const q = (url.searchParams.get('q') ?? '').slice(0, 100);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  const { users, total, pageSize } = await searchUsers(q, page);
  return {
    title: await pageTitle(request, 'admin:users.title', ['admin', 'common']),
    q,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    total,
    users: users.map((user) => ({
      id: String(user._id),
      name: user.name,
      // Admins need to find people by contact; still only a masked form leaves the server.
      contact: user.phone ? `${user.phone.slice(0, 3)}****${user.phone.slice(-4)}` : (user.email ?? ''),
      roles: [...new Set(user.roles.map((grant) => grant.role))],
      createdAt: user.createdAt.toISOString(),
    })),
  };
}

export default function AdminUsersPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { q, page, pages, total, users } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('users.title')}</h1>
      <Form method="get" className="flex gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          {t('users.search')}
        </label>
        <input id="q" name="q" defaultValue={q} className="input" placeholder={t('users.searchPlaceholder')} />
        <button type="submit" className="btn-secondary">
          {t('users.search')}
        </button>
      </Form>
      <p className="text-sm text-stone-600">{t('users.count', { count: total })}</p>
      <ScrollRegion label={t('users.tableLabel')}>
        <table className="w-full border-collapse bg-white text-left">
          <thead>
            <tr className="border-b border-stone-300">
              <th className="p-2">{t('users.name')}</th>
              <th className="p-2">{t('users.contact')}</th>
              <th className="p-2">{t('users.roles')}</th>
              <th className="p-2">{t('users.joined')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} className="border-b border-stone-200">
                <td className="p-2">
                  <Link to={`/admin/users/${user.id}`} className="inline-flex min-h-11 min-w-11 items-center font-medium text-brand-700 underline">
                    {user.name}
                  </Link>
                </td>
                <td className="p-2 text-sm">{user.contact}</td>
                <td className="p-2 text-sm">{user.roles.map((role) => t(`common:role.${role}`)).join('、')}</td>
                <td className="p-2 text-sm">{formatDate(user.createdAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
