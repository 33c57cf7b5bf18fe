import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { PARTNER_NAME_MAX, PLEDGE_ITEM_MAX, PLEDGE_NOTE_MAX, PLEDGE_UNIT_MAX, type PartnerKind } from './rules';

export const PLEDGE_ERROR_KEYS = ['resources:error.', 'validation.'] as const;

export type PledgeFormErrors = Partial<Record<string, string[]>>;
export type PledgeTyped = Partial<Record<string, string>>;

function Text({ name, label, typed, errors, max, help, inputMode, type = 'text' }: { name: string; label: string; typed: PledgeTyped; errors: PledgeFormErrors; max?: number; help?: string; inputMode?: 'decimal' | 'numeric'; type?: string }) {
  const id = `pledge-${name}`;
  const problem = errors[name];
  return (
    <div>
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        className="input"
        maxLength={max}
        inputMode={inputMode}
        defaultValue={typed[name] ?? ''}
        aria-invalid={problem ? true : undefined}
        aria-describedby={[help ? `${id}-help` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
      />
      {help ? (
        <p id={`${id}-help`} className="mt-1 text-stone-600">
          {help}
        </p>
      ) : null}
      <ErrorList id={`${id}-error`} errors={problem} keyPrefixes={PLEDGE_ERROR_KEYS} />
    </div>
  );
}

/**
 * Recording a pledge (the team or the committee: who it is from) or offering one's own (`self`).
 * Works without JavaScript: money and goods fields are both shown, the chosen kind decides which
 * count. The consent to be named is an unticked box.
 */
export function PledgeForm({ partnerKinds, typed, errors, today }: { partnerKinds: readonly (PartnerKind | 'self')[]; typed: PledgeTyped; errors: PledgeFormErrors; today: string }) {
  const { t } = useTranslation(['resources', 'common']);
  const self = partnerKinds.length === 1 && partnerKinds[0] === 'self';
  return (
    <Form method="post" className="space-y-4" aria-labelledby="pledge-form-title">
      <input type="hidden" name="intent" value="record" />
      {self ? (
        <input type="hidden" name="partnerKind" value="self" />
      ) : (
        <>
          <div>
            <label htmlFor="pledge-partnerKind" className="mb-1 block font-medium">
              {t('form.partnerKind')}
            </label>
            <select id="pledge-partnerKind" name="partnerKind" className="input" defaultValue={typed.partnerKind ?? partnerKinds[0]}>
              {partnerKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`partnerKind.${k}`)}
                </option>
              ))}
            </select>
            <ErrorList errors={errors.partnerKind} keyPrefixes={PLEDGE_ERROR_KEYS} />
          </div>
          <Text name="partnerName" label={t('form.partnerName')} help={t('form.partnerNameHelp')} typed={typed} errors={errors} max={PARTNER_NAME_MAX} />
        </>
      )}
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">{t('form.kind')}</legend>
        {(['money', 'inKind'] as const).map((k) => (
          <label key={k} className="flex min-h-11 items-center gap-3">
            <input type="radio" name="kind" value={k} defaultChecked={(typed.kind ?? 'money') === k} className="h-5 w-5" />
            <span>{t(`kind.${k}`)}</span>
          </label>
        ))}
        <ErrorList errors={errors.kind} keyPrefixes={PLEDGE_ERROR_KEYS} />
      </fieldset>
      <Text name="amount" label={t('form.amount')} help={t('form.amountHelp')} typed={typed} errors={errors} inputMode="decimal" max={20} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Text name="item" label={t('form.item')} typed={typed} errors={errors} max={PLEDGE_ITEM_MAX} />
        <Text name="quantity" label={t('form.quantity')} typed={typed} errors={errors} inputMode="numeric" max={6} />
        <Text name="unit" label={t('form.unit')} typed={typed} errors={errors} max={PLEDGE_UNIT_MAX} />
      </div>
      <Text name="estimatedValue" label={t('form.estimatedValue')} help={t('form.estimatedValueHelp')} typed={typed} errors={errors} inputMode="decimal" max={20} />
      <div>
        <label htmlFor="pledge-dueDate" className="mb-1 block font-medium">
          {t('form.dueDate')}
        </label>
        <input id="pledge-dueDate" name="dueDate" type="date" className="input" min={today} defaultValue={typed.dueDate ?? ''} aria-invalid={errors.dueDate ? true : undefined} aria-describedby={errors.dueDate ? 'pledge-dueDate-error' : undefined} />
        <ErrorList id="pledge-dueDate-error" errors={errors.dueDate} keyPrefixes={PLEDGE_ERROR_KEYS} />
      </div>
      <div>
        <label htmlFor="pledge-note" className="mb-1 block font-medium">
          {t('form.note')}
        </label>
        <textarea id="pledge-note" name="note" rows={2} maxLength={PLEDGE_NOTE_MAX} className="input" defaultValue={typed.note ?? ''} />
        <ErrorList errors={errors.note} keyPrefixes={PLEDGE_ERROR_KEYS} />
      </div>
      <label className="flex items-start gap-3">
        <input type="checkbox" name="showName" className="mt-1 h-5 w-5" defaultChecked={typed.showName === 'on'} />
        <span>{t('form.showName')}</span>
      </label>
      <ErrorList errors={errors.form} keyPrefixes={PLEDGE_ERROR_KEYS} />
      <button type="submit" className="btn-primary min-h-12 text-lg">
        {self ? t('form.offer') : t('form.record')}
      </button>
    </Form>
  );
}
