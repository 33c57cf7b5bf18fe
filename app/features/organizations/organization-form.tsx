import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CommunityOptions, ErrorList } from '~/components/forms';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { organizationSchema } from './organization.schema';
import { ORGANIZATION_TYPES } from './organizations';
import { CONTACT_NAME_MAX, ORGANIZATION_NAME_MAX } from './rules';

const ERROR_KEYS = ['organizations:error.', 'validation.'] as const;

export interface StreetChoice {
  id: string;
  name: LocalizedText;
  communities: { id: string; name: LocalizedText }[];
}

export interface OrganizationFormValues {
  name: string;
  type: string;
  street: string;
  community: string;
  contactName: string;
  contactPhone: string;
}

/**
 * The registry entry's form, for creating and editing: the same schema checks it in the
 * browser and on the server; without JavaScript the server's answer shows the same errors and
 * keeps what was typed.
 */
export function OrganizationForm({
  id,
  lastResult,
  defaultValue,
  streets,
  language,
  submitLabel,
  formError,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue: OrganizationFormValues;
  streets: StreetChoice[];
  language: Language;
  submitLabel: string;
  formError?: string | null;
}) {
  const { t } = useTranslation(['organizations', 'common']);
  const [form, fields] = useForm({
    id,
    defaultValue,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: organizationSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-4">
      <input type="hidden" name="intent" value="details" />
      <div>
        <label htmlFor={fields.name.id} className="mb-1 block font-medium">
          {t('field.name')}
        </label>
        <input className="input" {...getInputProps(fields.name, { type: 'text' })} maxLength={ORGANIZATION_NAME_MAX} />
        <ErrorList id={fields.name.errorId} errors={fields.name.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <div>
        <label htmlFor={fields.type.id} className="mb-1 block font-medium">
          {t('field.type')}
        </label>
        <select className="input" {...getSelectProps(fields.type)}>
          <option value="">{t('field.choose')}</option>
          {ORGANIZATION_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`type.${type}`)}
            </option>
          ))}
        </select>
        <ErrorList id={fields.type.errorId} errors={fields.type.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={fields.street.id} className="mb-1 block font-medium">
            {t('field.street')}
          </label>
          <select className="input" {...getSelectProps(fields.street)}>
            <option value="">{t('field.choose')}</option>
            {streets.map((street) => (
              <option key={street.id} value={street.id}>
                {pickText(street.name, language)}
              </option>
            ))}
          </select>
          <ErrorList id={fields.street.errorId} errors={fields.street.errors} keyPrefixes={ERROR_KEYS} />
        </div>
        <div>
          <label htmlFor={fields.community.id} className="mb-1 block font-medium">
            {t('field.community')}
          </label>
          <select className="input" {...getSelectProps(fields.community)}>
            <option value="">{t('field.noCommunity')}</option>
            <CommunityOptions streets={streets} language={language} />
          </select>
          <ErrorList id={fields.community.errorId} errors={fields.community.errors} keyPrefixes={ERROR_KEYS} />
        </div>
      </div>
      <fieldset className="space-y-3 rounded-lg border border-stone-200 p-3">
        <legend className="px-1 font-semibold">{t('field.contact')}</legend>
        <p className="text-stone-600">{t('field.contactHelp')}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor={fields.contactName.id} className="mb-1 block font-medium">
              {t('field.contactName')}
            </label>
            <input className="input" {...getInputProps(fields.contactName, { type: 'text' })} maxLength={CONTACT_NAME_MAX} autoComplete="off" />
            <ErrorList id={fields.contactName.errorId} errors={fields.contactName.errors} keyPrefixes={ERROR_KEYS} />
          </div>
          <div>
            <label htmlFor={fields.contactPhone.id} className="mb-1 block font-medium">
              {t('field.contactPhone')}
            </label>
            <input className="input" {...getInputProps(fields.contactPhone, { type: 'tel' })} inputMode="tel" autoComplete="off" />
            <ErrorList id={fields.contactPhone.errorId} errors={fields.contactPhone.errors} keyPrefixes={ERROR_KEYS} />
          </div>
        </div>
      </fieldset>
      <ErrorList errors={formError ? [formError] : null} keyPrefixes={ERROR_KEYS} />
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}
