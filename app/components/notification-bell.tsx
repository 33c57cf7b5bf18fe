import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** The header's way into the notification centre, with the number of unread notifications. */
export function NotificationBell({ unread }: { unread: number }) {
  const { t } = useTranslation('notifications');
  const label = unread > 99 ? t('bellUnreadMany') : unread > 0 ? t('bellUnread', { count: unread }) : t('bell');
  return (
    <Link to="/notifications" className="relative inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-stone-700 hover:bg-stone-100" aria-label={label} title={label} data-testid="notification-bell">
      <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs leading-5 font-semibold text-white" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}
