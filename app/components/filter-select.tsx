import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';

export interface FilterOption {
  value: string;
  label: string;
}

/** Options under a heading, such as the communities of one street. */
export interface FilterGroup {
  label: string;
  options: readonly FilterOption[];
}

/**
 * A list page's filters: a GET form (it works without JavaScript, and the filtered page is a
 * link to share), its selects and one submit button. `className` lays the fields out.
 */
export function FilterForm({ className, submit, children }: { className: string; submit: string; children: ReactNode }) {
  return (
    <Form method="get" className={`card ${className}`}>
      {children}
      <button type="submit" className="btn-secondary">
        {submit}
      </button>
    </Form>
  );
}

/**
 * One filter: a label over a select whose first option, "all" (the empty value), means no filter.
 * `value` is the filter in force, so the page opens showing it.
 */
export function FilterSelect({
  id,
  name,
  label,
  all,
  value,
  options,
}: {
  id: string;
  name: string;
  label: string;
  all: string;
  value: string;
  options: readonly (FilterOption | FilterGroup)[];
}) {
  const option = (o: FilterOption) => (
    <option key={o.value} value={o.value}>
      {o.label}
    </option>
  );
  return (
    <div>
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      <select id={id} name={name} className="input" defaultValue={value}>
        <option value="">{all}</option>
        {options.map((o) =>
          'options' in o ? (
            <optgroup key={o.label} label={o.label}>
              {o.options.map(option)}
            </optgroup>
          ) : (
            option(o)
          ),
        )}
      </select>
    </div>
  );
}
