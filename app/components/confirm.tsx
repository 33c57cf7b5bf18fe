import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONFIRM_VALUE } from '~/core/confirm';
import { ErrorList } from './forms';

/**
 * The irreversible acts. Each has, under "confirmDialog.<act>." of the common namespace: `title`
 * (the dialog's question), `consequence` (what will happen, concretely, and that it cannot be
 * undone), `label` (the checkbox without scripts) and `confirm` (the button: names the act).
 */
export type ConfirmAct = 'publish' | 'submitSheet' | 'recuse' | 'advance' | 'void' | 'revoke' | 'withdraw' | 'terminate' | 'approvePlan' | 'approveReport' | 'releaseExpense' | 'removeMember' | 'leaveTeam' | 'closeProject' | 'moveStage' | 'withdrawItem' | 'rejectNeed' | 'confirmNeed' | 'reopenNeed' | 'withdrawNeed' | 'revokeHelper' | 'confirmWish' | 'withdrawWish' | 'revokeKiosk' | 'revokeVerification' | 'deliverPledge' | 'withdrawPledge';

/**
 * One confirmation for every irreversible act, placed inside the act's <Form>.
 *
 * Without JavaScript it is a checkbox `confirm=yes` whose label says what will happen; the
 * action refuses a post without it (confirmedField, app/core/confirm.schema.ts) with 400 and the
 * translated error below the box. The box carries no `required`: the server's message in the
 * page, in the reader's language, is clearer for elderly readers than a browser bubble, and a
 * form with a second, harmless button (save draft) needs no way around it.
 *
 * Once hydrated, an unticked box is hidden and submitting opens a modal <dialog> instead (the
 * browser traps focus and Esc cancels); only its confirm button submits, with the same submitter
 * (so `intent` survives), ticking the box for that one submission. A box ticked before hydration
 * stays visible and ticked and is honoured: that person has already confirmed.
 *
 * `onlyForIntent` limits the confirmation to one submit button (`intent=submit`, not `intent=draft`).
 */
export function ConfirmStep({
  act,
  values,
  errors,
  onlyForIntent,
}: {
  act: ConfirmAct;
  /** Fills the strings' placeholders ({{number}}, {{next}}, {{name}}…). */
  values?: Record<string, string | number>;
  errors?: string[] | null;
  onlyForIntent?: string;
}) {
  const { t } = useTranslation();
  const text = (part: 'title' | 'consequence' | 'label' | 'confirm') => t(`confirmDialog.${act}.${part}`, values);
  const id = useId();
  const anchor = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const pending = useRef<HTMLElement | null>(null);
  const passing = useRef(false);
  // Decided once, at hydration, from what the box shows then (ticked before scripts ran: keep it).
  const [mode, setMode] = useState<'box' | 'dialog'>('box');

  useEffect(() => {
    if (!box.current?.checked && !errors?.length) setMode('dialog');
    // Only the state at hydration decides; later renders must not flip it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const form = anchor.current?.closest('form');
    if (!form || mode !== 'dialog') return;
    const onSubmit = (event: SubmitEvent) => {
      const submitter = event.submitter;
      if (onlyForIntent && !(submitter instanceof HTMLButtonElement && submitter.name === 'intent' && submitter.value === onlyForIntent)) return;
      if (passing.current || box.current?.checked) return;
      // Before React's own handlers (they listen at the root): nothing is sent yet.
      event.preventDefault();
      event.stopPropagation();
      pending.current = submitter;
      dialog.current?.showModal();
      cancel.current?.focus();
    };
    form.addEventListener('submit', onSubmit);
    return () => form.removeEventListener('submit', onSubmit);
  }, [mode, onlyForIntent]);

  const confirmed = () => {
    const form = anchor.current?.closest('form');
    dialog.current?.close();
    if (!form || !box.current) return;
    box.current.checked = true;
    passing.current = true;
    try {
      // Remix reads the form synchronously while the submit event runs.
      form.requestSubmit(pending.current ?? undefined);
    } finally {
      passing.current = false;
      box.current.checked = false;
    }
  };

  const errorId = `${id}-error`;
  return (
    // The refusal is read by elderly eyes: full-size text, not the usual small field error.
    <div ref={anchor} className="[&_.field-error]:text-base">
      <label
        hidden={mode === 'dialog'}
        className={`flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border p-3 text-base ${errors?.length ? 'border-red-600 bg-red-50' : 'border-amber-300 bg-amber-50'}`}
      >
        <input
          ref={box}
          type="checkbox"
          name="confirm"
          value={CONFIRM_VALUE}
          className="mt-0.5 h-6 w-6 shrink-0"
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? errorId : undefined}
        />
        <span>{text('label')}</span>
      </label>
      <ErrorList id={errorId} errors={errors} keyPrefixes={['confirmDialog.errors.']} />
      {mode === 'dialog' ? (
        <dialog
          ref={dialog}
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-body`}
          className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border border-stone-200 bg-white p-6 text-stone-900 shadow-xl backdrop:bg-stone-900/60"
        >
          <h2 id={`${id}-title`} className="text-xl font-bold">
            {text('title')}
          </h2>
          <p id={`${id}-body`} className="mt-3 text-lg leading-relaxed">
            {text('consequence')}
          </p>
          <div className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
            <button ref={cancel} type="button" className="btn-secondary min-h-12 text-lg" onClick={() => dialog.current?.close()}>
              {t('confirmDialog.cancel')}
            </button>
            <button type="button" className="btn min-h-12 bg-red-700 text-lg text-white hover:bg-red-800" onClick={confirmed}>
              {text('confirm')}
            </button>
          </div>
        </dialog>
      ) : null}
    </div>
  );
}
