import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList, Field } from '~/components/forms';
import { CodeField, IdentifierField } from './account-fields';
import { codeSchema, identifierChangeSchema } from './auth.schema';

/**
 * The profile's phone number and e-mail, each marked proven or not, and the two-step form that
 * adds, changes or proves one with a code sent to it.
 */
export function IdentifiersSection(props: {
  phone: string | null;
  phoneProven: boolean;
  email: string | null;
  emailProven: boolean;
  pendingTo: string | null;
  lastResult: { intent: 'identifierStart' | 'identifierCode'; result: SubmissionResult<string[]> } | null;
}) {
  const { t } = useTranslation(['profile', 'auth', 'common']);
  const [startForm, startFields] = useForm({
    id: 'identifier-start',
    lastResult: props.lastResult?.intent === 'identifierStart' ? props.lastResult.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: identifierChangeSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const [codeForm, codeFields] = useForm({
    id: 'identifier-code',
    lastResult: props.lastResult?.intent === 'identifierCode' ? props.lastResult.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: codeSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const rows = [
    { key: 'phone', label: t('identifiers.phone'), value: props.phone, proven: props.phoneProven },
    { key: 'email', label: t('identifiers.email'), value: props.email, proven: props.emailProven },
  ];
  return (
    <section id="identifiers" className="card space-y-4" aria-labelledby="identifiers-heading">
      <h2 id="identifiers-heading" className="text-xl font-bold">
        {t('identifiers.title')}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        {rows.map((row) => (
          <div key={row.key} className="contents">
            <dt className="font-medium">{row.label}</dt>
            <dd data-testid={`identifier-${row.key}`}>
              {row.value ? (
                <>
                  <span className="font-mono">{row.value}</span>{' '}
                  <span className={row.proven ? 'text-brand-800' : 'text-amber-800'}>
                    {row.proven ? t('identifiers.proven') : t('identifiers.unproven')}
                  </span>
                </>
              ) : (
                <span className="text-stone-600">{t('identifiers.none')}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {rows.some((row) => row.value && !row.proven) ? <p className="text-sm text-amber-800">{t('identifiers.unprovenHelp')}</p> : null}
      {props.pendingTo ? (
        <div className="space-y-3">
          <p role="status">{t('identifiers.codeSent', { to: props.pendingTo })}</p>
          <Form method="post" action="/profile" {...getFormProps(codeForm)} className="space-y-3">
            <CodeField meta={codeFields.code} />
            <ErrorList id={codeForm.errorId} errors={codeForm.errors} />
            <button type="submit" name="intent" value="identifierCode" className="btn-primary">
              {t('identifiers.confirm')}
            </button>
          </Form>
          <Form method="post" action="/profile">
            <button type="submit" name="intent" value="identifierCancel" className="btn-secondary">
              {t('identifiers.cancel')}
            </button>
          </Form>
        </div>
      ) : (
        <Form method="post" action="/profile" {...getFormProps(startForm)} className="space-y-3">
          <p className="text-sm text-stone-600">{t('identifiers.intro')}</p>
          <input type="hidden" name="intent" value="identifierStart" />
          <IdentifierField meta={startFields.identifier} autoComplete="off" />
          <Field
            label={t('currentPassword')}
            meta={startFields.currentPassword}
            inputProps={{ ...getInputProps(startFields.currentPassword, { type: 'password' }), autoComplete: 'current-password' }}
          />
          <ErrorList id={startForm.errorId} errors={startForm.errors} />
          <button type="submit" className="btn-secondary">
            {t('auth:register.sendCode')}
          </button>
        </Form>
      )}
    </section>
  );
}
