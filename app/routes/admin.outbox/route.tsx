import type { LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { requirePermission } from '~/core/auth.server';
import { pageTitle } from '~/core/i18n.server';
import { outboxInUse, readOutbox } from '~/core/messages.server';
import { formatDate } from '~/utils/format';
import { titleMeta } from '~/utils/meta';
import { invariantResponse } from '~/utils/misc';
import { useLanguage } from '~/utils/root-data';
import { EmptyState } from '~/components/empty-state';

export const handle = { i18n: ['common', 'admin'] };

/**
 * The messages the outbox gateway "sent" (codes, notices), newest first, for development and the
 * demo: there is no real SMS or mail server, so this is where a code is read. Admins only, and
 * only while a channel uses the outbox (404 once real gateways are configured).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'outbox:read');
  invariantResponse(outboxInUse(), 'Not found', { status: 404 });
  const [messages, title] = await Promise.all([readOutbox({ limit: 50 }), pageTitle(request, 'admin:outbox.title', ['admin', 'common'])]);
  return { title, messages };
}

export default function OutboxPage() {
  const { t } = useTranslation(['admin', 'common']);
  const { messages } = useLoaderData<typeof loader>();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('outbox.title')}</h1>
      <p className="text-stone-600">{t('outbox.intro')}</p>
      {messages.length === 0 ? <EmptyState title={t('outbox.empty')} next={t('outbox.emptyNext')} /> : null}
      <ol className="space-y-3" data-testid="outbox">
        {messages.map((message, index) => (
          <li key={`${message.at}-${index}`} className="card space-y-1">
            <p className="text-sm text-stone-600">
              {formatDate(message.at, language, { dateStyle: 'medium', timeStyle: 'medium' })} · {t(`outbox.channel.${message.channel}`)} ·{' '}
              <span className="font-mono">{message.to}</span> · {message.purpose}
            </p>
            <p className="whitespace-pre-wrap">{message.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
