import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { CHILD_AGE_MAX, CHILD_AGE_MIN, CHILD_TERMS, WISH_DESCRIPTION_MAX, WISH_KINDS, WISH_TITLE_MAX, WISH_VALUE_MAX_FEN } from './rules';
import { registerSchema } from './wish.schema';

const ERROR_KEYS = ['wishes:error.', 'validation.'] as const;

export interface AreaChoice {
  id: string;
  name: LocalizedText;
  communities: { id: string; name: LocalizedText }[];
}

/**
 * A worker registers a child's wish. The same schema checks it here (after a field is left) and
 * on the server; without JavaScript the server's 400 shows the same translated errors and keeps
 * what was typed. The help texts say what must never be written: names, school, address, phone.
 */
export function WishForm({ lastResult, places, language, formError }: { lastResult?: SubmissionResult<string[]> | null; places: AreaChoice[]; language: Language; formError?: string | null }) {
  const { t } = useTranslation(['wishes', 'common']);
  const onlyCommunity = places.length === 1 && places[0]!.communities.length === 1 ? places[0]!.communities[0]!.id : '';
  const [form, fields] = useForm({
    id: 'register-wish',
    lastResult,
    defaultValue: { kind: 'item', childTerm: 'student', community: onlyCommunity },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
    shouldValidate: 'onBlur',
  });
  const describedBy = (errorId: string, helpId: string, errors?: string[]) => (errors?.length ? `${helpId} ${errorId}` : helpId);
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-5">
      <fieldset className="space-y-1">
        <legend className="mb-1 font-medium">{t('field.kind')}</legend>
        {WISH_KINDS.map((kind) => (
          <label key={kind} className="flex items-center gap-3">
            <input {...getInputProps(fields.kind, { type: 'radio', value: kind })} key={kind} />
            <span>
              {t(`kind.${kind}`)} <span className="text-stone-600">· {t(`register.kindHelp.${kind}`)}</span>
            </span>
          </label>
        ))}
        <ErrorList id={fields.kind.errorId} errors={fields.kind.errors} keyPrefixes={ERROR_KEYS} />
      </fieldset>
      <div>
        <label htmlFor={fields.title.id} className="mb-1 block font-medium">
          {t('field.title')}
        </label>
        <input
          className="input"
          {...getInputProps(fields.title, { type: 'text' })}
          maxLength={WISH_TITLE_MAX}
          aria-describedby={describedBy(fields.title.errorId, fields.title.descriptionId, fields.title.errors)}
        />
        <p id={fields.title.descriptionId} className="mt-1 text-sm text-stone-600">
          {t('register.titleHelp')}
        </p>
        <ErrorList id={fields.title.errorId} errors={fields.title.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <div>
        <label htmlFor={fields.description.id} className="mb-1 block font-medium">
          {t('field.description')}
        </label>
        <textarea
          className="input"
          rows={4}
          {...getTextareaProps(fields.description)}
          maxLength={WISH_DESCRIPTION_MAX}
          aria-describedby={describedBy(fields.description.errorId, fields.description.descriptionId, fields.description.errors)}
        />
        <p id={fields.description.descriptionId} className="mt-1 text-sm text-stone-600">
          {t('register.descriptionHelp')}
        </p>
        <ErrorList id={fields.description.errorId} errors={fields.description.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <div>
        <label htmlFor={fields.value.id} className="mb-1 block font-medium">
          {t('field.value')}
        </label>
        <input
          className="input"
          {...getInputProps(fields.value, { type: 'text' })}
          inputMode="decimal"
          maxLength={12}
          aria-describedby={describedBy(fields.value.errorId, fields.value.descriptionId, fields.value.errors)}
        />
        <p id={fields.value.descriptionId} className="mt-1 text-sm text-stone-600">
          {t('register.valueHelp', { max: WISH_VALUE_MAX_FEN / 100 })}
        </p>
        <ErrorList id={fields.value.errorId} errors={fields.value.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <fieldset className="space-y-3 rounded-lg border border-stone-200 p-3">
        <legend className="px-1 font-semibold">{t('register.childTitle')}</legend>
        <p className="text-stone-700">{t('register.childHelp')}</p>
        <div className="grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor={fields.childInitial.id} className="mb-1 block font-medium">
              {t('field.childInitial')}
            </label>
            <input className="input" {...getInputProps(fields.childInitial, { type: 'text' })} maxLength={2} autoComplete="off" />
            <ErrorList id={fields.childInitial.errorId} errors={fields.childInitial.errors} keyPrefixes={ERROR_KEYS} />
          </div>
          <div>
            <label htmlFor={fields.childTerm.id} className="mb-1 block font-medium">
              {t('field.childTerm')}
            </label>
            <select className="input" {...getSelectProps(fields.childTerm)}>
              {CHILD_TERMS.map((term) => (
                <option key={term} value={term}>
                  {t(`term.${term}`)}
                </option>
              ))}
            </select>
            <ErrorList id={fields.childTerm.errorId} errors={fields.childTerm.errors} keyPrefixes={ERROR_KEYS} />
          </div>
          <div>
            <label htmlFor={fields.childAge.id} className="mb-1 block font-medium">
              {t('field.childAge')}
            </label>
            <input className="input" {...getInputProps(fields.childAge, { type: 'number' })} min={CHILD_AGE_MIN} max={CHILD_AGE_MAX} inputMode="numeric" />
            <ErrorList id={fields.childAge.errorId} errors={fields.childAge.errors} keyPrefixes={ERROR_KEYS} />
          </div>
        </div>
      </fieldset>
      <div>
        <label htmlFor={fields.community.id} className="mb-1 block font-medium">
          {t('field.community')}
        </label>
        <select className="input" {...getSelectProps(fields.community)}>
          <option value="">{t('register.chooseCommunity')}</option>
          {places.map((street) => (
            <optgroup key={street.id} label={pickText(street.name, language)}>
              {street.communities.map((community) => (
                <option key={community.id} value={community.id}>
                  {pickText(community.name, language)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <ErrorList id={fields.community.errorId} errors={fields.community.errors} keyPrefixes={ERROR_KEYS} />
      </div>
      <ErrorList errors={formError ? [formError] : null} keyPrefixes={ERROR_KEYS} />
      <button type="submit" className="btn-primary min-h-12 text-lg">
        {t('register.submit')}
      </button>
    </Form>
  );
}
