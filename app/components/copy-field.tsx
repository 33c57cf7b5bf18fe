import { useEffect, useRef, useState } from 'react';

/**
 * A read-only text to share (a link), selected on focus, with a "copy" button once scripts run
 * (without them the text can still be selected and copied by hand, so the button is not shown).
 */
export function CopyField({ value, label, copyLabel, copiedLabel }: { value: string; label: string; copyLabel: string; copiedLabel: string }) {
  const [hydrated, setHydrated] = useState(false);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setHydrated(true), []);
  async function copy() {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard refused (an insecure origin, an old browser): the text stays selected for a manual copy.
      document.execCommand?.('copy');
    }
    setCopied(true);
  }
  return (
    <div className="flex flex-wrap gap-2">
      <input ref={input} readOnly value={value} className="input min-w-0 flex-1 font-mono text-base" aria-label={label} onFocus={(event) => event.currentTarget.select()} />
      {hydrated ? (
        <button type="button" className="btn-secondary" onClick={() => void copy()}>
          {copied ? copiedLabel : copyLabel}
        </button>
      ) : null}
      <span className="sr-only" aria-live="polite">
        {copied ? copiedLabel : ''}
      </span>
    </div>
  );
}
