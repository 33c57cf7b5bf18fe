import { Form, Link } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '~/core/locales';

export interface KioskChrome {
  name: string;
  idleSeconds: number;
  /** The signed-in resident's name, or null on the start screen. */
  resident: string | null;
}

/** Things that count as "a touch": any of them restarts the idle countdown. */
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

/**
 * The idle countdown of a kiosk with a resident signed in: after `seconds` without a touch it
 * ends the session on the server (the server ends it by itself too, KIOSK_IDLE_SECONDS after the
 * last request) and replaces the page with the start screen, so history holds nothing to go back to.
 */
function useIdleSignOut(seconds: number, active: boolean) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!active) return;
    const signOut = () => {
      void fetch('/kiosk/end', { method: 'POST', body: new URLSearchParams({ reason: 'idle' }), credentials: 'same-origin', redirect: 'manual' }).finally(() => {
        window.location.replace('/kiosk?idle=1');
      });
    };
    const restart = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(signOut, seconds * 1000);
    };
    restart();
    for (const event of ACTIVITY) window.addEventListener(event, restart, { passive: true });
    return () => {
      if (timer.current) clearTimeout(timer.current);
      for (const event of ACTIVITY) window.removeEventListener(event, restart);
    };
  }, [seconds, active]);
}

/**
 * A page restored from the back/forward cache after the session ended must not show its old
 * content: reload it, so the server answers for the current session (the start screen).
 */
function useNoRestoredPages() {
  useEffect(() => {
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) window.location.reload();
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);
}

/** The header of a kiosk: large type, the station's name, the language, and "start over" always visible. */
export function KioskHeader({ kiosk, language }: { kiosk: KioskChrome; language: Language }) {
  const { t } = useTranslation('kiosk');
  useIdleSignOut(kiosk.idleSeconds, kiosk.resident !== null);
  useNoRestoredPages();
  return (
    <header className="border-b-4 border-brand-700 bg-white" data-testid="kiosk-header">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/kiosk" className="flex min-h-11 items-center gap-2 text-brand-700">
          <span className="text-2xl font-bold tracking-wide">{t('common:brand.name')}</span>
          <span className="text-base text-stone-600">{kiosk.name}</span>
        </Link>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
          {kiosk.resident ? (
            <span className="text-lg" data-testid="kiosk-resident">
              {t('header.signedInAs', { name: kiosk.resident })}
            </span>
          ) : null}
          <Form method="post" action="/set-language" className="flex" aria-label={t('common:language.label')}>
            <input type="hidden" name="redirectTo" value="/kiosk" />
            {LANGUAGES.map((lng) => (
              <button
                key={lng}
                type="submit"
                name="language"
                value={lng}
                lang={lng === 'zh' ? 'zh-CN' : 'en'}
                aria-pressed={lng === language}
                className={`min-h-11 whitespace-nowrap px-3 ${lng === language ? 'font-semibold text-brand-700 underline' : 'text-stone-600'}`}
              >
                {t(`common:language.${lng}`)}
              </button>
            ))}
          </Form>
          <Form method="post" action="/kiosk/end" reloadDocument replace>
            <input type="hidden" name="reason" value="startOver" />
            <button type="submit" className="btn-primary min-h-12 px-5 text-lg" data-testid="kiosk-start-over">
              {t('header.startOver')}
            </button>
          </Form>
        </div>
      </div>
      {kiosk.resident ? <p className="bg-amber-50 px-4 py-1 text-center text-base text-amber-900">{t('header.idleNotice', { seconds: kiosk.idleSeconds })}</p> : null}
    </header>
  );
}
