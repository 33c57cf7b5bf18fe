import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { getOptionalUser } from '~/core/auth.server';
import { getLanguage, pageTitle } from '~/core/i18n.server';
import { pickText } from '~/core/locales';
import { clientIp, readForm } from '~/core/request.server';
import { kioskActionSchema } from '~/features/accounts/kiosk.schema.server';
import { deviceKiosk, requireKioskDevice, sendKioskCode, signInWithCode, signInWithSlip } from '~/features/accounts/kiosk.server';
import { listCompetitions } from '~/features/competitions/competitions.server';
import { titleMeta } from '~/utils/meta';
import { useLanguage, useRootData } from '~/utils/root-data';

export const handle = { i18n: ['common', 'kiosk'] };

const NO_STORE = { 'Cache-Control': 'no-store' };
// Nothing of a kiosk's pages may be kept by any cache or come back from history (decision 032).
export const headers: HeadersFunction = () => NO_STORE;

/**
 * A kiosk's start screen (decision 032): on an enrolled tablet, sign in with a phone number and
 * a code, or with a grid worker's slip; once signed in, the acts a resident may do here. On any
 * other device it says what a kiosk is and who may enrol one.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [device, user, title] = await Promise.all([deviceKiosk(request, context), getOptionalUser(request, context), pageTitle(request, 'kiosk:start.title', ['kiosk', 'common'])]);
  const idle = new URL(request.url).searchParams.get('idle') === '1';
  const none: Act[] = [];
  if (device.state !== 'kiosk') return data({ title, device: device.state, idle, resident: null, acts: none }, { headers: NO_STORE });
  if (!user?.kiosk) return data({ title, device: device.state, idle, resident: null, acts: none }, { headers: NO_STORE });
  const now = new Date();
  const competitions = await listCompetitions(now);
  const acts = competitions.flatMap((c): Act[] => {
    if (c.phase === 'voting') return [{ kind: 'vote', slug: c.slug, title: c.title }];
    if (c.phase === 'submission') return [{ kind: 'propose', slug: c.slug, title: c.title }];
    return [];
  });
  return data({ title, device: device.state, idle, resident: user.name, acts }, { headers: NO_STORE });
}

type Act = { kind: 'vote' | 'propose'; slug: string; title: { zh: string; en?: string | null } };

/** `slip`: the errors belong to the slip's form, else to the phone's. */
type Answer = { step: 'start' | 'code'; phone: string; sentTo: string | null; errors: string[]; slip?: boolean };

export async function action({ request, context }: ActionFunctionArgs) {
  const kiosk = await requireKioskDevice(request, context);
  const parsed = kioskActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  const answer = (body: Answer, status = 200) => data(body, { status, headers: NO_STORE });
  if (!parsed.success) return answer({ step: 'start', phone: '', sentTo: null, errors: ['invalidForm'] }, 400);
  const form = parsed.data;
  if (form.intent === 'send') {
    const sent = await sendKioskCode({ kiosk, phone: form.phone, language: await getLanguage(request, context) });
    if (!sent.ok) return answer({ step: 'start', phone: '', sentTo: null, errors: [sent.reason] }, sent.reason === 'tooManyCodes' ? 429 : 400);
    return answer({ step: 'code', phone: sent.phone, sentTo: sent.sentTo, errors: [] });
  }
  const signedIn =
    form.intent === 'code'
      ? await signInWithCode({ request, kiosk, phone: form.phone, code: form.code, ip: clientIp(request) })
      : await signInWithSlip({ request, kiosk, slip: form.slip, ip: clientIp(request) });
  if (!signedIn.ok) {
    const step = form.intent === 'code' ? 'code' : 'start';
    return answer({ step, phone: form.intent === 'code' ? form.phone : '', sentTo: null, errors: [signedIn.reason], slip: form.intent === 'slip' }, signedIn.reason === 'tooManyAttempts' ? 429 : 400);
  }
  signedIn.headers.set('Cache-Control', 'no-store');
  return redirect('/kiosk', { status: 303, headers: signedIn.headers });
}

