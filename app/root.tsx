import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useChangeLanguage } from 'remix-i18next/react';
import { GeneralErrorBoundary } from './components/error-boundary';
import { SiteFooter, SiteHeader } from './components/site-chrome';
import { ToastMessage } from './components/toast';
import { useNonce } from './components/nonce';
import { getOptionalUser } from '~/core/auth.server';
import { unreadCount } from '~/core/notifications.server';
import { outboxInUse } from '~/core/messages.server';
import { hasPermission, hasRole } from '~/core/permissions.server';
import { getLanguage } from '~/core/i18n.server';
import { takeToast } from '~/core/toast.server';
import { wantsLargeType } from '~/core/text-size.server';
import stylesheet from './styles/tailwind.css';
import { INTL_LOCALE } from '~/core/locales';
import { useLanguage, useRootData } from './utils/root-data';
import { KioskHeader } from '~/features/accounts/kiosk';
import { deviceKiosk, kioskIdleSeconds } from '~/features/accounts/kiosk.server';

export const handle = { i18n: ['common', 'notifications', 'kiosk'] };

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, language, { toast, headers }, device] = await Promise.all([
    getOptionalUser(request, context),
    getLanguage(request, context),
    takeToast(request),
    deviceKiosk(request, context),
  ]);
  // On a kiosk (decision 032) the page gets the kiosk's chrome instead of the site's header.
  const kiosk = device.state === 'kiosk' || user?.kiosk ? { name: device.state === 'kiosk' ? device.kiosk.name : '', idleSeconds: kioskIdleSeconds(), resident: user?.kiosk ? user.name : null } : null;
  // Counted with the session (session.server.ts); counted here only when it was not.
  const unreadNotifications = user ? (user.unreadNotifications ?? (await unreadCount(user.id))) : 0;
  return data(
    {
      language,
      toast,
      largeType: wantsLargeType(request),
      kiosk,
      user: user && {
        name: user.name,
        isAdmin: hasPermission(user.roles, 'admin:access'),
        // The development outbox's page exists only while a channel writes to it.
        hasOutbox: hasPermission(user.roles, 'outbox:read') && outboxInUse(),
        isGridWorker: hasRole(user.roles, 'gridWorker'),
        // Committee members and admins keep the registry of implementing organizations; an
        // organization's mentor reaches its incubation page from there.
        keepsRegistry: hasPermission(user.roles, 'organization:create') || user.roles.some((g) => g.role === 'mentor' && g.scopeType === 'organization'),
        // Grid and community workers register and confirm the micro-wishes of their area.
        registersWishes: hasRole(user.roles, 'gridWorker') || hasRole(user.roles, 'communityWorker') || hasPermission(user.roles, 'admin:access'),
        // A street's grid workers and admins enrol and revoke its kiosk tablets (decision 032).
        managesKiosks: user.roles.some((g) => g.role === 'gridWorker' && g.scopeType === 'street') || hasPermission(user.roles, 'admin:access'),
        // District staff (committee members) and admins keep the overview of every pledge.
        managesResources: hasPermission(user.roles, 'resource:manage'),
        unreadNotifications,
      },
    },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRootData();
  const language = useLanguage();
  const nonce = useNonce();
  const { t } = useTranslation();
  return (
    <html lang={INTL_LOCALE[language]} data-lng={language} className={[rootData?.kiosk ? 'kiosk' : '', rootData?.largeType ? 'text-large' : ''].join(' ').trim() || undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0f6b5b" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-3">
          {t('nav.skipToContent')}
        </a>
        {rootData?.kiosk ? (
          <KioskHeader kiosk={rootData.kiosk} language={language} />
        ) : (
          <SiteHeader user={rootData?.user ?? null} language={language} largeType={rootData?.largeType ?? false} />
        )}
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
          {children}
        </main>
        <SiteFooter />
        {rootData?.toast ? <ToastMessage toast={rootData.toast} /> : null}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const language = useLanguage();
  useChangeLanguage(language);
  return <Outlet />;
}

export const meta: MetaFunction = () => [{ title: '崂善行 Laoshanxing' }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
