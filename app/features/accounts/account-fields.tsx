import { getInputProps, type FieldMetadata } from '@conform-to/react';
import { useTranslation } from 'react-i18next';
import { Field } from '~/components/forms';
import { PASSWORD_MIN } from './auth.schema';

/**
 * The fields every sign-in form shares (login, register, recover, profile), so that they read and
 * behave the same everywhere: the same labels, help, keyboards and autocomplete hints.
 */
type Meta = FieldMetadata<string | undefined, Record<string, unknown>, string[]>;

export function IdentifierField({ meta, autoComplete = 'username' }: { meta: Meta; autoComplete?: string }) {
  const { t } = useTranslation('auth');
  return (
    <Field
      label={t('fields.identifier')}
      meta={meta}
      help={t('fields.identifierHelp')}
      inputProps={{ ...getInputProps(meta, { type: 'text' }), autoComplete, inputMode: 'email' }}
    />
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
