import { getTextareaProps, type FieldMetadata } from '@conform-to/react';
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { pickText, type Language, type LocalizedText } from '~/core/locales';

/** A file picker whose button is a 44px tap target (the browser draws the button; `file:` styles it). */
export const FILE_INPUT = 'block w-full text-base file:mr-3 file:min-h-11 file:rounded-lg file:border-0 file:bg-brand-100 file:px-4 file:text-brand-800';

/**
 * Validation errors are i18n keys under "validation." (see app/schemas); `values` fills in
 * placeholders such as {{minutes}}.
 */
/**
 * Errors as translation keys, looked up under `keyPrefixes` in order (default: the shared
 * "validation." of the common namespace), in one live region.
 */
export function ErrorList({
  id,
  errors,
  values,
  keyPrefixes = ['validation.'],
}: {
  id?: string;
  errors?: string[] | null;
  values?: Record<string, string | number>;
  keyPrefixes?: readonly string[];
}) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    // The live region wraps the list: role="alert" on the <ul> itself would strip its list semantics.
    <div id={id} className="field-error" role="alert">
      <ul className="space-y-1">
        {errors.map((error) => (
          <li key={error}>{t(keyPrefixes.map((prefix) => `${prefix}${error}`), values)}</li>
        ))}
      </ul>
    </div>
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
