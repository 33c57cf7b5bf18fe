import { getTextareaProps, type FieldMetadata } from '@conform-to/react';
import { useNavigation } from '@remix-run/react';
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { pickText, type Language, type LocalizedText } from '~/core/locales';

/** A file picker whose button is a 44px tap target (the browser draws the button; `file:` styles it). */
export const FILE_INPUT = 'block w-full text-base file:mr-3 file:min-h-11 file:rounded-lg file:border-0 file:bg-brand-100 file:px-4 file:text-brand-800';

/** How a form says it was refused as a whole (docs/design.md, "Errors"): a red box, full-size text. */
const SUMMARY = 'rounded-lg border border-red-200 bg-red-50 p-3 text-base text-red-800';

/**
 * Errors as translation keys, looked up under `keyPrefixes` in order (default: the shared
 * "validation." of the common namespace, see app/schemas), in one live region; `values` fills in
 * placeholders such as {{minutes}}. Below a field they are small red lines; `summary` (the form's
 * own errors, above its buttons) draws them as the box FormError draws.
 */
export function ErrorList({
  id,
  errors,
  values,
  keyPrefixes = ['validation.'],
  summary = false,
}: {
  id?: string;
  errors?: string[] | null;
  values?: Record<string, string | number>;
  keyPrefixes?: readonly string[];
  summary?: boolean;
}) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    // The live region wraps the list: role="alert" on the <ul> itself would strip its list semantics.
    <div id={id} className={summary ? SUMMARY : 'field-error'} role="alert">
      <ul className="space-y-1">
        {errors.map((error) => (
          <li key={error}>{t(keyPrefixes.map((prefix) => `${prefix}${error}`), values)}</li>
        ))}
      </ul>
    </div>
  );
}

/** A refusal of the whole form from a service (its message already translated), as the summary box. */
export function FormError({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <p className={SUMMARY} role="alert">
      {children}
    </p>
  );
}

interface FieldMeta {
  id: string;
  errorId: string;
  descriptionId: string;
  errors?: string[];
}

export function Field({
  label,
  meta,
  inputProps,
  help,
}: {
  label: ReactNode;
  meta: FieldMeta;
  inputProps: InputHTMLAttributes<HTMLInputElement>;
  help?: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={meta.id} className="mb-1 block font-medium">
        {label}
      </label>
      <input className="input" {...inputProps} id={meta.id} />
      {help ? (
        <p id={meta.descriptionId} className="mt-1 text-sm text-stone-500">
          {help}
        </p>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

export function SelectField({
  label,
  meta,
  selectProps,
  children,
}: {
  label: ReactNode;
  meta: FieldMeta;
  selectProps: SelectHTMLAttributes<HTMLSelectElement>;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={meta.id} className="mb-1 block font-medium">
        {label}
      </label>
      <select className="input" {...selectProps} id={meta.id}>
        {children}
      </select>
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A labelled textarea with its help text and errors. */
export function TextareaField<Schema, FormSchema extends Record<string, unknown>>({
  label,
  meta,
  help,
  rows = 4,
}: {
  label: ReactNode;
  meta: FieldMetadata<Schema, FormSchema>;
  help?: ReactNode;
  rows?: number;
}) {
  return (
    <div>
      <label htmlFor={meta.id} className="mb-1 block font-medium">
        {label}
      </label>
      <textarea className="input" rows={rows} {...getTextareaProps(meta)} />
      {help ? (
        <p id={meta.descriptionId} className="mt-1 text-sm text-stone-500">
          {help}
        </p>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** <option>s of communities grouped by street, for a community <select>. */
export function CommunityOptions({
  streets,
  language,
}: {
  streets: { id: string; name: LocalizedText; communities: { id: string; name: LocalizedText }[] }[];
  language: Language;
}) {
  return (
    <>
      {streets.map((street) => (
        <optgroup key={street.id} label={pickText(street.name, language)}>
          {street.communities.map((community) => (
            <option key={community.id} value={community.id}>
              {pickText(community.name, language)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/** What a slow action's button says while it runs: keys under "pending." of the common namespace. */
export type PendingKind = 'submitting' | 'saving' | 'uploading' | 'casting' | 'counting' | 'publishing' | 'generating';

/**
 * The submit button of a slow action (submit a proposal, upload, cast a vote, tally, publish,
 * generate a file, enter a paper ballot). Without JavaScript it is a plain submit button. With
 * it, while any submission is under way the button is disabled (a second tap cannot send the
 * form twice), and the button that sent it says what is happening ("正在提交…").
 *
 * "The button that sent it" is learnt from the submit event that reached the window: an event a
 * ConfirmStep held back for its dialog never gets there, so a cancelled dialog leaves no button
 * saying "submitting". `state` is a fetcher's state, for a fetcher's form.
 */
export function SubmitButton({
  pending = 'submitting',
  state,
  className = 'btn-primary',
  children,
  disabled,
  ...props
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & { pending?: PendingKind; state?: 'idle' | 'submitting' | 'loading' }) {
  const { t } = useTranslation('common');
  const navigation = useNavigation();
  const button = useRef<HTMLButtonElement>(null);
  const [sentByMe, setSentByMe] = useState(false);
  const busy = state ? state !== 'idle' : navigation.state !== 'idle' && navigation.formData !== undefined;

  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => setSentByMe(event.submitter === button.current);
    window.addEventListener('submit', onSubmit);
    return () => window.removeEventListener('submit', onSubmit);
  }, []);
  useEffect(() => {
    if (!busy) setSentByMe(false);
  }, [busy]);

  const showPending = busy && sentByMe;
  return (
    <button ref={button} type="submit" className={className} disabled={disabled || busy} aria-busy={showPending || undefined} {...props}>
      {showPending ? t(`pending.${pending}`) : children}
    </button>
  );
}
