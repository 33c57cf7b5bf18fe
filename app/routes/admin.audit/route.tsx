import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { Pagination } from '~/components/pagination';
import { listAudit } from '~/core/audit.server';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';

export const handle = { i18n: ['common', 'admin'] };

const query = z.object({
  action: z.string().regex(/^[a-zA-Z.]{1,60}$/).optional().catch(undefined),
  target: z.string().regex(OBJECT_ID).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

/** The append-only audit log: who did what to what, when, with before and after. Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:read');
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [log, title] = await Promise.all([
    listAudit({ action: q.action, targetId: q.target, page: q.page }),
    pageTitle(request, 'admin:audit.title', ['admin', 'common']),
  ]);
  return { title, q, ...log };
}

export default function AuditPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { q, entries, actions, total, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('audit.title')}</h1>
      <p className="text-stone-600">{t('audit.intro')}</p>
      <Form method="get" className="card flex flex-wrap items-end gap-3">
        <label className="block">
          <span className="mb-1 block text-sm">{t('audit.action')}</span>
          <select name="action" defaultValue={q.action ?? ''} className="input">
            <option value="">{t('audit.allActions')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="mb-1 block text-sm">{t('audit.target')}</span>
          <input name="target" defaultValue={q.target ?? ''} className="input font-mono" />
        </label>
        <button type="submit" className="btn-secondary">
          {t('audit.filter')}
        </button>
      </Form>
      <p className="text-sm text-stone-600">{t('audit.count', { count: total })}</p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse bg-white text-left text-sm">
          <thead>
            <tr className="border-b border-stone-300">
              <th className="p-2">{t('audit.when')}</th>
              <th className="p-2">{t('audit.who')}</th>
              <th className="p-2">{t('audit.action')}</th>
              <th className="p-2">{t('audit.target')}</th>
              <th className="p-2">{t('audit.change')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-b border-stone-200 align-top">
                <td className="p-2 whitespace-nowrap">{formatDate(e.at, language, { dateStyle: 'short', timeStyle: 'medium' })}</td>
                <td className="p-2">{e.actor ?? '—'}</td>
                <td className="p-2 font-mono">{e.action}</td>
                <td className="p-2 font-mono break-all">{e.target}</td>
                <td className="max-w-md p-2 font-mono text-xs break-all">
                  {e.reason ? <p>{t('audit.reason')}: {e.reason}</p> : null}
                  {e.before ? <p className="text-red-800">− {e.before}</p> : null}
                  {e.after ? <p className="text-brand-800">+ {e.after}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={q.page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
