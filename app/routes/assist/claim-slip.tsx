import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A claim code just issued, with the slip the resident takes home (in Chinese, from the server). */
export interface IssuedClaim {
  code: string;
  expiresAt: string;
  residentName: string;
  residentHint: string;
  slip: { title: string; resident: string; code: string; expires: string; how: string; once: string };
}

/**
 * The slip for the resident: the only part of the page that prints (print.css), so the code,
 * its expiry and where to use it fit on one small sheet, with nothing else of the list.
 */
function Slip({ claim }: { claim: IssuedClaim }) {
  return (
    <div lang="zh-CN" className="print-slip space-y-2 rounded-xl border-2 border-dashed border-brand-600 bg-white p-4" data-testid="claim-slip">
      <p className="font-semibold">{claim.slip.title}</p>
      <p>{claim.slip.resident}</p>
      <p className="text-sm text-stone-700">{claim.slip.code}</p>
      <p className="whitespace-nowrap font-mono text-3xl font-bold tracking-widest sm:text-4xl" data-testid="claim-code">
        {claim.code}
      </p>
      <p className="font-medium">{claim.slip.expires}</p>
      <p className="text-sm">{claim.slip.how}</p>
      <p className="text-sm">{claim.slip.once}</p>
    </div>
  );
}

function PrintButton({ autoFocus }: { autoFocus?: boolean }) {
  const { t } = useTranslation('assist');
  return (
    <button type="button" className="btn-primary" onClick={() => window.print()} autoFocus={autoFocus}>
      {t('claim.print')}
    </button>
  );
}

/**
 * The code where the page came back to, at the resident's card: the answer to a form posted
 * without JavaScript (or before it loaded). Printing is then the browser's own menu, which
 * prints only the slip; once scripts run, a print button too.
 */
export function ClaimSlip({ claim }: { claim: IssuedClaim }) {
  const { t } = useTranslation('assist');
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  return (
    <section className="space-y-3 rounded-xl border-2 border-brand-600 bg-brand-50 p-3" role="status" data-testid="claim-inline">
      <p className="font-semibold">{t('claim.issued', { name: claim.residentName })}</p>
      <Slip claim={claim} />
      {scripted ? <PrintButton /> : <p className="text-sm">{t('claim.printWithoutScript')}</p>}
    </section>
  );
}

/**
 * With JavaScript the code opens in a modal dialog over the card the worker tapped, with a print
 * button; closing it removes the code from the page, so it is not left on screen.
 */
export function ClaimCodeDialog({ claim }: { claim: IssuedClaim }) {
  const { t } = useTranslation('assist');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [closed, setClosed] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  if (closed) return null;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={() => setClosed(true)}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl bg-white p-0 text-stone-900 shadow-xl backdrop:bg-stone-900/60"
      data-testid="claim-dialog"
    >
      <div className="space-y-3 p-4">
        <h2 id={titleId} className="text-lg font-bold">
          {t('claim.dialogTitle', { name: claim.residentName })}
        </h2>
        <p className="text-sm text-stone-700">{t('claim.onlyOnce')}</p>
        <Slip claim={claim} />
        <div className="flex flex-wrap gap-2">
          <PrintButton autoFocus />
          <form method="dialog">
            <button type="submit" className="btn-secondary">
              {t('claim.close')}
            </button>
          </form>
        </div>
      </div>
    </dialog>
  );
}
