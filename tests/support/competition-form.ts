import type { getCompetitionForEdit } from '~/features/competitions/competitions.server';

type FormValues = NonNullable<Awaited<ReturnType<typeof getCompetitionForEdit>>>['values'];

/** The committee's competition form as the browser posts it, from its current values. */
export function competitionFormFields(values: FormValues, overrides: Record<string, string> = {}): Record<string, string> {
  const fields: Record<string, string> = {
    intent: 'save',
    year: values.year,
    titleZh: values.titleZh,
    titleEn: values.titleEn,
    summaryZh: values.summaryZh,
    summaryEn: values.summaryEn,
    budget: values.budget,
    minRequest: values.minRequest,
    maxRequest: values.maxRequest,
  };
  for (const [phase, day] of Object.entries(values.starts)) fields[`starts.${phase}`] = day;
  values.categories.forEach((c, i) => {
    fields[`categories[${i}].code`] = c.code;
    fields[`categories[${i}].zh`] = c.zh;
    fields[`categories[${i}].en`] = c.en;
  });
  values.eligibleStreets.forEach((id, i) => (fields[`eligibleStreets[${i}]`] = id));
  return { ...fields, ...overrides };
}
