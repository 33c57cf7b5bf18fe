import { getInputProps, type FieldMetadata } from '@conform-to/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '~/components/forms';
import { PASSWORD_MIN } from './password-limits';

/**
 * The fields every sign-in form shares (login, register, recover, profile), so that they read and
 * behave the same everywhere: the same labels, help, keyboards and autocomplete hints.
 */
type Meta = FieldMetadata<string | undefined, Record<string, unknown>, string[]>;

/**
 * A phone number or an e-mail address. Most residents type a phone number, so once scripts run
 * the phone's number pad opens, with a button to switch to letters for an e-mail; before that
 * (and without scripts) the keyboard allows both.
 */
export function IdentifierField({ meta, autoComplete = 'username' }: { meta: Meta; autoComplete?: string }) {
  const { t } = useTranslation('auth');
  const [keyboard, setKeyboard] = useState<'both' | 'phone' | 'email'>('both');
  useEffect(() => {
    setKeyboard(typeof meta.initialValue === 'string' && meta.initialValue.includes('@') ? 'email' : 'phone');
  }, [meta.initialValue]);
  return (
    <div>
      <Field
        label={t('fields.identifier')}
        meta={meta}
        help={t('fields.identifierHelp')}
        inputProps={{ ...getInputProps(meta, { type: 'text' }), autoComplete, inputMode: keyboard === 'phone' ? 'tel' : 'email' }}
      />
      {keyboard === 'both' ? null : (
        <button
          type="button"
          className="mt-1 min-h-11 text-brand-700 underline"
          onClick={() => {
            setKeyboard(keyboard === 'phone' ? 'email' : 'phone');
            document.getElementById(meta.id)?.focus();
          }}
        >
          {keyboard === 'phone' ? t('fields.useEmail') : t('fields.usePhone')}
        </button>
      )}
    </div>
  );
}

/** A six-digit code from a text message or e-mail (the phone's keyboard offers it to fill in). */
export function CodeField({ meta }: { meta: Meta }) {
  const { t } = useTranslation('auth');
  return (
    <Field
      label={t('fields.code')}
      meta={meta}
      help={t('fields.codeHelp')}
      inputProps={{ ...getInputProps(meta, { type: 'text' }), autoComplete: 'one-time-code', inputMode: 'numeric', maxLength: 8 }}
    />
  );
}

/** A new password and its repetition. */
export function NewPasswordFields({ password, confirm, label }: { password: Meta; confirm: Meta; label?: string }) {
  const { t } = useTranslation('auth');
  return (
    <>
      <Field
        label={label ?? t('fields.password')}
        meta={password}
        help={t('fields.passwordHelp', { min: PASSWORD_MIN })}
        inputProps={{ ...getInputProps(password, { type: 'password' }), autoComplete: 'new-password' }}
      />
      <Field
        label={t('fields.confirmPassword')}
        meta={confirm}
        inputProps={{ ...getInputProps(confirm, { type: 'password' }), autoComplete: 'new-password' }}
      />
    </>
  );
}
