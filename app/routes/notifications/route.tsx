import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { OBJECT_ID } from '~/utils/object-id';
import { Pagination } from '~/components/pagination';
import { requireUser } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { listNotifications, markAllRead, markRead, type NotificationItem } from '~/core/notifications.server';
import { redirectWithToast } from '~/core/toast.server';
import { isProposalStatus } from '~/features/proposals/proposals';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { useLanguage } from '~/utils/root-data';
import { readForm } from '~/core/request.server';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'notifications', 'proposals'] };

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('readAll') }),
  z.object({ intent: z.literal('open'), id: z.string().regex(OBJECT_ID) }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { page } = pageQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [list, title] = await Promise.all([
    listNotifications(user.id, page),
    pageTitle(request, 'notifications:title', ['notifications', 'common']),
  ]);
  // A notification's stored status is shown only when it is a real proposal status.
  const items = list.items.map((item) => ({ ...item, status: isProposalStatus(item.status) ? item.status : null }));
  return { title, ...list, items };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return redirectWithToast('/notifications', { type: 'error', key: 'notifications:toast.notFound' });
  if (parsed.data.intent === 'readAll') {
    await markAllRead(user.id);
    return redirectWithToast('/notifications', { type: 'success', key: 'notifications:toast.allRead' });
  }
  // Opening marks it read and goes where it points; someone else's notification is "not found".
  const opened = await markRead(user.id, parsed.data.id);
  if (!opened) return redirectWithToast('/notifications', { type: 'error', key: 'notifications:toast.notFound' });
  return redirect(opened.href, { status: 303 });
}

function Message({ item }: { item: NotificationItem }) {
  const { t } = useTranslation(['notifications', 'proposals']);
  return (
    <>
      {t(`message.${item.message}`, {
        actor: item.actorName ?? t('someone'),
        title: item.proposalTitle ?? t('aProposal'),
        number: item.wishNumber ?? item.pledgeNumber ?? item.activityNumber ?? item.projectNumber ?? item.needNumber ?? '',
        status: item.status ? t(`proposals:status.${item.status}`) : '',
        serial: item.serial ?? '',
      })}
    </>
  );
}

export default function NotificationsPage() {
  const { t } = useTranslation(['notifications', 'common']);
  const { items, unread, page, pages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('title')}</h1>
          <p className="text-stone-600">{t('unread', { count: unread })}</p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <button type="submit" name="intent" value="readAll" className="btn-secondary">
              {t('markAllRead')}
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 ? <EmptyState title={t('empty')} next={t('emptyNext')} /> : null}
      <ul className="space-y-2">
        {items.map((item) => (
          <li
            key={item.id}
            data-unread={item.read ? undefined : 'true'}
            className={`card flex flex-wrap items-start gap-3 ${item.read ? '' : 'border-l-4 border-l-brand-600 bg-brand-50'}`}
          >
            <div className="min-w-0 flex-1">
              {item.read ? (
                <Link to={item.href} className="text-brand-800 underline">
                  <Message item={item} />
                </Link>
              ) : (
                <Form method="post">
                  <input type="hidden" name="id" value={item.id} />
                  <button type="submit" name="intent" value="open" className="text-left font-semibold text-brand-800 underline">
                    <span className="sr-only">{t('unreadLabel')} </span>
                    <Message item={item} />
                  </button>
                </Form>
              )}
              <p className="text-sm text-stone-500">
                <time dateTime={item.createdAt}>{formatDate(item.createdAt, language, { dateStyle: 'medium', timeStyle: 'short' })}</time>
              </p>
            </div>
            {item.read ? null : (
              <span className="rounded-full bg-brand-700 px-2 text-sm text-white" aria-hidden="true">
                {t('new')}
              </span>
            )}
          </li>
        ))}
      </ul>
      <Pagination page={page} pages={pages} />
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
