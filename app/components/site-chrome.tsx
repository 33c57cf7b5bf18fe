import { Form, Link, NavLink, useLocation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '~/core/locales';
import { NotificationBell } from './notification-bell';
import { TextSizeSwitch } from './text-size-switch';

interface HeaderUser {
  name: string;
  isAdmin: boolean;
  hasOutbox: boolean;
  isGridWorker: boolean;
  keepsRegistry: boolean;
  registersWishes: boolean;
  managesKiosks: boolean;
  managesResources: boolean;
  unreadNotifications: number;
}

/** The account menu's pages for this user: everyone's, then grid workers', then admins'. */
function accountLinks(user: HeaderUser): [string, string][] {
  return [
    ['/profile', 'nav.profile'],
    ['/my/proposals', 'nav.myProposals'],
    ['/wishes/mine', 'nav.myWishes'],
    ['/volunteers/mine', 'nav.myVolunteering'],
    // The needs whistle's work lists: a worker's queue, a helper's claims, or how to become a helper.
    ['/needs/work', 'nav.needsWork'],
    ['/verify', 'nav.verify'],
    ...(user.isGridWorker ? ([['/assist', 'nav.assist'], ['/assist/verify', 'nav.verifyResidents']] as [string, string][]) : []),
    ...(user.registersWishes ? ([['/wishes/manage', 'nav.manageWishes']] as [string, string][]) : []),
    ...(user.keepsRegistry ? ([['/organizations', 'nav.organizations']] as [string, string][]) : []),
    ...(user.managesResources ? ([['/resources', 'nav.resources']] as [string, string][]) : []),
    ...(user.managesKiosks ? ([['/kiosks', 'nav.kiosks']] as [string, string][]) : []),
    ...(user.isAdmin
      ? ([['/admin/users', 'nav.admin'], ['/admin/audit', 'nav.audit'], ['/competitions/new', 'nav.newCompetition'], ['/needs/categories', 'nav.needCategories']] as [string, string][])
      : []),
    ...(user.hasOutbox ? ([['/admin/outbox', 'nav.outbox']] as [string, string][]) : []),
  ];
}

export function SiteHeader({ user, language, largeType }: { user: HeaderUser | null; language: Language; largeType: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const menu = useRef<HTMLDetailsElement>(null);
  // The account menu is a <details> (it works without JavaScript); close it after navigating.
  useEffect(() => {
    menu.current?.removeAttribute('open');
  }, [location.key]);
  return (
    <header className="border-b border-stone-200 bg-white print:hidden">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="flex min-h-11 items-center gap-2 text-brand-700">
          <span className="text-2xl font-bold tracking-wide">{t('brand.name')}</span>
          <span className="hidden text-sm text-stone-500 sm:inline">{t('brand.tagline')}</span>
        </Link>
        <nav aria-label={t('nav.main')} className="flex gap-3 text-base">
          <NavLink to="/" end className={({ isActive }) => `inline-flex min-h-11 min-w-11 items-center justify-center px-2 ${isActive ? 'font-semibold text-brand-700' : 'text-stone-700'}`}>
            {t('nav.home')}
          </NavLink>
          <NavLink to="/wishes" className={({ isActive }) => `inline-flex min-h-11 min-w-11 items-center justify-center px-2 ${isActive ? 'font-semibold text-brand-700' : 'text-stone-700'}`}>
            {t('nav.wishes')}
          </NavLink>
          <NavLink to="/dashboard" className={({ isActive }) => `inline-flex min-h-11 min-w-11 items-center justify-center px-2 ${isActive ? 'font-semibold text-brand-700' : 'text-stone-700'}`}>
            {t('nav.dashboard')}
          </NavLink>
        </nav>
        {/* Wraps rather than pushing the page sideways when an account's name is long (a street committee's, on a phone). */}
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-1 gap-y-2">
          <Form method="post" action="/set-language" className="flex" aria-label={t('language.label')}>
            <input type="hidden" name="redirectTo" value={here} />
            {LANGUAGES.map((lng) => (
              <button
                key={lng}
                type="submit"
                name="language"
                value={lng}
                lang={lng === 'zh' ? 'zh-CN' : 'en'}
                aria-pressed={lng === language}
                className={`min-h-11 whitespace-nowrap px-2 text-sm ${lng === language ? 'font-semibold text-brand-700 underline' : 'text-stone-600'}`}
              >
                {t(`language.${lng}`)}
              </button>
            ))}
          </Form>
          <TextSizeSwitch large={largeType} redirectTo={here} />
          {user ? <NotificationBell unread={user.unreadNotifications} /> : null}
          {user ? (
            <details ref={menu} className="relative">
              <summary className="btn-secondary cursor-pointer list-none" data-testid="account-menu">
                {user.name}
              </summary>
              <div className="absolute right-0 z-10 mt-2 w-48 rounded-lg border border-stone-200 bg-white p-2 shadow-lg">
                {accountLinks(user).map(([to, key]) => (
                  <Link key={to} to={to} className="block rounded px-3 py-2 hover:bg-stone-100">
                    {t(key)}
                  </Link>
                ))}
                <Form method="post" action="/logout">
                  <button type="submit" className="w-full rounded px-3 py-2 text-left hover:bg-stone-100">
                    {t('nav.logout')}
                  </button>
                </Form>
              </div>
            </details>
          ) : (
            <>
              <Link to={`/login?${new URLSearchParams({ redirectTo: here })}`} className="btn-secondary">
                {t('nav.login')}
              </Link>
              <Link to="/register" className="btn-primary">
                {t('nav.register')}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="mt-10 border-t border-stone-200 bg-white print:hidden">
      <div className="mx-auto max-w-5xl space-y-1 px-4 py-6 text-sm text-stone-600">
        <p>{t('footer.organiser')}</p>
        <p>
          <Link to="/dashboard" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
            {t('footer.dashboard')}
          </Link>
        </p>
        <p>
          <Link to="/needs" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
            {t('footer.needs')}
          </Link>
        </p>
        <p>
          <Link to="/volunteers" className="inline-flex min-h-11 items-center font-medium text-brand-700 underline">
            {t('footer.volunteers')}
          </Link>
        </p>
        <p>{t('footer.privacy')}</p>
      </div>
    </footer>
  );
}
