import {
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { proposalFormSchema } from './proposal.schema';
import { formatMoney, parseYuanToFen } from '~/utils/format';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { BENEFICIARY_GROUPS, MAX_PHOTOS } from './proposals';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { CommunityOptions, ErrorList, Field, FILE_INPUT, SelectField, SubmitButton, TextareaField } from '~/components/forms';

export interface ProposalFormOptions {
  categories: { code: string; name: LocalizedText }[];
  streets: { id: string; name: LocalizedText; communities: { id: string; name: LocalizedText }[] }[];
  minRequestFen: number;
  maxRequestFen: number;
  /** The registry's organizations, for "an existing organization". */
  organizations: { id: string; name: string; street: LocalizedText | null }[];
}

type ProposalInput = z.input<typeof proposalFormSchema>;


/** Starting values, as strings the way a form holds them. */
export type ProposalDefaults = {
  [K in keyof ProposalInput]?: K extends 'beneficiaries' | 'budget' ? Record<string, string>[] : string;
};

interface Props {
  id: string;
  options: ProposalFormOptions;
  language: Language;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: ProposalDefaults;
  revision?: number;
  /** Drafts show "save draft" and "submit"; submitted proposals only "save changes". */
  mode: 'draft' | 'submitted';
  photos?: { fileId: string }[];
  /** A grid worker submitting for this resident: the consent section is shown. */
  assistedFor?: { name: string; today: string };
}


/** The whole proposal form, for a new proposal and for edits. Works without JavaScript. */
export function ProposalForm({ id, options, language, lastResult, defaultValue, revision, mode, photos = [], assistedFor }: Props) {
  const { t } = useTranslation(['proposals', 'assist', 'common']);
  const [form, fields] = useForm<ProposalInput, z.output<typeof proposalFormSchema>>({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: proposalFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const beneficiaries = fields.beneficiaries.getFieldList();
  const budget = fields.budget.getFieldList();
  const star = <span className="text-red-700"> {t('form.required')}</span>;
  const lineTotals = budget.map((line) => {
    const f = line.getFieldset();
    const quantity = Number(f.quantity.value);
    const price = parseYuanToFen(String(f.unitPrice.value ?? ''));
    return Number.isInteger(quantity) && quantity > 0 && price !== null ? quantity * price : null;
  });
  const total = lineTotals.reduce<number>((sum, value) => sum + (value ?? 0), 0);

  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-6">
      {/* Pressing Enter in a field presses the form's first button: make that a save, not "remove". */}
      <button type="submit" name="intent" value={mode === 'draft' ? 'save' : 'submit'} className="sr-only" tabIndex={-1} aria-hidden="true" />
      {revision !== undefined ? <input type="hidden" name="revision" value={revision} /> : null}
      <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">{t('form.privacyReminder')}</p>
      {assistedFor ? <ConsentSection name={assistedFor.name} today={assistedFor.today} errors={form.allErrors} /> : null}

      <section className="card space-y-4">
        <Field label={<>{t('fields.title')}{star}</>} meta={fields.title} help={t('fields.titleHelp')} inputProps={getInputProps(fields.title, { type: 'text' })} />
        <TextareaField label={<>{t('fields.summary')}{star}</>} meta={fields.summary} help={t('fields.summaryHelp')} rows={3} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={<>{t('fields.category')}{star}</>} meta={fields.category} selectProps={getSelectProps(fields.category)}>
            <option value="">{t('fields.chooseCategory')}</option>
            {options.categories.map((c) => (
              <option key={c.code} value={c.code}>
                {pickText(c.name, language)}
              </option>
            ))}
          </SelectField>
          <SelectField label={<>{t('fields.community')}{star}</>} meta={fields.communityId} selectProps={getSelectProps(fields.communityId)}>
            <option value="">{t('fields.chooseCommunity')}</option>
            <CommunityOptions streets={options.streets} language={language} />
          </SelectField>
        </div>
      </section>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">
          {t('fields.beneficiaries')}
          {star}
        </legend>
        <p className="text-sm text-stone-600">{t('fields.beneficiariesHelp')}</p>
        {beneficiaries.map((entry, index) => {
          const f = entry.getFieldset();
          return (
            <div key={entry.key} className="grid grid-cols-[minmax(0,1fr)_6.5rem] items-end gap-2 border-b border-stone-100 pb-3 sm:grid-cols-[minmax(12rem,1fr)_7rem_auto]">
              <div className="col-span-2 sm:col-span-1">
              <SelectField label={t('fields.group')} meta={f.group} selectProps={getSelectProps(f.group)}>
                <option value="">{t('fields.groupChoose')}</option>
                {BENEFICIARY_GROUPS.map((group) => (
                  <option key={group} value={group}>
                    {t(`group.${group}`)}
                  </option>
                ))}
              </SelectField>
              </div>
              <Field label={t('fields.count')} meta={f.count} inputProps={{ ...getInputProps(f.count, { type: 'number' }), min: 1, inputMode: 'numeric' }} />
              <button className="btn-secondary" {...form.remove.getButtonProps({ name: fields.beneficiaries.name, index })}>
                {t('fields.remove')}
              </button>
            </div>
          );
        })}
        <ErrorList id={fields.beneficiaries.errorId} errors={fields.beneficiaries.errors} />
        <button className="btn-secondary" {...form.insert.getButtonProps({ name: fields.beneficiaries.name, defaultValue: { group: '', count: '' } })}>
          {t('fields.addGroup')}
        </button>
      </fieldset>

      <section className="card space-y-4">
        <TextareaField label={<>{t('fields.problem')}{star}</>} meta={fields.problem} rows={5} />
        <TextareaField label={<>{t('fields.plan')}{star}</>} meta={fields.plan} rows={6} />
        <TextareaField label={<>{t('fields.schedule')}{star}</>} meta={fields.schedule} rows={3} />
        <TextareaField label={<>{t('fields.outcomes')}{star}</>} meta={fields.outcomes} rows={3} />
        <TextareaField label={<>{t('fields.sustainability')}{star}</>} meta={fields.sustainability} rows={3} />
      </section>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">
          {t('fields.budget')}
          {star}
        </legend>
        <p className="text-sm text-stone-600">
          {t('fields.budgetHelp', { min: formatMoney(options.minRequestFen, language), max: formatMoney(options.maxRequestFen, language) })}
        </p>
        {budget.map((line, index) => {
          const f = line.getFieldset();
          const lineTotal = lineTotals[index];
          return (
            <div key={line.key} className="grid grid-cols-2 items-end gap-2 border-b border-stone-100 pb-3 sm:grid-cols-[1fr_6rem_8rem_7rem_auto]">
              <div className="col-span-2 sm:col-span-1">
                <Field label={t('fields.item')} meta={f.item} inputProps={getInputProps(f.item, { type: 'text' })} />
              </div>
              <Field label={t('fields.quantity')} meta={f.quantity} inputProps={{ ...getInputProps(f.quantity, { type: 'number' }), min: 1, inputMode: 'numeric' }} />
              <Field label={t('fields.unitPrice')} meta={f.unitPrice} inputProps={{ ...getInputProps(f.unitPrice, { type: 'text' }), inputMode: 'decimal' }} />
              <p className="pb-2 text-sm">
                <span className="block text-stone-500">{t('fields.lineTotal')}</span>
                {lineTotal == null ? '—' : formatMoney(lineTotal, language)}
              </p>
              <button className="btn-secondary" {...form.remove.getButtonProps({ name: fields.budget.name, index })}>
                {t('fields.remove')}
              </button>
            </div>
          );
        })}
        <ErrorList id={fields.budget.errorId} errors={fields.budget.errors} />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <button className="btn-secondary" {...form.insert.getButtonProps({ name: fields.budget.name, defaultValue: { item: '', quantity: '1', unitPrice: '' } })}>
            {t('fields.addLine')}
          </button>
          <p className="text-lg font-semibold" aria-live="polite">
            {t('fields.total')}: {formatMoney(total, language)}
          </p>
        </div>
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">
          {t('fields.organization')}
          {star}
        </legend>
        {(['new', 'existing'] as const).map((kind) => (
          <label key={kind} className="flex items-center gap-2">
            <input
              type="radio"
              name={fields.organizationKind.name}
              value={kind}
              defaultChecked={(fields.organizationKind.initialValue ?? 'new') === kind}
              className="h-5 w-5"
            />
            {t(kind === 'new' ? 'fields.organizationNew' : 'fields.organizationExisting')}
          </label>
        ))}
        {options.organizations.length ? (
          <SelectField label={t('fields.organizationRegistry')} meta={fields.organizationId} selectProps={getSelectProps(fields.organizationId)}>
            <option value="">{t('fields.organizationNotListed')}</option>
            {options.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.street ? `${o.name}（${pickText(o.street, language)}）` : o.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <Field label={t('fields.organizationName')} meta={fields.organizationName} inputProps={getInputProps(fields.organizationName, { type: 'text' })} />
      </fieldset>

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('fields.photos')}</legend>
        <p className="text-sm text-stone-600">{t('fields.photosHelp', { max: MAX_PHOTOS })}</p>
        {photos.length ? (
          <ul className="grid grid-cols-3 gap-2">
            {photos.map((photo) => (
              <li key={photo.fileId} className="space-y-1">
                <img src={`/uploads/${photo.fileId}?size=thumb`} alt="" className="aspect-square w-full rounded-lg object-cover" />
                <label className="flex items-center gap-1 text-sm">
                  <input type="checkbox" name="removePhotos" value={photo.fileId} className="h-5 w-5" />
                  {t('fields.removePhoto')}
                </label>
              </li>
            ))}
          </ul>
        ) : null}
        <label htmlFor={`${id}-photos`} className="block font-medium">
          {t('fields.addPhotos')}
        </label>
        <input
          id={`${id}-photos`}
          type="file"
          name="photos"
          multiple
          accept={ACCEPTED_IMAGE_TYPES.join(',')}
          className={FILE_INPUT}
        />
        <label className="flex items-start gap-2">
          <input type="checkbox" name="peopleConsent" className="mt-1 h-5 w-5 shrink-0" />
          <span>{t('fields.peopleConsent')}</span>
        </label>
        <ErrorList errors={form.allErrors.photos} values={{ max: MAX_PHOTOS }} />
      </fieldset>

      <ErrorList id={form.errorId} errors={form.errors} summary />
      <div className="flex flex-wrap gap-3">
        {mode === 'draft' ? (
          <>
            <SubmitButton name="intent" value="submit">
              {t('form.submit')}
            </SubmitButton>
            <SubmitButton name="intent" value="save" className="btn-secondary" pending="saving">
              {t('form.saveDraft')}
            </SubmitButton>
          </>
        ) : (
          <SubmitButton name="intent" value="submit" pending="saving">
            {t('form.saveChanges')}
          </SubmitButton>
        )}
      </div>
    </Form>
  );
}

function ConsentSection({ name, today, errors }: { name: string; today: string; errors: Record<string, string[]> }) {
  const { t } = useTranslation(['assist', 'common']);
  return (
    <fieldset className="card space-y-3 border-2 border-brand-600">
      <legend className="px-1 text-lg font-semibold">{t('consent.title')}</legend>
      <p className="font-medium">{t('consent.for', { name })}</p>
      <p className="text-sm text-stone-600">{t('consent.intro')}</p>
      {(['signedForm', 'verbalWitnessed'] as const).map((method) => (
        <label key={method} className="flex items-center gap-2">
          {/* Nothing chosen in advance: consent is recorded only as the worker says it was given. */}
          <input type="radio" name="consentMethod" value={method} required className="h-5 w-5" />
          {t(`consent.${method}`)}
        </label>
      ))}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block">
          <span className="mb-1 block font-medium">{t('consent.on')}</span>
          <input type="date" name="consentOn" defaultValue={today} max={today} className="input" required />
          <ErrorList errors={errors.consentOn} />
        </label>
        <label className="block">
          <span className="mb-1 block font-medium">{t('consent.witness')}</span>
          <input name="consentWitness" className="input" />
          <ErrorList errors={errors.consentWitness} />
        </label>
      </div>
      <label className="block">
        <span className="mb-1 block font-medium">{t('consent.formPhoto')}</span>
        <input type="file" name="consentForm" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} />
      </label>
      <ErrorList errors={[...(errors.consentMethod ?? []), ...(errors.consentForm ?? [])]} />
    </fieldset>
  );
}
