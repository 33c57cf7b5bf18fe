import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Form } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorList, FILE_INPUT, SubmitButton } from '~/components/forms';
import { ACCEPTED_IMAGE_TYPES } from '~/core/uploads';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatMoney } from '~/utils/format';
import type { VotingMethod } from './rules';
import { VotingError } from './voting';
import { paperBallotSchema } from './voting.schema';


/** Field errors: keys under "voting:validation." or, failing that, the shared "validation.". */
function FieldErrors({ errors }: { errors?: string[] | null }) {
  return <ErrorList errors={errors} keyPrefixes={['voting:validation.', 'common:validation.']} />;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [];
}

/**
 * A grid worker enters a paper ballot (its printed serial) or an assisted one (the resident's
 * consent; the server gives the serial). Without JavaScript every field shows and the server
 * validates what is posted for the chosen channel; with it, only the chosen channel's fields
 * show. What was typed comes back after an error (a chosen photo cannot: browsers forbid it).
 * Entering cannot be undone by the worker, so a tick confirms it.
 */
export function PaperBallotForm({
  residents,
  options,
  method,
  maxChoices,
  today,
  language,
  lastResult,
  reason,
  startFocused = false,
}: {
  residents: { id: string; name: string; hint: string; community: LocalizedText | null }[];
  options: { number: number; title: string; totalFen: number }[];
  method: VotingMethod;
  maxChoices: number;
  today: string;
  language: Language;
  lastResult?: SubmissionResult<string[]> | null;
  reason?: string | null;
  /** Focus the first field: the worker just entered a ballot and goes on to the next. */
  startFocused?: boolean;
}) {
  const { t } = useTranslation(['voting', 'common']);
  const [form, fields] = useForm({
    id: 'paper-ballot',
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: paperBallotSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  });
  const typed = (form.initialValue ?? {}) as Record<string, unknown>;
  const text = (name: string) => {
    const value = typed[name];
    return typeof value === 'string' ? value : undefined;
  };
  const [channel, setChannel] = useState(text('channel') === 'assisted' ? 'assisted' : 'paper');
  // Nothing chosen in advance: the worker says how the resident consented (issue 12, item 11).
  const typedMethod = text('consentMethod');
  const [consentMethod, setConsentMethod] = useState(typedMethod === 'verbalWitnessed' || typedMethod === 'signedForm' ? typedMethod : '');
  // Fields are hidden only once JavaScript runs; without it the server sorts out what applies.
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const chosen = new Set(asList(typed.choice));
  const errors = form.allErrors;

  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card space-y-4">
      <label className="block">
        <span className="mb-1 block font-medium">{t('paper.resident')}</span>
        {/* Server-rendered as autofocus too, so the next ballot starts here without JavaScript. */}
        <select name={fields.residentId.name} defaultValue={text('residentId') ?? ''} required className="input" autoFocus={startFocused}>
          <option value="">{t('paper.chooseResident')}</option>
          {residents.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} · {pickText(r.community, language)}
              {r.hint ? ` · ${r.hint}` : ''}
            </option>
          ))}
        </select>
        <FieldErrors errors={errors.residentId} />
        <span className="mt-1 block text-sm text-stone-500">{t('paper.onlyVerified')}</span>
      </label>
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">{t('paper.channel')}</legend>
        {(['paper', 'assisted'] as const).map((c) => (
          <label key={c} className="flex min-h-11 items-center gap-3">
            <input type="radio" name={fields.channel.name} value={c} defaultChecked={c === channel} onChange={() => setChannel(c)} className="h-6 w-6" />
            {t(`channel.${c}`)}
          </label>
        ))}
        <FieldErrors errors={errors.channel} />
      </fieldset>
      <label className="block" hidden={scripted && channel !== 'paper'}>
        <span className="mb-1 block font-medium">{t('paper.serial')}</span>
        <input name="serial" defaultValue={text('serial')} className="input" autoComplete="off" />
        <span className="mt-1 block text-sm text-stone-500">{t('paper.serialHelp')}</span>
        <FieldErrors errors={errors.serial} />
      </label>
      <fieldset className="space-y-3 rounded-lg border-2 border-brand-600 p-3" hidden={scripted && channel !== 'assisted'} data-testid="consent-fields">
        <legend className="px-1 text-lg font-semibold">{t('paper.consentTitle')}</legend>
        <p className="text-sm text-stone-600">{t('paper.consentIntro')}</p>
        {(['signedForm', 'verbalWitnessed'] as const).map((m) => (
          <label key={m} className="flex min-h-11 items-center gap-3">
            <input type="radio" name="consentMethod" value={m} defaultChecked={m === consentMethod} onChange={() => setConsentMethod(m)} className="h-6 w-6" />
            {t(`paper.${m}`)}
          </label>
        ))}
        <FieldErrors errors={errors.consentMethod} />
        <label className="block">
          <span className="mb-1 block font-medium">{t('paper.consentOn')}</span>
          <input type="date" name="consentOn" defaultValue={text('consentOn') ?? today} max={today} className="input" />
          <FieldErrors errors={errors.consentOn} />
        </label>
        <label className="block" hidden={scripted && consentMethod !== 'verbalWitnessed'}>
          <span className="mb-1 block font-medium">{t('paper.witness')}</span>
          <input name="consentWitness" defaultValue={text('consentWitness')} className="input" autoComplete="off" />
          <FieldErrors errors={errors.consentWitness} />
        </label>
        <label className="block" hidden={scripted && consentMethod !== 'signedForm'}>
          <span className="mb-1 block font-medium">{t('paper.formPhoto')}</span>
          <input type="file" name="consentForm" accept={ACCEPTED_IMAGE_TYPES.join(',')} className={FILE_INPUT} />
          <FieldErrors errors={errors.consentForm} />
        </label>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">{method === 'approval' ? t('ballot.howApproval', { max: maxChoices }) : t('ballot.howBudget')}</legend>
        {options.map((o) => (
          <label key={o.number} className="flex min-h-11 items-center gap-3">
            <input type="checkbox" name="choice" value={o.number} defaultChecked={chosen.has(String(o.number))} className="h-6 w-6" />#{o.number} {o.title} ·{' '}
            {formatMoney(o.totalFen, language)}
          </label>
        ))}
        <FieldErrors errors={errors.choice} />
      </fieldset>
      <label className="flex items-start gap-3 rounded-lg bg-amber-50 p-3">
        <input type="checkbox" name="confirmed" required className="mt-1 h-6 w-6 shrink-0" />
        <span>{t('paper.confirm')}</span>
      </label>
      <FieldErrors errors={errors.confirmed} />
      <FieldErrors errors={form.errors} />
      <VotingError reason={reason} />
      <SubmitButton className="btn-primary w-full py-3 text-lg">{t('paper.submit')}</SubmitButton>
    </Form>
  );
}
