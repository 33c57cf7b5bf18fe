import { Form, Link, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ErrorList } from '~/components/forms';
import { pickText, type Language, type LocalizedText } from '~/core/locales';
import { formatDate } from '~/utils/format';
import { SCREENING_DECISIONS } from './screening.schema';

/** Error keys: the screening page's own first, then the shared validation messages. */
export const SCREENING_ERROR_KEYS = ['screening:errors.', 'validation.'] as const;

export interface ScreeningRow {
  number: number;
  title: string;
  category: string;
  status: string;
  street: LocalizedText | null;
  community: LocalizedText | null;
  changesDueAt: string | null;
}

type FieldErrors = Record<string, string[] | undefined>;

/**
 * The committee's queue as compact rows. Each row's decision form opens in a <details> (works
 * without JavaScript); a row with errors from the last attempt opens by itself. Row checkboxes
 * belong to the bulk form below the list through their `form` attribute (forms cannot nest).
 */
export function ScreeningList({
  rows,
  open,
  language,
  categoryName,
  errorsFor,
  submitting,
}: {
  rows: ScreeningRow[];
  open: boolean;
  language: Language;
  categoryName: (code: string) => string;
  errorsFor: (number: number) => FieldErrors | undefined;
  submitting: boolean;
}) {
  const { t } = useTranslation(['screening', 'proposals']);
  return (
    <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
      {rows.map((p) => {
        const errors = errorsFor(p.number);
        const decidable = open && p.status !== 'merged';
        return (
          <li key={p.number} className="flex gap-2 px-3 py-2" data-testid={`screening-row-${p.number}`}>
            {decidable && p.status === 'submitted' ? (
              <label className="-my-2 -ml-2 flex h-11 w-11 shrink-0 items-center justify-center">
                <input type="checkbox" name="numbers" value={p.number} form="bulk-eligible" className="h-6 w-6" />
                <span className="sr-only">{t('bulk.select', { number: p.number })}</span>
              </label>
            ) : null}
            <div className="min-w-0 flex-1 space-y-1">
              <Link to={`../proposals/${p.number}`} relative="path" className="font-semibold text-brand-800 underline">
                #{p.number} {p.title}
              </Link>
              <p className="text-stone-700">
                <span className="mr-2 inline-block rounded-full bg-stone-100 px-2 text-stone-800">{t(`proposals:status.${p.status}`)}</span>
                {[categoryName(p.category), pickText(p.street, language), pickText(p.community, language)].filter(Boolean).join(' · ')}
                {p.changesDueAt ? ` · ${t('dueBy', { date: formatDate(p.changesDueAt, language) })}` : ''}
              </p>
              {decidable ? (
                <details open={errors ? true : undefined}>
                  <summary className="btn-secondary cursor-pointer list-none">{t('decide', { number: p.number })}</summary>
                  <DecisionForm number={p.number} errors={errors} submitting={submitting} />
                </details>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function DecisionForm({ number, errors, submitting }: { number: number; errors?: FieldErrors; submitting: boolean }) {
  const { t } = useTranslation('screening');
  const id = (field: string) => `screen-${number}-${field}`;
  return (
    <Form method="post" className="mt-3 space-y-3">
      <input type="hidden" name="intent" value="screen" />
      <input type="hidden" name="number" value={number} />
      <fieldset aria-describedby={errors?.decision ? id('decision-error') : undefined}>
        <legend className="mb-1 font-medium">{t('decisionLabel')}</legend>
        {SCREENING_DECISIONS.map((decision) => (
          <label key={decision} className="flex min-h-11 items-center gap-3">
            <input type="radio" name="decision" value={decision} className="h-6 w-6 shrink-0" aria-invalid={errors?.decision ? true : undefined} />
            {t(`decision.${decision}`)}
          </label>
        ))}
        <ErrorList id={id('decision-error')} errors={errors?.decision} keyPrefixes={SCREENING_ERROR_KEYS} />
      </fieldset>
      <div>
        <label htmlFor={id('reason')} className="mb-1 block font-medium">
          {t('reasonForAuthors')}
        </label>
        <textarea id={id('reason')} name="reason" rows={2} className="input" aria-invalid={errors?.reason ? true : undefined} />
        <ErrorList errors={errors?.reason} keyPrefixes={SCREENING_ERROR_KEYS} />
      </div>
      <div>
        <label htmlFor={id('due')} className="mb-1 block font-medium">
          {t('changesDueOn')}
        </label>
        <input id={id('due')} name="changesDueOn" type="date" className="input" aria-invalid={errors?.changesDueOn ? true : undefined} />
        <ErrorList errors={errors?.changesDueOn} keyPrefixes={SCREENING_ERROR_KEYS} />
      </div>
      <div>
        <label className="flex min-h-11 items-center gap-3">
          <input type="checkbox" name="confirm" className="h-6 w-6 shrink-0" aria-invalid={errors?.confirm ? true : undefined} />
          {t('confirmIneligible')}
        </label>
        <ErrorList errors={errors?.confirm} keyPrefixes={SCREENING_ERROR_KEYS} />
      </div>
      <button type="submit" className="btn-primary w-full sm:w-auto" disabled={submitting}>
        {t('save')}
      </button>
    </Form>
  );
}

/** Direction, street and "waiting only" as a GET form: the filters work without JavaScript. */
export function ScreeningFilters({
  show,
  category,
  street,
  categories,
  streets,
  language,
}: {
  show: string;
  category: string;
  street: string;
  categories: { code: string; name: string }[];
  streets: { id: string; name: LocalizedText }[];
  language: Language;
}) {
  const { t } = useTranslation('screening');
  return (
    <Form method="get" className="grid grid-cols-2 items-end gap-3 sm:grid-cols-[1fr_1fr_1fr_auto]" aria-label={t('filterLabel')}>
      <label className="block">
        <span className="mb-1 block font-medium">{t('filterShow')}</span>
        <select name="show" defaultValue={show} className="input">
          {(['pending', 'decided', 'all'] as const).map((f) => (
            <option key={f} value={f}>
              {t(`filter.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="mb-1 block font-medium">{t('filterCategory')}</span>
        <select name="category" defaultValue={category} className="input">
          <option value="">{t('any')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="mb-1 block font-medium">{t('filterStreet')}</span>
        <select name="street" defaultValue={street} className="input">
          <option value="">{t('any')}</option>
          {streets.map((s) => (
            <option key={s.id} value={s.id}>
              {pickText(s.name, language)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-secondary">
        {t('applyFilters')}
      </button>
    </Form>
  );
}

/** Previous / next, keeping the filters; the list reads one row more to know if there is a next page. */
export function ScreeningPager({ page, hasNext }: { page: number; hasNext: boolean }) {
  const { t } = useTranslation('screening');
  const [searchParams] = useSearchParams();
  if (page <= 1 && !hasNext) return null;
  const link = (to: number) => {
    const next = new URLSearchParams(searchParams);
    next.delete('decide');
    next.set('page', String(to));
    return `?${next}`;
  };
  return (
    <nav className="flex items-center gap-3" aria-label={t('pager.label')}>
      {page > 1 ? (
        <Link to={link(page - 1)} className="btn-secondary">
          {t('pager.previous')}
        </Link>
      ) : null}
      <span>{t('pager.page', { page })}</span>
      {hasNext ? (
        <Link to={link(page + 1)} className="btn-secondary">
          {t('pager.next')}
        </Link>
      ) : null}
    </nav>
  );
}

export function BulkEligibleForm({ errors, submitting }: { errors?: FieldErrors; submitting: boolean }) {
  const { t } = useTranslation('screening');
  return (
    <Form method="post" id="bulk-eligible" className="card space-y-3">
      <input type="hidden" name="intent" value="bulkEligible" />
      <p className="font-semibold">{t('bulk.title')}</p>
      <p className="text-stone-700">{t('bulk.help')}</p>
      <ErrorList errors={errors?.numbers} keyPrefixes={SCREENING_ERROR_KEYS} />
      <label className="flex min-h-11 items-center gap-3">
        <input type="checkbox" name="confirm" className="h-6 w-6 shrink-0" aria-invalid={errors?.confirm ? true : undefined} />
        {t('bulk.confirm')}
      </label>
      <ErrorList errors={errors?.confirm} keyPrefixes={SCREENING_ERROR_KEYS} />
      <button type="submit" className="btn-primary w-full sm:w-auto" disabled={submitting}>
        {t('bulk.submit')}
      </button>
    </Form>
  );
}
