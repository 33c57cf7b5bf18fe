import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { Pagination } from '~/components/pagination';
import { listAudit } from '~/core/audit.server';
import { requirePermission } from '~/core/auth.server';
import { getFixedT, getLanguage, pageTitle } from '~/core/i18n.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { actionLabel, describeEntry, type Part } from './describe';

export const handle = { i18n: ['common', 'admin'] };

const query = z.object({
  action: z.string().regex(/^[a-zA-Z.]{1,60}$/).optional().catch(undefined),
  actor: z.string().regex(OBJECT_ID).optional().catch(undefined),
  target: z.string().regex(OBJECT_ID).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

/** The translations a sentence draws on: statuses, phases, roles, channels, methods. */
const SENTENCE_NAMESPACES = ['admin', 'common', 'proposals', 'judging', 'voting', 'results'] as const;

/** The append-only audit log as sentences: who did what to what, when, with before and after. Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'audit:read');
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [log, t, language, title] = await Promise.all([
    listAudit({ action: q.action, actor: q.actor, targetId: q.target, page: q.page }),
    getFixedT(request, SENTENCE_NAMESPACES),
    getLanguage(request),
    pageTitle(request, 'admin:audit.title', ['admin', 'common']),
  ]);
  return {
    title,
    q,
    total: log.total,
    pages: log.pages,
    actions: log.actions.map((value) => ({ value, label: actionLabel(value, t) })).sort((a, b) => a.label.localeCompare(b.label, language)),
    actors: log.actors,
    entries: log.entries.map((entry) => describeEntry(entry, log.refs, t, language)),
  };
}

function Sentence({ parts }: { parts: Part[] }) {
  return (
    <p className="leading-relaxed">
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          <span key={i}>{part}</span>
        ) : part.href ? (
          <Link key={i} to={part.href} className="inline-flex min-h-11 min-w-11 items-center justify-center font-medium text-brand-800 underline underline-offset-2">
            {part.text}
            {part.detail ? <span className="text-stone-600"> ({part.detail})</span> : null}
          </Link>
        ) : (
          <span key={i} className="font-medium">
            {part.text}
          </span>
        ),
      )}
    </p>
  );
}

export default function AuditPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { q, entries, actions, actors, total, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const filtered = Boolean(q.action || q.actor || q.target);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('audit.title')}</h1>
      <p className="text-stone-700">{t('audit.intro')}</p>
      <Form method="get" className="card flex flex-wrap items-end gap-3">
        <label className="block w-full min-w-0 sm:w-auto sm:flex-1">
          <span className="mb-1 block text-sm">{t('audit.action')}</span>
          <select name="action" defaultValue={q.action ?? ''} className="input w-full">
            <option value="">{t('audit.allActions')}</option>
            {actions.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="block w-full min-w-0 sm:w-auto sm:flex-1">
          <span className="mb-1 block text-sm">{t('audit.actor')}</span>
          <select name="actor" defaultValue={q.actor ?? ''} className="input w-full">
            <option value="">{t('audit.allActors')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        {q.target ? <input type="hidden" name="target" value={q.target} /> : null}
        <button type="submit" className="btn-secondary">
          {t('audit.filter')}
        </button>
        {filtered ? (
          <Link to="/admin/audit" className="btn-secondary">
            {t('audit.clearFilters')}
          </Link>
        ) : null}
      </Form>
      {q.target ? <p className="text-sm text-stone-700">{t('audit.filteredTarget')}</p> : null}
      <p className="text-sm text-stone-700">{t('audit.count', { count: total })}</p>
      <ol className="divide-y divide-stone-200 rounded border border-stone-200 bg-white">
        {entries.map((e) => (
          <li key={e.id} className="space-y-2 p-3" data-testid="audit-entry">
            <div className="flex flex-wrap items-center justify-between gap-x-4 text-sm text-stone-700">
              <time dateTime={e.at}>{formatDate(e.at, language, { dateStyle: 'medium', timeStyle: 'short' })}</time>
              {e.targetId && !q.target ? (
                <Link to={`?target=${e.targetId}`} className="inline-block py-2 text-brand-800 underline underline-offset-2">
                  {t('audit.sameTarget')}
                </Link>
              ) : null}
            </div>
            <Sentence parts={e.sentence} />
            {e.kiosk !== null ? (
              <p className="text-sm font-medium text-amber-900" data-testid="audit-kiosk">
                {e.kiosk ? t('audit.atKiosk', { name: e.kiosk }) : t('audit.atGoneKiosk')}
              </p>
            ) : null}
            {e.reason ? (
              <p className="text-sm">
                <span className="text-stone-700">{t('audit.fieldLabel', { field: t('audit.reason') })}</span>
                {e.reason}
              </p>
            ) : null}
            {e.changes.length ? (
              <ul className="space-y-1 text-sm" aria-label={t('audit.changeList')}>
                {e.changes.map((c, i) => (
                  <li key={i} className="break-words">
                    <span className="text-stone-700">{t('audit.fieldLabel', { field: c.field })}</span>
                    {c.before !== null ? (
                      <>
                        <span className="sr-only">{t('audit.before')} </span>
                        <del className="text-red-800">{c.before}</del>
                      </>
                    ) : null}
                    {c.before !== null && c.after !== null ? <span aria-hidden="true"> → </span> : null}
                    {c.after !== null ? (
                      <>
                        <span className="sr-only"> {t('audit.after')} </span>
                        <ins className="text-brand-800 no-underline">{c.after}</ins>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      <Pagination page={q.page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