export default function KioskStart() {
  const { t } = useTranslation(['kiosk', 'common']);
  const { device, idle, resident, acts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const language = useLanguage();
  const idleSeconds = useRootData()?.kiosk?.idleSeconds ?? 120;
  const busy = navigation.state !== 'idle';

  if (device !== 'kiosk') {
    return (
      <div className="card mx-auto max-w-2xl space-y-3" data-testid="kiosk-not-enrolled">
        <h1 className="text-3xl font-bold">{t('start.notKioskTitle')}</h1>
        <p className="text-lg">{device === 'revoked' ? t('start.revoked') : t('start.notKiosk')}</p>
        <Link to="/kiosks" className="btn-secondary inline-block">
          {t('manage.title')}
        </Link>
      </div>
    );
  }

  if (resident) {
    return (
      <div className="mx-auto max-w-3xl space-y-6" data-testid="kiosk-menu">
        <h1 className="text-3xl font-bold">{t('menu.hello', { name: resident })}</h1>
        <p className="text-lg text-stone-700">{t('menu.intro')}</p>
        {acts.length === 0 ? <p className="card text-lg">{t('menu.nothingOpen')}</p> : null}
        <ul className="space-y-4">
          {acts.map((act) => (
            <li key={`${act.kind}:${act.slug}`}>
              <Link
                to={act.kind === 'vote' ? `/competitions/${act.slug}/vote` : `/competitions/${act.slug}/proposals/new`}
                className="card flex min-h-20 items-center justify-between gap-4 text-xl hover:bg-brand-50"
              >
                <span>
                  <span className="block font-bold">{t(act.kind === 'vote' ? 'menu.vote' : 'menu.propose')}</span>
                  <span className="block text-stone-700">{pickText(act.title, language)}</span>
                </span>
                <span aria-hidden="true">→</span>
              </Link>
            </li>
          ))}
          <li>
            <Link to="/needs" className="card flex min-h-20 items-center justify-between gap-4 text-xl hover:bg-brand-50">
              <span className="font-bold">{t('menu.needs')}</span>
              <span aria-hidden="true">→</span>
            </Link>
          </li>
        </ul>
      </div>
    );
  }

  const step = actionData?.step ?? 'start';
  return (
    <div className="mx-auto max-w-3xl space-y-6" data-testid="kiosk-start">
      <h1 className="text-3xl font-bold">{t('start.title')}</h1>
      {idle ? (
        <p className="rounded-lg bg-amber-50 p-3 text-lg text-amber-900" role="status" data-testid="kiosk-idle">
          {t('start.idleSignedOut')}
        </p>
      ) : null}
      <p className="text-lg text-stone-700">{t('start.intro')}</p>
      <section className="card space-y-4" aria-labelledby="kiosk-phone">
        <h2 id="kiosk-phone" className="text-2xl font-bold">
          {t('start.byPhone')}
        </h2>
        {step === 'code' ? (
          <Form method="post" autoComplete="off" className="space-y-4" key="code">
            <p className="text-lg">{actionData?.sentTo ? t('start.sent', { to: actionData.sentTo }) : t('start.enterCode')}</p>
            <input type="hidden" name="phone" value={actionData?.phone ?? ''} />
            <label className="block">
              <span className="mb-1 block text-lg font-medium">{t('start.code')}</span>
              <input name="code" inputMode="numeric" autoComplete="off" pattern="\d{6}" maxLength={6} required className="input font-mono text-3xl tracking-widest" data-testid="kiosk-code" />
            </label>
            <ErrorList errors={actionData?.errors} keyPrefixes={['kiosk:errors.']} values={{ minutes: 15 }} />
            <div className="flex flex-wrap gap-3">
              <button type="submit" name="intent" value="code" className="btn-primary min-h-12 px-6 text-xl" disabled={busy}>
                {t('start.signIn')}
              </button>
              <Link to="/kiosk" replace className="btn-secondary min-h-12 px-6 text-xl">
                {t('start.otherNumber')}
              </Link>
            </div>
          </Form>
        ) : (
          <Form method="post" autoComplete="off" className="space-y-4" key="phone">
            <label className="block">
              <span className="mb-1 block text-lg font-medium">{t('start.phone')}</span>
              {/* Not named "phone" or "tel": browsers offer no one's saved number on a shared tablet. */}
              <input name="phone" type="text" inputMode="tel" autoComplete="off" maxLength={20} required className="input text-3xl tracking-wider" data-testid="kiosk-phone" />
            </label>
            <ErrorList errors={actionData?.slip ? null : actionData?.errors} keyPrefixes={['kiosk:errors.']} values={{ minutes: 15 }} />
            <button type="submit" name="intent" value="send" className="btn-primary min-h-12 px-6 text-xl" disabled={busy}>
              {t('start.sendCode')}
            </button>
          </Form>
        )}
      </section>
      {step === 'start' ? (
        <section className="card space-y-4" aria-labelledby="kiosk-slip">
          <h2 id="kiosk-slip" className="text-2xl font-bold">
            {t('start.bySlip')}
          </h2>
          <p className="text-lg text-stone-700">{t('start.slipHint')}</p>
          <Form method="post" autoComplete="off" className="space-y-4">
            <label className="block">
              <span className="mb-1 block text-lg font-medium">{t('start.slip')}</span>
              <input name="slip" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} required className="input font-mono text-3xl uppercase tracking-widest" data-testid="kiosk-slip" />
            </label>
            <ErrorList errors={actionData?.slip ? actionData.errors : null} keyPrefixes={['kiosk:errors.']} values={{ minutes: 15 }} />
            <button type="submit" name="intent" value="slip" className="btn-secondary min-h-12 px-6 text-xl" disabled={busy}>
              {t('start.signIn')}
            </button>
          </Form>
        </section>
      ) : null}
      <p className="text-base text-stone-600">{t('start.privacy', { seconds: idleSeconds })}</p>
    </div>
  );
}

export const meta = titleMeta;

export { RouteErrorBoundary as ErrorBoundary } from '~/components/route-error-boundary';
