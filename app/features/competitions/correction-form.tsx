import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ErrorList, Field } from '~/components/forms';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { correctionSchema } from './correction.schema';
import { parseSetting, type CorrectionSetting } from './corrections';
import { useCorrectionLabel } from './corrections-list';
import { formatDate, formatMoney } from '~/utils/format';

type Input = z.input<typeof correctionSchema>;

export interface FrozenSettingOption {
  setting: CorrectionSetting;
  current: string | number | string[];
  input: string | string[];
}

/**
 * The admin's "correct a frozen setting" panel on the manage page: the frozen settings with their
 * current values, each with a link that opens its form (`?correct=<setting>`, so it works without
 * JavaScript), and that form: the new value, a reason and an "I understand" box never ticked.
 */
export function CorrectionPanel({
  settings,
  chosen,
  streets,
  language,
  lastResult,
}: {
  settings: FrozenSettingOption[];
  chosen: FrozenSettingOption | null;
  streets: { id: string; name: LocalizedText }[];
  language: Language;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const { t } = useTranslation(['manage', 'common']);
  const label = useCorrectionLabel();
  const names = new Map(streets.map((s) => [s.id, pickText(s.name, language)]));
  const shown = (option: FrozenSettingOption) => {
    const kind = parseSetting(option.setting).kind;
    if (kind === 'budget') return formatMoney(Number(option.current), language);
    if (kind === 'streets') {
      const ids = option.current as string[];
      return ids.length ? ids.map((id) => names.get(id) ?? id).join('、') : t('common:correction.wholeDistrict');
    }
    return formatDate(String(option.current), language);
  };
  return (
    <section id="correct" className="card space-y-4 border-red-300" aria-labelledby="correct-title">
      <h3 id="correct-title" className="text-lg font-semibold">
        {t('correct.title')}
      </h3>
      <p className="text-stone-700">{t('correct.help')}</p>
      <p className="text-sm text-stone-600">{t('correct.rules')}</p>
      {settings.length ? (
        <ul className="divide-y divide-stone-200">
          {settings.map((option) => (
            <li key={option.setting} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="block font-medium">{label(option.setting)}</span>
                <span className="block text-sm text-stone-600">{t('correct.currentValue', { value: shown(option) })}</span>
              </span>
              <Link to={`?correct=${encodeURIComponent(option.setting)}#correct`} className="btn-secondary" preventScrollReset>
                {t('correct.choose')}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('correct.none')}</p>
      )}
      {chosen ? (
        <CorrectionForm
          key={chosen.setting}
          chosen={chosen}
          title={label(chosen.setting)}
          current={shown(chosen)}
          streets={streets}
          language={language}
          lastResult={lastResult}
        />
      ) : null}
    </section>
  );
}

function CorrectionForm({
  chosen,
  title,
  current,
  streets,
  language,
  lastResult,
}: {
  chosen: FrozenSettingOption;
  title: string;
  current: string;
  streets: { id: string; name: LocalizedText }[];
  language: Language;
  lastResult?: SubmissionResult<string[]> | null;
}) {
  const { t } = useTranslation(['manage', 'common']);
  const kind = parseSetting(chosen.setting).kind;
  const [form, fields] = useForm<Input, z.output<typeof correctionSchema>>({
    id: `correct-${chosen.setting}`,
    lastResult,
    defaultValue: {
      setting: chosen.setting,
      ...(kind === 'budget' ? { budget: chosen.input as string } : kind === 'streets' ? { eligibleStreets: chosen.input as string[] } : { day: chosen.input as string }),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: correctionSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const initialStreets = fields.eligibleStreets.initialValue;
  const ticked = new Set(Array.isArray(initialStreets) ? initialStreets : initialStreets ? [initialStreets] : []);
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4 rounded-lg border border-stone-300 p-4">
      <input type="hidden" name="intent" value="correct" />
      <input type="hidden" name="setting" value={chosen.setting} />
      <p className="text-lg font-semibold">{t('correct.formTitle', { setting: title })}</p>
      <p>{t('correct.currentValue', { value: current })}</p>
      <ErrorList errors={fields.setting.errors} />
      {kind === 'budget' ? (
        <Field label={t('correct.newBudget')} meta={fields.budget} inputProps={{ ...getInputProps(fields.budget, { type: 'text' }), inputMode: 'decimal' }} />
      ) : kind === 'streets' ? (
        <fieldset className="space-y-2">
          <legend className="font-medium">{t('correct.newStreets')}</legend>
          <p className="text-sm text-stone-600">{t('correct.streetsHelp')}</p>
          <div className="grid gap-2 sm:grid-cols-3">
            {streets.map((street) => (
              <label key={street.id} className="flex items-center gap-2">
                <input type="checkbox" name="eligibleStreets" value={street.id} defaultChecked={ticked.has(street.id)} className="h-5 w-5" />
                {pickText(street.name, language)}
              </label>
            ))}
          </div>
          <ErrorList id={fields.eligibleStreets.errorId} errors={fields.eligibleStreets.errors} />
        </fieldset>
      ) : (
        <Field label={t('correct.newDay')} meta={fields.day} help={t('correct.dayHelp')} inputProps={getInputProps(fields.day, { type: 'date' })} />
      )}
      <label className="block">
        <span className="mb-1 block font-medium">{t('correct.reason')}</span>
        <textarea className="input" rows={3} {...getTextareaProps(fields.reason)} required minLength={10} />
        <ErrorList id={fields.reason.errorId} errors={fields.reason.errors} />
      </label>
      <label className="flex items-start gap-3">
        <input type="checkbox" name={fields.understood.name} value="on" required className="mt-1 h-6 w-6 shrink-0" />
        <span>{t('correct.understood')}</span>
      </label>
      <ErrorList id={fields.understood.errorId} errors={fields.understood.errors} />
      <ErrorList id={form.errorId} errors={form.errors} summary />
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-danger">
          {t('correct.submit')}
        </button>
        <Link to="." className="btn-secondary">
          {t('correct.cancel')}
        </Link>
      </div>
    </Form>
  );
}
