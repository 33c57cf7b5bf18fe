import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { competitionFormSchema } from './competition.schema';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { PHASES } from './phases';
import { ErrorList, Field } from '~/components/forms';

type Input = z.input<typeof competitionFormSchema>;

/** Create or edit a competition: texts in both languages, money, phase dates, directions, streets. */
export function CompetitionForm({
  id,
  lastResult,
  defaultValue,
  streets,
  language,
  creating,
}: {
  id: string;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, unknown>;
  streets: { id: string; name: LocalizedText }[];
  language: Language;
  creating: boolean;
}) {
  const { t } = useTranslation(['manage', 'common']);
  const [form, fields] = useForm<Input, z.output<typeof competitionFormSchema>>({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: competitionFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const starts = fields.starts.getFieldset();
  const categories = fields.categories.getFieldList();
  // What was last submitted when the server refused it (conform's initial value), else the stored streets.
  const initialStreets = fields.eligibleStreets.initialValue;
  const chosen = new Set(Array.isArray(initialStreets) ? initialStreets : initialStreets ? [initialStreets] : []);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-5">
      <button type="submit" name="intent" value="save" className="sr-only" tabIndex={-1} aria-hidden="true" />
      <section className="card grid gap-4 sm:grid-cols-2">
        {creating ? (
          <Field label={t('fields.slug')} meta={fields.slug} help={t('fields.slugHelp')} inputProps={getInputProps(fields.slug, { type: 'text' })} />
        ) : null}
        <Field label={t('fields.year')} meta={fields.year} inputProps={{ ...getInputProps(fields.year, { type: 'number' }), inputMode: 'numeric' }} />
        <Field label={t('fields.titleZh')} meta={fields.titleZh} inputProps={getInputProps(fields.titleZh, { type: 'text' })} />
        <Field label={t('fields.titleEn')} meta={fields.titleEn} inputProps={getInputProps(fields.titleEn, { type: 'text' })} />
        <label className="block sm:col-span-2">
          <span className="mb-1 block font-medium">{t('fields.summaryZh')}</span>
          <textarea className="input" rows={3} {...getTextareaProps(fields.summaryZh)} />
          <ErrorList errors={fields.summaryZh.errors} />
        </label>
        <label className="block sm:col-span-2">
          <span className="mb-1 block font-medium">{t('fields.summaryEn')}</span>
          <textarea className="input" rows={3} {...getTextareaProps(fields.summaryEn)} />
          <ErrorList errors={fields.summaryEn.errors} />
        </label>
      </section>
      <section className="card grid gap-4 sm:grid-cols-3">
        <Field label={t('fields.budget')} meta={fields.budget} inputProps={{ ...getInputProps(fields.budget, { type: 'text' }), inputMode: 'decimal' }} />
        <Field label={t('fields.minRequest')} meta={fields.minRequest} inputProps={{ ...getInputProps(fields.minRequest, { type: 'text' }), inputMode: 'decimal' }} />
        <Field label={t('fields.maxRequest')} meta={fields.maxRequest} inputProps={{ ...getInputProps(fields.maxRequest, { type: 'text' }), inputMode: 'decimal' }} />
      </section>
      <fieldset className="card space-y-2">
        <legend className="px-1 text-lg font-semibold">{t('fields.phases')}</legend>
        <p className="text-sm text-stone-600">{t('fields.phasesHelp')}</p>
        <div className="grid gap-3 sm:grid-cols-4">
          {PHASES.map((phase) => (
            <Field key={phase} label={t(`common:phase.${phase}`)} meta={starts[phase]} inputProps={getInputProps(starts[phase], { type: 'date' })} />
          ))}
        </div>
      </fieldset>
      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t('fields.categories')}</legend>
        {categories.map((category, index) => {
          const f = category.getFieldset();
          return (
            <div key={category.key} className="grid grid-cols-2 items-end gap-2 sm:grid-cols-[9rem_1fr_1fr_auto]">
              <Field label={t('fields.categoryCode')} meta={f.code} inputProps={getInputProps(f.code, { type: 'text' })} />
              <Field label={t('fields.categoryZh')} meta={f.zh} inputProps={getInputProps(f.zh, { type: 'text' })} />
              <Field label={t('fields.categoryEn')} meta={f.en} inputProps={getInputProps(f.en, { type: 'text' })} />
              <button className="btn-secondary" {...form.remove.getButtonProps({ name: fields.categories.name, index })}>
                {t('fields.remove')}
              </button>
            </div>
          );
        })}
        <ErrorList errors={fields.categories.errors} />
        <button className="btn-secondary" {...form.insert.getButtonProps({ name: fields.categories.name, defaultValue: { code: '', zh: '', en: '' } })}>
          {t('fields.addCategory')}
        </button>
      </fieldset>
      <fieldset className="card space-y-2">
        <legend className="px-1 text-lg font-semibold">{t('fields.streets')}</legend>
        <p className="text-sm text-stone-600">{t('fields.streetsHelp')}</p>
        <div className="grid gap-2 sm:grid-cols-3">
          {streets.map((street) => (
            <label key={street.id} className="flex items-center gap-2">
              <input type="checkbox" name="eligibleStreets" value={street.id} defaultChecked={chosen.has(street.id)} className="h-5 w-5" />
              {pickText(street.name, language)}
            </label>
          ))}
        </div>
        <ErrorList id={fields.eligibleStreets.errorId} errors={fields.eligibleStreets.errors} />
      </fieldset>
      <ErrorList id={form.errorId} errors={form.errors} summary />
      <button type="submit" name="intent" value="save" className="btn-primary">
        {creating ? t('create') : t('save')}
      </button>
    </Form>
  );
}
